/**
 * Small reference tables read from CSV files: the hierarchy (`--hierarchy tree.csv`, columns
 * `code,parent,name[,level]`) and territory names (`--names names.csv`, columns `code,name`).
 *
 * These files are small next to the subscription input (at most the ~10⁵ localities of OKTMO), so they
 * go through fast-csv rather than the byte-level scanner. fast-csv runs without `headers` because we
 * check the header ourselves (to say which columns were expected and found) and count physical lines
 * ourselves (so every error names the line an editor shows: blank lines count, and so do newlines
 * inside quoted fields). Column names are matched trimmed and case-insensitively, extra columns are
 * ignored, a UTF-8 BOM is dropped, and field values are trimmed.
 */

import { createReadStream } from 'node:fs';
import { loadFastCsv } from '../csv.js';
import { ReachtreeError, type ErrorCode, type InputLocation } from '../errors.js';
import { treeFromRows, type HierarchyRow } from '../territory/hierarchy.js';
import type { TerritoryTree } from '../territory/tree.js';

/** One data record of a table: trimmed fields and the 1-based line it starts on. */
interface TableRecord {
  readonly fields: string[];
  readonly line: number;
}

interface TableSpec {
  readonly what: string;
  readonly required: readonly string[];
  readonly optional: readonly string[];
  /** Error codes: header problems, a record with too few / too many fields. */
  readonly headerCode: ErrorCode;
  readonly shortCode: ErrorCode;
  readonly longCode: ErrorCode;
}

const HIERARCHY: TableSpec = {
  what: 'hierarchy',
  required: ['code', 'parent', 'name'],
  optional: ['level'],
  headerCode: 'E_HIERARCHY_FORMAT',
  shortCode: 'E_HIERARCHY_FORMAT',
  longCode: 'E_HIERARCHY_FORMAT',
};

const NAMES: TableSpec = {
  what: 'names',
  required: ['code', 'name'],
  optional: [],
  headerCode: 'E_INPUT_HEADER',
  shortCode: 'E_INPUT_MISSING_COLUMN',
  longCode: 'E_INPUT_VALUE',
};

/** Rows of a hierarchy CSV, each with its line number, ready for `treeFromRows`. */
export async function readHierarchyCsv(file: string): Promise<HierarchyRow[]> {
  const { columns, records } = await readTable(file, HIERARCHY);
  const [code, parent, name] = HIERARCHY.required.map((c) => columns.get(c) as number) as [number, number, number];
  const level = columns.get('level');
  return records.map((r) => ({
    code: r.fields[code] ?? '',
    parent: r.fields[parent] ?? '',
    name: r.fields[name] ?? '',
    ...(level === undefined ? {} : { level: r.fields[level] ?? '' }),
    line: r.line,
  }));
}

/** Reads and checks a hierarchy CSV (file mode); E_HIERARCHY_* errors name the file and line. */
export async function readHierarchy(file: string): Promise<TerritoryTree> {
  return treeFromRows(await readHierarchyCsv(file), file);
}

export interface ReadNamesOptions {
  /**
   * Maps a code to its canonical spelling, throwing a ReachtreeError for codes that are not valid
   * (OKTMO mode passes `canonicalOktmoCode`); the error gets the file and line added.
   */
  readonly canonical?: (code: string) => string;
}

/**
 * code → name from a names CSV. Empty codes or names and codes named twice (after `canonical`) are
 * E_INPUT_VALUE errors: a names file with those is more likely broken than meant.
 */
export async function readNamesCsv(file: string, options: ReadNamesOptions = {}): Promise<Map<string, string>> {
  const { columns, records } = await readTable(file, NAMES);
  const codeAt = columns.get('code') as number;
  const nameAt = columns.get('name') as number;
  const names = new Map<string, string>();
  const firstLine = new Map<string, number>();
  for (const r of records) {
    const raw = r.fields[codeAt] ?? '';
    const name = r.fields[nameAt] ?? '';
    if (raw.length === 0) throw new ReachtreeError('E_INPUT_VALUE', 'empty code; every row needs a code', { location: { file, line: r.line, column: 'code' } });
    if (name.length === 0) {
      throw new ReachtreeError('E_INPUT_VALUE', `empty name for code "${raw}"`, { location: { file, line: r.line, column: 'name' } });
    }
    let code = raw;
    if (options.canonical !== undefined) {
      try {
        code = options.canonical(raw);
      } catch (e) {
        if (e instanceof ReachtreeError) {
          throw new ReachtreeError(e.code, e.message, { location: { file, line: r.line, column: 'code', value: raw }, cause: e });
        }
        throw e;
      }
    }
    const seen = firstLine.get(code);
    if (seen !== undefined) {
      const same = code === raw ? '' : ` (as ${code})`;
      throw new ReachtreeError('E_INPUT_VALUE', `code "${raw}"${same} is named twice: already on line ${seen}`, {
        location: { file, line: r.line, column: 'code', value: raw },
      });
    }
    firstLine.set(code, r.line);
    names.set(code, name);
  }
  return names;
}

