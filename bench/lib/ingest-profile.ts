/**
 * Where a reachtree run's time goes, from a V8 CPU profile (`node --cpu-prof`, one thread).
 *
 * Self time of every profile node is put in one bucket. Inside the ingest the bucket follows the
 * source file of the function (scanner = split, hash = MurmurHash3, key table = cell lookup,
 * sketch = sketch add, ingester = the row loop around them); once a call passes through one of
 * the later phases (tree loading, roll-up, report rows, formatting, writing) everything below it
 * is charged to that phase, so sketch unions of the roll-up do not count as "sketch add".
 * V8 reports inlined functions under their own names, so small hot helpers still show up; the
 * sampling interval (1 ms by default) makes buckets under ~1 % noise.
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly hitCount?: number;
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
}

export interface ProfileBucket {
  readonly name: string;
  readonly ms: number;
  readonly share: number;
}

export interface ProfileFunction {
  readonly name: string;
  /** Source file (relative to the build's dist/ or node_modules/) and line, 1-based. */
  readonly where: string;
  readonly ms: number;
  readonly share: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly buckets: ProfileBucket[];
  /** Self time per function, largest first. */
  readonly functions: ProfileFunction[];
}

/** Functions that start a later phase: everything they call is that phase. */
const PHASES: ReadonlyArray<readonly [string, string]> = [
  ['loadTree', 'territory tree'],
  ['rollUp', 'roll-up (sketch unions)'],
  ['buildReport', 'report rows (estimates)'],
  ['formatReport', 'report formatting (CSV)'],
  ['writeFileAtomic', 'report writing'],
];

function ingestBucket(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(idle)') return 'idle (waiting for reads)';
  if (functionName === '(program)') return 'V8 / native (program)';
  if (url.includes('/src/ingest/scanner')) return 'split: CSV scanner';
  if (url.includes('/src/hash/')) return 'hash: MurmurHash3';
  if (url.includes('/src/ingest/keytable')) return 'cell lookup: key table';
  if (url.includes('/src/sketch/')) return 'sketch add';
  if (url.includes('/src/ingest/ingester')) return 'row loop (ingester)';
  if (url.includes('/src/ingest/sources')) return 'byte source (read, gunzip)';
  if (url.includes('/src/')) return 'other reachtree code';
  if (url.startsWith('node:')) return 'Node streams and fs';
  if (url.includes('/node_modules/')) return 'start-up: CLI libraries';
  return url === '' ? `native: ${functionName || '(anonymous)'}` : 'other';
}

export function summariseProfile(file: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  for (const n of profile.nodes) byId.set(n.id, n);
  const hits = new Map<number, number>();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const msPerSample = profile.samples.length > 0 ? totalMs / profile.samples.length : 0;
  const buckets = new Map<string, number>();
  const root = profile.nodes[0];
  if (root === undefined) return { totalMs, buckets: [], functions: [] };
  const functions = new Map<string, { name: string; where: string; ms: number }>();
  // Iterative walk: (node, inherited phase).
  const stack: Array<[ProfileNode, string | undefined]> = [[root, undefined]];
  while (stack.length > 0) {
    const [node, inherited] = stack.pop() as [ProfileNode, string | undefined];
    const phase = inherited ?? PHASES.find(([fn]) => fn === node.callFrame.functionName && node.callFrame.url.includes('/src/'))?.[1];
    const self = (hits.get(node.id) ?? 0) * msPerSample;
    if (self > 0) {
      const bucket = phase ?? ingestBucket(node.callFrame);
      buckets.set(bucket, (buckets.get(bucket) ?? 0) + self);
      const { functionName, url, lineNumber } = node.callFrame;
      const where = url === '' ? '' : `${shortUrl(url)}:${lineNumber + 1}`;
      const k = `${functionName}\u0000${where}`;
      const f = functions.get(k) ?? { name: functionName || '(anonymous)', where, ms: 0 };
      f.ms += self;
      functions.set(k, f);
    }
    for (const c of node.children ?? []) {
      const child = byId.get(c);
      if (child !== undefined) stack.push([child, phase]);
    }
  }
  const share = (ms: number): number => (totalMs > 0 ? ms / totalMs : 0);
  const list = [...buckets].map(([name, ms]) => ({ name, ms, share: share(ms) })).sort((a, b) => b.ms - a.ms);
  const fns = [...functions.values()].map((f) => ({ ...f, share: share(f.ms) })).sort((a, b) => b.ms - a.ms);
  return { totalMs, buckets: list, functions: fns };
}

/** `file:///…/dist/src/ingest/ingester.js` → `src/ingest/ingester.js`; node_modules paths from the package. */
function shortUrl(url: string): string {
  const nm = url.lastIndexOf('/node_modules/');
  if (nm !== -1) return url.slice(nm + '/node_modules/'.length);
  const dist = url.lastIndexOf('/dist/');
  if (dist !== -1) return url.slice(dist + '/dist/'.length);
  return url.replace(/^file:\/\//, '');
}
