/**
 * A `watch<u64>` channel: the wake counter the pre-#30273 consumer polls on (spec §2, "Wake
 * channel"). Many changes between two waits coalesce into one wake-up.
 */
export class Watch {
  private value = 0;
  private version = 0;
  private closed = false;
  private waiters: Array<(changed: boolean) => void> = [];

  get current(): number {
    return this.value;
  }

  /** Raises the value to max(current, v) and wakes waiters if it grew. */
  raise(v: number): void {
    if (v <= this.value) return;
    this.value = v;
    this.bump();
  }

  /** Wakes waiters without a new value (a failure). */
  bump(): void {
    this.version++;
    for (const w of this.waiters.splice(0)) w(true);
  }

  close(): void {
    this.closed = true;
    for (const w of this.waiters.splice(0)) w(false);
  }

  subscribe(): WatchReceiver {
    return new WatchReceiver(this, this.version);
  }

  /** @internal */
  state(): { version: number; closed: boolean } {
    return { version: this.version, closed: this.closed };
  }

  /** @internal */
  wait(): Promise<boolean> {
    return new Promise((r) => this.waiters.push(r));
  }
}

export class WatchReceiver {
  constructor(
    private readonly watch: Watch,
    private seen: number,
  ) {}

  /** Resolves true once the value changed since the last call, false if the sender is gone. */
  async changed(): Promise<boolean> {
    for (;;) {
      const s = this.watch.state();
      if (s.version !== this.seen) {
        this.seen = s.version;
        return true;
      }
      if (s.closed) return false;
      await this.watch.wait();
    }
  }

  get value(): number {
    return this.watch.current;
  }
}
