/**
 * Micro benchmarks of the sketch core (issue #2 item 7), each against hyperloglog-lite measured in
 * the same run on the same ids ("user-1", "user-2", …) at the same register count (2^14, one byte
 * a register in memory for both). `npm run bench` builds and runs this file; the table goes to
 * stdout and bench/results/micro.md. Ratio = ours ÷ baseline in items per second (> 1: ours faster).
 *
 * Every case checks its own result after timing (estimate within 5 % of the true count, the
 * representation it claims to measure, a known hash value), so a fast wrong answer fails the run.
 * Accuracy is bench/accuracy.ts's job.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Bench } from 'tinybench';
import { createHash } from 'node:crypto';
import { MurmurBatch, murmurHash3x64h1 } from '../src/hash/index.js';
import { murmurHash3x64h1 as murmurHash3x64h1Reference } from '../src/hash/murmur3.js';
import { HllSketch, type Representation } from '../src/sketch/index.js';
import { HyperLogLog, type LiteSketch } from './lib/hll-lite.js';
import { markdownTable } from './lib/markdown.js';

const LOG2M = 14;
const PARAMS = { log2m: LOG2M, regwidth: 5, expthresh: -1, sparseon: true } as const;
const N = 160_000;

// ids, and each side's hashes of them, prepared once
const ids = Array.from({ length: N }, (_, i) => `user-${i + 1}`);
const encoder = new TextEncoder();
const scratch = new Uint8Array(64);
const halves = new Uint32Array(2);
const ours = new Int32Array(2 * N); // [lo, hi] per id
ids.forEach((id, i) => {
  const { written } = encoder.encodeInto(id, scratch);
  murmurHash3x64h1(scratch, 0, written, 0, halves);
  ours[2 * i] = halves[0]!;
  ours[2 * i + 1] = halves[1]!;
});
const theirs = ids.map((id) => HyperLogLog.hash(id));

/** Our sketch of ids [from, to) (1-based id numbers from+1 … to). */
function ourSketch(from: number, to: number, params: typeof PARAMS | { log2m: number; expthresh: number } = PARAMS): HllSketch {
  const s = HllSketch.empty(params);
  for (let i = from; i < to; i++) s.addHash(ours[2 * i]!, ours[2 * i + 1]!);
  return s;
}

function liteSketch(from: number, to: number): LiteSketch {
  const s = HyperLogLog(LOG2M);
  for (let i = from; i < to; i++) s.add(theirs[i]!);
  return s;
}

function liteCopy(s: LiteSketch): LiteSketch {
  const c = HyperLogLog(LOG2M);
  c.merge(s.output());
  return c;
}

interface Case {
  readonly name: string;
  /** items each call processes (ids hashed or added; 1 for a union or an estimate) */
  readonly items: number;
  readonly ours: { fn: () => void; before?: () => void };
  readonly theirs?: { fn: () => void; before?: () => void };
  /** throws if the last call's result is wrong */
  readonly check: () => void;
}

function near(label: string, estimate: number, truth: number): void {
  if (!(Math.abs(estimate / truth - 1) <= 0.05)) throw new Error(`${label}: estimate ${estimate} is not within 5 % of ${truth}`);
}

function is(label: string, s: HllSketch, rep: Representation): void {
  if (s.representation !== rep) throw new Error(`${label}: expected ${rep}, the sketch is ${s.representation}`);
}

const cases: Case[] = [];

// hashing: from the id string, as each library takes it
{
  const batch = 10_000;
  const out = new Uint32Array(2);
  let lastTheirs: number[] = [];
  cases.push({
    name: 'hash an id (string → 64-bit hash)',
    items: batch,
    ours: {
      fn: () => {
        for (let i = 0; i < batch; i++) {
          const { written } = encoder.encodeInto(ids[i]!, scratch);
          murmurHash3x64h1(scratch, 0, written, 0, out);
        }
      },
    },
    theirs: {
      fn: () => {
        for (let i = 0; i < batch; i++) lastTheirs = HyperLogLog.hash(ids[i]!);
      },
    },
    check: () => {
      // the last id hashed, as PostgreSQL would: hll_hash_text('user-10000')
      if (out[0] !== (ours[2 * batch - 2]! >>> 0) || out[1] !== (ours[2 * batch - 1]! >>> 0)) throw new Error('hash: a different hash than before');
      // SPEC §2: hll_hash_text('user-1') = 0x61accd4b12ff3576
      if (ours[0]! >>> 0 !== 0x12ff3576 || ours[1]! >>> 0 !== 0x61accd4b) throw new Error('hash: user-1 does not hash to 0x61accd4b12ff3576');
      if (lastTheirs.length !== 4) throw new Error('hash: hyperloglog-lite returned no 128-bit hash');
    },
  });
}

