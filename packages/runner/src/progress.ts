/**
 * Progress of a run on stderr: a one-line bar redrawn in place on a terminal (evaluations
 * done/budget, best reward, Pareto size, ETA), plain lines every ~5% when not a TTY (CI logs,
 * pipes). Silent when `quiet`.
 */
export interface ProgressSink {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressState {
  done: number;
  budget: number;
  best: number | null;
  paretoSize: number;
  phase: string;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export class Progress {
  private t0 = Date.now();
  private readonly startDone: number;
  private lastLine = -1;
  private lastDraw = 0;

  constructor(
    private readonly sink: ProgressSink | null,
    startDone: number,
  ) {
    this.startDone = startDone;
  }

  /** Restarts the clock (when the search itself begins, after training and worker start-up). */
  start(): void {
    this.t0 = Date.now();
  }

  /** Seconds left, from the rate of this session's evaluations. */
  eta(s: ProgressState): number {
    const elapsedS = (Date.now() - this.t0) / 1000;
    const doneHere = s.done - this.startDone;
    return doneHere > 0 ? (elapsedS / doneHere) * (s.budget - s.done) : NaN;
  }

  line(s: ProgressState): string {
    const best = s.best === null ? '-' : s.best.toFixed(4);
    return `${s.done}/${s.budget} evals · best reward ${best} · Pareto ${s.paretoSize} · ${s.phase} · ETA ${formatDuration(this.eta(s))}`;
  }

  update(s: ProgressState): void {
    if (!this.sink) return;
    if (this.sink.isTTY) {
      const now = Date.now();
      if (now - this.lastDraw < 100 && s.done < s.budget) return;
      this.lastDraw = now;
      const width = 24;
      const filled = Math.round((width * s.done) / Math.max(1, s.budget));
      const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
      const text = `${bar} ${this.line(s)}`.slice(0, (this.sink.columns ?? 120) - 1);
      this.sink.write(`\r\x1b[2K${text}`);
      if (s.done >= s.budget) this.sink.write('\n');
      return;
    }
    const step = Math.max(1, Math.ceil(s.budget / 20));
    const bucket = Math.floor(s.done / step);
    if (bucket !== this.lastLine || s.done >= s.budget) {
      if (s.done >= s.budget && this.lastLine === Infinity) return;
      this.lastLine = s.done >= s.budget ? Infinity : bucket;
      this.sink.write(`${this.line(s)}\n`);
    }
  }

  /** A message on its own line (clears the bar on a terminal). */
  message(text: string): void {
    if (!this.sink) return;
    this.sink.write(this.sink.isTTY ? `\r\x1b[2K${text}\n` : `${text}\n`);
  }
}
