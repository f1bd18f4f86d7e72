/**
 * Runs one benchmark child process and measures it from outside: wall time (spawn to exit, so
 * process start-up, territory tree, report writing — everything a user waits for), CPU time
 * (user + system, all threads) and peak RSS, plus the 1-minute load average when it started.
 *
 * CPU time and peak RSS come from GNU time (`/usr/bin/time -f '%M %U %S'`, the kernel's rusage of
 * the child) when it exists; otherwise the child is started with `--import` of
 * `ingest-rss-probe.js`, which prints `process.resourceUsage()` figures on exit. Worker threads
 * share the process, so either way the figures cover all threads.
 *
 * Why CPU time too: the machine is shared, and wall time of a run that waited for the CPU says
 * more about the neighbours than about the code. CPU time hardly moves with load (only through
 * caches), so CPU ratios are the load-independent cross-check of the wall ratios.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const GNU_TIME = '/usr/bin/time';
/** Marks the line `maxRssKiB userSeconds systemSeconds` that GNU time or the probe appends to stderr. */
export const RSS_MARK = 'REACHTREE_BENCH_RUSAGE=';
const TIME_FORMAT = `${RSS_MARK}%M %U %S`;
const PROBE = fileURLToPath(new URL('./ingest-rss-probe.js', import.meta.url));

export interface Measured {
  readonly wallMs: number;
  /** Bytes; undefined when neither GNU time nor the probe reported. */
  readonly peakRssBytes: number | undefined;
  /** User + system CPU time of the whole process; undefined when not reported. */
  readonly cpuMs: number | undefined;
  /** 1-minute load average when the run started. */
  readonly load: number;
  readonly exitCode: number | null;
  readonly stdout: string;
  /** The child's stderr without the RSS line. */
  readonly stderr: string;
}

let gnuTimeWorks: boolean | undefined;

async function probeGnuTime(): Promise<boolean> {
  if (gnuTimeWorks !== undefined) return gnuTimeWorks;
  if (!existsSync(GNU_TIME)) return (gnuTimeWorks = false);
  const r = await runRaw(GNU_TIME, ['-f', TIME_FORMAT, process.execPath, '-e', '0'], {});
  gnuTimeWorks = r.exitCode === 0 && r.stderr.includes(RSS_MARK);
  return gnuTimeWorks;
}

interface Raw {
  wallMs: number;
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

function runRaw(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.once('error', reject);
    child.once('close', (code) => {
      resolve({ wallMs: performance.now() - t0, exitCode: code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

/** Runs `node …nodeArgs` and measures it. */
export async function measureNode(nodeArgs: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Measured> {
  const viaTime = await probeGnuTime();
  const load = loadavg()[0] ?? NaN;
  const raw = viaTime
    ? await runRaw(GNU_TIME, ['-f', TIME_FORMAT, process.execPath, ...nodeArgs], env)
    : await runRaw(process.execPath, ['--import', PROBE, ...nodeArgs], env);
  let peakRssBytes: number | undefined;
  let cpuMs: number | undefined;
  const kept: string[] = [];
  for (const line of raw.stderr.split('\n')) {
    // GNU time prefixes "Command exited with non-zero status N" on failure; keep that line.
    const at = line.indexOf(RSS_MARK);
    if (at === -1) {
      kept.push(line);
      continue;
    }
    const [rssKiB, user, system] = line.slice(at + RSS_MARK.length).trim().split(/\s+/).map(Number);
    peakRssBytes = rssKiB !== undefined && Number.isFinite(rssKiB) ? rssKiB * 1024 : undefined;
    cpuMs = user !== undefined && system !== undefined && Number.isFinite(user + system) ? (user + system) * 1000 : undefined;
  }
  return { wallMs: raw.wallMs, peakRssBytes, cpuMs, load, exitCode: raw.exitCode, stdout: raw.stdout, stderr: kept.join('\n') };
}

/** Runs and fails loudly on a non-zero exit: a benchmark of a failing run measures nothing. */
export async function measureNodeOrFail(what: string, nodeArgs: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Measured> {
  const m = await measureNode(nodeArgs, env);
  if (m.exitCode !== 0) {
    throw new Error(`${what} failed (exit ${m.exitCode}):\n  node ${nodeArgs.join(' ')}\n${m.stderr.trim()}`);
  }
  return m;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
}

/** Busy and total CPU jiffies over all cores from /proc/stat; undefined off Linux. */
function cpuJiffies(): { idle: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const total = v.reduce((a, b) => a + b, 0);
    // idle + iowait
    return { idle: (v[3] ?? 0) + (v[4] ?? 0), total };
  } catch {
    return undefined;
  }
}

/**
 * Waits until the CPUs were at least `minIdle` idle over a 2-second window (other people's jobs
 * on the shared machine), or `maxWaitMs` passed. Load averages lag by a minute and include our
 * own previous run; /proc/stat between runs sees only the neighbours. Returns the idle share
 * seen last and the time waited; a no-op where /proc/stat is missing.
 */
export async function waitForIdleCpu(minIdle: number, maxWaitMs: number): Promise<{ idle: number; waitedMs: number }> {
  const t0 = performance.now();
  let idle = NaN;
  for (;;) {
    const a = cpuJiffies();
    await new Promise((r) => setTimeout(r, 2000));
    const b = cpuJiffies();
    if (a === undefined || b === undefined || b.total === a.total) return { idle: NaN, waitedMs: performance.now() - t0 };
    idle = (b.idle - a.idle) / (b.total - a.total);
    if (idle >= minIdle || performance.now() - t0 >= maxWaitMs) return { idle, waitedMs: performance.now() - t0 };
  }
}
