import { describe, expect, it } from 'vitest';
import { CellsDecoder, Cube, cellRowFields, cellsHeader, encodeCells } from '../../src/cube/index.js';
import { hllHashText } from '../../src/hash/index.js';
import { HllSketch, resolveHllParams } from '../../src/sketch/index.js';
import { treeFromRows } from '../../src/territory/index.js';

const tree = treeFromRows([
  { code: 'RU', parent: '', name: 'Russia' },
  { code: 'R1', parent: 'RU', name: 'Region 1' },
  { code: 'L1', parent: 'R1', name: 'Locality 1' },
  { code: 'L2', parent: 'R1', name: 'Locality 2' },
]);
const params = resolveHllParams();

function cubeOf(cells: Array<[string, string, string[]]>, p = params): Cube {
  const cube = new Cube(p, ['platform']);
  for (const [code, platform, ids] of cells) {
    const cell = cube.cell(tree.get(code)!, [platform]);
    for (const id of ids) {
      cell.sketch.addHashBigInt(hllHashText(id));
      cell.subscriptions++;
    }
  }
  return cube;
}

function decode(files: Array<{ name: string; records: string[][] }>, decoder = new CellsDecoder(tree)): Cube {
  for (const { name, records } of files) {
    decoder.header(records[0]!, name);
    records.slice(1).forEach((r, i) => decoder.row(r, name, i + 2));
  }
  return decoder.finish();
}

const recordsOf = (cube: Cube) => [cellsHeader(cube.facetNames), ...[...encodeCells(cube)].map(cellRowFields)];

describe('encodeCells', () => {
  it('writes territory, facets, subscriptions and the \\x hex of the sketch, sorted', () => {
    const cube = cubeOf([
      ['L2', 'vk', ['a']],
      ['L1', 'vk', ['a', 'a', 'b']],
      ['L1', 'ok', []],
    ]);
    expect(recordsOf(cube)).toEqual([
      ['territory', 'platform', 'subscriptions', 'sketch'],
      ['L1', 'ok', '0', HllSketch.empty(params).toHex()],
      ['L1', 'vk', '3', cube.peek(tree.get('L1')!, ['vk'])!.sketch.toHex()],
      ['L2', 'vk', '1', cube.peek(tree.get('L2')!, ['vk'])!.sketch.toHex()],
    ]);
    expect(recordsOf(cube)[2]![3]).toMatch(/^\\x[0-9a-f]+$/);
  });
});

