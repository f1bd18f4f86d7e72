/**
 * The naive pipeline of issue #5: "a script around fast-csv and hyperloglog-lite" doing reachtree's
 * job the obvious way, so that `bench/ingest.ts` can say how much faster reachtree is.
 *
 *   node dist/bench/naive.js FILE -o report.csv [--limit ROWS]
 *
 * Same job as `reachtree estimate`: every node of the territory tree × (each platform, '*'),
 * subscriptions and unique people. Done naively but not carelessly:
 *   1. fast-csv parses rows into objects ({ headers: true });
 *   2. each row: hyperloglog-lite's hash of the id (its simulated 128-bit murmur) is added to one
 *      HyperLogLog (p = 14, as reachtree's default log2m) per (territory, platform) cell, kept in a
 *      Map keyed by the two strings; subscriptions are counted beside it;
 *   3. roll-up by merging, children before parents (depth-first, so only one path of partial
 *      results is alive): a node's sketch per platform = its own cell ∪ its children's sketches,
 *      and '*' = the union of its platforms. The hierarchy comes from reachtree's OKTMO tree: the
 *      naive pipeline would need some hierarchy too, and this keeps the report's rows the same.
 *
 * --limit stops after that many data rows (a prefix of the file), for files too big to wait for;
 * the orchestrator extrapolates the row phase linearly and says so.
 *
 * Prints one JSON line: rows, cells, nodes, rowPhaseMs (parse + hash + add), rollupMs, wallMs.
 * The report CSV (code,platform,subscriptions,unique) lets the orchestrator check the answers.
 */
import { createReadStream, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse } from 'fast-csv';
import { oktmoTree, type TerritoryNode } from '../src/index.js';

/** hyperloglog-lite has no type declarations; this is the part of its API used here. */
interface LiteHll {
  add(hash: number[]): unknown;
  count(): number;
  output(): { n: number; buckets: Buffer };
  merge(data: { n: number; buckets: Buffer }): void;
}
interface LiteHllModule {
  (n: number): LiteHll;
  hash(value: string): number[];
}
const HyperLogLog = createRequire(import.meta.url)('hyperloglog-lite') as LiteHllModule;

const P = 14;
const ALL = '*';

interface NaiveCell {
  subscriptions: number;
  readonly hll: LiteHll;
}

export interface NaiveResult {
  readonly file: string;
  readonly rows: number;
  readonly limited: boolean;
  readonly cells: number;
  readonly nodes: number;
  readonly rowPhaseMs: number;
  readonly rollupMs: number;
  readonly wallMs: number;
}

interface Row {
  subscriber_id: string;
  platform: string;
  territory: string;
}

async function readCells(file: string, limit: number): Promise<{ cells: Map<string, Map<string, NaiveCell>>; rows: number; limited: boolean }> {
  // territory → platform → cell
  const cells = new Map<string, Map<string, NaiveCell>>();
  let rows = 0;
  let limited = false;
  const input = createReadStream(file);
  const parser = parse<Row, Row>({ headers: true });
  await new Promise<void>((resolve, reject) => {
    input.on('error', reject);
    parser.on('error', reject);
    parser.on('end', resolve);
    parser.on('data', (row: Row) => {
      if (rows >= limit) {
        if (!limited) {
          limited = true;
          input.destroy();
          resolve();
        }
        return;
      }
      rows++;
      let byPlatform = cells.get(row.territory);
      if (byPlatform === undefined) {
        byPlatform = new Map();
        cells.set(row.territory, byPlatform);
      }
      let cell = byPlatform.get(row.platform);
      if (cell === undefined) {
        cell = { subscriptions: 0, hll: HyperLogLog(P) };
        byPlatform.set(row.platform, cell);
      }
      cell.subscriptions++;
      cell.hll.add(HyperLogLog.hash(row.subscriber_id));
    });
    input.pipe(parser);
  });
  return { cells, rows, limited };
}

