/**
 * The territory tree contract and the node store both modes share.
 *
 * Nodes get dense ids in creation order (0 = root) so the cube can keep per-node arrays; the report
 * order (`nodes()`) is separate: parents before children, siblings sorted, recomputed only after the
 * tree has grown.
 */

export interface TerritoryNode {
  /** Dense index, 0..size-1, stable for the tree's lifetime. */
  readonly id: number;
  /** 'RU', 'FEFD', '44000000', '44701000', '44701000001', or file-mode codes. */
  readonly code: string;
  readonly name: string;
  /** A LevelName in OKTMO mode; the file's `level` column (or the depth) in file mode. */
  readonly level: string;
  /** Root = 0. */
  readonly depth: number;
  readonly parent: TerritoryNode | null;
}

export interface TerritoryTree {
  readonly root: TerritoryNode;
  /**
   * Finds or (OKTMO mode) creates the node for a code found in input; throws
   * E_INPUT_TERRITORY_UNKNOWN / _MALFORMED (without location; the caller adds file/line/column).
   */
  resolve(code: string): TerritoryNode;
  /** The node for a code if it exists now; never creates one. */
  get(code: string): TerritoryNode | undefined;
  readonly size: number;
  /** Every node, parents before children, siblings sorted by code: the report order. */
  nodes(): TerritoryNode[];
  /** Parent first, root last; empty for the root. */
  ancestors(node: TerritoryNode): TerritoryNode[];
  /** Level names, root level first. */
  levels(): string[];
}

/** A node as the store keeps it: the contract's fields plus its children (for the report order). */
export class StoredNode implements TerritoryNode {
  readonly children: StoredNode[] = [];

  constructor(
    readonly id: number,
    readonly code: string,
    readonly name: string,
    readonly level: string,
    readonly depth: number,
    readonly parent: StoredNode | null,
  ) {}
}

/** Plain code-unit order: deterministic and locale-independent (OKTMO codes are equal-length digits). */
export function compareCodes(a: StoredNode, b: StoredNode): number {
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}

/** Node storage, lookup and report order; the modes decide how codes resolve and what levels exist. */
export abstract class NodeStore implements TerritoryTree {
  protected readonly all: StoredNode[] = [];
  /** Canonical codes, and in OKTMO mode also the input spellings already resolved (aliases). */
  protected readonly byCode = new Map<string, StoredNode>();
  private order: StoredNode[] | null = null;

  abstract resolve(code: string): TerritoryNode;
  abstract levels(): string[];

  /** @param compareSiblings report order among the children of one node */
  protected constructor(private readonly compareSiblings: (a: StoredNode, b: StoredNode) => number = compareCodes) {}

  get root(): TerritoryNode {
    const root = this.all[0];
    if (root === undefined) throw new Error('territory tree has no root yet');
    return root;
  }

  get size(): number {
    return this.all.length;
  }

  get(code: string): TerritoryNode | undefined {
    return this.byCode.get(code);
  }

  nodes(): TerritoryNode[] {
    if (this.order === null) this.order = this.reportOrder();
    return this.order.slice();
  }

  ancestors(node: TerritoryNode): TerritoryNode[] {
    const out: TerritoryNode[] = [];
    for (let p = node.parent; p !== null; p = p.parent) out.push(p);
    return out;
  }

  /** Adds a node under `parent` (null only for the root, which must come first). */
  protected addNode(code: string, name: string, level: string, parent: StoredNode | null): StoredNode {
    const node = new StoredNode(this.all.length, code, name, level, parent === null ? 0 : parent.depth + 1, parent);
    this.all.push(node);
    this.byCode.set(code, node);
    parent?.children.push(node);
    this.order = null;
    return node;
  }

  private reportOrder(): StoredNode[] {
    const out: StoredNode[] = [];
    const root = this.all[0];
    if (root === undefined) return out;
    // Iterative pre-order: trees from files can be deep enough to overflow a recursive walk.
    const stack: StoredNode[] = [root];
    while (stack.length > 0) {
      const node = stack.pop() as StoredNode;
      out.push(node);
      node.children.sort(this.compareSiblings);
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as StoredNode);
    }
    return out;
  }
}
