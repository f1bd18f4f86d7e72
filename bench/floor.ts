/**
 * The bare floors that `bench/ingest.ts` divides reachtree's wall time by (issue #5).
 *
 *   node dist/bench/floor.js FILE [--workers N] [--chunk-mib C]   row-splitting floor
 *   node dist/bench/floor.js --gunzip FILE.gz                     decompression floor
 *
 * Row-splitting floor: the least any CSV ingest over N threads must do — read every byte and
 * find every row end. The main thread cuts the file into N byte ranges of about equal size,
 * each moved forward to just after a '\n', so every range holds whole rows:
 *
 *   0                 S/2                  S
 *   |header\nrow\nro|w\nrow\n|row\nrow\n   |
 *                     ^ range 2 starts after the first LF at or after S/2
 *
 * Each worker thread opens the file itself, reads its range in C MiB chunks (default 1, the read
 * size reachtree uses) and counts LF bytes with Buffer.indexOf. No quotes are honoured: this is a
 * floor, not a parser. Rows = LFs (+1 when the file does not end in LF) − 1 header.
 *
 * Decompression floor: a .gz file streamed through node:zlib's gunzip with the same chunk sizes
 * reachtree's source uses (1 MiB reads, 256 KiB inflated chunks), counting inflated bytes only.
 *
 * Prints one JSON line: {"mode", "file", "workers", "rows", "bytes", "wallMs"}; wallMs is from the
 * first byte read (range cutting included) to the last worker's answer, without process start-up.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createGunzip } from 'node:zlib';
import { rowAlignedCuts } from './lib/ingest-files.js';

const LF = 0x0a;
const MIB = 1 << 20;

interface RangeJob {
  readonly file: string;
  readonly start: number;
  readonly end: number;
  readonly chunkBytes: number;
}

interface RangeCount {
  readonly lfs: number;
  /** Last byte of the range, or -1 for an empty range (tells whether the file ends in LF). */
  readonly lastByte: number;
}

export interface FloorResult {
  readonly mode: 'split' | 'gunzip';
  readonly file: string;
  readonly workers: number;
  /** Data rows (split mode); undefined for gunzip. */
  readonly rows: number | undefined;
  /** Bytes read (split) or inflated (gunzip). */
  readonly bytes: number;
  readonly wallMs: number;
}

/** Counts LF bytes of file[start, end) in chunks: the whole per-worker job. */
function countRange(job: RangeJob): RangeCount {
  const fd = openSync(job.file, 'r');
  try {
    const buf = Buffer.allocUnsafe(job.chunkBytes);
    let lfs = 0;
    let lastByte = -1;
    let pos = job.start;
    while (pos < job.end) {
      const n = readSync(fd, buf, 0, Math.min(job.chunkBytes, job.end - pos), pos);
      if (n === 0) break;
      // A short last read leaves stale bytes past n; search only what was read.
      const view = n === buf.length ? buf : buf.subarray(0, n);
      let i = view.indexOf(LF);
      while (i !== -1) {
        lfs++;
        i = view.indexOf(LF, i + 1);
      }
      lastByte = view[n - 1] ?? -1;
      pos += n;
    }
    return { lfs, lastByte };
  } finally {
    closeSync(fd);
  }
}

async function splitFloor(file: string, workers: number, chunkBytes: number): Promise<FloorResult> {
  const t0 = performance.now();
  const cuts = rowAlignedCuts(file, workers);
  const jobs: Promise<RangeCount>[] = [];
  for (let k = 0; k < workers; k++) {
    const job: RangeJob = { file, start: cuts[k] ?? 0, end: cuts[k + 1] ?? 0, chunkBytes };
    jobs.push(
      new Promise<RangeCount>((resolve, reject) => {
        const worker = new Worker(new URL(import.meta.url), { workerData: job });
        worker.once('message', (count: RangeCount) => resolve(count));
        worker.once('error', reject);
        worker.once('exit', (code) => {
          if (code !== 0) reject(new Error(`floor worker exited with code ${code}`));
        });
      }),
    );
  }
  const counts = await Promise.all(jobs);
  const wallMs = performance.now() - t0;
  const size = cuts[cuts.length - 1] ?? 0;
  let lfs = 0;
  let lastByte = -1;
  for (const c of counts) {
    lfs += c.lfs;
    if (c.lastByte !== -1) lastByte = c.lastByte;
  }
  const lines = lfs + (size > 0 && lastByte !== LF ? 1 : 0);
  return { mode: 'split', file, workers, rows: Math.max(0, lines - 1), bytes: size, wallMs };
}

async function gunzipFloor(file: string): Promise<FloorResult> {
  const t0 = performance.now();
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  createReadStream(file, { highWaterMark: MIB }).on('error', (e) => gunzip.destroy(e)).pipe(gunzip);
  let bytes = 0;
  for await (const chunk of gunzip) bytes += (chunk as Buffer).length;
  return { mode: 'gunzip', file, workers: 1, rows: undefined, bytes, wallMs: performance.now() - t0 };
}

function usage(message: string): never {
  process.stderr.write(`floor: ${message}\nusage: floor FILE [--workers N] [--chunk-mib C] | floor --gunzip FILE.gz\n`);
  process.exit(2);
}

async function main(argv: readonly string[]): Promise<void> {
  let file: string | undefined;
  let gunzip = false;
  let workers = 1;
  let chunkMib = 1;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--gunzip') gunzip = true;
    else if (a === '--workers') workers = Number(argv[++i]);
    else if (a === '--chunk-mib') chunkMib = Number(argv[++i]);
    else if (a !== undefined && !a.startsWith('--') && file === undefined) file = a;
    else usage(`unexpected argument ${JSON.stringify(a)}`);
  }
  if (file === undefined) usage('name a file');
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) usage('--workers must be an integer from 1 to 64');
  if (!(chunkMib >= 1 && chunkMib <= 4)) usage('--chunk-mib must be from 1 to 4');
  const result = gunzip ? await gunzipFloor(file) : await splitFloor(file, workers, Math.round(chunkMib * MIB));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (isMainThread) {
  await main(process.argv.slice(2));
} else {
  parentPort?.postMessage(countRange(workerData as RangeJob));
}