interface Rolled {
  subscriptions: number;
  readonly hll: LiteHll;
}

/** Depth-first roll-up; appends report lines in the tree's pre-order (parents first). */
function rollUp(cells: Map<string, Map<string, NaiveCell>>): { lines: string[]; nodes: number } {
  const tree = oktmoTree();
  const own = new Map<TerritoryNode, Map<string, NaiveCell>>();
  for (const [code, byPlatform] of cells) own.set(tree.resolve(code), byPlatform);
  // Only nodes on a path to some cell matter.
  const children = new Map<TerritoryNode, TerritoryNode[]>();
  const live = new Set<TerritoryNode>();
  for (const node of own.keys()) {
    for (let n: TerritoryNode | null = node; n !== null && !live.has(n); n = n.parent) {
      live.add(n);
      if (n.parent !== null) {
        const list = children.get(n.parent) ?? [];
        list.push(n);
        children.set(n.parent, list);
      }
    }
  }
  const lines: string[] = [];
  const visit = (node: TerritoryNode): Map<string, Rolled> => {
    const at = lines.length;
    lines.push(''); // this node's lines go here, before its children's
    const rolled = new Map<string, Rolled>();
    // The first input's sketch is taken over rather than copied: it is not read again (a child's
    // lines are already written, a cell is used once), and merging costs a pass over 2^14 buckets.
    const absorb = (platform: string, subscriptions: number, hll: LiteHll): void => {
      const r = rolled.get(platform);
      if (r === undefined) {
        rolled.set(platform, { subscriptions, hll });
        return;
      }
      r.subscriptions += subscriptions;
      r.hll.merge(hll.output());
    };
    for (const [platform, cell] of own.get(node) ?? []) absorb(platform, cell.subscriptions, cell.hll);
    const kids = (children.get(node) ?? []).sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    for (const child of kids) {
      for (const [platform, r] of visit(child)) absorb(platform, r.subscriptions, r.hll);
    }
    const all: Rolled = { subscriptions: 0, hll: HyperLogLog(P) };
    const mine: string[] = [];
    for (const platform of [...rolled.keys()].sort()) {
      const r = rolled.get(platform) as Rolled;
      all.subscriptions += r.subscriptions;
      all.hll.merge(r.hll.output());
      mine.push(`${node.code},${platform},${r.subscriptions},${r.hll.count()}`);
    }
    mine.push(`${node.code},${ALL},${all.subscriptions},${all.hll.count()}`);
    lines[at] = mine.join('\n');
    return rolled;
  };
  visit(tree.root);
  return { lines, nodes: live.size };
}

async function main(argv: readonly string[]): Promise<void> {
  let file: string | undefined;
  let out: string | undefined;
  let limit = Infinity;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-o' || a === '--out') out = argv[++i];
    else if (a === '--limit') limit = Number(argv[++i]);
    else if (a !== undefined && !a.startsWith('-') && file === undefined) file = a;
    else {
      process.stderr.write(`naive: unexpected argument ${JSON.stringify(a)}\nusage: naive FILE -o report.csv [--limit ROWS]\n`);
      process.exit(2);
    }
  }
  if (file === undefined || out === undefined || !(limit > 0)) {
    process.stderr.write('usage: naive FILE -o report.csv [--limit ROWS]\n');
    process.exit(2);
  }
  const t0 = performance.now();
  const { cells, rows, limited } = await readCells(file, limit);
  const t1 = performance.now();
  const { lines, nodes } = rollUp(cells);
  writeFileSync(out, `code,platform,subscriptions,unique\n${lines.join('\n')}\n`);
  const t2 = performance.now();
  let cellCount = 0;
  for (const byPlatform of cells.values()) cellCount += byPlatform.size;
  const result: NaiveResult = { file, rows, limited, cells: cellCount, nodes, rowPhaseMs: t1 - t0, rollupMs: t2 - t1, wallMs: t2 - t0 };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main(process.argv.slice(2));