// hashing as ingest does it: 64-hex ids (what `reachtree sample` writes) found in a chunk that is
// staged once in the WebAssembly kernel's memory and hashed 4096 per call; hyperloglog-lite hashes
// the same ids given as strings (decoding them from the chunk is not counted against it)
{
  const count = 10_000;
  const hexIds = Array.from({ length: count }, (_, i) => createHash('sha256').update(`user-${i + 1}`).digest('hex'));
  const chunk = encoder.encode(hexIds.join('\n') + '\n');
  const batch = new MurmurBatch(0);
  let first = [0, 0];
  let last = [0, 0];
  let lastTheirs: number[] = [];
  cases.push({
    name: 'hash a 64-hex id in a chunk (ingest: staged, batched)',
    items: count,
    ours: {
      fn: () => {
        batch.clear();
        batch.stage(chunk);
        for (let i = 0; i < count; i++) {
          if (!batch.addStaged(65 * i, 65 * i + 64)) {
            batch.run();
            if (i === batch.capacity) first = [batch.lo(0), batch.hi(0)];
            batch.clear();
            batch.addStaged(65 * i, 65 * i + 64);
          }
        }
        batch.run();
        last = [batch.lo(batch.count - 1), batch.hi(batch.count - 1)];
      },
    },
    theirs: {
      fn: () => {
        for (let i = 0; i < count; i++) lastTheirs = HyperLogLog.hash(hexIds[i]!);
      },
    },
    check: () => {
      const expect = (what: string, id: string, got: number[]): void => {
        const out = new Uint32Array(2);
        const bytes = encoder.encode(id);
        murmurHash3x64h1Reference(bytes, 0, bytes.length, 0, out);
        if ((got[0]! >>> 0) !== out[0] || (got[1]! >>> 0) !== out[1]) throw new Error(`hash in a chunk: the ${what} id hashes differently from the reference`);
      };
      expect('first', hexIds[0]!, first);
      expect('last', hexIds[count - 1]!, last);
      if (lastTheirs.length !== 4) throw new Error('hash: hyperloglog-lite returned no 128-bit hash');
    },
  });
}

// add, per representation
{
  const count = 1000; // ≤ 1280: stays EXPLICIT at (14,5,−1,1)
  let s = HllSketch.empty(PARAMS);
  let t = HyperLogLog(LOG2M);
  cases.push({
    name: `add ${count} ids to a new sketch (EXPLICIT)`,
    items: count,
    ours: { fn: () => void (s = ourSketch(0, count)) },
    theirs: { fn: () => void (t = liteSketch(0, count)) },
    check: () => {
      is('EXPLICIT add', s, 'EXPLICIT');
      if (s.estimate().value !== count) throw new Error('EXPLICIT add: not the exact count');
      near('hyperloglog-lite', t.count(), count);
    },
  });
}
{
  const from = 1281; // just promoted to registers
  const to = 4500; // ≈ 3 900 filled, below the SPARSE cutoff 4 311
  const base = ourSketch(0, from);
  const liteBase = liteSketch(0, from);
  let s = base;
  let t = liteBase;
  cases.push({
    name: `add ids ${from + 1}–${to} (SPARSE)`,
    items: to - from,
    ours: {
      before: () => void (s = base.clone()),
      fn: () => {
        for (let i = from; i < to; i++) s.addHash(ours[2 * i]!, ours[2 * i + 1]!);
      },
    },
    theirs: {
      before: () => void (t = liteCopy(liteBase)),
      fn: () => {
        for (let i = from; i < to; i++) t.add(theirs[i]!);
      },
    },
    check: () => {
      is('SPARSE add (start)', base, 'SPARSE');
      is('SPARSE add', s, 'SPARSE');
      near('SPARSE add', s.estimate().value, to);
      near('hyperloglog-lite', t.count(), to);
    },
  });
}
{
  const from = 20_000;
  const to = 120_000;
  const base = ourSketch(0, from);
  const liteBase = liteSketch(0, from);
  let s = base;
  let t = liteBase;
  cases.push({
    name: `add ids ${from + 1}–${to} (FULL)`,
    items: to - from,
    ours: {
      before: () => void (s = base.clone()),
      fn: () => {
        for (let i = from; i < to; i++) s.addHash(ours[2 * i]!, ours[2 * i + 1]!);
      },
    },
    theirs: {
      before: () => void (t = liteCopy(liteBase)),
      fn: () => {
        for (let i = from; i < to; i++) t.add(theirs[i]!);
      },
    },
    check: () => {
      is('FULL add', s, 'FULL');
      near('FULL add', s.estimate().value, to);
      near('hyperloglog-lite', t.count(), to);
    },
  });
}

