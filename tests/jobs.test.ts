import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../src/ingest/pipeline.js';
import { writeCellsFile } from '../src/ingest/cells.js';
import { estimateFiles, loadTree, reportFromCells } from '../src/jobs.js';
import { formatReport } from '../src/report/formats.js';

/** Deterministic subscriptions: people with overlapping platforms and territories at every level. */
function subscriptions(n: number, seed: number): string[] {
  const codes = ['44701000001', '44502000051', '44504000056', '44000000', '44519000', '84640440101', '11800000', '71900000', 'RU', 'FEFD'];
  const platforms = ['vk', 'ok', 'tg'];
  let x = seed >>> 0;
  const next = (): number => {
    x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return x;
  };
  const rows: string[] = [];
  for (let i = 0; i < n; i++) {
    const person = next() % Math.floor(n / 2.5);
    rows.push(`${person.toString(16).padStart(64, 'a')},${platforms[next() % 3]},${codes[next() % codes.length]}`);
  }
  return rows;
}

async function fixture(): Promise<{ dir: string; all: string; partA: string; partB: string; shuffled: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'reachtree-jobs-'));
  const rows = subscriptions(12_000, 7);
  const header = 'subscriber_id,platform,territory\n';
  const write = async (name: string, body: string[]): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, header + body.join('\n') + '\n');
    return path;
  };
  const shuffled = [...rows].reverse();
  return {
    dir,
    all: await write('all.csv', rows),
    partA: await write('a.csv', rows.slice(0, 5000)),
    partB: await write('b.csv', rows.slice(5000)),
    shuffled: await write('shuffled.csv', shuffled),
  };
}

describe('jobs', () => {
  it('build + merge + report gives the same report as estimate, whatever the split or order', async () => {
    const f = await fixture();
    const quiet = { ingest: { progress: false } };
    const direct = await estimateFiles([f.all], quiet);
    const csv = (rows: typeof direct.rows) => formatReport(rows, 'csv', { facetNames: direct.facetNames });

    const tree = await loadTree();
    const cellsA = join(f.dir, 'a.cells.csv');
    const cellsB = join(f.dir, 'b.cells.csv');
    await writeCellsFile(cellsA, (await ingestFiles([f.partA], tree, { progress: false })).cube, tree);
    await writeCellsFile(cellsB, (await ingestFiles([f.partB], tree, { progress: false })).cube, tree);
    const fromCells = await reportFromCells([cellsA, cellsB]);

    const shuffled = await estimateFiles([f.shuffled], quiet);
    const split = await estimateFiles([f.partB, f.partA], quiet);

    const expected = await csv(direct.rows);
    expect(await csv(fromCells.rows)).toBe(expected);
    expect(await csv(shuffled.rows)).toBe(expected);
    expect(await csv(split.rows)).toBe(expected);
  });

  it('counts every subscription at its node and at every ancestor', async () => {
    const f = await fixture();
    const { rows } = await estimateFiles([f.all], { ingest: { progress: false } });
    const total = (code: string) => rows.find((r) => r.code === code && r.facets[0] === '*')?.subscriptions;
    expect(total('RU')).toBe(12_000);
    // FEFD holds its own pages plus Magadan's; Magadan its own plus its formations'.
    const magadan = total('44000000') ?? 0;
    expect(total('FEFD')).toBeGreaterThan(magadan);
    const formations = ['44701000', '44502000', '44504000', '44519000'].map((c) => total(c) ?? 0);
    expect(magadan).toBe(formations.reduce((a, b) => a + b, 0) + ownRows('44000000'));
  });

  it('rejects a level the tree does not have', async () => {
    const f = await fixture();
    await expect(estimateFiles([f.all], { ingest: { progress: false }, report: { levels: ['county'] } })).rejects.toThrow(/unknown level "county"/);
  });
});

/** Rows attached directly to `code` in the fixture (recomputed from the generator, not from reachtree). */
function ownRows(code: string): number {
  return subscriptions(12_000, 7).filter((r) => r.endsWith(`,${code}`)).length;
}
