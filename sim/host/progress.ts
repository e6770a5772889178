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
