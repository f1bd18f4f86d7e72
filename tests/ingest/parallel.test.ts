import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cube } from '../../src/cube/index.js';
import { cellsCsv } from '../../src/ingest/cells.js';
import { resolveIngestOptions, type IngestArgs } from '../../src/ingest/options.js';
import { ingestSourceParallel, WorkerPool } from '../../src/ingest/parallel.js';
import { ingestFiles, ingestStream } from '../../src/ingest/pipeline.js';
import { openSource } from '../../src/ingest/sources.js';
import type { CellBatch } from '../../src/ingest/units.js';
import { WIRE_KINDS, resolveHllParams } from '../../src/sketch/index.js';
import { oktmoTree } from '../../src/territory/index.js';

// Parallel runs must equal sequential ones: same cells (byte for byte), same summary counts, same
// first error, same rejects file. Small units (`unitBytes`) make every input many units, so rows
// with quoted newlines, blank lines and over-long rows land on unit boundaries.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reachtree-parallel-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const quiet = { stderr: { write: () => true, isTTY: false } };
const TERRITORIES = ['44701000', '44701000001', '44703000', '44710000051', '25701000'];

/** Rows as CSV lines: plain, quoted, with embedded newlines, CRLF and blank lines mixed in. */
function lines(n: number, seed: number): string[] {
  let s = seed;
  const rand = (k: number): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % k;
  };
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = `person-${rand(Math.floor(n * 0.6))}-${'x'.repeat(rand(40))}`;
    const p = ['vk', 'ok', 'tg'][rand(3)]!;
    const t = TERRITORIES[rand(TERRITORIES.length)]!;
    switch (rand(6)) {
      case 0:
        out.push(`"${id}","${p}","${t}"`);
        break;
      case 1:
        out.push(`${id},${p},${t},"a note\nover ""two"" lines"`);
        break;
      case 2:
        out.push(`${id},${p},${t}\r`);
        break;
      case 3:
        out.push('');
        out.push(`${id},${p},${t}`);
        break;
      default:
        out.push(`${id},${p},${t}`);
    }
  }
  return out;
}

/** 120 localities × 3 platforms: more cells than a batch holds; every 4th row goes to one of three cells with thousands of ids (registers, not EXPLICIT). */
function manyCells(seed: number, n: number): string[] {
  const out = ['subscriber_id,platform,territory'];
  for (let i = 0; i < n; i++) {
    const big = i % 4 === 0;
    const k = big ? 120 * ((i >> 2) % 3) : (i * 7919 + seed) % 360;
    out.push(`p${big ? i : i % 50}-${k},${['vk', 'ok', 'tg'][k % 3]},${44701000001 + Math.floor(k / 3)}`);
  }
  return out;
}