/**
 * A truth file (`code,<facet columns…>,unique[,subscriptions]`, as the samples ship): the exact
 * number of distinct people per territory and facet value ('*' = all). Counts must be whole
 * non-negative numbers.
 */
export interface TruthRecord {
  readonly code: string;
  readonly facets: readonly string[];
  readonly unique: number;
  readonly subscriptions?: number;
}

export async function readTruthCsv(file: string, facetNames: readonly string[]): Promise<TruthRecord[]> {
  const spec: TableSpec = {
    what: 'truth',
    required: ['code', ...facetNames.map((f) => f.toLowerCase()), 'unique'],
    optional: ['subscriptions'],
    headerCode: 'E_INPUT_HEADER',
    shortCode: 'E_INPUT_MISSING_COLUMN',
    longCode: 'E_INPUT_VALUE',
  };
  const { columns, records } = await readTable(file, spec);
  const at = (name: string): number => columns.get(name) as number;
  const count = (r: TableRecord, column: string): number => {
    const raw = r.fields[at(column)] ?? '';
    if (!/^\d+$/.test(raw)) {
      throw new ReachtreeError('E_INPUT_VALUE', `expected a whole non-negative count`, { location: { file, line: r.line, column, value: raw } });
    }
    return Number(raw);
  };
  return records.map((r) => ({
    code: r.fields[at('code')] ?? '',
    facets: facetNames.map((f) => r.fields[at(f.toLowerCase())] ?? ''),
    unique: count(r, 'unique'),
    ...(columns.has('subscriptions') ? { subscriptions: count(r, 'subscriptions') } : {}),
  }));
}

/** Reads the header and records of a table, checking columns and field counts. */
async function readTable(file: string, spec: TableSpec): Promise<{ columns: Map<string, number>; records: TableRecord[] }> {
  const all = await readRecords(file);
  const header = all[0];
  const expected = `${spec.required.join(',')}${spec.optional.map((c) => `[,${c}]`).join('')}`;
  if (header === undefined) {
    throw new ReachtreeError(spec.headerCode, `${spec.what} file is empty; expected a header line ${expected}`, { location: { file } });
  }
  const columns = new Map<string, number>();
  header.fields.forEach((f, i) => {
    const name = f.toLowerCase();
    if (!columns.has(name)) columns.set(name, i);
  });
  const missing = spec.required.filter((c) => !columns.has(c));
  if (missing.length > 0) {
    throw new ReachtreeError(
      spec.headerCode,
      `${spec.what} header lacks column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: expected ${expected}, found ${header.fields.join(',')}`,
      { location: { file, line: header.line } },
    );
  }
  const width = header.fields.length;
  const records = all.slice(1);
  for (const r of records) {
    if (r.fields.length !== width) {
      const fewer = r.fields.length < width;
      const hint = fewer ? '' : ' (a value containing a comma must be quoted)';
      throw new ReachtreeError(
        fewer ? spec.shortCode : spec.longCode,
        `expected ${width} fields as in the header (${header.fields.join(',')}), found ${r.fields.length}${hint}`,
        { location: { file, line: r.line } },
      );
    }
  }
  return { columns, records };
}

/** Non-blank records with trimmed fields; blank lines are skipped but counted. */
async function readRecords(file: string): Promise<TableRecord[]> {
  const { parse } = await loadFastCsv();
  return new Promise((resolve, reject) => {
    const records: TableRecord[] = [];
    let line = 1; // the line the next record starts on
    let settled = false;
    const fail = (code: ErrorCode, message: string, location: InputLocation, cause: unknown) => {
      if (settled) return;
      settled = true;
      input.destroy();
      parser.destroy();
      reject(new ReachtreeError(code, message, { location, cause }));
    };

    const input = createReadStream(file);
    const parser = parse<string[], string[]>({ headers: false });
    input.on('error', (e: Error) => fail('E_INPUT_FILE', `cannot read ${file}: ${e.message}`, { file }, e));
    parser.on('error', (e: Error) => fail('E_INPUT_QUOTING', `cannot parse CSV: ${e.message}`, { file, line }, e));
    parser.on('data', (row: string[]) => {
      const start = line;
      let blank = true;
      const fields = row.map((f, i) => {
        for (let at = f.indexOf('\n'); at >= 0; at = f.indexOf('\n', at + 1)) line++;
        const v = (i === 0 && records.length === 0 && f.charCodeAt(0) === 0xfeff ? f.slice(1) : f).trim();
        if (v.length > 0) blank = false;
        return v;
      });
      line++;
      if (!blank) records.push({ fields, line: start });
    });
    parser.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(records);
    });
    input.pipe(parser);
  });
}
