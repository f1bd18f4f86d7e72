/**
 * Option groups shared by several commands (territory tree, CSV input, report output), and the
 * one place where command output reaches stdout or a file (atomically).
 */
import { availableParallelism } from 'node:os';
import type { Argv } from 'yargs';
import { ReachtreeError } from '../errors.js';
import type { IngestArgs } from '../ingest/options.js';
import type { TreeArgs } from '../jobs.js';
import { writeFileAtomic, type FileContent } from '../report/atomic.js';
import { REPORT_FORMATS, type ReportFormat } from '../report/formats.js';

/**
 * yargs drops a lone `-` from positional lists (`estimate -` would read no file at all), so the
 * command line is rewritten with a stand-in before parsing and `dash()` turns it back into `-`.
 */
const DASH = '\u0000stdin';

export function protectDashes(argv: readonly string[]): string[] {
  return argv.map((a) => (a === '-' ? DASH : a));
}

export function dash(value: string): string;
export function dash(value: string | undefined): string | undefined;
export function dash(value: string | undefined): string | undefined {
  return value === DASH ? '-' : value;
}

export function dashes(values: readonly string[]): string[] {
  return values.map((v) => dash(v));
}

export interface TreeOptionArgs {
  hierarchy?: string;
  names?: string;
  lang?: string;
}

export function withTreeOptions<T>(y: Argv<T>): Argv<T & TreeOptionArgs> {
  return y
    .option('hierarchy', { type: 'string', describe: 'territory tree CSV (code,parent,name[,level]) instead of OKTMO codes', group: 'Territory tree:' })
    .option('names', { type: 'string', describe: 'OKTMO mode: code,name CSV naming municipal formations and localities', group: 'Territory tree:' })
    .option('lang', { type: 'string', choices: ['ru', 'en'], default: 'ru', describe: 'language of built-in territory names', group: 'Territory tree:' }) as Argv<
    T & TreeOptionArgs
  >;
}

export function treeArgsFrom(args: TreeOptionArgs): TreeArgs {
  return { hierarchy: args.hierarchy, names: args.names, language: args.lang === 'en' ? 'en' : 'ru' };
}

export interface InputOptionArgs {
  by?: string;
  'id-column'?: string;
  'territory-column'?: string;
  delimiter?: string;
  'skip-invalid'?: boolean;
  'max-invalid'?: number;
  rejects?: string;
  progress?: boolean;
  workers?: number;
}

export function withInputOptions<T>(y: Argv<T>): Argv<T & InputOptionArgs> {
  const group = 'CSV input:';
  return y
    .option('by', { type: 'string', describe: 'facet columns, comma-separated (default: platform; "" for none)', group })
    .option('id-column', { type: 'string', describe: 'column of hashed subscriber ids (default: subscriber_id)', group })
    .option('territory-column', { type: 'string', describe: 'column of territory codes (default: territory)', group })
    .option('delimiter', { type: 'string', describe: 'field delimiter, one character; "\\t" for tab (default: ,)', group })
    .option('skip-invalid', { type: 'boolean', describe: 'skip invalid rows instead of failing (see --rejects, --max-invalid)', group })
    .option('max-invalid', { type: 'number', describe: 'with --skip-invalid: fail once more rows than this were rejected', group })
    .option('rejects', { type: 'string', describe: 'with --skip-invalid: write rejected rows here (file,line,reason,raw)', group })
    .option('progress', { type: 'boolean', describe: 'progress on stderr (default: only on a terminal)', group })
    .option('workers', { type: 'number', describe: 'worker threads for file input (default: number of cores)', group }) as Argv<T & InputOptionArgs>;
}

export function ingestArgsFrom(args: InputOptionArgs): IngestArgs {
  const out: IngestArgs = {};
  if (args.by !== undefined) out.facetColumns = args.by.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (args['id-column'] !== undefined) out.idColumn = args['id-column'];
  if (args['territory-column'] !== undefined) out.territoryColumn = args['territory-column'];
  if (args.delimiter !== undefined) out.delimiter = args.delimiter === '\\t' ? '\t' : args.delimiter;
  if (args['skip-invalid'] !== undefined) out.skipInvalid = args['skip-invalid'];
  if (args['max-invalid'] !== undefined) out.maxInvalid = args['max-invalid'];
  if (args.rejects !== undefined) out.rejectsFile = args.rejects;
  out.progress = args.progress ?? 'auto';
  out.workers = args.workers ?? availableParallelism();
  if ((out.rejectsFile !== undefined || out.maxInvalid !== undefined) && out.skipInvalid !== true) {
    throw new ReachtreeError('E_CONFIG_OPTION', '--rejects and --max-invalid only apply with --skip-invalid');
  }
  return out;
}

export interface ReportOptionArgs {
  level?: string;
  format: string;
  out?: string;
  'all-nodes'?: boolean;
  truth?: string;
}

export function withReportOptions<T>(y: Argv<T>): Argv<T & ReportOptionArgs> {
  const group = 'Report:';
  return y
    .option('level', { type: 'string', describe: 'only these levels, comma-separated (e.g. region or municipal,locality)', group })
    .option('format', { type: 'string', choices: [...REPORT_FORMATS], default: 'table', describe: 'output format', group })
    .option('out', { alias: 'o', type: 'string', describe: 'write the report to this file (atomically) instead of stdout', group })
    .option('all-nodes', { type: 'boolean', describe: 'also list territories without subscriptions', group })
    .option('truth', { type: 'string', describe: 'truth CSV (code,platform,unique,…): check every interval against it', group }) as Argv<T & ReportOptionArgs>;
}

export function levelsFrom(args: ReportOptionArgs): string[] | undefined {
  return args.level === undefined ? undefined : args.level.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

export function reportFormatFrom(args: ReportOptionArgs): ReportFormat {
  return args.format as ReportFormat;
}

/** stdout, or the named file written atomically (complete or absent). */
export async function writeOutput(out: string | undefined, content: FileContent): Promise<void> {
  out = dash(out);
  if (out !== undefined && out !== '-') {
    await writeFileAtomic(out, content);
    return;
  }
  if (typeof content === 'string' || content instanceof Uint8Array) {
    process.stdout.write(content);
    return;
  }
  for await (const piece of content) process.stdout.write(piece);
}

/** The PostgreSQL edge of the library (`src/pg`), for commands given `--pg`. */
export type PgEdge = typeof import('../pg/index.js');

/** Loads the PostgreSQL edge when `--pg` was given (its client costs ~90 ms at every start), else undefined. */
export async function loadPgEdge(pg: string | undefined): Promise<PgEdge | undefined> {
  return pg === undefined ? undefined : import('../pg/index.js');
}
