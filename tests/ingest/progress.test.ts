import { describe, expect, it } from 'vitest';
import { ProgressReporter, formatSummary } from '../../src/ingest/progress.js';

function sink(isTTY: boolean): { out: string[]; write(s: string): void; isTTY: boolean } {
  const out: string[] = [];
  return { out, isTTY, write: (s: string) => void out.push(s) };
}

describe('ProgressReporter', () => {
  it('prints rows, MB, rows/s and an ETA for a file of known size, at most once per interval', () => {
    let t = 0;
    const s = sink(false);
    const p = new ProgressReporter(s, 1000, () => t);
    p.update({ file: 'subs.csv', rows: 0, bytesRead: 0, size: 4e6 });
    t = 500;
    p.update({ file: 'subs.csv', rows: 50_000, bytesRead: 1e6, size: 4e6 });
    expect(s.out).toEqual([]);
    t = 2000;
    p.update({ file: 'subs.csv', rows: 200_000, bytesRead: 1e6, size: 4e6 });
    expect(s.out).toEqual(['subs.csv: 200,000 rows, 1.0 MB, 100,000 rows/s, ETA 0:06\n']);
  });

  it('omits the ETA without a size and rewrites one line on a terminal', () => {
    let t = 0;
    const s = sink(true);
    const p = new ProgressReporter(s, 1000, () => t);
    t = 1000;
    p.update({ file: '<stdin>', rows: 10, bytesRead: 2_500_000, size: undefined });
    p.finish();
    expect(s.out).toEqual(['\r<stdin>: 10 rows, 2.5 MB, 10 rows/s\x1b[K', '\r\x1b[K']);
  });
});

describe('formatSummary', () => {
  it('reads rows, rejects, cells and elapsed time', () => {
    expect(formatSummary({ files: 2, rowsRead: 1_234_567, rowsRejected: 3, cells: 4321, bytes: 1e8, elapsedMs: 3210 })).toBe(
      'rows read 1,234,567, rows rejected 3, cells 4,321, elapsed 3.2 s',
    );
  });
});
