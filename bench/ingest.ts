/**
 * Whole-run ingest benchmark for issue #5 ("National scale on two cores").
 *
 *   npm run build && node dist/bench/ingest.js [--sizes 1e6,1e7,5e7] [--workers 1,2] [--repeats 3]
 *       [--national] [--profile] [--naive-rows 1e6] [--naive-repeats 3] [--no-naive]
 *       [--gzip-sizes 1e6,1e7] [--scratch DIR] [--out bench/results/ingest.md] [--cli PATH]
 *       [--source-commit SHA] [--wait-idle 0.6]
 *
 * For each size (deterministic national-shaped input from `reachtree sample --seed 1`, cached in
 * the scratch folder, never in the repository) it runs, as separate child processes, measured from
 * outside (wall time spawn → exit, peak RSS via GNU time; see lib/ingest-run.ts):
 *   - floor.ts:      the bare row-splitting floor with the same number of worker threads;
 *   - reachtree:     `estimate FILE --workers N --format csv -o …`, the full roll-up (all levels,
 *                    per platform and '*');
 *   - gzip:          reachtree on the gzip copy against floor.ts --gunzip (node:zlib alone);
 *   - naive.ts:      fast-csv + hyperloglog-lite on the first --naive-rows rows, extrapolated;
 * repeated --repeats times, floor and reachtree interleaved so that load from other processes on
 * the shared machine hits both alike; figures are medians. Every reachtree and naive output is
 * checked (lib/ingest-check.ts) and every reachtree report is compared byte for byte with the
 * first one of its size: across worker counts, repeats, gzip, a three-way file split, and odd
 * chunk/unit sizes (library call). The table and the verdicts against the issue's targets go to
 * stdout and to --out.
 *
 * --national adds the memory run: the full 115 M-row national file (≈ 9 GB in the scratch folder)
 * once, at the largest worker count. --profile adds a CPU profile of a one-thread run on the
 * smallest size, summarised per stage (lib/ingest-profile.ts).
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { estimateFiles, formatReport } from '../src/index.js';
import type { FloorResult } from './floor.js';
import { checkNaiveReport, checkReachtreeReport, readTruth, type CheckResult, type Truth } from './lib/ingest-check.js';
import { splitCsv } from './lib/ingest-files.js';
import { summariseProfile, type ProfileSummary } from './lib/ingest-profile.js';
import { measureNodeOrFail, median, waitForIdleCpu, type Measured } from './lib/ingest-run.js';
import type { NaiveResult } from './naive.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const NATIONAL_ROWS = 115_000_000;
const SEED = 1;

// ───────────────────────────── options ─────────────────────────────

interface BenchOptions {
  readonly sizes: number[];
  readonly workers: number[];
  readonly repeats: number;
  readonly national: boolean;
  readonly profile: boolean;
  readonly naive: boolean;
  readonly naiveRows: number;
  readonly naiveRepeats: number;
  readonly gzipSizes: number[];
  readonly scratch: string;
  readonly out: string;
  readonly cli: string;
  /** The commit a snapshot CLI (--cli outside this checkout) was built from; named in the results. */
  readonly sourceCommit: string | undefined;
  /** Before each timed run, wait (up to 3 min) until the CPUs were this idle over 2 s; 0 = never wait. */
  readonly waitIdle: number;
}

function numberList(text: string, what: string): number[] {
  const values = text.split(',').map((s) => Number(s.trim()));
  if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v < 1)) throw new Error(`${what}: expected positive integers, found ${JSON.stringify(text)}`);
  return values;
}

function parseOptions(argv: readonly string[]): BenchOptions {
  let sizes = [1e6, 1e7];
  let workers = [1, 2];
  let repeats = 3;
  let national = false;
  let profile = false;
  let naive = true;
  let naiveRows = 1e6;
  let naiveRepeats: number | undefined;
  let gzipSizes: number[] | undefined;
  let scratch = process.env['REACHTREE_BENCH_DIR'] ?? join(tmpdir(), 'reachtree-bench');
  let out = resolve('bench/results/ingest.md');
  let cli = join(HERE, '../src/cli/main.js');
  let sourceCommit: string | undefined;
  let waitIdle = 0;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--sizes') sizes = numberList(value(), a);
    else if (a === '--workers') workers = numberList(value(), a);
    else if (a === '--repeats') repeats = numberList(value(), a)[0] ?? 3;
    else if (a === '--national') national = true;
    else if (a === '--profile') profile = true;
    else if (a === '--no-naive') naive = false;
    else if (a === '--naive-rows') naiveRows = numberList(value(), a)[0] ?? 1e6;
    else if (a === '--naive-repeats') naiveRepeats = numberList(value(), a)[0];
    else if (a === '--gzip-sizes') {
      const v = value();
      gzipSizes = v === 'none' ? [] : numberList(v, a);
    }
    else if (a === '--scratch') scratch = resolve(value());
    else if (a === '--out') out = resolve(value());
    else if (a === '--cli') cli = resolve(value());
    else if (a === '--source-commit') sourceCommit = value();
    else if (a === '--wait-idle') {
      waitIdle = Number(value());
      if (!(waitIdle >= 0 && waitIdle < 1)) throw new Error('--wait-idle: expected a share of idle CPU from 0 to 0.99');
    }
    else throw new Error(`unknown argument ${JSON.stringify(a)} (see the header of bench/ingest.ts)`);
  }
  sizes = [...new Set(sizes)].sort((x, y) => x - y);
  workers = [...new Set(workers)].sort((x, y) => x - y);
  return {
    sizes,
    workers,
    repeats,
    national,
    profile,
    naive,
    naiveRows,
    naiveRepeats: naiveRepeats ?? repeats,
    gzipSizes: gzipSizes ?? sizes.filter((n) => n <= 1e7),
    scratch,
    out,
    cli,
    sourceCommit,
    waitIdle,
  };
}

