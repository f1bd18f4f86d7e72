import { mkdtemp, readFile, rm, writeFile, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cube } from '../../src/cube/index.js';
import { hllHashText } from '../../src/hash/index.js';
import { cellsCsv } from '../../src/ingest/cells.js';
import { ingestFiles, ingestRows, ingestStream, type RowObject } from '../../src/ingest/pipeline.js';
import { HllSketch, resolveHllParams } from '../../src/sketch/index.js';
import { oktmoTree, type TerritoryTree } from '../../src/territory/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reachtree-pipeline-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const HEADER = 'subscriber_id,platform,territory';
const TERRITORIES = ['44701000', '44701000001', '44703000', '44710000051', '44000000', '25701000'];
const PLATFORMS = ['vk', 'ok', 'tg'];

/** Deterministic rows: ids repeat (people with several subscriptions), spread over cells. */
function makeRows(n: number, seed = 1): string[][] {
  let s = seed;
  const rand = (k: number): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % k;
  };
  const rows: string[][] = [];
  for (let i = 0; i < n; i++) {
    const person = rand(Math.max(1, Math.floor(n * 0.7)));
    const id = (BigInt(person + 1) * 0x9e3779b97f4a7c15n % (1n << 64n)).toString(16).padStart(16, '0').repeat(4);
    rows.push([id, PLATFORMS[rand(3)]!, TERRITORIES[rand(TERRITORIES.length)]!]);
  }
  return rows;
}

function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = (s >>> 8) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const csv = (rows: string[][], header = HEADER, eol = '\n'): string => [header, ...rows.map((r) => r.join(','))].join(eol) + eol;

async function file(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

const cellsText = (cube: Cube, tree: TerritoryTree): string => [...cellsCsv(cube, tree)].join('');
const quiet = { stderr: { write: () => true, isTTY: false } };

async function ingestText(text: string, args = {}, name = 'subs.csv'): Promise<{ cube: Cube; tree: TerritoryTree }> {
  const tree = oktmoTree();
  const { cube } = await ingestFiles([await file(name, text)], tree, args, {}, quiet);
  return { cube, tree };
}

/** The tree's own message for a code it refuses (the territory module owns its wording). */
function resolveMessage(code: string): string {
  try {
    oktmoTree().resolve(code);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`${code} resolves`);
}

async function errorOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error('expected a failure');
}

