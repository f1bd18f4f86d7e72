/**
 * Progress and summary lines for long ingests, on stderr.
 *
 * On a terminal the progress line rewrites itself (`\r`, cleared to the end of line); elsewhere
 * (`--progress` into a log) each update is its own line. Updates are throttled by time, so calling
 * `update()` after every chunk costs a clock read. The ETA needs the input's size and is shown
 * only for files.
 */

export interface ProgressSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface ProgressState {
  readonly file: string;
  /** Data rows so far, over all inputs. */
  readonly rows: number;
  /** Raw bytes read so far of the current input (compressed bytes for gzip). */
  readonly bytesRead: number;
  /** Raw size of the current input when known. */
  readonly size: number | undefined;
}

export interface IngestSummary {
  readonly files: number;
  /** Data rows read, rejected ones included (headers and blank lines excluded). */
  readonly rowsRead: number;
  readonly rowsRejected: number;
  readonly cells: number;
  /** Uncompressed bytes scanned. */
  readonly bytes: number;
  readonly elapsedMs: number;
}

export class ProgressReporter {
  private readonly started: number;
  private fileStarted: number;
  private currentFile = '';
  private last = 0;
  private shown = false;

  constructor(
    private readonly sink: ProgressSink,
    private readonly intervalMs = 1000,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
    this.fileStarted = this.started;
    this.last = this.started;
  }

  update(state: ProgressState, force = false): void {
    const t = this.now();
    if (state.file !== this.currentFile) {
      this.currentFile = state.file;
      this.fileStarted = t;
    }
    if (!force && t - this.last < this.intervalMs) return;
    this.last = t;
    const elapsed = (t - this.started) / 1000;
    const parts = [
      `${state.file}: ${formatCount(state.rows)} rows`,
      `${(state.bytesRead / 1e6).toFixed(1)} MB`,
      `${formatCount(elapsed > 0 ? Math.round(state.rows / elapsed) : 0)} rows/s`,
    ];
    const fileElapsed = (t - this.fileStarted) / 1000;
    if (state.size !== undefined && state.size > 0 && state.bytesRead > 0 && fileElapsed > 0) {
      const rate = state.bytesRead / fileElapsed;
      parts.push(`ETA ${formatDuration(Math.max(0, state.size - state.bytesRead) / rate)}`);
    }
    const line = parts.join(', ');
    if (this.sink.isTTY === true) {
      this.sink.write(`\r${line}\x1b[K`);
      this.shown = true;
    } else {
      this.sink.write(`${line}\n`);
    }
  }

  /** Clears a TTY progress line so the next output starts on a clean line. */
  finish(): void {
    if (this.shown) this.sink.write('\r\x1b[K');
    this.shown = false;
  }
}

/** `rows read 1,000,000, rows rejected 0, cells 1,234, elapsed 3.2 s` */
export function formatSummary(s: IngestSummary): string {
  return `rows read ${formatCount(s.rowsRead)}, rows rejected ${formatCount(s.rowsRejected)}, cells ${formatCount(s.cells)}, elapsed ${(s.elapsedMs / 1000).toFixed(1)} s`;
}

function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(r).padStart(2, '0')}` : `${m}:${String(r).padStart(2, '0')}`;
}
