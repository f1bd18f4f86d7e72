/**
 * The jobs a user runs, as library functions: the CLI commands are thin wrappers around these,
 * and an embedding program calls them directly.
 *
 *   estimate = ingest CSV rows → cells → roll-up → report rows
 *   report   = read cells files → roll-up → report rows   (identical rows for the same input)
 *   build    = ingest CSV rows → cells file
 *   merge    = read cells files → one cells file
 */
import { rollUpEach, type Cube } from './cube/index.js';
import { ReachtreeError } from './errors.js';
import { readCellsFiles } from './ingest/cells.js';
import type { IngestArgs } from './ingest/options.js';
import { ingestFiles, type IngestIo } from './ingest/pipeline.js';
import type { IngestSummary } from './ingest/progress.js';
import { readHierarchy, readNamesCsv } from './ingest/tables.js';
import { buildReport, type ReportRow } from './report/rows.js';
import type { HllParams } from './sketch/index.js';
import { canonicalOktmoCode, oktmoTree, type NameLanguage, type TerritoryTree } from './territory/index.js';

export interface TreeArgs {
  /** File-mode hierarchy CSV (`code,parent,name[,level]`); OKTMO mode when absent. */
  readonly hierarchy?: string | undefined;
  /** OKTMO mode: a `code,name` CSV naming formations and localities. */
  readonly names?: string | undefined;
  /** OKTMO mode: language of built-in names. */
  readonly language?: NameLanguage | undefined;
}

export async function loadTree(args: TreeArgs = {}): Promise<TerritoryTree> {
  if (args.hierarchy !== undefined) return readHierarchy(args.hierarchy);
  const names = args.names !== undefined ? await readNamesCsv(args.names, { canonical: canonicalOktmoCode }) : undefined;
  return oktmoTree({ ...(names !== undefined ? { names } : {}), ...(args.language !== undefined ? { language: args.language } : {}) });
}

export interface ReportArgs {
  /** Keep only rows of these levels. */
  readonly levels?: readonly string[] | undefined;
  /** Also list nodes with no subscriptions in their subtree (off: they are left out). */
  readonly allNodes?: boolean | undefined;
}

export interface ReportResult {
  readonly rows: ReportRow[];
  readonly facetNames: readonly string[];
  readonly tree: TerritoryTree;
  readonly cube: Cube;
}

/** Roll-up and report rows of a cube: the shared tail of `estimate` and `report`. */
export function reportCube(cube: Cube, tree: TerritoryTree, args: ReportArgs = {}): ReportResult {
  const known = new Set(tree.levels());
  for (const level of args.levels ?? []) {
    if (!known.has(level)) {
      throw new ReachtreeError('E_CONFIG_OPTION', `unknown level "${level}"; this tree has levels: ${[...known].join(', ')}`);
    }
  }
  // Rows are made node by node as the roll-up finishes them, so each merged sketch can go once
  // its parent has it; the report keeps figures only.
  const byNode: ReportRow[][] = [];
  rollUpEach(cube, tree, (cells, index) => {
    byNode[index] = buildReport(
      cells.filter((c) => args.allNodes === true || c.subscriptions > 0),
      { levels: args.levels ?? [] },
    );
  });
  return { rows: byNode.flat(), facetNames: cube.facetNames, tree, cube };
}

export interface EstimateResult extends ReportResult {
  readonly summary: IngestSummary;
}

/** The main job: CSV files ('-' = stdin; plain or gzip) → report rows for every node. */
export async function estimateFiles(
  paths: readonly string[],
  options: { tree?: TreeArgs; ingest?: IngestArgs; params?: Partial<HllParams>; report?: ReportArgs; io?: IngestIo } = {},
): Promise<EstimateResult> {
  const tree = await loadTree(options.tree);
  const { cube, summary } = await ingestFiles(paths, tree, options.ingest, options.params, options.io);
  return { ...reportCube(cube, tree, options.report), summary };
}

/** Report rows from stored cells files (`reachtree build` / `merge` output, or PostgreSQL exports). */
export async function reportFromCells(
  paths: readonly string[],
  options: { tree?: TreeArgs; report?: ReportArgs; stdin?: AsyncIterable<Uint8Array> } = {},
): Promise<ReportResult> {
  const tree = await loadTree(options.tree);
  const { cube } = await readCellsFiles(paths, tree, options.stdin !== undefined ? { stdin: options.stdin } : {});
  return reportCube(cube, tree, options.report);
}