describe('ingestFiles', () => {
  it('counts subscriptions and hashes ids exactly as hll_hash_text', async () => {
    const { cube, tree } = await ingestText(csv([
      ['id-a', 'vk', '44701000'],
      ['id-b', 'vk', '44701000'],
      ['id-a', 'vk', '44701000'],
      ['id-a', 'tg', '44701000001'],
    ]));
    expect(cube.size).toBe(2);
    const vk = cube.peek(tree.get('44701000')!, ['vk'])!;
    expect(vk.subscriptions).toBe(3);
    const expected = HllSketch.empty();
    expected.addHashBigInt(hllHashText('id-a'));
    expected.addHashBigInt(hllHashText('id-b'));
    expect(vk.sketch.toHex()).toBe(expected.toHex());
    expect(cube.peek(tree.get('44701000001')!, ['tg'])!.subscriptions).toBe(1);
  });

  it('returns a summary of rows, rejects, cells and bytes', async () => {
    const text = csv(makeRows(100));
    const { summary } = await ingestFiles([await file('summary.csv', text)], oktmoTree(), {}, {}, quiet);
    expect(summary).toMatchObject({ files: 1, rowsRead: 100, rowsRejected: 0, bytes: Buffer.byteLength(text) });
    expect(summary.cells).toBeGreaterThan(10);
    expect(summary.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it('gives byte-identical cells for shuffled rows, split files and any chunk size', async () => {
    const rows = makeRows(3000);
    const tree1 = oktmoTree();
    const whole = await ingestFiles([await file('whole.csv', csv(rows))], tree1, {}, {}, quiet);
    const expected = cellsText(whole.cube, tree1);

    const shuffled = shuffle(rows, 7);
    const parts = [shuffled.slice(0, 1000), shuffled.slice(1000, 1001), shuffled.slice(1001)];
    const paths = await Promise.all(parts.map((p, i) => file(`part${i}.csv`, csv(p))));
    for (const chunkBytes of [1 << 20, 4096, 97]) {
      const tree2 = oktmoTree();
      const split = await ingestFiles(paths, tree2, { chunkBytes }, {}, quiet);
      expect(cellsText(split.cube, tree2), `chunkBytes ${chunkBytes}`).toBe(expected);
      expect(split.summary.rowsRead).toBe(3000);
    }
  });

  it('reads quoted fields, CRLF, a BOM, other column orders and extra columns the same way', async () => {
    const rows = makeRows(500);
    const tree1 = oktmoTree();
    const plain = await ingestFiles([await file('plain.csv', csv(rows))], tree1, {}, {}, quiet);
    const fancy = '\uFEFF' + csv(
      rows.map(([id, p, t], i) => [`"${t}"`, i % 2 === 0 ? `"${p}"` : p!, `"note ${i}, ""quoted"""`, `"${id}"`]),
      'territory,"platform",note,subscriber_id',
      '\r\n',
    );
    const tree2 = oktmoTree();
    const other = await ingestFiles([await file('fancy.csv', fancy)], tree2, { chunkBytes: 50 }, {}, quiet);
    expect(cellsText(other.cube, tree2)).toBe(cellsText(plain.cube, tree1));
  });

  it('reads gzip files and stdin', async () => {
    const rows = makeRows(800);
    const text = csv(rows);
    const tree1 = oktmoTree();
    const expected = cellsText((await ingestFiles([await file('p.csv', text)], tree1, {}, {}, quiet)).cube, tree1);
    const tree2 = oktmoTree();
    const gz = await ingestFiles([await file('p.csv.gz', gzipSync(text))], tree2, {}, {}, quiet);
    expect(cellsText(gz.cube, tree2)).toBe(expected);
    const tree3 = oktmoTree();
    const stdin = Readable.from([Buffer.from(gzipSync(text))]);
    const piped = await ingestFiles(['-'], tree3, {}, {}, { ...quiet, stdin });
    expect(cellsText(piped.cube, tree3)).toBe(expected);
  });

  it('uses the configured columns, delimiter and facets', async () => {
    const text = 'uid;net;sector;oktmo\nu1;vk;gov;44701000\nu2;vk;biz;44701000\nu1;ok;gov;44701000\n';
    const { cube, tree } = await ingestText(text, {
      idColumn: 'uid',
      territoryColumn: 'oktmo',
      facetColumns: ['net', 'sector'],
      delimiter: ';',
    });
    expect(cube.facetNames).toEqual(['net', 'sector']);
    expect(cube.cells().map((c) => `${c.territory.code}/${c.facetValues.join('+')}/${c.cell.subscriptions}`)).toEqual([
      '44701000/ok+gov/1',
      '44701000/vk+biz/1',
      '44701000/vk+gov/1',
    ]);
    expect(tree.get('44701000')).toBeDefined();
  });

  it('fails before reading anything when a later file is missing', async () => {
    const ok = await file('ok.csv', csv(makeRows(3)));
    expect(await errorOf(ingestFiles([ok, join(dir, 'nope.csv')], oktmoTree(), {}, {}, quiet))).toMatchObject({ code: 'E_INPUT_FILE' });
  });

  describe('invalid rows (default: the first one fails the run)', () => {
    it.each([
      ['a missing column', `${HEADER}\nid1,vk,44701000\nid2,vk\n`, 'E_INPUT_MISSING_COLUMN',
        'bad.csv, line 3, column "territory": row has 2 fields, column 3 is missing'],
      ['an empty id', `${HEADER}\n,vk,44701000\n`, 'E_INPUT_EMPTY_ID',
        'bad.csv, line 2, column "subscriber_id": empty subscriber id (value: "")'],
      ['an unknown territory', `${HEADER}\nid1,vk,44701000\n\nid2,ok,abc\n`, 'E_INPUT_TERRITORY_UNKNOWN',
        `bad.csv, line 4, column "territory": ${resolveMessage('abc')} (value: "abc")`],
      ['a malformed territory', `${HEADER}\nid1,vk,4470100\n`, 'E_INPUT_TERRITORY_MALFORMED',
        `bad.csv, line 2, column "territory": ${resolveMessage('4470100')} (value: "4470100")`],
      ['broken quoting', `${HEADER}\n"id\n1",vk,44701000\nid2,v"k,44701000\n`, 'E_INPUT_QUOTING',
        'bad.csv, line 4, column "platform": unexpected quote inside an unquoted field (a field that contains quotes must be quoted as a whole, with quotes doubled) (value: "v\\"k")'],
      ['an unterminated quote', `${HEADER}\nid1,vk,"44701000\n`, 'E_INPUT_QUOTING',
        'bad.csv, line 2, column "territory": unterminated quoted field: the opening quote has no closing quote before the end of input (value: "id1,vk,\\"44701000")'],
      ['the reserved facet value *', `${HEADER}\nid1,*,44701000\n`, 'E_INPUT_VALUE',
        'bad.csv, line 2, column "platform": facet value "*" is reserved for the union across values (value: "*")'],
      ['a header without a needed column', 'subscriber_id,territory\nid1,44701000\n', 'E_INPUT_HEADER',
        'bad.csv, line 1: missing column "platform" (needed: subscriber_id, platform, territory; found: "subscriber_id", "territory")'],
      ['an empty file', '', 'E_INPUT_HEADER', 'bad.csv: empty input: expected a header with the columns subscriber_id, platform, territory'],
    ])('names file, line, column and value for %s', async (_what, text, code, message) => {
      const path = await file('bad.csv', text);
      const e = await errorOf(ingestFiles([path], oktmoTree(), {}, {}, quiet));
      expect({ code: e.code, message: e.message }).toEqual({ code, message: message.replace('bad.csv', path) });
    });

    it('matches header names trimmed and case-insensitively when there is no exact match', async () => {
      const { cube } = await ingestText(' Subscriber_ID ,PLATFORM,Territory\nid1,vk,44701000\n');
      expect(cube.size).toBe(1);
    });
  });

  describe('skipInvalid', () => {
    const text = [
      HEADER,
      'id1,vk,44701000', // 2
      ',vk,44701000', // 3 empty id
      'id3,vk', // 4 missing column
      'id4,tg,44701000001', // 5
      'id5,ok,nowhere', // 6 unknown territory
      'id6,"v"k,44701000', // 7 broken quoting
      '"id7",ok,"44701000"', // 8
    ].join('\n') + '\n';

    it('writes each rejected row with its line and reason, and counts them', async () => {
      const rejects = join(dir, 'rejects.csv');
      const tree = oktmoTree();
      const { cube, summary } = await ingestFiles([await file('mixed.csv', text)], tree, { skipInvalid: true, rejectsFile: rejects }, {}, quiet);
      expect(summary).toMatchObject({ rowsRead: 7, rowsRejected: 4, cells: 3 });
      const src = join(dir, 'mixed.csv');
      expect(await readFile(rejects, 'utf8')).toBe(
        [
          'file,line,reason,raw',
          `${src},3,"column ""subscriber_id"": empty subscriber id (value: """")",",vk,44701000"`,
          `${src},4,"column ""territory"": row has 2 fields, column 3 is missing","id3,vk"`,
          `${src},6,"column ""territory"": ${resolveMessage('nowhere').replaceAll('"', '""')} (value: ""nowhere"")","id5,ok,nowhere"`,
          `${src},7,"column ""platform"": unexpected text after a closing quote (expected a delimiter or the end of the row) (value: ""\\""v\\""k"")","id6,""v""k,44701000"`,
        ].join('\n') + '\n',
      );
      // The valid rows give the cells they give alone.
      const valid = await ingestText(csv([['id1', 'vk', '44701000'], ['id4', 'tg', '44701000001'], ['id7', 'ok', '44701000']]));
      expect(cellsText(cube, tree)).toBe(cellsText(valid.cube, valid.tree));
    });

    it('fails past maxInvalid, keeping the rejects file as the explanation', async () => {
      const rejects = join(dir, 'too-many.csv');
      const e = await errorOf(
        ingestFiles([await file('mixed2.csv', text)], oktmoTree(), { skipInvalid: true, maxInvalid: 2, rejectsFile: rejects }, {}, quiet),
      );
      expect(e.code).toBe('E_INPUT_TOO_MANY_INVALID');
      expect(e.message).toBe(
        `more than 2 invalid rows (the first: ${join(dir, 'mixed2.csv')}, line 3: column "subscriber_id": empty subscriber id (value: "")); the rejected rows are in ${rejects}`,
      );
      expect((await readFile(rejects, 'utf8')).trim().split('\n')).toHaveLength(1 + 3);
    });

    it('passes at exactly maxInvalid rejected rows', async () => {
      const { summary } = await ingestFiles([await file('mixed3.csv', text)], oktmoTree(), { skipInvalid: true, maxInvalid: 4 }, {}, quiet);
      expect(summary.rowsRejected).toBe(4);
    });

    it('writes no rejects file when the run fails for another reason', async () => {
      const rejects = join(dir, 'not-written.csv');
      const e = await errorOf(
        ingestFiles(
          [await file('mixed4.csv', text), await file('noheader.csv', 'a,b\n1,2\n')],
          oktmoTree(),
          { skipInvalid: true, rejectsFile: rejects },
          {},
          quiet,
        ),
      );
      expect(e.code).toBe('E_INPUT_HEADER');
      await expect(access(rejects)).rejects.toThrow();
    });
  });

  it('reports progress on the given stream when asked', async () => {
    const lines: string[] = [];
    const stderr = { write: (s: string) => lines.push(s), isTTY: false };
    const rows = makeRows(20_000);
    await ingestFiles([await file('progress.csv', csv(rows))], oktmoTree(), { progress: true, chunkBytes: 1 << 16 }, {}, { stderr });
    // Throttled to one line a second: a fast run may print none; any line printed is well-formed.
    for (const l of lines) expect(l).toMatch(/^.*progress\.csv: [\d,]+ rows, [\d.]+ MB, [\d,]+ rows\/s(, ETA \d+:\d\d)?\n$/);
  });
});

describe('ingestStream', () => {
  it('ingests an async iterable of bytes like the same file', async () => {
    const rows = makeRows(400);
    const text = csv(rows);
    const tree1 = oktmoTree();
    const expected = cellsText((await ingestFiles([await file('s.csv', text)], tree1, {}, {}, quiet)).cube, tree1);
    const bytes = new TextEncoder().encode(text);
    async function* pieces(): AsyncIterable<Uint8Array> {
      for (let i = 0; i < bytes.length; i += 333) yield bytes.subarray(i, i + 333);
    }
    const tree2 = oktmoTree();
    const { cube, summary } = await ingestStream(pieces(), 'upload', tree2, {}, {}, quiet);
    expect(cellsText(cube, tree2)).toBe(expected);
    expect(summary.rowsRead).toBe(400);
  });

  it('names the stream in errors', async () => {
    const e = await errorOf(ingestStream(Readable.from([Buffer.from(`${HEADER}\n,vk,44701000\n`)]), 'upload', oktmoTree(), {}, {}, quiet));
    expect(e.message).toBe('upload, line 2, column "subscriber_id": empty subscriber id (value: "")');
  });
});

describe('ingestRows', () => {
  it('gives the same cells as the CSV path', async () => {
    const rows = makeRows(600);
    const tree1 = oktmoTree();
    const expected = cellsText((await ingestFiles([await file('r.csv', csv(rows))], tree1, {}, {}, quiet)).cube, tree1);
    const objects: RowObject[] = rows.map(([id, platform, territory]) => ({ subscriber_id: id, platform, territory, extra: 'x' }));
    const tree2 = oktmoTree();
    const { cube, summary } = await ingestRows(objects, tree2, {}, {}, quiet);
    expect(cellsText(cube, tree2)).toBe(expected);
    expect(summary).toMatchObject({ rowsRead: 600, rowsRejected: 0 });
  });

  it('applies the same checks, row n as line n', async () => {
    const e = await errorOf(ingestRows([{ subscriber_id: 'a', platform: 'vk', territory: '44701000' }, { subscriber_id: 'b', platform: 'vk' }], oktmoTree()));
    expect(e).toMatchObject({ code: 'E_INPUT_MISSING_COLUMN', message: 'rows, line 2, column "territory": row has no such column' });
    const skipped = await ingestRows(
      [{ subscriber_id: '', platform: 'vk', territory: '44701000' }, { subscriber_id: 'b', platform: 'vk', territory: '1' }, { subscriber_id: 'c', platform: 'vk', territory: '44701000' }],
      oktmoTree(),
      { skipInvalid: true },
    );
    expect(skipped.summary).toMatchObject({ rowsRead: 3, rowsRejected: 2, cells: 1 });
  });

  it('uses the requested sketch parameters', async () => {
    const { cube } = await ingestRows([{ subscriber_id: 'a', platform: 'vk', territory: '44701000' }], oktmoTree(), {}, { log2m: 11 });
    expect(cube.params).toEqual(resolveHllParams({ log2m: 11 }));
  });
});
