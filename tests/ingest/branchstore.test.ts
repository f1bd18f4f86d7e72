import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BRANCH_DEPTH, Cube, branchOf, type RolledFigures } from '../../src/cube/index.js';
import { ownerOf } from '../../src/ingest/units.js';
import { resolveIngestOptions, type IngestArgs } from '../../src/ingest/options.js';
import { ingestSourceParallel, WorkerPool } from '../../src/ingest/parallel.js';
import { ingestFilesRolledUp } from '../../src/ingest/pipeline.js';
import { openSource } from '../../src/ingest/sources.js';
import { resolveHllParams } from '../../src/sketch/index.js';
import { oktmoTree, recipeOf, treeFromRows, type TerritoryTree } from '../../src/territory/index.js';

// Branch mode (the workers own whole regions and roll them up; the `estimate` path) must give the
// figures the sequential roll-up gives, byte for byte, with the same counts, first error and
// rejects file.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reachtree-branches-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const quiet = { stderr: { write: () => true, isTTY: false } };
/** Every level: the federation and a federal district (above the branches), regions, formations, settlements, localities, and a formation of subject 21 (a branch root of its own: 21 hangs under the federation). */
const TERRITORIES = ['RU', 'FEFD', '44000000', '44701000', '44701000001', '44612101', '44612101051', '25701000', '25000000', '21701000', '21000000', '77000000', '50701000'];

function lines(n: number, seed: number, sector = false): string[] {
  let s = seed;
  const rand = (k: number): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % k;
  };
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    // a few heavy cells (register sketches), many light ones
    const t = i % 5 === 0 ? TERRITORIES[rand(3) + 2]! : TERRITORIES[rand(TERRITORIES.length)]!;
    const id = `person-${rand(Math.floor(n * 0.6))}`;
    out.push(`${id},${['vk', 'ok', 'tg'][rand(3)]},${t}${sector ? `,${['school', 'clinic'][rand(2)]}` : ''}`);
  }
  return out;
}

async function put(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

interface Outcome {
  figures?: RolledFigures[];
  summary?: unknown;
  error?: { code: string; message: string };
  rejects?: string;
}

async function outcome(paths: string[], args: IngestArgs, tree: () => TerritoryTree, allNodes = false, rejects = false): Promise<Outcome> {
  const rejectsFile = rejects ? join(dir, 'rejects.csv') : undefined;
  if (rejectsFile !== undefined) await rm(rejectsFile, { force: true });
  try {
    const { figures, summary } = await ingestFilesRolledUp(paths, tree(), { ...args, ...(rejectsFile ? { rejectsFile } : {}) }, {}, { allNodes }, quiet);
    const { elapsedMs: _elapsed, ...counts } = summary;
    return { figures, summary: counts, ...(rejectsFile ? { rejects: await readFile(rejectsFile, 'utf8') } : {}) };
  } catch (e) {
    const err = e as { code: string; message: string };
    return { error: { code: err.code, message: err.message }, ...(rejectsFile ? { rejects: await readFile(rejectsFile, 'utf8').catch(() => '(none)') } : {}) };
  }
}

/** The sequential outcome, then those of 2 and 3 workers with small units. */
async function all(paths: string[], args: IngestArgs = {}, tree: () => TerritoryTree = () => oktmoTree(), allNodes = false, rejects = false): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (const workers of [1, 2, 3]) out.push(await outcome(paths, { ...args, workers, unitBytes: 900 }, tree, allNodes, rejects));
  return out;
}