describe('CellsDecoder', () => {
  it('reads back exactly what was encoded', () => {
    const cube = cubeOf([
      ['L1', 'vk', Array.from({ length: 5000 }, (_, i) => `x${i}`)],
      ['L2', 'tg', ['a', 'b']],
    ]);
    const back = decode([{ name: 'cells.csv', records: recordsOf(cube) }]);
    expect(recordsOf(back)).toEqual(recordsOf(cube));
    expect(back.params).toEqual(params);
    expect(back.facetNames).toEqual(['platform']);
  });

  it('unions cells that appear in several files: merge of halves = cells of the whole', () => {
    const half1 = cubeOf([['L1', 'vk', ['a', 'b']], ['L2', 'ok', ['z']]]);
    const half2 = cubeOf([['L1', 'vk', ['b', 'c']]]);
    const whole = cubeOf([['L1', 'vk', ['a', 'b', 'b', 'c']], ['L2', 'ok', ['z']]]);
    const merged = decode([
      { name: 'a.csv', records: recordsOf(half1) },
      { name: 'b.csv', records: recordsOf(half2) },
    ]);
    expect(recordsOf(merged)).toEqual(recordsOf(whole));
  });

  it('takes its parameters from the first sketch', () => {
    const p = resolveHllParams({ log2m: 11, regwidth: 4 });
    expect(decode([{ name: 'c.csv', records: recordsOf(cubeOf([['L1', 'vk', ['a']]], p)) }]).params).toEqual(p);
  });

  it('gives an empty cube for a header without rows', () => {
    const cube = decode([{ name: 'c.csv', records: [['territory', 'platform', 'sector', 'subscriptions', 'sketch']] }]);
    expect(cube.size).toBe(0);
    expect(cube.facetNames).toEqual(['platform', 'sector']);
  });

  const good = () => recordsOf(cubeOf([['L1', 'vk', ['a']]]))[1]!;
  const header = ['territory', 'platform', 'subscriptions', 'sketch'];

  it.each([
    ['a header without the sketch column', [['territory', 'platform', 'subscriptions']], 'E_INPUT_HEADER',
      'c.csv, line 1: a cells file needs the header territory,<facet columns…>,subscriptions,sketch; found territory,platform,subscriptions'],
    ['a short row', [header, ['L1', 'vk', '1']], 'E_INPUT_MISSING_COLUMN',
      'c.csv, line 2: expected 4 fields (territory,platform,subscriptions,sketch), found 3'],
    ['an unknown territory', [header, ['XX', 'vk', '1', '\\x118b7f']], 'E_INPUT_TERRITORY_UNKNOWN', 'c.csv, line 2, column "territory": '],
    ['a reserved facet value', [header, ['L1', '*', '1', '\\x118b7f']], 'E_INPUT_VALUE',
      'c.csv, line 2, column "platform": facet value "*" is reserved for the union across values (value: "*")'],
    ['a negative count', [header, ['L1', 'vk', '-1', '\\x118b7f']], 'E_INPUT_VALUE',
      'c.csv, line 2, column "subscriptions": subscriptions must be a whole number from 0 to 999999999999999 (value: "-1")'],
    ['bad hex', [header, ['L1', 'vk', '1', '\\x11zz']], 'E_FORMAT_HEX', 'c.csv, line 2, column "sketch": '],
    ['truncated sketch bytes', [header, ['L1', 'vk', '1', '\\x148b7f00']], 'E_FORMAT_', 'c.csv, line 2, column "sketch": '],
  ])('rejects %s, naming file, line and column', (_what, records, code, message) => {
    let error: unknown;
    try {
      decode([{ name: 'c.csv', records: records as string[][] }]);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: expect.stringContaining(code) as unknown });
    expect((error as Error).message.startsWith(message)).toBe(true);
  });

  it('refuses sketches whose parameters differ from the first', () => {
    const other = recordsOf(cubeOf([['L2', 'vk', ['a']]], resolveHllParams({ log2m: 12 })))[1]!;
    expect(() => decode([{ name: 'c.csv', records: [header, good(), other] }])).toThrow(
      expect.objectContaining({
        code: 'E_PARAM_LOG2M_MISMATCH',
        message:
          'c.csv, line 3, column "sketch": sketch parameters (log2m 12, regwidth 5, expthresh -1, sparseon 1) differ from (log2m 14, regwidth 5, expthresh -1, sparseon 1) of the first sketch (c.csv, line 2)',
      }),
    );
  });

  it('refuses files with other facet columns', () => {
    expect(() =>
      decode([
        { name: 'a.csv', records: [header, good()] },
        { name: 'b.csv', records: [['territory', 'sector', 'subscriptions', 'sketch']] },
      ]),
    ).toThrow(expect.objectContaining({ code: 'E_INPUT_HEADER', message: 'b.csv, line 1: facet columns [sector] differ from [platform] of a.csv' }));
  });

  it('checks against requested parameters and facets', () => {
    const decoder = new CellsDecoder(tree, { params: resolveHllParams({ log2m: 11 }), facetNames: ['platform'] });
    expect(() => decode([{ name: 'c.csv', records: [header, good()] }], decoder)).toThrow(
      expect.objectContaining({ code: 'E_PARAM_LOG2M_MISMATCH' }),
    );
  });
});
