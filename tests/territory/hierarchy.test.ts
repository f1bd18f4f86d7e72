import { describe, expect, it } from 'vitest';
import { ReachtreeError } from '../../src/errors.js';
import { treeFromRows, type HierarchyRow } from '../../src/territory/hierarchy.js';

/** Rows from compact 'code,parent,name[,level]' lines; line numbers start at 2 (after a header). */
function rows(...lines: string[]): HierarchyRow[] {
  return lines.map((l, i) => {
    const [code = '', parent = '', name = '', level] = l.split(',');
    return { code, parent, name, ...(level === undefined ? {} : { level }), line: i + 2 };
  });
}

function failure(input: HierarchyRow[]): ReachtreeError {
  try {
    treeFromRows(input, 'tree.csv');
  } catch (e) {
    if (e instanceof ReachtreeError) return e;
    throw e;
  }
  throw new Error('expected the hierarchy to be rejected');
}

describe('treeFromRows', () => {
  const company = rows('HQ,,Head office,company', 'S,HQ,South,division', 'N,HQ,North,division', 'N2,N,Murmansk,branch', 'N1,N,Arkhangelsk,branch');

  it('builds the tree with depths, levels and names from the rows', () => {
    const tree = treeFromRows(company, 'tree.csv');
    expect(tree.size).toBe(5);
    expect(tree.root).toMatchObject({ code: 'HQ', name: 'Head office', level: 'company', depth: 0, parent: null, id: 0 });
    expect(tree.get('N1')).toMatchObject({ level: 'branch', depth: 2 });
    expect(tree.get('N1')?.parent?.code).toBe('N');
    expect(tree.levels()).toEqual(['company', 'division', 'branch']);
  });

  it('orders nodes parents first, siblings by code, whatever the row order', () => {
    expect(treeFromRows(company).nodes().map((n) => n.code)).toEqual(['HQ', 'N', 'N1', 'N2', 'S']);
    expect(treeFromRows([...company].reverse()).nodes().map((n) => n.code)).toEqual(['HQ', 'N', 'N1', 'N2', 'S']);
  });

  it('falls back to the depth for a missing level and to the code for an empty name', () => {
    const tree = treeFromRows(rows('A,,', 'B,A,Bee'));
    expect(tree.root).toMatchObject({ name: 'A', level: '0' });
    expect(tree.get('B')).toMatchObject({ name: 'Bee', level: '1' });
    expect(tree.levels()).toEqual(['0', '1']);
  });

  it('resolves known codes and rejects others as unknown territories', () => {
    const tree = treeFromRows(company, 'tree.csv');
    expect(tree.resolve('S').name).toBe('South');
    expect(() => tree.resolve('W')).toThrow(new ReachtreeError('E_INPUT_TERRITORY_UNKNOWN', 'territory code "W" is not in the hierarchy tree.csv'));
    expect(tree.ancestors(tree.resolve('N2')).map((n) => n.code)).toEqual(['N', 'HQ']);
  });

  it('handles a chain deeper than the call stack would', () => {
    const deep: HierarchyRow[] = [{ code: '0', parent: '', name: 'root' }];
    for (let i = 1; i < 20_000; i++) deep.push({ code: String(i), parent: String(i - 1), name: '' });
    const tree = treeFromRows(deep);
    expect(tree.nodes()).toHaveLength(20_000);
    expect(tree.get('19999')?.depth).toBe(19_999);
  });

  describe('errors', () => {
    it('rejects a cycle, spelling it out from its earliest row', () => {
      const e = failure(rows('A,,Root', 'B,D,b', 'C,B,c', 'D,C,d'));
      expect(e.code).toBe('E_HIERARCHY_CYCLE');
      expect(e.message).toBe(
        'tree.csv, line 3, column "parent": cycle in parents: "B" → "D" → "C" → "B"; every chain of parents must end at the root (value: "D")',
      );
    });

    it('rejects a row that is its own parent', () => {
      const e = failure(rows('A,,Root', 'B,B,b'));
      expect(e.code).toBe('E_HIERARCHY_CYCLE');
      expect(e.message).toContain('cycle in parents: "B" → "B"');
    });

    it('rejects a cycle with no root at all', () => {
      expect(failure(rows('A,B,a', 'B,A,b')).message).toBe(
        'tree.csv, line 2, column "parent": cycle in parents: "A" → "B" → "A"; every chain of parents must end at the root (value: "B")',
      );
    });

    it('rejects a missing parent', () => {
      const e = failure(rows('A,,Root', 'B,A,b', 'C,X,c'));
      expect(e.code).toBe('E_HIERARCHY_MISSING_PARENT');
      expect(e.message).toBe('tree.csv, line 4, column "parent": parent "X" of "C" is not the code of any row (value: "X")');
      expect(e.location).toEqual({ file: 'tree.csv', line: 4, column: 'parent', value: 'X' });
    });

    it('rejects a duplicate code, naming both lines', () => {
      const e = failure(rows('A,,Root', 'B,A,b', 'B,A,b again'));
      expect(e.code).toBe('E_HIERARCHY_DUPLICATE');
      expect(e.message).toBe('tree.csv, line 4, column "code": duplicate code "B": already defined on line 3 (value: "B")');
    });

    it('rejects two roots', () => {
      const e = failure(rows('A,,Root', 'B,A,b', 'Z,,Other root'));
      expect(e.code).toBe('E_HIERARCHY_ROOT');
      expect(e.message).toBe(
        'tree.csv, line 4, column "parent": second root "Z": expected exactly one row with an empty parent, found 2 (first: "A" on line 2)',
      );
    });

    it('rejects an empty code and an empty hierarchy', () => {
      const e = failure(rows('A,,Root', ',A,nameless'));
      expect(e.code).toBe('E_HIERARCHY_FORMAT');
      expect(e.message).toBe('tree.csv, line 3, column "code": empty code; every row needs a code');
      const empty = failure([]);
      expect(empty.code).toBe('E_HIERARCHY_ROOT');
      expect(empty.message).toBe('tree.csv: the hierarchy has no rows; expected one root row (empty parent) and its descendants');
    });

    it('reports duplicates before roots and missing parents before cycles', () => {
      expect(failure(rows('A,,a', 'A,,a')).code).toBe('E_HIERARCHY_DUPLICATE');
      expect(failure(rows('A,,a', 'B,C,b', 'C,B,c', 'D,Q,d')).code).toBe('E_HIERARCHY_MISSING_PARENT');
    });
  });
});
