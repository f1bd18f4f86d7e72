/**
 * File mode: any tree, given as rows `code,parent,name[,level]` (e.g. from `--hierarchy tree.csv`).
 *
 * The row with an empty parent is the root; there must be exactly one. Every other row's parent must be
 * the code of some row, codes must be unique and non-empty, and following parents from any row must end
 * at the root (no cycles). Each violation is a typed error naming the source and the row's line:
 *
 *   E_HIERARCHY_FORMAT          empty code
 *   E_HIERARCHY_DUPLICATE       a code on two rows (both lines named)
 *   E_HIERARCHY_ROOT            no row, no root, or more than one root
 *   E_HIERARCHY_MISSING_PARENT  a parent code no row defines
 *   E_HIERARCHY_CYCLE           rows that lead back to themselves (the cycle is spelled out)
 *
 * Checks run in that order, so the first error reported is the most basic one. The tree is complete
 * once built: `resolve` finds nodes but never creates them. A node's level is the row's `level` if
 * given, else its depth as text ('0' for the root); its name falls back to its code.
 */

import { ReachtreeError, type InputLocation } from '../errors.js';
import { NodeStore, type StoredNode, type TerritoryNode, type TerritoryTree } from './tree.js';

export interface HierarchyRow {
  readonly code: string;
  /** Empty for the root. */
  readonly parent: string;
  readonly name: string;
  readonly level?: string;
  /** 1-based line in the source file, for error messages. */
  readonly line?: number;
}

/** Builds a file-mode tree; pure (the rows come from `src/ingest/tables.ts` or from memory). */
export function treeFromRows(rows: Iterable<HierarchyRow>, source?: string): TerritoryTree {
  return new FileTree([...rows], source);
}

type Where = (row: HierarchyRow, column?: string, value?: string) => InputLocation;

class FileTree extends NodeStore {
  private readonly levelNames: string[];
  private readonly source: string | undefined;

  constructor(rows: readonly HierarchyRow[], source: string | undefined) {
    super();
    this.source = source;
    const where: Where = (row, column, value) => ({
      ...(source === undefined ? {} : { file: source }),
      ...(row.line === undefined ? {} : { line: row.line }),
      ...(column === undefined ? {} : { column }),
      ...(value === undefined ? {} : { value }),
    });

    // 1. codes: present and unique
    const byCode = new Map<string, HierarchyRow>();
    for (const row of rows) {
      if (row.code.length === 0) {
        throw new ReachtreeError('E_HIERARCHY_FORMAT', 'empty code; every row needs a code', { location: where(row, 'code') });
      }
      const first = byCode.get(row.code);
      if (first !== undefined) {
        throw new ReachtreeError('E_HIERARCHY_DUPLICATE', `duplicate code "${row.code}": already defined${lineOf(first)}`, {
          location: where(row, 'code', row.code),
        });
      }
      byCode.set(row.code, row);
    }

    // 2. exactly one root
    const roots = rows.filter((r) => r.parent.length === 0);
    if (rows.length === 0) {
      throw new ReachtreeError('E_HIERARCHY_ROOT', `the hierarchy has no rows; expected one root row (empty parent) and its descendants`, {
        location: source === undefined ? {} : { file: source },
      });
    }
    const [root, second] = roots;
    if (second !== undefined && root !== undefined) {
      throw new ReachtreeError(
        'E_HIERARCHY_ROOT',
        `second root "${second.code}": expected exactly one row with an empty parent, found ${roots.length} ` +
          `(first: "${root.code}"${lineOf(root)})`,
        { location: where(second, 'parent') },
      );
    }

    // 3. every parent defined
    for (const row of rows) {
      if (row.parent.length > 0 && !byCode.has(row.parent)) {
        throw new ReachtreeError('E_HIERARCHY_MISSING_PARENT', `parent "${row.parent}" of "${row.code}" is not the code of any row`, {
          location: where(row, 'parent', row.parent),
        });
      }
    }
    if (root === undefined) {
      // Every row has a defined parent, so following parents never stops: all of it is cycles.
      throw cycleError(rows[0] as HierarchyRow, rows, byCode, where);
    }

    // 4. build top-down; rows never reached hang off a cycle
    const children = new Map<string, HierarchyRow[]>();
    for (const row of rows) {
      if (row.parent.length === 0) continue;
      const list = children.get(row.parent);
      if (list === undefined) children.set(row.parent, [row]);
      else list.push(row);
    }
    const levels: string[][] = [];
    const queue: Array<[HierarchyRow, StoredNode | null]> = [[root, null]];
    for (let i = 0; i < queue.length; i++) {
      const [row, parent] = queue[i] as [HierarchyRow, StoredNode | null];
      const depth = parent === null ? 0 : parent.depth + 1;
      const level = row.level !== undefined && row.level.length > 0 ? row.level : String(depth);
      const node = this.addNode(row.code, row.name.length > 0 ? row.name : row.code, level, parent);
      const atDepth = (levels[depth] ??= []);
      if (!atDepth.includes(level)) atDepth.push(level);
      for (const child of children.get(row.code) ?? []) queue.push([child, node]);
    }
    if (this.size < rows.length) {
      const stray = rows.find((r) => !this.byCode.has(r.code)) as HierarchyRow;
      throw cycleError(stray, rows, byCode, where);
    }

    const seen = new Set<string>();
    this.levelNames = [];
    for (const atDepth of levels) {
      for (const level of atDepth) {
        if (!seen.has(level)) {
          seen.add(level);
          this.levelNames.push(level);
        }
      }
    }
  }

  override resolve(code: string): TerritoryNode {
    const node = this.byCode.get(code);
    if (node !== undefined) return node;
    throw new ReachtreeError('E_INPUT_TERRITORY_UNKNOWN', `territory code "${code}" is not in the hierarchy${this.source === undefined ? '' : ` ${this.source}`}`);
  }

  /** Distinct level names by depth of first use, root level first. */
  override levels(): string[] {
    return [...this.levelNames];
  }
}

/**
 * Follows parents from `start` until a code repeats and reports that loop, e.g. "A" → "B" → "A",
 * starting from the loop's earliest row in the file so the message does not depend on where we entered.
 */
function cycleError(
  start: HierarchyRow,
  rows: readonly HierarchyRow[],
  byCode: ReadonlyMap<string, HierarchyRow>,
  where: Where,
): ReachtreeError {
  const path: HierarchyRow[] = [];
  const index = new Map<string, number>();
  let row: HierarchyRow | undefined = start;
  while (row !== undefined && !index.has(row.code)) {
    index.set(row.code, path.length);
    path.push(row);
    row = byCode.get(row.parent);
  }
  // Callers guarantee every parent on the way exists and none is the root, so `row` closes a loop.
  const loop = path.slice(index.get((row as HierarchyRow).code));
  const inLoop = new Set(loop);
  const first = rows.find((r) => inLoop.has(r)) as HierarchyRow;
  const at = loop.indexOf(first);
  loop.push(...loop.splice(0, at));
  const spelled = [...loop, first].map((r) => `"${r.code}"`).join(' → ');
  return new ReachtreeError('E_HIERARCHY_CYCLE', `cycle in parents: ${spelled}; every chain of parents must end at the root`, {
    location: where(first, 'parent', first.parent),
  });
}

function lineOf(row: HierarchyRow): string {
  return row.line === undefined ? '' : ` on line ${row.line}`;
}
