/**
 * Report output formats: a readable table for the terminal, CSV for spreadsheets and loaders,
 * JSON for programs, Markdown for notes.
 *
 * CSV and JSON carry full precision (estimates to 0.1 person, RSE to 6 significant digits) so a
 * report can be re-read and compared; the table and Markdown round to whole people and show the
 * interval and the RSE as a person would write them. All formats list the same rows in the same
 * order (the tree order of the roll-up) with the same columns.
 */
import { csvField } from '../csv.js';
import type { ReportRow } from './rows.js';
import { verdictFor, type TruthTable } from './truth.js';

export const REPORT_FORMATS = ['table', 'csv', 'json', 'md'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface FormatOptions {
  /** Names of the facet columns, e.g. ['platform']. */
  readonly facetNames: readonly string[];
  /** When given, each row also shows the true unique count and whether the interval covers it. */
  readonly truth?: TruthTable | undefined;
}

/** Machine-readable column names, in order (CSV header, JSON keys). */
export function reportColumns(options: FormatOptions): string[] {
  return [
    'level',
    'code',
    'name',
    'parent',
    ...options.facetNames,
    'subscriptions',
    'unique',
    'ci_low',
    'ci_high',
    'rse',
    'exact',
    'duplication',
    'clipped_by',
    ...(options.truth !== undefined ? ['true_unique', 'in_ci'] : []),
  ];
}

type Cell = string | number | boolean | null;

/** One row as machine values (full precision), in `reportColumns` order. */
export function machineValues(row: ReportRow, options: FormatOptions): Cell[] {
  const values: Cell[] = [
    row.level,
    row.code,
    row.name,
    row.parent,
    ...row.facets,
    row.subscriptions,
    round(row.unique, 1),
    round(row.low, 1),
    round(row.high, 1),
    Number(row.rse.toPrecision(6)),
    row.exact,
    Number.isFinite(row.duplication) ? round(row.duplication, 4) : null,
    row.clippedBy ?? '',
  ];
  if (options.truth !== undefined) {
    const verdict = verdictFor(row, options.truth);
    values.push(verdict?.trueUnique ?? null, verdict === undefined ? null : verdict.inInterval);
  }
  return values;
}

export async function formatReport(rows: readonly ReportRow[], format: ReportFormat, options: FormatOptions): Promise<string> {
  switch (format) {
    case 'csv':
      return toCsv(rows, options);
    case 'json':
      return toJson(rows, options);
    case 'md':
      return toMarkdown(rows, options);
    case 'table':
      return toTable(rows, options);
  }
}

/**
 * CSV written directly: a national report has ~10^5 rows, and fast-csv's formatter took about a
 * second for them (as much as the roll-up); the quoting rule is the same (see csv.ts).
 */
function toCsv(rows: readonly ReportRow[], options: FormatOptions): string {
  const parts = [reportColumns(options).map(csvField).join(',')];
  // only text can need quoting: numbers and booleans are written as they print
  for (const row of rows) parts.push(machineValues(row, options).map((v) => (typeof v === 'string' ? csvField(v) : v === null ? '' : String(v))).join(','));
  parts.push('');
  return parts.join('\n');
}

function toJson(rows: readonly ReportRow[], options: FormatOptions): string {
  const columns = reportColumns(options);
  const objects = rows.map((row) => {
    const values = machineValues(row, options);
    return Object.fromEntries(columns.map((c, i) => [c, values[i] ?? null]));
  });
  return `${JSON.stringify(objects, null, 2)}\n`;
}

/** Human columns shared by the table and Markdown formats. */
function humanCells(row: ReportRow, options: FormatOptions, indentName: boolean): string[] {
  const name = indentName ? `${'  '.repeat(row.depth)}${row.name}` : row.name;
  const cells = [
    row.level,
    row.code,
    name,
    ...row.facets,
    people(row.subscriptions),
    people(row.unique),
    row.exact ? 'exact' : `${people(Math.floor(row.low))} – ${people(Math.ceil(row.high))}`,
    row.exact ? '0' : `±${(row.rse * 100).toFixed(2)}%`,
    Number.isFinite(row.duplication) ? row.duplication.toFixed(2) : '–',
  ];
  if (options.truth !== undefined) {
    const verdict = verdictFor(row, options.truth);
    cells.push(verdict === undefined ? '–' : people(verdict.trueUnique), verdict === undefined ? '–' : verdict.inInterval ? 'yes' : 'NO');
  }
  if (row.clippedBy !== undefined) cells[cells.length - 1] += ` (clipped: ${row.clippedBy})`;
  return cells;
}

function humanHeader(options: FormatOptions): string[] {
  return [
    'level',
    'code',
    'name',
    ...options.facetNames,
    'subscriptions',
    'unique',
    '95% CI',
    'RSE',
    'dup.',
    ...(options.truth !== undefined ? ['truth', 'in CI'] : []),
  ];
}

/** Columns right-aligned in the table: the numbers. */
function isNumeric(header: string): boolean {
  return ['subscriptions', 'unique', '95% CI', 'RSE', 'dup.', 'truth'].includes(header);
}

function toTable(rows: readonly ReportRow[], options: FormatOptions): string {
  const header = humanHeader(options);
  const body = rows.map((r) => humanCells(r, options, true));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => (cells[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (isNumeric(header[i] ?? '') ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n')}\n`;
}

function toMarkdown(rows: readonly ReportRow[], options: FormatOptions): string {
  const header = humanHeader(options);
  const escape = (s: string): string => s.replace(/\|/g, '\\|');
  const line = (cells: readonly string[]): string => `| ${cells.map(escape).join(' | ')} |`;
  const rule = `|${header.map((h) => (isNumeric(h) ? '---:' : '---')).join('|')}|`;
  return `${[line(header), rule, ...rows.map((r) => line(humanCells(r, options, false)))].join('\n')}\n`;
}

function people(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
