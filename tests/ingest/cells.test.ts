import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCellsFiles, writeCellsFile } from '../../src/ingest/cells.js';
import { ingestFiles } from '../../src/ingest/pipeline.js';
import { oktmoTree } from '../../src/territory/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reachtree-cells-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const quiet = { stderr: { write: () => true, isTTY: false } };
const HEADER = 'subscriber_id,platform,territory';

function rows(from: number, to: number): string[] {
  const out: string[] = [];
  for (let i = from; i < to; i++) out.push(`person${(i * 37) % 2500},${['vk', 'ok', 'tg'][i % 3]},${['44701000', '44701000001', '44703000'][i % 7 % 3]}`);
  return out;
}

async function put(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

describe('cells files', () => {
  it('merge of the cells of two halves = the cells of the whole input, byte for byte', async () => {
    const all = rows(0, 6000);
    const a = await put('a.csv', [HEADER, ...all.slice(0, 2500)].join('\n') + '\n');
    const b = await put('b.csv', [HEADER, ...all.slice(2500)].join('\n') + '\n');
    const whole = await put('whole.csv', [HEADER, ...all].join('\n') + '\n');

    const cellsOf = async (input: string, out: string): Promise<string> => {
      const tree = oktmoTree();
      const { cube } = await ingestFiles([input], tree, {}, {}, quiet);
      await writeCellsFile(out, cube, tree);
      return out;
    };
    const ca = await cellsOf(a, join(dir, 'a.cells.csv'));
    const cb = await cellsOf(b, join(dir, 'b.cells.csv'));
    const cw = await cellsOf(whole, join(dir, 'whole.cells.csv'));

    const tree = oktmoTree();
    const { cube, rows: n } = await readCellsFiles([ca, cb], tree);
    expect(n).toBeGreaterThan(0);
    const merged = join(dir, 'merged.cells.csv');
    await writeCellsFile(merged, cube, tree);
    const text = await readFile(merged, 'utf8');
    expect(text).toBe(await readFile(cw, 'utf8'));
    expect(text.split('\n')[0]).toBe('territory,platform,subscriptions,sketch');
    expect(text.split('\n')[1]).toMatch(/^44701000,ok,\d+,\\x[0-9a-f]+$/);
  });

  it('reads gzip cells files and stdin', async () => {
    const tree = oktmoTree();
    const { cube } = await ingestFiles([await put('g.csv', [HEADER, ...rows(0, 300)].join('\n'))], tree, {}, {}, quiet);
    const plain = join(dir, 'g.cells.csv');
    await writeCellsFile(plain, cube, tree);
    const text = await readFile(plain);
    const gz = await put('g.cells.csv.gz', gzipSync(text));
    const t2 = oktmoTree();
    const back = await readCellsFiles([gz], t2);
    const again = join(dir, 'g2.cells.csv');
    await writeCellsFile(again, back.cube, t2);
    expect(await readFile(again, 'utf8')).toBe(text.toString('utf8'));
    const t3 = oktmoTree();
    const piped = await readCellsFiles(['-'], t3, { stdin: (async function* () { yield text; })() });
    expect(piped.cube.size).toBe(cube.size);
  });

  it('counts lines across blank lines and quoted newlines in errors', async () => {
    const path = await put('bad.cells.csv', 'territory,platform,subscriptions,sketch\n\n"44701000",vk,1,\\x118b7f\n44701000,"t\ng",1,\\x11zz\n');
    await expect(readCellsFiles([path], oktmoTree())).rejects.toMatchObject({
      code: 'E_FORMAT_HEX',
      message: expect.stringMatching(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, line 4, column "sketch": `)) as unknown,
    });
  });

  it('turns a fast-csv parse error into E_INPUT_QUOTING with file and line', async () => {
    const path = await put('quotes.cells.csv', 'territory,platform,subscriptions,sketch\n44701000,vk,1,\\x118b7f\n44701000,"vk"x,1,\\x118b7f\n');
    await expect(readCellsFiles([path], oktmoTree())).rejects.toMatchObject({
      code: 'E_INPUT_QUOTING',
      message: expect.stringContaining(`${path}: cannot parse the cells file at or after line 1: Parse Error: expected: ',' OR new line got: 'x'`) as unknown,
    });
  });

  it('refuses an empty cells file', async () => {
    const path = await put('empty.cells.csv', '');
    await expect(readCellsFiles([path], oktmoTree())).rejects.toMatchObject({ code: 'E_INPUT_HEADER' });
  });

  it('writes a header-only file for an empty cube', async () => {
    const tree = oktmoTree();
    const { cube } = await ingestFiles([await put('h.csv', `${HEADER}\n`)], tree, {}, {}, quiet);
    const out = join(dir, 'h.cells.csv');
    await writeCellsFile(out, cube, tree);
    expect(await readFile(out, 'utf8')).toBe('territory,platform,subscriptions,sketch\n');
  });
});
