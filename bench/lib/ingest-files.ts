/**
 * File helpers shared by the ingest benchmarks: row-aligned cut points, and splitting a CSV into
 * parts that each repeat the header (for the "same result whatever the file split" check).
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';

const LF = 0x0a;

/** The first offset ≥ `from` that starts a row: just after the first LF at or after from − 1. */
export function rowStartAtOrAfter(fd: number, from: number, size: number): number {
  if (from <= 0) return 0;
  const window = Buffer.allocUnsafe(64 * 1024);
  let pos = from - 1;
  while (pos < size) {
    const n = readSync(fd, window, 0, window.length, pos);
    if (n === 0) break;
    const i = window.subarray(0, n).indexOf(LF);
    if (i !== -1) return pos + i + 1;
    pos += n;
  }
  return size;
}

/** Row-aligned cut points 0 = b0 ≤ b1 ≤ … ≤ bN = size, about size/N apart. */
export function rowAlignedCuts(file: string, parts: number): number[] {
  const size = statSync(file).size;
  const fd = openSync(file, 'r');
  try {
    const cuts = [0];
    for (let k = 1; k < parts; k++) {
      const previous = cuts[k - 1] ?? 0;
      cuts.push(Math.max(previous, rowStartAtOrAfter(fd, Math.floor((k * size) / parts), size)));
    }
    cuts.push(size);
    return cuts;
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `file` as `outputs.length` CSV files of whole rows, cut at unequal row-aligned points
 * (a third, then the rest evenly) so no part boundary coincides with a worker unit boundary by
 * accident; each part after the first starts with the header line again.
 */
export async function splitCsv(file: string, outputs: readonly string[]): Promise<void> {
  const size = statSync(file).size;
  const fd = openSync(file, 'r');
  let header: Buffer;
  let cuts: number[];
  try {
    const headerEnd = rowStartAtOrAfter(fd, 1, size);
    header = Buffer.allocUnsafe(headerEnd);
    readSync(fd, header, 0, headerEnd, 0);
    cuts = [0];
    for (let k = 1; k < outputs.length; k++) {
      const target = k === 1 ? size / 3 : size / 3 + ((k - 1) * (2 * size)) / (3 * (outputs.length - 1));
      cuts.push(Math.max(cuts[k - 1] ?? 0, rowStartAtOrAfter(fd, Math.floor(target), size)));
    }
    cuts.push(size);
  } finally {
    closeSync(fd);
  }
  const input = await open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let k = 0; k < outputs.length; k++) {
      const out = await open(outputs[k] ?? '', 'w');
      try {
        if (k > 0) await out.write(header);
        let pos = cuts[k] ?? 0;
        const end = cuts[k + 1] ?? 0;
        while (pos < end) {
          const { bytesRead } = await input.read(buf, 0, Math.min(buf.length, end - pos), pos);
          if (bytesRead === 0) break;
          await out.write(buf, 0, bytesRead);
          pos += bytesRead;
        }
      } finally {
        await out.close();
      }
    }
  } finally {
    await input.close();
  }
}
