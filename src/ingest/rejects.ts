/**
 * The rejects file of `--skip-invalid --rejects FILE`: one CSV row per skipped input row,
 * `file,line,reason,raw`, written while the ingest runs (memory stays bounded however many rows
 * are rejected) and put in place atomically through `writeFileAtomic`.
 *
 * The file appears when the run succeeds, and also when it stops for too many invalid rows — it
 * is then the explanation of the failure. On any other failure it is not written.
 */
import { csvField } from '../csv.js';
import { writeFileAtomic } from '../report/atomic.js';
import type { RejectedRow } from './ingester.js';

export const REJECTS_HEADER = 'file,line,reason,raw\n';

export function rejectLine(row: RejectedRow): string {
  return `${csvField(row.file)},${row.line},${csvField(row.reason)},${csvField(row.raw)}\n`;
}

/** Collects rejected rows and streams them to the rejects file in batches. */
export class RejectsWriter {
  private batch: string[] = [];
  private readonly queue: string[] = [];
  private wake: (() => void) | null = null;
  private drained: (() => void) | null = null;
  private closed = false;
  private failure: unknown = undefined;
  private readonly done: Promise<void>;

  constructor(path: string) {
    this.queue.push(REJECTS_HEADER);
    this.done = writeFileAtomic(path, this.pieces());
    // Surfaces in flush()/close(); keeps an early write failure from being an unhandled rejection.
    this.done.catch(() => undefined);
  }

  /** Records a row (synchronously; call flush() between chunks). */
  add(row: RejectedRow): void {
    this.batch.push(rejectLine(row));
  }

  /** Hands the collected rows to the writer and waits until it has taken them. */
  async flush(): Promise<void> {
    if (this.batch.length > 0) {
      this.queue.push(this.batch.join(''));
      this.batch = [];
    }
    if (this.queue.length === 0) return;
    const taken = new Promise<void>((resolve) => (this.drained = resolve));
    this.signal();
    await Promise.race([taken, this.done]);
  }

  /** Writes what is left and puts the file in place. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    this.signal();
    await this.done;
  }

  /** Abandons the file: the temporary file is removed and nothing is written. */
  async abort(): Promise<void> {
    this.failure = new Error('ingest failed');
    this.closed = true;
    this.signal();
    await this.done.catch(() => undefined);
  }

  private signal(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private async *pieces(): AsyncGenerator<string> {
    for (;;) {
      if (this.failure !== undefined) throw this.failure;
      const piece = this.queue.shift();
      if (piece !== undefined) {
        yield piece;
        continue;
      }
      const d = this.drained;
      this.drained = null;
      d?.();
      if (this.closed) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}