// ───────────────────────────── inputs ─────────────────────────────

interface Input {
  readonly rows: number;
  readonly dir: string;
  readonly csv: string;
  readonly gz: string | undefined;
  readonly truthFile: string;
  readonly bytes: number;
  readonly gzBytes: number | undefined;
}

function log(text: string): void {
  process.stderr.write(`[bench] ${text}\n`);
}

function label(rows: number): string {
  if (rows % 1e6 === 0) return `${rows / 1e6}M`;
  if (rows % 1e3 === 0) return `${rows / 1e3}k`;
  return String(rows);
}

/** Generates (once; a stamp file marks a complete set) the plain and, if asked, gzip inputs. */
async function prepareInput(o: BenchOptions, rows: number, withGzip: boolean): Promise<Input> {
  const dir = join(o.scratch, `national-${label(rows)}-seed${SEED}`);
  mkdirSync(dir, { recursive: true });
  const csv = join(dir, 'subs.csv');
  const gz = join(dir, 'subs.csv.gz');
  const truthFile = join(dir, 'truth.csv');
  const stamp = join(dir, 'stamp.json');
  const stampOf = (file: string): string => `${file}.stamp`;
  if (!existsSync(stamp) || !existsSync(csv) || !existsSync(truthFile)) {
    log(`generating ${label(rows)} rows in ${dir} …`);
    const m = await measureNodeOrFail('sample', [o.cli, 'sample', '--scope', 'national', '--rows', String(rows), '--seed', String(SEED), '-o', csv, '--truth', truthFile]);
    writeFileSync(stamp, JSON.stringify({ rows, seed: SEED, bytes: statSync(csv).size, seconds: m.wallMs / 1000 }));
  }
  if (withGzip && !existsSync(stampOf(gz))) {
    log(`generating the gzip copy of ${label(rows)} …`);
    const gzTruth = join(dir, 'truth-gz.csv');
    await measureNodeOrFail('sample (gzip)', [o.cli, 'sample', '--scope', 'national', '--rows', String(rows), '--seed', String(SEED), '-o', gz, '--truth', gzTruth]);
    // Same seed, same generator: the truths must agree, or the gzip copy is another input.
    if (!readFileSync(gzTruth).equals(readFileSync(truthFile))) throw new Error(`${gz}: its truth differs from ${truthFile}; delete ${dir} and rerun`);
    rmSync(gzTruth);
    writeFileSync(stampOf(gz), JSON.stringify({ rows, seed: SEED, bytes: statSync(gz).size }));
  }
  return {
    rows,
    dir,
    csv,
    gz: withGzip ? gz : undefined,
    truthFile,
    bytes: statSync(csv).size,
    gzBytes: withGzip ? statSync(gz).size : undefined,
  };
}

// ───────────────────────────── runs ─────────────────────────────

interface Timing {
  readonly wallMs: number;
  readonly peakRssBytes: number | undefined;
  readonly cpuMs: number | undefined;
  /** 1-minute load average when the run started. */
  readonly load: number;
}

interface ReachtreeRun extends Timing {
  readonly what: string;
  readonly ingestSeconds: number | undefined;
  readonly check: CheckResult;
  readonly digest: string;
}

interface Series<T extends Timing> {
  readonly runs: T[];
}

const medianWall = <T extends Timing>(s: Series<T>): number => median(s.runs.map((r) => r.wallMs));
const medianCpu = <T extends Timing>(s: Series<T>): number => median(s.runs.map((r) => r.cpuMs ?? NaN));
const medianLoad = <T extends Timing>(s: Series<T>): number => median(s.runs.map((r) => r.load));
const maxRss = <T extends Timing>(s: Series<T>): number | undefined => {
  const values = s.runs.map((r) => r.peakRssBytes).filter((v): v is number => v !== undefined);
  return values.length > 0 ? Math.max(...values) : undefined;
};
const medianRss = <T extends Timing>(s: Series<T>): number | undefined => {
  const values = s.runs.map((r) => r.peakRssBytes).filter((v): v is number => v !== undefined);
  return values.length > 0 ? median(values) : undefined;
};