async function put(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

interface Outcome {
  cells?: string;
  summary?: unknown;
  error?: { code: string; message: string };
  rejects?: string;
}

async function outcome(paths: string[], args: IngestArgs, rejectsName?: string): Promise<Outcome> {
  const tree = oktmoTree();
  const rejectsFile = rejectsName === undefined ? undefined : join(dir, rejectsName);
  if (rejectsFile !== undefined) await rm(rejectsFile, { force: true });
  try {
    const { cube, summary } = await ingestFiles(paths, tree, { ...args, ...(rejectsFile ? { rejectsFile } : {}) }, {}, quiet);
    const { elapsedMs: _elapsed, ...counts } = summary;
    return {
      cells: [...cellsCsv(cube, tree)].join(''),
      summary: counts,
      ...(rejectsFile ? { rejects: await readFile(rejectsFile, 'utf8') } : {}),
    };
  } catch (e) {
    const err = e as { code: string; message: string };
    return {
      error: { code: err.code, message: err.message },
      ...(rejectsFile ? { rejects: await readFile(rejectsFile, 'utf8').catch(() => '(none)') } : {}),
    };
  }
}

/** The sequential outcome, then the parallel one with the same arguments. */
async function both(paths: string[], args: IngestArgs = {}, rejects = false): Promise<[Outcome, Outcome]> {
  const seq = await outcome(paths, { ...args, workers: 1 }, rejects ? 'rejects.csv' : undefined);
  const par = await outcome(paths, { ...args, workers: 3, unitBytes: 700 }, rejects ? 'rejects.csv' : undefined);
  return [seq, par];
}

describe('parallel ingest (workers > 1)', () => {
  it('gives byte-identical cells and the same counts, across files, gzip and quoted newlines', async () => {
    const header = '\uFEFFsubscriber_id,platform,territory,note';
    const a = await put('a.csv', [header, ...lines(1500, 1)].join('\n') + '\n');
    const b = await put('b.csv.gz', gzipSync([header, ...lines(700, 2)].join('\r\n')));
    const [seq, par] = await both([a, b]);
    expect(seq.error).toBeUndefined();
    expect(par).toEqual(seq);
    expect((seq.summary as { rowsRead: number }).rowsRead).toBe(2200);
  });

  it('reads stdin through the same reader', async () => {
    const text = ['subscriber_id,platform,territory', ...lines(800, 3)].join('\n');
    const tree1 = oktmoTree();
    const seq = await ingestStream(Readable.from([Buffer.from(text)]), 'pipe', tree1, {}, {}, quiet);
    const tree2 = oktmoTree();
    const par = await ingestStream(Readable.from([gzipSync(text)]), 'pipe', tree2, { workers: 2, unitBytes: 500 }, {}, quiet);
    expect([...cellsCsv(par.cube, tree2)].join('')).toBe([...cellsCsv(seq.cube, tree1)].join(''));
    expect(par.summary.rowsRead).toBe(seq.summary.rowsRead);
  });

  it('fails on the same first invalid row, with its file line', async () => {
    const good = lines(600, 4);
    const cases = [
      // an unknown territory late, a broken quote earlier: the quote wins
      [...good.slice(0, 300), 'id,vk,"4470"1000', ...good.slice(300, 500), 'id,vk,99999999999999', ...good.slice(500)],
      // an unknown territory first (found by the reader, not by a worker)
      [...good.slice(0, 100), 'id,vk,abc', ...good.slice(100, 400), ',vk,44701000', ...good.slice(400)],
      // a missing column in the last row
      [...good, 'id,vk'],
    ];
    for (const [i, rows] of cases.entries()) {
      const path = await put(`bad${i}.csv`, ['subscriber_id,platform,territory', ...rows].join('\n'));
      const [seq, par] = await both([path]);
      expect(seq.error, `case ${i}`).toBeDefined();
      expect(par, `case ${i}`).toEqual(seq);
    }
  });

  it('writes the same rejects file and counts with skipInvalid', async () => {
    const good = lines(900, 5);
    const rows = [...good.slice(0, 200), 'id,vk,abc', 'id,vk', ...good.slice(200, 600), '"open,vk,44701000', ...good.slice(600), ',ok,44701000', 'z,tg,nowhere'];
    const path = await put('mixed.csv', ['subscriber_id,platform,territory', ...rows].join('\n') + '\n');
    const [seq, par] = await both([path], { skipInvalid: true }, true);
    expect(seq.error).toBeUndefined();
    expect(par).toEqual(seq);
    const [seqLimited, parLimited] = await both([path], { skipInvalid: true, maxInvalid: 2 }, true);
    expect(seqLimited.error?.code).toBe('E_INPUT_TOO_MANY_INVALID');
    expect(parLimited).toEqual(seqLimited);
    // Without a rejects file the parallel run only counts, and names the same first reject.
    const [seqCount, parCount] = await both([path], { skipInvalid: true, maxInvalid: 3 });
    expect(parCount).toEqual(seqCount);
  });

  it('handles over-long rows like the sequential scanner', async () => {
    const good = lines(400, 6);
    const rows = [...good.slice(0, 100), `${'y'.repeat(3000)},vk,44701000`, ...good.slice(100, 200), `"${'q\n'.repeat(900)}`, ...good.slice(200)];
    const path = await put('long.csv', ['subscriber_id,platform,territory', ...rows].join('\n') + '\n');
    const [seq, par] = await both([path], { skipInvalid: true, maxRowBytes: 512, chunkBytes: 256 }, true);
    expect(seq.error).toBeUndefined();
    expect(par).toEqual(seq);
  });

  it('takes cells that come back in many small batches from every worker at once, with the pool reused across inputs', async () => {
    const a = await put('batches-a.csv', [...manyCells(1, 20000), 'x,vk,nowhere', 'y,ok,4470100'].join('\n') + '\n');
    const b = await put('batches-b.csv', manyCells(2, 9000).join('\n') + '\n');
    const args = { skipInvalid: true };
    const seq = await outcome([a, b], { ...args, workers: 1 });
    expect((seq.summary as { rowsRejected: number }).rowsRejected).toBe(2);

    const tree = oktmoTree();
    const options = resolveIngestOptions({ ...args, workers: 2, unitBytes: 4000 });
    const cube = new Cube(resolveHllParams(), options.facetColumns);
    const pool = new WorkerPool(2);
    let rows_ = 0;
    let rejected = 0;
    try {
      for (const [path, batchLimits] of [
        [a, { maxBytes: 1, maxCells: 1000 }], // one cell a batch
        [b, { maxBytes: 1 << 20, maxCells: 7 }],
      ] as const) {
        const outcome = await ingestSourceParallel(await openSource(path), { options, tree, cube, pool, batchLimits });
        rows_ += outcome.rows;
        rejected += outcome.rejected;
      }
    } finally {
      await pool.close();
    }
    expect([rows_, rejected]).toEqual([29002, 2]);
    expect(new Set(cube.cells().map((c) => c.cell.sketch.representation))).toEqual(new Set(['EXPLICIT', 'SPARSE']));
    expect([...cellsCsv(cube, tree)].join('')).toBe(seq.cells);
  });

  it('holds each key\'s sketch in one worker only, and still finds the same cells, counts, first reject and first error', async () => {
    const good = manyCells(3, 12000);
    const mixed = await put('split-mixed.csv', [...good.slice(0, 5000), 'x,vk,nowhere', ...good.slice(5000), 'y,ok,4470100', 'z,vk,nowhere'].join('\n') + '\n');
    // a refused key late in the input, after every worker has had rows of every other key
    const late = await put('split-late.csv', [...good, ...good.slice(1, 3000), 'x,vk,12'].join('\n') + '\n');

    /** One input through ingestSourceParallel; `sketches`: cells with hashes that came back, all workers together. */
    const parallel = async (path: string, args: IngestArgs, workers: number): Promise<Outcome & { sketches: number; cubeCells: number }> => {
      const tree = oktmoTree();
      const options = resolveIngestOptions({ ...args, workers, unitBytes: 3000 });
      const cube = new Cube(resolveHllParams(), options.facetColumns);
      const pool = new WorkerPool(workers);
      let sketches = 0;
      for (const w of pool.workers) {
        w.worker.on('message', (msg: { type: string; batch?: CellBatch }) => {
          const b = msg.batch;
          if (b !== undefined) b.kinds.forEach((kind) => (sketches += WIRE_KINDS[kind] === 'EMPTY' ? 0 : 1));
        });
      }
      try {
        const { rows, rejected, firstReject } = await ingestSourceParallel(await openSource(path, { chunkBytes: 3000 }), { options, tree, cube, pool });
        return { cells: [...cellsCsv(cube, tree)].join(''), summary: { rows, rejected, firstReject }, sketches, cubeCells: cube.cells().length };
      } catch (e) {
        const err = e as { code: string; message: string };
        return { error: { code: err.code, message: err.message }, sketches, cubeCells: 0 };
      } finally {
        await pool.close();
      }
    };

    for (const [path, args] of [
      [mixed, { skipInvalid: true }],
      [mixed, {}],
      [late, { skipInvalid: true }],
      [late, {}],
    ] as const) {
      const { sketches: s2, cubeCells: c2, ...two } = await parallel(path, args, 2);
      const { sketches: s3, cubeCells: c3, ...three } = await parallel(path, args, 3);
      expect(three).toEqual(two);
      if (two.error === undefined) {
        // one sketch per cell: the refused keys' cells come back too (their rows are rejected), 2 in mixed, 1 in late
        expect(s2 - c2, path).toBe(path === mixed ? 2 : 1);
        expect(s3 - c3, path).toBe(path === mixed ? 2 : 1);
      }
      const seq = await outcome([path], { ...args, workers: 1 });
      if (seq.error !== undefined) expect(two.error).toEqual(seq.error);
      else expect(two.cells).toBe(seq.cells);
    }
  });

  it('after the last input, takes the cells worker by worker and ends each worker once its cells are in', async () => {
    const path = await put('last.csv', manyCells(4, 15000).join('\n') + '\n');
    const seq = await outcome([path], { workers: 1 });
    const tree = oktmoTree();
    const options = resolveIngestOptions({ workers: 3, unitBytes: 4000 });
    const cube = new Cube(resolveHllParams(), options.facetColumns);
    const pool = new WorkerPool(3);
    const exits: number[] = [];
    pool.workers.forEach((w, i) => w.worker.on('exit', () => exits.push(i)));
    try {
      const { rows } = await ingestSourceParallel(await openSource(path), { options, tree, cube, pool, lastInput: true, batchLimits: { maxBytes: 1 << 16, maxCells: 50 } });
      expect(rows).toBe(15000);
      expect(exits).toEqual([0, 1, 2]); // in order, each after its own cells
      expect(pool.workers.every((w) => w.retired)).toBe(true);
      expect(() => pool.check()).not.toThrow(); // an ended worker is not a failed one
      const again = await openSource(path);
      await expect(ingestSourceParallel(again, { options, tree, cube, pool })).rejects.toThrow(/last input already/);
      await again.close();
    } finally {
      await pool.close();
    }
    expect([...cellsCsv(cube, tree)].join('')).toBe(seq.cells);
  });
});
