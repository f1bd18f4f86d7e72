import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReachtreeError } from '../../src/errors.js';
import { readHierarchy, readHierarchyCsv, readNamesCsv } from '../../src/ingest/tables.js';
import { canonicalOktmoCode } from '../../src/territory/oktmo.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reachtree-tables-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let counter = 0;
async function file(content: string): Promise<string> {
  const path = join(dir, `t${counter++}.csv`);
  await writeFile(path, content);
  return path;
}

async function failure(p: Promise<unknown>): Promise<ReachtreeError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ReachtreeError) return e;
    throw e;
  }
  throw new Error('expected a ReachtreeError');
}

describe('readHierarchyCsv', () => {
  it('reads rows with 1-based lines, counting blank lines and newlines inside quotes', async () => {
    const path = await file('code,parent,name,level\r\nA,,Root,top\r\n\r\nB,A,"two\nlines",mid\nC,B, Sea ,low\n');
    expect(await readHierarchyCsv(path)).toEqual([
      { code: 'A', parent: '', name: 'Root', level: 'top', line: 2 },
      { code: 'B', parent: 'A', name: 'two\nlines', level: 'mid', line: 4 },
      { code: 'C', parent: 'B', name: 'Sea', level: 'low', line: 6 },
    ]);
  });

  it('drops a UTF-8 BOM, matches column names in any case and order, ignores extra columns', async () => {
    const path = await file('\ufeffName,Code,notes,PARENT\nRoot,A,x,\nBee,B,y,A\n');
    expect(await readHierarchyCsv(path)).toEqual([
      { code: 'A', parent: '', name: 'Root', line: 2 },
      { code: 'B', parent: 'A', name: 'Bee', line: 3 },
    ]);
  });

  it('rejects a header without the required columns, saying what it expected and found', async () => {
    const path = await file('id,parent_id,title\n1,,x\n');
    const e = await failure(readHierarchyCsv(path));
    expect(e.code).toBe('E_HIERARCHY_FORMAT');
    expect(e.message).toBe(`${path}, line 1: hierarchy header lacks columns code, parent, name: expected code,parent,name[,level], found id,parent_id,title`);
  });

  it('rejects rows with too few or too many fields', async () => {
    const short = await failure(readHierarchyCsv(await file('code,parent,name\nA,,Root\nB,A\n')));
    expect(short.code).toBe('E_HIERARCHY_FORMAT');
    expect(short.message).toMatch(/, line 3: expected 3 fields as in the header \(code,parent,name\), found 2$/);
    const long = await failure(readHierarchyCsv(await file('code,parent,name\nA,,Root\nB,A,Magadan, city\n')));
    expect(long.message).toMatch(/, line 3: expected 3 fields as in the header \(code,parent,name\), found 4 \(a value containing a comma must be quoted\)$/);
  });

  it('rejects an empty file and an unterminated quote', async () => {
    const empty = await failure(readHierarchyCsv(await file('')));
    expect(empty.code).toBe('E_HIERARCHY_FORMAT');
    expect(empty.message).toMatch(/: hierarchy file is empty; expected a header line code,parent,name\[,level\]$/);
    const quote = await failure(readHierarchyCsv(await file('code,parent,name\nA,,Root\n"B,A,b\n')));
    expect(quote.code).toBe('E_INPUT_QUOTING');
    expect(quote.location?.line).toBe(3);
  });

  it('reports a missing file as E_INPUT_FILE', async () => {
    const e = await failure(readHierarchyCsv(join(dir, 'nope.csv')));
    expect(e.code).toBe('E_INPUT_FILE');
    expect(e.message).toContain('ENOENT');
  });
});

describe('readHierarchy', () => {
  it('builds the tree and names file and line in structural errors', async () => {
    const tree = await readHierarchy(await file('code,parent,name\nA,,Root\nB,A,Bee\n'));
    expect(tree.nodes().map((n) => n.code)).toEqual(['A', 'B']);
    const path = await file('code,parent,name\nA,,Root\n\nB,C,Bee\nC,B,Sea\n');
    const e = await failure(readHierarchy(path));
    expect(e.code).toBe('E_HIERARCHY_CYCLE');
    expect(e.message).toBe(`${path}, line 4, column "parent": cycle in parents: "B" → "C" → "B"; every chain of parents must end at the root (value: "C")`);
  });
});

describe('readNamesCsv', () => {
  it('reads code → name, canonicalising OKTMO codes when asked', async () => {
    const path = await file('code,name\n44701000000,город Магадан\n44701000001,г Магадан\n');
    expect(await readNamesCsv(path, { canonical: canonicalOktmoCode })).toEqual(
      new Map([
        ['44701000', 'город Магадан'],
        ['44701000001', 'г Магадан'],
      ]),
    );
    expect([...(await readNamesCsv(path)).keys()]).toEqual(['44701000000', '44701000001']);
  });

  it('rejects a header without code or name as E_INPUT_HEADER', async () => {
    const e = await failure(readNamesCsv(await file('oktmo,title\n44701000,x\n')));
    expect(e.code).toBe('E_INPUT_HEADER');
    expect(e.message).toMatch(/, line 1: names header lacks columns code, name: expected code,name, found oktmo,title$/);
  });

  it('adds file, line and value to invalid codes', async () => {
    const path = await file('code,name\n44701000,Магадан\n44700000,городские округа\n');
    const e = await failure(readNamesCsv(path, { canonical: canonicalOktmoCode }));
    expect(e.code).toBe('E_INPUT_TERRITORY_MALFORMED');
    expect(e.location).toEqual({ file: path, line: 3, column: 'code', value: '44700000' });
    expect(e.message).toMatch(/line 3, column "code": OKTMO code "44700000" is a grouping heading/);
  });

  it('rejects a code named twice, also across spellings', async () => {
    const path = await file('code,name\n44701000,Магадан\n44701000000,Магадан\n');
    const e = await failure(readNamesCsv(path, { canonical: canonicalOktmoCode }));
    expect(e.code).toBe('E_INPUT_VALUE');
    expect(e.message).toBe(`${path}, line 3, column "code": code "44701000000" (as 44701000) is named twice: already on line 2 (value: "44701000000")`);
  });

  it('rejects empty names and rows missing a column', async () => {
    const empty = await failure(readNamesCsv(await file('code,name\n44701000,\n')));
    expect(empty.message).toMatch(/line 2, column "name": empty name for code "44701000"$/);
    const short = await failure(readNamesCsv(await file('code,name\n44701000\n')));
    expect(short.code).toBe('E_INPUT_MISSING_COLUMN');
  });
});
