/**
 * Which PostgreSQL columns can hold cells, for both directions:
 *
 *   column          written as           read from
 *   territory       text                 text, varchar
 *   <facets…>       text                 text, varchar
 *   subscriptions   bigint               smallint, integer, bigint, numeric (whole numbers)
 *   sketch          hll(log2m, regwidth, expthresh, sparseon)
 *                                        hll, bytea (storage bytes), text/varchar (`\x…` hex)
 *
 * Types are compared by their `format_type()` text, so a table's column (`hll(14,5,-1,1)`) and a
 * query's result column are judged by the same words users see in psql's `\d`. Every problem is
 * listed in one E_PG_COLUMNS error, so one round of fixes is enough.
 */
import { ReachtreeError } from '../errors.js';
import { SKETCH_COLUMN, SUBSCRIPTIONS_COLUMN, TERRITORY_COLUMN, describeParams } from '../cube/index.js';
import type { HllParams } from '../sketch/index.js';

export interface ColumnInfo {
  readonly name: string;
  /** `format_type(type, typmod)`: `text`, `character varying(20)`, `bigint`, `hll(14,5,-1,1)`, `hll`. */
  readonly type: string;
}

export interface TableColumn extends ColumnInfo {
  /** NOT NULL without a default, identity or generation: an insert must name it. */
  readonly required: boolean;
}

/** Where the cell parts sit in a query result. */
export interface CellsLayout {
  readonly territory: number;
  readonly facets: readonly number[];
  readonly facetNames: readonly string[];
  readonly subscriptions: number;
  readonly sketch: number;
}

const TEXT_TYPES = ['text', 'character varying'];
const COUNT_TYPES = ['smallint', 'integer', 'bigint', 'numeric'];
const READ_SKETCH_TYPES = ['hll', 'bytea', ...TEXT_TYPES];
const FIXED = [TERRITORY_COLUMN, SUBSCRIPTIONS_COLUMN, SKETCH_COLUMN] as const;

/** The type's name without its modifier or schema: `character varying(20)` → `character varying`. */
export function baseType(type: string): string {
  return type.replace(/\(.*\)$/, '').replace(/^(?:"[^"]*"|[^."]*)\./, '');
}

/** The parameters in an `hll(…)` type modifier; undefined for a plain `hll` (any parameters). */
export function hllTypmodParams(type: string): HllParams | undefined {
  const m = /^(?:.*\.)?hll\((\d+),(\d+),(-?\d+),([01])\)$/.exec(type);
  if (m === null) return undefined;
  return { log2m: Number(m[1]), regwidth: Number(m[2]), expthresh: Number(m[3]), sparseon: m[4] === '1' };
}

/** The column definition reachtree creates for sketches of these parameters. */
export function hllColumnType(p: HllParams): string {
  return `hll(${p.log2m},${p.regwidth},${p.expthresh},${p.sparseon ? 1 : 0})`;
}

/**
 * Locates territory, subscriptions and sketch by name, in any order; every other column is a facet
 * column, in result order. Throws E_PG_COLUMNS listing every problem.
 */
export function queryCellsLayout(columns: readonly ColumnInfo[], source: string): CellsLayout {
  const problems: string[] = [];
  const at = new Map<string, number>();
  columns.forEach((c, i) => {
    if (at.has(c.name)) problems.push(`column "${c.name}" appears twice`);
    else at.set(c.name, i);
  });
  for (const name of FIXED) if (!at.has(name)) problems.push(`no column "${name}"`);
  const facets: number[] = [];
  columns.forEach((c, i) => {
    const base = baseType(c.type);
    if (c.name === TERRITORY_COLUMN) {
      if (!TEXT_TYPES.includes(base)) {
        problems.push(`column "territory" is ${c.type}, not text${COUNT_TYPES.includes(base) ? ' (cast it with ::text; OKTMO codes may start with 0, which a number loses)' : ''}`);
      }
    } else if (c.name === SUBSCRIPTIONS_COLUMN) {
      if (!COUNT_TYPES.includes(base)) problems.push(`column "subscriptions" is ${c.type}, not an integer type (bigint, integer or numeric)`);
    } else if (c.name === SKETCH_COLUMN) {
      if (!READ_SKETCH_TYPES.includes(base)) problems.push(`column "sketch" is ${c.type}, not hll, bytea or text`);
    } else {
      facets.push(i);
      if (!TEXT_TYPES.includes(base)) {
        problems.push(`column "${c.name}" is ${c.type}; columns other than territory, subscriptions and sketch are facet columns and must be text (cast with ::text, or leave the column out)`);
      }
    }
  });
  if (problems.length > 0) {
    throw new ReachtreeError(
      'E_PG_COLUMNS',
      `${source} does not return cells: ${problems.join('; ')}. Expected columns: territory text, facet columns (e.g. platform) text, ` +
        'subscriptions bigint, sketch hll — e.g. SELECT territory, platform, count(*) AS subscriptions, hll_add_agg(hll_hash_text(subscriber_id), 14, 5, -1, 1) AS sketch …',
      { detail: `columns returned: ${describeColumns(columns)}` },
    );
  }
  return {
    territory: at.get(TERRITORY_COLUMN) as number,
    facets,
    facetNames: facets.map((i) => (columns[i] as ColumnInfo).name),
    subscriptions: at.get(SUBSCRIPTIONS_COLUMN) as number,
    sketch: at.get(SKETCH_COLUMN) as number,
  };
}