describe('ingestFilesRolledUp with workers (branch mode)', () => {
  it('gives the sequential figures and counts, over several inputs (one gzipped), at every level', async () => {
    const a = await put('a.csv', ['subscriber_id,platform,territory', ...lines(4000, 1)].join('\n') + '\n');
    const b = await put('b.csv.gz', gzipSync(['territory,subscriber_id,platform', ...lines(1500, 2).map((l) => l.split(',')).map(([i, p, t]) => `${t},${i},${p}`)].join('\n')));
    const [seq, ...par] = await all([a, b]);
    expect(seq!.error).toBeUndefined();
    expect(new Set(seq!.figures!.map((f) => f.level))).toEqual(new Set(['federation', 'federal_district', 'region', 'municipal', 'settlement', 'locality']));
    expect(seq!.figures!.some((f) => !f.estimate.exact)).toBe(true);
    for (const p of par) expect(p).toEqual(seq);
  });

  it('with two facet columns and every node (allNodes), and with no facet column', async () => {
    const a = await put('sector.csv', ['subscriber_id,platform,territory,sector', ...lines(3000, 3, true)].join('\n') + '\n');
    const [seq, ...par] = await all([a], { facetColumns: ['platform', 'sector'] }, () => oktmoTree(), true);
    expect(seq!.figures!.some((f) => f.subscriptions === 0)).toBe(true);
    for (const p of par) expect(p).toEqual(seq);
    const [seq0, ...par0] = await all([a], { facetColumns: [] });
    for (const p of par0) expect(p).toEqual(seq0);
  });

  it('on a file-mode tree', async () => {
    const rows = [
      { code: 'HQ', parent: '', name: 'Head office' },
      { code: 'N', parent: 'HQ', name: 'North' },
      { code: 'S', parent: 'HQ', name: 'South' },
      ...['N1', 'N2', 'N3'].map((code) => ({ code, parent: 'N', name: code })),
      ...['S1', 'S2'].map((code) => ({ code, parent: 'S', name: code })),
      ...['N1a', 'N1b', 'S2a'].map((code) => ({ code, parent: code.slice(0, 2), name: code })),
    ];
    const codes = ['HQ', 'N', 'N1', 'N1a', 'N1b', 'N2', 'S2a', 'S1'];
    const text = ['subscriber_id,platform,territory', ...lines(3000, 4).map((l, i) => l.replace(/,[^,]*$/, `,${codes[i % codes.length]}`))].join('\n');
    const path = await put('company.csv', text + '\n');
    const [seq, ...par] = await all([path], {}, () => treeFromRows(rows), true);
    expect(seq!.figures!.map((f) => f.code)).toContain('N3'); // no data, listed with allNodes
    for (const p of par) expect(p).toEqual(seq);
  });

  it('fails on the same first invalid row; with skipInvalid, the same counts and rejects file', async () => {
    const good = lines(3000, 5);
    const bad = await put('bad.csv', ['subscriber_id,platform,territory', ...good.slice(0, 2000), 'id,vk,nowhere', ...good.slice(2000), 'id,vk'].join('\n') + '\n');
    const [seq, ...par] = await all([bad]);
    expect(seq!.error?.code).toBe('E_INPUT_TERRITORY_MALFORMED');
    for (const p of par) expect(p).toEqual(seq);
    const [seqSkip, ...parSkip] = await all([bad], { skipInvalid: true }, () => oktmoTree(), false, true);
    expect((seqSkip!.summary as { rowsRejected: number }).rowsRejected).toBe(2);
    for (const p of parSkip) expect(p).toEqual(seqSkip);
    const [seqCount, ...parCount] = await all([bad], { skipInvalid: true, maxInvalid: 5 });
    for (const p of parCount) expect(p).toEqual(seqCount);
  });

  it('keeps each branch whole in one worker and never gathers the cells in the reader', async () => {
    const path = await put('regions.csv', ['subscriber_id,platform,territory', ...lines(6000, 6)].join('\n') + '\n');
    const tree = oktmoTree();
    const options = resolveIngestOptions({ workers: 2, unitBytes: 900 });
    const cube = new Cube(resolveHllParams(), options.facetColumns);
    const pool = new WorkerPool(2, recipeOf(tree));
    try {
      await ingestSourceParallel(await openSource(path), { options, tree, cube, pool });
      expect(cube.size).toBe(0);
      const parts = await pool.rollUp(false);
      const owners = new Map<string, number>();
      parts.forEach((part, worker) => {
        for (const code of part.branches.keys()) {
          expect(owners.has(code)).toBe(false);
          owners.set(code, worker);
          expect(ownerOf(code, [], 2)).toBe(worker);
        }
        for (const figures of part.branches.values()) for (const f of figures) expect(f.depth).toBeGreaterThanOrEqual(BRANCH_DEPTH);
      });
      expect(new Set(owners.values())).toEqual(new Set([0, 1]));
      // the cells handed to the reader: branch roots' rolled cells and cells above the branches only
      for (const part of parts) for (const c of part.cells) expect(tree.resolve(c.code).depth).toBeLessThanOrEqual(BRANCH_DEPTH);
      expect(branchOf(tree.resolve('44612101051'))?.code).toBe('44000000');
    } finally {
      await pool.close();
    }
  });
});