/** Idle waits before timed runs: how many, and how many gave up (the machine stayed busy). */
const idleWaits = { runs: 0, gaveUp: 0 };

/** A timed child run, after waiting for the neighbours to quiet down when --wait-idle asks so. */
async function measureTimed(what: string, nodeArgs: readonly string[]): Promise<Measured> {
  const { waitIdle } = o();
  if (waitIdle > 0) {
    const w = await waitForIdleCpu(waitIdle, 180_000);
    idleWaits.runs++;
    if (w.idle < waitIdle) {
      idleWaits.gaveUp++;
      log(`CPU still ${pct(1 - w.idle)} busy after ${(w.waitedMs / 1000).toFixed(0)} s; running ${what} anyway`);
    } else if (w.waitedMs > 5000) {
      log(`waited ${(w.waitedMs / 1000).toFixed(0)} s for idle CPU`);
    }
  }
  return measureNodeOrFail(what, nodeArgs);
}

function digestFile(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

async function runFloor(file: string, workers: number, gunzip: boolean): Promise<Timing & { result: FloorResult }> {
  const args = gunzip ? [join(HERE, 'floor.js'), '--gunzip', file] : [join(HERE, 'floor.js'), file, '--workers', String(workers)];
  const m = await measureTimed('floor', args);
  return { wallMs: m.wallMs, peakRssBytes: m.peakRssBytes, cpuMs: m.cpuMs, load: m.load, result: JSON.parse(m.stdout) as FloorResult };
}

async function runReachtree(
  what: string,
  files: readonly string[],
  workers: number,
  out: string,
  input: Input,
  truth: Truth,
  nodeFlags: readonly string[] = [],
): Promise<ReachtreeRun> {
  rmSync(out, { force: true });
  const m: Measured = await measureTimed('reachtree estimate', [
    ...nodeFlags,
    '--no-deprecation',
    o().cli,
    'estimate',
    ...files,
    '--workers',
    String(workers),
    '--format',
    'csv',
    '--progress',
    'false',
    '-o',
    out,
  ]);
  const check = checkReachtreeReport(out, m.stderr, input.rows, truth);
  const elapsed = /elapsed ([\d.]+) s/.exec(m.stderr);
  const run: ReachtreeRun = {
    what,
    wallMs: m.wallMs,
    peakRssBytes: m.peakRssBytes,
    cpuMs: m.cpuMs,
    load: m.load,
    ingestSeconds: elapsed === null ? undefined : Number(elapsed[1]),
    check,
    digest: digestFile(out),
  };
  log(
    `${what}: ${(m.wallMs / 1000).toFixed(2)} s (CPU ${((m.cpuMs ?? NaN) / 1000).toFixed(2)} s, load ${m.load.toFixed(1)}), RSS ${mb(m.peakRssBytes)}, check ${check.ok ? 'ok' : `FAILED: ${check.problems.join('; ')}`}, coverage ${pct(check.coverage)}`,
  );
  return run;
}

interface NaiveRun extends Timing {
  readonly result: NaiveResult;
  readonly check: CheckResult;
}

async function runNaive(input: Input, limit: number, out: string, truth: Truth): Promise<NaiveRun> {
  const args = ['--no-deprecation', join(HERE, 'naive.js'), input.csv, '-o', out];
  if (limit < input.rows) args.push('--limit', String(limit));
  const m = await measureTimed('naive', args);
  const result = JSON.parse(m.stdout) as NaiveResult;
  const check = checkNaiveReport(out, result.rows, result.limited ? undefined : truth);
  if (result.rows !== Math.min(limit, input.rows)) check.problems.push(`naive read ${result.rows} rows, expected ${Math.min(limit, input.rows)}`);
  log(`naive ${label(input.rows)} (${label(result.rows)} rows): ${(m.wallMs / 1000).toFixed(1)} s (rows ${(result.rowPhaseMs / 1000).toFixed(1)} s, roll-up ${(result.rollupMs / 1000).toFixed(1)} s), check ${check.problems.length === 0 ? 'ok' : `FAILED: ${check.problems.join('; ')}`}`);
  return { wallMs: m.wallMs, peakRssBytes: m.peakRssBytes, cpuMs: m.cpuMs, load: m.load, result, check: { ...check, ok: check.problems.length === 0 } };
}

/**
 * Naive wall time on the whole file from a prefix run: the row phase (parse + hash + add) scales
 * with rows; start-up and roll-up are kept as measured on the prefix. That understates the naive
 * time (its roll-up grows with the number of cells), so the speed-up derived from it is a floor.
 */
function extrapolateNaive(run: NaiveRun, rows: number): number {
  const { rowPhaseMs, rows: measured } = run.result;
  return run.wallMs - rowPhaseMs + rowPhaseMs * (rows / measured);
}

// ───────────────────────────── the run ─────────────────────────────

let OPTIONS: BenchOptions | undefined;
const o = (): BenchOptions => OPTIONS as BenchOptions;

interface SizeResult {
  readonly input: Input;
  readonly floors: Map<number, Series<Timing & { result: FloorResult }>>;
  readonly reachtree: Map<number, Series<ReachtreeRun>>;
  gunzipFloor?: Series<Timing & { result: FloorResult }>;
  gzip?: Series<ReachtreeRun>;
  naive?: Series<NaiveRun>;
  readonly identity: Array<{ what: string; same: boolean }>;
  readonly national: boolean;
}

async function benchSize(rows: number, national: boolean): Promise<SizeResult> {
  const opts = o();
  const workers = national ? [Math.max(...opts.workers)] : opts.workers;
  const repeats = national ? 1 : opts.repeats;
  const withGzip = !national && opts.gzipSizes.includes(rows);
  const input = await prepareInput(opts, rows, withGzip);
  const truth = readTruth(input.truthFile);
  const result: SizeResult = { input, floors: new Map(), reachtree: new Map(), identity: [], national };
  const outDir = join(input.dir, 'out');
  mkdirSync(outDir, { recursive: true });

  for (let rep = 1; rep <= repeats; rep++) {
    for (const w of workers) {
      const f = await runFloor(input.csv, w, false);
      if (f.result.rows !== rows) throw new Error(`floor counted ${f.result.rows} rows in ${input.csv}, expected ${rows}`);
      log(`floor ${label(rows)} w${w} #${rep}: ${(f.wallMs / 1000).toFixed(2)} s`);
      const floors = result.floors.get(w) ?? { runs: [] };
      floors.runs.push(f);
      result.floors.set(w, floors);
      const r = await runReachtree(`reachtree ${label(rows)} w${w} #${rep}`, [input.csv], w, join(outDir, `w${w}.csv`), input, truth);
      const series = result.reachtree.get(w) ?? { runs: [] };
      series.runs.push(r);
      result.reachtree.set(w, series);
    }
  }
  const first = result.reachtree.get(workers[0] ?? 1)?.runs[0];
  const reference = first?.digest ?? '';
  for (const [w, s] of result.reachtree) {
    result.identity.push({ what: `${label(rows)}: --workers ${w}, ${s.runs.length} repeats`, same: s.runs.every((r) => r.digest === reference) });
  }

  if (withGzip && input.gz !== undefined) {
    const w = Math.max(...workers);
    result.gunzipFloor = { runs: [] };
    result.gzip = { runs: [] };
    for (let rep = 1; rep <= repeats; rep++) {
      const f = await runFloor(input.gz, 1, true);
      if (f.result.bytes !== input.bytes) throw new Error(`gunzip floor inflated ${f.result.bytes} bytes, expected ${input.bytes}`);
      log(`gunzip floor ${label(rows)} #${rep}: ${(f.wallMs / 1000).toFixed(2)} s`);
      result.gunzipFloor.runs.push(f);
      result.gzip.runs.push(await runReachtree(`reachtree ${label(rows)} gzip w${w} #${rep}`, [input.gz], w, join(outDir, `gz-w${w}.csv`), input, truth));
    }
    result.identity.push({ what: `${label(rows)}: gzip input, --workers ${w}`, same: result.gzip.runs.every((r) => r.digest === reference) });
  }

  if (!national && rows === opts.sizes[0]) await identityExtras(result, truth, reference);

  if (!national && opts.naive) {
    const limit = Math.min(opts.naiveRows, rows);
    result.naive = { runs: [] };
    for (let rep = 1; rep <= opts.naiveRepeats; rep++) result.naive.runs.push(await runNaive(input, limit, join(outDir, 'naive.csv'), truth));
  }
  return result;
}

/** Smallest size only: the same report from a three-way split, and from odd chunk/unit sizes. */
async function identityExtras(result: SizeResult, truth: Truth, reference: string): Promise<void> {
  const { input } = result;
  const w = Math.max(...o().workers);
  const parts = [1, 2, 3].map((k) => join(input.dir, `part${k}.csv`));
  if (!parts.every((p) => existsSync(p))) await splitCsv(input.csv, parts);
  const split = await runReachtree(`reachtree ${label(input.rows)} 3 parts w${w}`, parts, w, join(input.dir, 'out', 'parts.csv'), input, truth);
  result.identity.push({ what: `${label(input.rows)}: the file split in 3 parts (uneven, header repeated), --workers ${w}`, same: split.digest === reference && split.check.ok });

  // In-process library call: chunk and unit sizes are not CLI options.
  for (const [workers, chunkBytes, unitBytes] of [
    [1, 4_099, undefined],
    [w, 65_521, 100_003],
  ] as const) {
    const estimate = await estimateFiles([input.csv], {
      tree: { language: 'ru' },
      ingest: { workers, chunkBytes, progress: false, ...(unitBytes !== undefined ? { unitBytes } : {}) },
    });
    const csv = await formatReport(estimate.rows, 'csv', { facetNames: estimate.facetNames });
    const digest = createHash('sha256').update(csv).digest('hex');
    const what = `${label(input.rows)}: library call, workers ${workers}, chunkBytes ${chunkBytes}${unitBytes !== undefined ? `, unitBytes ${unitBytes}` : ''}`;
    result.identity.push({ what, same: digest === reference });
    log(`${what}: ${digest === reference ? 'identical' : 'DIFFERENT'}`);
  }
}

async function profileRun(input: Input): Promise<ProfileSummary> {
  const dir = join(input.dir, 'profile');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const truth = readTruth(input.truthFile);
  await runReachtree(`reachtree ${label(input.rows)} w1 --cpu-prof`, [input.csv], 1, join(dir, 'report.csv'), input, truth, ['--cpu-prof', '--cpu-prof-dir', dir]);
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (file === undefined) throw new Error(`no .cpuprofile in ${dir}`);
  return summariseProfile(join(dir, file));
}

// ───────────────────────────── report ─────────────────────────────

function mb(bytes: number | undefined): string {
  return bytes === undefined ? 'n/a' : `${(bytes / 1e6).toFixed(0)} MB`;
}

function pct(x: number): string {
  return Number.isNaN(x) ? 'n/a' : `${(100 * x).toFixed(1)} %`;
}

function sec(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

function spread<T extends Timing>(s: Series<T>): string {
  const walls = s.runs.map((r) => r.wallMs);
  return s.runs.length > 1 ? `${sec(Math.min(...walls))}–${sec(Math.max(...walls))}` : '';
}

function ratio(x: number): string {
  return Number.isFinite(x) ? `${x.toFixed(2)}×` : 'n/a';
}

function git(args: readonly string[]): string {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

interface Verdict {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean | undefined;
}

function verdictText(v: boolean | undefined): string {
  return v === undefined ? 'not measured' : v ? 'met' : '**missed**';
}

function render(results: SizeResult[], profile: ProfileSummary | undefined, profileRows: number | undefined, env: { load0: number[]; load1: number[]; started: Date; seconds: number }): string {
  const opts = o();
  const wMax = Math.max(...opts.workers);
  const wMin = Math.min(...opts.workers);
  const L: string[] = [];
  // A snapshot (built from `git archive` of --source-commit) has no uncommitted changes to report.
  const rev = opts.sourceCommit ?? 'HEAD';
  const commit = git(['rev-parse', '--short', rev]);
  const dirty = opts.sourceCommit === undefined ? git(['status', '--porcelain', '--', 'src']) : '';
  const workersCommit = git(['log', '--oneline', '-1', '-i', '--grep', 'worker', rev, '--', 'src/ingest']);
  L.push('# Ingest throughput (issue #5)', '');
  L.push(`Generated by \`node dist/bench/ingest.js ${process.argv.slice(2).join(' ')}\` on ${env.started.toISOString().slice(0, 16).replace('T', ' ')} UTC (${(env.seconds / 60).toFixed(0)} min).`);
  L.push(
    `Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, shared with other jobs (load average ${env.load0.map((x) => x.toFixed(1)).join('/')} at the start, ${env.load1.map((x) => x.toFixed(1)).join('/')} at the end); Node ${process.version}.`,
  );
  L.push(
    `Code: commit ${commit || 'unknown'}${dirty !== '' ? ' **plus uncommitted changes in src/** (measured as built from the working tree)' : ''}${opts.sourceCommit !== undefined ? ` (a clean \`git archive\` of it, built outside the checkout: \`${opts.cli}\`)` : ''}; last src/ingest commit mentioning workers: ${workersCommit === '' ? 'none (parallel ingest not committed yet)' : `\`${workersCommit}\``}.`,
  );
  L.push(`Inputs: \`reachtree sample --scope national --seed ${SEED}\` (64-hex id, platform, OKTMO code), cached in \`${opts.scratch}\`. Wall times are medians of ${opts.repeats} run${opts.repeats > 1 ? 's' : ''} (spawn to exit: start-up, tree, ingest, roll-up, report written); floor and reachtree runs interleaved.${
      opts.waitIdle > 0
        ? ` Before each timed run the bench waited until the CPUs were ≥ ${pct(opts.waitIdle)} idle over 2 s (at most 3 min; ${idleWaits.gaveUp} of ${idleWaits.runs} runs gave up waiting).`
        : ''
    }`, '');

  // Main table.
  L.push('## Wall time, throughput, memory', '');
  L.push('| rows | file | workers | floor | reachtree (range) | reachtree / floor | rows/s | MB/s | ingest part | CPU: floor, reachtree | CPU ratio | load | peak RSS | checks |');
  L.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const r of results) {
    for (const [w, s] of r.reachtree) {
      const floor = r.floors.get(w);
      const t = medianWall(s);
      const f = floor !== undefined ? medianWall(floor) : NaN;
      const fc = floor !== undefined ? medianCpu(floor) : NaN;
      const ingest = median(s.runs.map((x) => x.ingestSeconds ?? NaN));
      const checks = s.runs.every((x) => x.check.ok) ? `ok, CI coverage ${pct(s.runs[0]?.check.coverage ?? NaN)}` : `FAILED: ${s.runs.flatMap((x) => x.check.problems).slice(0, 3).join('; ')}`;
      L.push(
        `| ${label(r.input.rows)}${r.national ? ' (national)' : ''} | ${(r.input.bytes / 1e6).toFixed(0)} MB | ${w} | ${sec(f)} | ${sec(t)} ${spread(s) !== '' ? `(${spread(s)})` : ''} | ${ratio(t / f)} | ${((r.input.rows / t) * 1000 / 1e6).toFixed(2)} M | ${((r.input.bytes / t) * 1000 / 1e6).toFixed(0)} | ${Number.isNaN(ingest) ? 'n/a' : `${ingest.toFixed(1)} s`} | ${sec(fc)}, ${sec(medianCpu(s))} | ${ratio(medianCpu(s) / fc)} | ${medianLoad(s).toFixed(1)} | ${mb(medianRss(s))} | ${checks} |`,
      );
    }
  }
  L.push(
    '',
    '"ingest part": reachtree\'s own elapsed time for reading and sketching (its summary line); the rest of the wall time is start-up, roll-up and the report. CPU: user + system time of all threads (median), which hardly depends on the load of the shared machine; "load": median 1-minute load average when reachtree runs started (2 cores, so above 2 the runs waited for the CPU and wall times grow). Peak RSS: median over repeats, whole process (all threads).',
    '',
  );

  // gzip.
  const gz = results.filter((r) => r.gzip !== undefined && r.gunzipFloor !== undefined);
  if (gz.length > 0) {
    L.push('## gzip input', '');
    L.push('| rows | .gz size | zlib gunzip alone | reachtree on .gz (workers) | ratio | CPU: gunzip, reachtree | CPU ratio | load | peak RSS |');
    L.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of gz) {
      const s = r.gzip as Series<ReachtreeRun>;
      const floor = r.gunzipFloor as Series<Timing>;
      const f = medianWall(floor);
      L.push(
        `| ${label(r.input.rows)} | ${((r.input.gzBytes ?? 0) / 1e6).toFixed(0)} MB | ${sec(f)} | ${sec(medianWall(s))} (${wMax}) | ${ratio(medianWall(s) / f)} | ${sec(medianCpu(floor))}, ${sec(medianCpu(s))} | ${ratio(medianCpu(s) / medianCpu(floor))} | ${medianLoad(s).toFixed(1)} | ${mb(medianRss(s))} |`,
      );
    }
    L.push('');
  }

  // Naive.
  const nv = results.filter((r) => r.naive !== undefined);
  if (nv.length > 0) {
    L.push('## Naive pipeline (fast-csv + hyperloglog-lite, one thread)', '');
    L.push('| rows | rows measured | measured wall (row phase + roll-up) | naive on the whole file | reachtree, workers ' + wMax + ' | speed-up | peak RSS (measured) | checks |');
    L.push('|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const r of nv) {
      const s = r.naive as Series<NaiveRun>;
      const m = median(s.runs.map((x) => x.wallMs));
      const mid = [...s.runs].sort((a, b) => a.wallMs - b.wallMs)[s.runs.length >> 1] as NaiveRun;
      const whole = median(s.runs.map((x) => extrapolateNaive(x, r.input.rows)));
      const rt = r.reachtree.get(wMax);
      const rtWall = rt !== undefined ? medianWall(rt) : NaN;
      const limited = mid.result.limited;
      L.push(
        `| ${label(r.input.rows)} | ${label(mid.result.rows)}${limited ? ' (prefix)' : ''} | ${sec(m)} (${sec(mid.result.rowPhaseMs)} + ${sec(mid.result.rollupMs)}) | ${sec(whole)}${limited ? ' **extrapolated**' : ''} | ${sec(rtWall)} | ${ratio(whole / rtWall)} | ${mb(maxRss(s))} | ${s.runs.every((x) => x.check.ok) ? (limited ? 'ok (row count only)' : 'ok (against truth)') : `FAILED: ${s.runs[0]?.check.problems.join('; ')}`} |`,
      );
    }
    L.push(
      '',
      `The naive pipeline reads only the first ${label(opts.naiveRows)} rows of bigger files (\`naive.js --limit\`); its whole-file time is **extrapolated**: row phase (parse + hash + add) × rows / rows measured, plus start-up and roll-up as measured on the prefix. Its roll-up grows with the number of cells, so the extrapolation understates the naive time and the speed-up is a lower bound.`,
      '',
    );
  }

  // Scaling.
  const byRows = new Map(results.filter((r) => !r.national).map((r) => [r.input.rows, r]));
  L.push('## Scaling', '');
  L.push('| comparison | workers | wall ratio | ideal |');
  L.push('|---|---:|---:|---:|');
  const sizes = [...byRows.keys()].sort((a, b) => a - b);
  for (let i = 1; i < sizes.length; i++) {
    const a = byRows.get(sizes[i - 1] ?? 0) as SizeResult;
    const b = byRows.get(sizes[i] ?? 0) as SizeResult;
    for (const w of opts.workers) {
      const sa = a.reachtree.get(w);
      const sb = b.reachtree.get(w);
      if (sa === undefined || sb === undefined) continue;
      L.push(`| ${label(b.input.rows)} / ${label(a.input.rows)} rows | ${w} | ${ratio(medianWall(sb) / medianWall(sa))} | ${ratio(b.input.rows / a.input.rows)} |`);
    }
  }
  if (wMax !== wMin) {
    for (const r of byRows.values()) {
      const s1 = r.reachtree.get(wMin);
      const s2 = r.reachtree.get(wMax);
      const f1 = r.floors.get(wMin);
      const f2 = r.floors.get(wMax);
      if (s1 === undefined || s2 === undefined || f1 === undefined || f2 === undefined) continue;
      L.push(`| ${label(r.input.rows)}: ${wMin} / ${wMax} workers, reachtree | — | ${ratio(medianWall(s1) / medianWall(s2))} | ${ratio(wMax / wMin)} |`);
      L.push(`| ${label(r.input.rows)}: ${wMin} / ${wMax} workers, floor | — | ${ratio(medianWall(f1) / medianWall(f2))} | ${ratio(wMax / wMin)} |`);
    }
  }
  L.push('');

  // Identity.
  L.push('## Same report whatever the run', '');
  for (const id of results.flatMap((r) => r.identity)) L.push(`- ${id.same ? 'identical' : '**DIFFERENT**'}: ${id.what}`);
  L.push('', 'Each compared byte for byte (SHA-256 of the CSV report) with the first `--workers ' + wMin + '` report of the same size.', '');

  // Profile.
  if (profile !== undefined && profileRows !== undefined) {
    L.push(`## Where the time goes (CPU profile, ${label(profileRows)} rows, one thread)`, '');
    L.push('| stage | ms | share | ns per row |');
    L.push('|---|---:|---:|---:|');
    for (const b of profile.buckets.filter((x) => x.share >= 0.005)) L.push(`| ${b.name} | ${b.ms.toFixed(0)} | ${pct(b.share)} | ${((b.ms * 1e6) / profileRows).toFixed(0)} |`);
    L.push('', `Total profiled: ${sec(profile.totalMs)} (\`node --cpu-prof\` on \`estimate --workers 1\`; sampling adds a little overhead). Stages under 0.5 % left out.`, '');
    L.push('Hottest functions (self time):', '');
    L.push('| function | where | ms | share |');
    L.push('|---|---|---:|---:|');
    for (const f of profile.functions.slice(0, 15)) L.push(`| \`${f.name}\` | ${f.where} | ${f.ms.toFixed(0)} | ${pct(f.share)} |`);
    L.push('');
  }

  // Targets.
  const v: Verdict[] = [];
  const big = byRows.get(1e7) ?? byRows.get(Math.max(...sizes));
  if (big !== undefined) {
    for (const w of opts.workers) {
      const s = big.reachtree.get(w);
      const f = big.floors.get(w);
      if (s === undefined || f === undefined) continue;
      const x = medianWall(s) / medianWall(f);
      v.push({
        target: `${label(big.input.rows)} rows, ${w} worker${w > 1 ? 's' : ''}: reachtree ≤ 1.6× the row-splitting floor`,
        measured: `${ratio(x)} (CPU time ${ratio(medianCpu(s) / medianCpu(f))})`,
        met: x <= 1.6,
      });
    }
    if (big.naive !== undefined) {
      const rt = big.reachtree.get(wMax);
      if (rt !== undefined) {
        const whole = median(big.naive.runs.map((x) => extrapolateNaive(x, big.input.rows)));
        const x = whole / medianWall(rt);
        v.push({ target: `${label(big.input.rows)} rows: ≥ 20× faster than the naive pipeline (reachtree with ${wMax} workers)`, measured: `${ratio(x)}${big.naive.runs[0]?.result.limited === true ? ' (naive extrapolated)' : ''}`, met: x >= 20 });
      }
    }
  }
  const r10 = byRows.get(1e7);
  const r50 = byRows.get(5e7);
  if (r10 !== undefined && r50 !== undefined) {
    for (const w of opts.workers) {
      const a = r10.reachtree.get(w);
      const b = r50.reachtree.get(w);
      if (a === undefined || b === undefined) continue;
      const x = medianWall(b) / medianWall(a);
      v.push({ target: `50M rows ≤ 5.3× the wall of 10M rows (${w} worker${w > 1 ? 's' : ''})`, measured: ratio(x), met: x <= 5.3 });
    }
  } else {
    v.push({ target: '50M rows ≤ 5.3× the wall of 10M rows', measured: 'needs --sizes with 1e7 and 5e7', met: undefined });
  }
  const largest = byRows.get(Math.max(...sizes));
  if (largest !== undefined && wMax !== wMin) {
    const a = largest.reachtree.get(wMin);
    const b = largest.reachtree.get(wMax);
    if (a !== undefined && b !== undefined && wMin === 1 && wMax === 2) {
      const x = medianWall(a) / medianWall(b);
      v.push({ target: `${label(largest.input.rows)} rows: two workers ≥ 1.6× one worker`, measured: ratio(x), met: x >= 1.6 });
    }
  }
  const nat = results.find((r) => r.national);
  if (nat !== undefined) {
    const s = nat.reachtree.get(wMax);
    const rss = s !== undefined ? maxRss(s) : undefined;
    v.push({ target: `national file (${label(nat.input.rows)} rows): peak RSS ≤ 400 MB`, measured: mb(rss), met: rss === undefined ? undefined : rss <= 400e6 });
  } else {
    const all = results.flatMap((r) => [...r.reachtree.values()].map((s) => maxRss(s) ?? 0));
    v.push({ target: 'national file: peak RSS ≤ 400 MB', measured: `not run (--national); largest peak at the sizes run: ${mb(Math.max(...all))}`, met: undefined });
  }
  const gzLargest = gz.at(-1);
  if (gzLargest !== undefined) {
    const s = gzLargest.gzip as Series<ReachtreeRun>;
    const f = gzLargest.gunzipFloor as Series<Timing>;
    const x = medianWall(s) / medianWall(f);
    v.push({ target: `${label(gzLargest.input.rows)} rows gzip: ≤ 1.3× zlib decompression alone`, measured: `${ratio(x)} (CPU time ${ratio(medianCpu(s) / medianCpu(f))})`, met: x <= 1.3 });
  }
  const identities = results.flatMap((r) => r.identity);
  v.push({ target: 'byte-identical reports whatever the worker count, chunk size or file split', measured: `${identities.filter((i) => i.same).length} of ${identities.length} comparisons identical`, met: identities.length > 0 ? identities.every((i) => i.same) : undefined });
  const allChecks = results.flatMap((r) => [...r.reachtree.values(), ...(r.gzip !== undefined ? [r.gzip] : [])].flatMap((s) => s.runs));
  v.push({ target: 'every run checks its output (rows, exact subscriptions, RU within the CI of the truth)', measured: `${allChecks.filter((c) => c.check.ok).length} of ${allChecks.length} runs passed`, met: allChecks.every((c) => c.check.ok) });

  L.push('## Targets of issue #5', '');
  L.push('| target | measured | verdict |');
  L.push('|---|---|---|');
  for (const x of v) L.push(`| ${x.target} | ${x.measured} | ${verdictText(x.met)} |`);
  L.push('');
  return L.join('\n');
}

async function main(): Promise<void> {
  OPTIONS = parseOptions(process.argv.slice(2));
  const opts = o();
  if (!existsSync(opts.cli)) throw new Error(`${opts.cli} not found: run \`npm run build\` first (or pass --cli)`);
  mkdirSync(opts.scratch, { recursive: true });
  const started = new Date();
  const t0 = performance.now();
  const load0 = loadavg();
  const results: SizeResult[] = [];
  for (const rows of opts.sizes) results.push(await benchSize(rows, false));
  if (opts.national) results.push(await benchSize(NATIONAL_ROWS, true));
  let profile: ProfileSummary | undefined;
  const smallest = results[0]?.input;
  if (opts.profile && smallest !== undefined) profile = await profileRun(smallest);
  const text = render(results, profile, smallest?.rows, { load0, load1: loadavg(), started, seconds: (performance.now() - t0) / 1000 });
  process.stdout.write(`${text}\n`);
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, `${text}\n`);
  log(`written ${opts.out}`);
  const failed = results.some(
    (r) => [...r.reachtree.values(), ...(r.gzip !== undefined ? [r.gzip] : [])].some((s) => s.runs.some((x) => !x.check.ok)) || r.identity.some((i) => !i.same) || (r.naive?.runs.some((x) => !x.check.ok) ?? false),
  );
  if (failed) {
    log('some output check or identity comparison FAILED (see the report)');
    process.exitCode = 1;
  }
}

await main();
