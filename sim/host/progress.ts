/**
 * Progress for long runs: a bar redrawn in place on a TTY, a plain line every few seconds
 * otherwise (CI logs), always on stderr so stdout stays parseable.
 */
import { stderrIsTty, wallMs } from './hostIo.ts';

export interface ProgressSink {
  write(text: string): void;
}

export class Progress {
  private readonly started = wallMs();
  private lastLine = 0;
  private drawn = false;
  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly sink: ProgressSink = { write: (t) => void process.stderr.write(t) },
    private readonly tty = stderrIsTty() && process.env.CI !== 'true',
    private readonly everyMs = 5_000,
  ) {}

  update(done: number, unit = 'runs'): void {
    const now = wallMs();
    const elapsed = (now - this.started) / 1000;
    const rate = elapsed > 0 ? Math.round(done / elapsed) : 0;
    if (this.tty) {
      const width = 30;
      const filled = this.total > 0 ? Math.min(width, Math.round((done / this.total) * width)) : 0;
      this.sink.write(`\r${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${this.total} ${unit} ${rate}/s `);
      this.drawn = true;
    } else if (now - this.lastLine >= this.everyMs) {
      this.lastLine = now;
      this.sink.write(`${this.label}: ${done}/${this.total} ${unit} (${rate}/s, ${elapsed.toFixed(0)} s)\n`);
    }
  }

  end(): void {
    if (this.drawn) this.sink.write('\n');
  }
}

/**
 * Progress of one long scenario: nothing for a run shorter than `everyMs` of wall time, then the
 * virtual time reached and events per second, redrawn in place on a TTY (a bar of virtual time
 * against the world's time limit) or a line every `everyMs` otherwise.
 */
export class ScenarioProgress {
  private readonly started: number;
  private last: { wall: number; events: number };
  private drawn = false;
  constructor(
    private readonly label: string,
    private readonly limitMs = 24 * 3600 * 1000,
    private readonly sink: ProgressSink = { write: (t) => void process.stderr.write(t) },
    private readonly tty = stderrIsTty() && process.env.CI !== 'true',
    private readonly everyMs = 5_000,
    private readonly clock: () => number = wallMs,
  ) {
    this.started = clock();
    this.last = { wall: this.started, events: 0 };
  }

  tick(p: { timeMs: number; events: number }): void {
    const now = this.clock();
    if (now - this.last.wall < this.everyMs) return;
    const rate = Math.round(((p.events - this.last.events) / (now - this.last.wall)) * 1000);
    this.last = { wall: now, events: p.events };
    const at = `virtual t=${(p.timeMs / 1000).toFixed(3)}s, ${p.events} events, ${rate} events/s, ${((now - this.started) / 1000).toFixed(0)} s`;
    if (this.tty) {
      const width = 20;
      const filled = Math.min(width, Math.round((p.timeMs / this.limitMs) * width));
      this.sink.write(`\r${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${at} `);
      this.drawn = true;
    } else this.sink.write(`${this.label}: ${at}\n`);
  }

  end(): void {
    if (this.drawn) this.sink.write('\n');
  }
}
