import { describe, expect, it } from 'vitest';
import { baseType, cellColumnNames, checkTableColumns, hllColumnType, hllTypmodParams, queryCellsLayout, type TableColumn } from '../../src/pg/columns.js';
import { resolveHllParams } from '../../src/sketch/index.js';

const P14 = resolveHllParams({});
const col = (name: string, type: string, required = false): TableColumn => ({ name, type, required });

describe('baseType and the hll type modifier', () => {
  it('reads format_type words without modifier or schema', () => {
    expect(baseType('character varying(20)')).toBe('character varying');
    expect(baseType('hll(14,5,-1,1)')).toBe('hll');
    expect(baseType('public.hll')).toBe('hll');
    expect(baseType('bigint')).toBe('bigint');
  });

  it('reads the parameters of hll(…) and writes them back the same way', () => {
    expect(hllTypmodParams('hll(12,6,128,0)')).toEqual({ log2m: 12, regwidth: 6, expthresh: 128, sparseon: false });
    expect(hllTypmodParams('hll')).toBeUndefined();
    expect(hllColumnType(P14)).toBe('hll(14,5,-1,1)');
  });
});

describe('queryCellsLayout', () => {
  it('finds territory, subscriptions and sketch by name; every other column is a facet, in result order', () => {
    const layout = queryCellsLayout(
      [col('sketch', 'hll'), col('sector', 'text'), col('territory', 'character varying(11)'), col('subscriptions', 'bigint'), col('platform', 'text')],
      'the query',
    );
    expect(layout).toEqual({ territory: 2, facets: [1, 4], facetNames: ['sector', 'platform'], subscriptions: 3, sketch: 0 });
  });

  it('reads sketches from hll, bytea or hex text and counts from any integer type', () => {
    for (const sketch of ['hll', 'hll(14,5,-1,1)', 'bytea', 'text', 'character varying']) {
      for (const count of ['smallint', 'integer', 'bigint', 'numeric', 'numeric(20,0)']) {
        expect(() => queryCellsLayout([col('territory', 'text'), col('subscriptions', count), col('sketch', sketch)], 'q')).not.toThrow();
      }
    }
  });

  it('lists every problem at once: missing, doubled and mistyped columns', () => {
    let caught: unknown;
    try {
      queryCellsLayout([col('territory', 'bigint'), col('platform', 'integer'), col('platform', 'text'), col('subscriptions', 'double precision')], 'the query');
    } catch (e) {
      caught = e;
    }
    expect(caught).toMatchObject({ code: 'E_PG_COLUMNS' });
    const message = (caught as Error).message;
    expect(message).toMatch(/^the query does not return cells: /);
    expect(message).toContain('column "platform" appears twice');
    expect(message).toContain('no column "sketch"');
    expect(message).toContain('column "territory" is bigint, not text (cast it with ::text; OKTMO codes may start with 0, which a number loses)');
    expect(message).toContain('column "subscriptions" is double precision, not an integer type');
    expect(message).toContain('column "platform" is integer; columns other than territory, subscriptions and sketch are facet columns and must be text');
    expect((caught as { detail: string }).detail).toBe('columns returned: territory bigint, platform integer, platform text, subscriptions double precision');
  });
});

describe('checkTableColumns', () => {
  const fits = [col('territory', 'text', true), col('platform', 'character varying(32)', true), col('subscriptions', 'bigint', true), col('sketch', 'hll(14,5,-1,1)', true)];

  it('accepts the table reachtree creates, an untyped hll column, and extra columns that fill themselves', () => {
    expect(() => checkTableColumns('cells', fits, ['platform'], P14)).not.toThrow();
    const untyped = fits.map((c) => (c.name === 'sketch' ? col('sketch', 'hll') : c));
    expect(() => checkTableColumns('cells', [...untyped, col('loaded_at', 'timestamp with time zone')], ['platform'], P14)).not.toThrow();
  });

  it('refuses a sketch column of other parameters, naming both and the options that would match', () => {
    expect(() => checkTableColumns('cells', fits, ['platform'], resolveHllParams({ log2m: 11 }))).toThrow(
      'table cells cannot take these cells: column "sketch" is hll(14,5,-1,1) (log2m 14, regwidth 5, expthresh -1, sparseon 1) ' +
        'but the sketches are hll(11,5,-1,1) (log2m 11, regwidth 5, expthresh -1, sparseon 1) ' +
        '(build with --log2m 14 --regwidth 5 --expthresh -1 --sparseon 1, or write to another table)',
    );
  });

  it('lists missing facet columns, wrong types and NOT NULL columns reachtree cannot fill', () => {
    let caught: unknown;
    try {
      checkTableColumns('s.cells', [col('territory', 'integer'), col('subscriptions', 'text'), col('sketch', 'bytea'), col('batch', 'integer', true)], ['platform'], P14);
    } catch (e) {
      caught = e;
    }
    expect(caught).toMatchObject({ code: 'E_PG_COLUMNS' });
    expect((caught as Error).message).toBe(
      'table s.cells cannot take these cells: column "territory" is integer, not text; it has no column "platform"; ' +
        'column "subscriptions" is text, not bigint; column "sketch" is bytea, not hll(14,5,-1,1); ' +
        'column "batch" is NOT NULL without a default, and reachtree has no value for it',
    );
  });

  it('refuses facet columns named like the fixed columns', () => {
    expect(cellColumnNames(['platform', 'sector'])).toEqual(['territory', 'platform', 'sector', 'subscriptions', 'sketch']);
    expect(() => cellColumnNames(['sketch'])).toThrow(expect.objectContaining({ code: 'E_PG_COLUMNS' }));
  });
});