/**
 * Checks that an existing table takes these cells: territory and each facet column text,
 * subscriptions an integer type, sketch `hll` with the cells' parameters (or no modifier), and
 * no other column an insert would have to fill. Throws E_PG_COLUMNS listing every problem.
 */
export function checkTableColumns(table: string, columns: readonly TableColumn[], facetNames: readonly string[], params: HllParams): void {
  const problems: string[] = [];
  const byName = new Map(columns.map((c) => [c.name, c]));
  const wanted = cellColumnNames(facetNames);
  for (const name of wanted) {
    const c = byName.get(name);
    if (c === undefined) {
      problems.push(`it has no column "${name}"`);
      continue;
    }
    const base = baseType(c.type);
    if (name === SUBSCRIPTIONS_COLUMN) {
      if (!COUNT_TYPES.includes(base)) problems.push(`column "subscriptions" is ${c.type}, not bigint`);
    } else if (name === SKETCH_COLUMN) {
      if (base !== 'hll') {
        problems.push(`column "sketch" is ${c.type}, not ${hllColumnType(params)}`);
      } else {
        const p = hllTypmodParams(c.type);
        if (p !== undefined && hllColumnType(p) !== hllColumnType(params)) {
          problems.push(
            `column "sketch" is ${c.type} ${describeParams(p)} but the sketches are ${hllColumnType(params)} ${describeParams(params)} ` +
              `(build with --log2m ${p.log2m} --regwidth ${p.regwidth} --expthresh ${p.expthresh} --sparseon ${p.sparseon ? 1 : 0}, or write to another table)`,
          );
        }
      }
    } else if (!TEXT_TYPES.includes(base)) {
      problems.push(`column "${name}" is ${c.type}, not text`);
    }
  }
  for (const c of columns) {
    if (c.required && !wanted.includes(c.name)) problems.push(`column "${c.name}" is NOT NULL without a default, and reachtree has no value for it`);
  }
  if (problems.length > 0) {
    throw new ReachtreeError('E_PG_COLUMNS', `table ${table} cannot take these cells: ${problems.join('; ')}`, {
      detail: `table columns: ${describeColumns(columns)}\nexpected: ${wanted.map((n) => `${n} ${n === SKETCH_COLUMN ? hllColumnType(params) : n === SUBSCRIPTIONS_COLUMN ? 'bigint' : 'text'}`).join(', ')}`,
    });
  }
}

/** territory, facet columns, subscriptions, sketch; E_PG_COLUMNS when a facet column takes a fixed column's name. */
export function cellColumnNames(facetNames: readonly string[]): string[] {
  const clash = facetNames.find((f, i) => (FIXED as readonly string[]).includes(f) || facetNames.indexOf(f) !== i);
  if (clash !== undefined) {
    throw new ReachtreeError('E_PG_COLUMNS', `a table cannot hold facet column "${clash}" besides ${[TERRITORY_COLUMN, ...facetNames, SUBSCRIPTIONS_COLUMN, SKETCH_COLUMN].join(', ')}: rename it (--by)`);
  }
  return [TERRITORY_COLUMN, ...facetNames, SUBSCRIPTIONS_COLUMN, SKETCH_COLUMN];
}

function describeColumns(columns: readonly ColumnInfo[]): string {
  return columns.length === 0 ? '(none)' : columns.map((c) => `${c.name} ${c.type}`).join(', ');
}