// union: a copy of the left side, merged with the right side (ids [0, aEnd) ∪ [bStart, bEnd))
function unionCase(rep: 'FULL' | 'SPARSE', aEnd: number, bStart: number, bEnd: number): void {
  const a = ourSketch(0, aEnd);
  const b = ourSketch(bStart, bEnd);
  const la = liteSketch(0, aEnd).output();
  const lb = liteSketch(bStart, bEnd).output();
  let u = a;
  let lu = HyperLogLog(LOG2M);
  cases.push({
    name: `union ${rep} ∪ ${rep} (copy + merge)`,
    items: 1,
    ours: {
      fn: () => {
        u = a.clone();
        u.union(b);
      },
    },
    theirs: {
      fn: () => {
        lu = HyperLogLog(LOG2M);
        lu.merge(la);
        lu.merge(lb);
      },
    },
    check: () => {
      is(`${rep} union`, u, rep);
      near(`${rep} union`, u.estimate().value, bEnd);
      near('hyperloglog-lite union', lu.count(), bEnd);
    },
  });
}
unionCase('FULL', 100_000, 50_000, 150_000);
unionCase('SPARSE', 2000, 1500, 3500);

// estimates of a FULL sketch (hyperloglog-lite keeps running sums, so its count() is O(1))
{
  const s = ourSketch(0, 100_000);
  const t = liteSketch(0, 100_000);
  let value = 0;
  let classic: number | null = 0;
  let lite = 0;
  cases.push({
    name: 'estimate FULL: improved + 95 % interval',
    items: 1,
    ours: { fn: () => void (value = s.estimate().value) },
    theirs: { fn: () => void (lite = t.count()) },
    check: () => {
      near('estimate', value, 100_000);
      near('hyperloglog-lite count', lite, 100_000);
    },
  });
  cases.push({
    name: 'estimate FULL: classic (hll_cardinality)',
    items: 1,
    ours: { fn: () => void (classic = s.classicCardinality()) },
    theirs: { fn: () => void (lite = t.count()) },
    check: () => near('classic', classic ?? Number.NaN, 100_000),
  });
  let bytes: Uint8Array = new Uint8Array(0);
  let back = s;
  cases.push({
    name: 'FULL to storage bytes (toBytes)',
    items: 1,
    ours: { fn: () => void (bytes = s.toBytes()) },
    check: () => {
      if (bytes.length !== 10243) throw new Error(`toBytes: ${bytes.length} bytes, expected 10243`);
    },
  });
  cases.push({
    name: 'FULL from storage bytes (validating fromBytes)',
    items: 1,
    ours: { fn: () => void (back = HllSketch.fromBytes(bytes)) },
    check: () => near('fromBytes', back.estimate().value, 100_000),
  });
}

// ---------------------------------------------------------------------------------------------

const bench = new Bench({ time: 800, warmupTime: 150 });
for (const c of cases) {
  bench.add(`ours: ${c.name}`, c.ours.fn, c.ours.before === undefined ? {} : { beforeEach: c.ours.before });
  if (c.theirs !== undefined) bench.add(`hll-lite: ${c.name}`, c.theirs.fn, c.theirs.before === undefined ? {} : { beforeEach: c.theirs.before });
}
await bench.run();

const failures: string[] = [];
const rate = (name: string, items: number): number => {
  const task = bench.getTask(name);
  const result = task?.result;
  if (result === undefined || !('throughput' in result)) {
    failures.push(`${name}: ${result !== undefined && 'error' in result ? String(result.error) : 'no result'}`);
    return Number.NaN;
  }
  return result.throughput.mean * items;
};
const fmtRate = (x: number): string => (Number.isNaN(x) ? '—' : x >= 1e6 ? `${(x / 1e6).toFixed(2)} M/s` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k/s` : `${x.toFixed(0)} /s`);
const ratio = (x: number): string => (x >= 0.1 ? x.toFixed(2) : x.toPrecision(2));
const rows = cases.map((c) => {
  const mine = rate(`ours: ${c.name}`, c.items);
  const base = c.theirs === undefined ? Number.NaN : rate(`hll-lite: ${c.name}`, c.items);
  try {
    c.check();
  } catch (e) {
    failures.push(e instanceof Error ? e.message : String(e));
  }
  return [c.name, c.items === 1 ? 'ops' : 'ids', fmtRate(mine), fmtRate(base), Number.isNaN(base) ? '—' : `${ratio(mine / base)}×`];
});

const table = markdownTable(['operation (m = 2^14)', 'unit', 'reachtree', 'hyperloglog-lite', 'ratio'], rows, ['l', 'l']);
const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`;
const doc = [
  '# Sketch core micro benchmarks',
  '',
  `Generated by \`bench/micro.ts\` (\`npm run bench\`) on ${machine}, ${new Date().toISOString().slice(0, 10)}.`,
  'Same ids (`user-1`, `user-2`, …) and the same register count (2^14, one byte a register in memory) for both;',
  'ratio = reachtree ÷ hyperloglog-lite in items per second (> 1: reachtree is faster). tinybench, 800 ms a task.',
  'hyperloglog-lite has no EXPLICIT or SPARSE form: its rows there are its one dense form fed the same ids.',
  'Its `count()` is O(1) because every add updates running sums; ours reads the registers on demand.',
  '',
  table,
  '',
].join('\n');
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/micro.md', doc);
process.stdout.write(`${doc}\n`);
if (failures.length > 0) {
  process.stderr.write(`micro: ${failures.length} check(s) failed:\n  ${failures.join('\n  ')}\n`);
  process.exitCode = 1;
}
