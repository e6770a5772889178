/**
 * One server task (the stdout pump, the stderr pump, the exit watcher): steps run in order, each
 * after an optional delay, and a step that needs no delay on an idle task runs at once. Three
 * such tasks run side by side, which is what lets notifications leave out of seq order (spec §1.5).
 */
import type { Clock } from '../../../sim/ports/index.ts';

type Step = { delayMs: number; run: () => void | Promise<void> };

export class TaskQueue {
  private readonly steps: Step[] = [];
  private busy = false;

  constructor(
    private readonly clock: Clock,
    private readonly label: string,
  ) {}

  enqueue(delayMs: number, run: () => void | Promise<void>): void {
    if (!this.busy && this.steps.length === 0 && delayMs <= 0) {
      const r = run();
      if (r) {
        this.busy = true;
        void r.then(() => this.drain());
      }
      return;
    }
    this.steps.push({ delayMs, run });
    if (!this.busy) void this.drain();
  }

  private async drain(): Promise<void> {
    this.busy = true;
    for (;;) {
      const step = this.steps.shift();
      if (!step) break;
      if (step.delayMs > 0) await this.clock.sleep(step.delayMs, this.label);
      await step.run();
    }
    this.busy = false;
  }
}
