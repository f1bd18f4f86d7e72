/**
 * Each benchmark run checks its own answer, so a fast wrong answer fails instead of winning:
 *
 *   reachtree report (CSV) against the generator's exact truth (code,platform,unique,subscriptions):
 *     - rows read = rows generated, none rejected (from the summary line on stderr);
 *     - the report has exactly the truth's (code, platform) rows, each with the exact subscriptions;
 *     - rows marked exact carry the exact unique count;
 *     - the federation rows (RU × each platform and '*') hold the true unique count inside their
 *       95 % interval; over all estimated rows the share covered is reported (≈ 95 % expected).
 *   naive report (code,platform,subscriptions,unique) against the same truth, when it read the whole
 *     file: same rows and subscriptions, RU within the tolerance below.
 */
import { readFileSync } from 'node:fs';

export interface TruthRow {
  readonly unique: number;
  readonly subscriptions: number;
}

export type Truth = ReadonlyMap<string, TruthRow>;

const key = (code: string, platform: string): string => `${code}\u0000${platform}`;

export function readTruth(file: string): Truth {
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines[0] !== 'code,platform,unique,subscriptions') throw new Error(`${file}: unexpected truth header ${JSON.stringify(lines[0])}`);
  const truth = new Map<string, TruthRow>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === '') continue;
    const [code, platform, unique, subscriptions] = line.split(',');
    truth.set(key(code ?? '', platform ?? ''), { unique: Number(unique), subscriptions: Number(subscriptions) });
  }
  return truth;
}

/** RFC 4180 records of a whole CSV text (quoted fields may hold commas, quotes and newlines). */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 && field === '') {
      // quoted field
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x22) {
          if (text.charCodeAt(i + 1) === 0x22) {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i];
        i++;
      }
      continue;
    }
    if (c === 0x2c) {
      record.push(field);
      field = '';
    } else if (c === 0x0a || c === 0x0d) {
      if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else {
      field += text[i];
    }
    i++;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

export interface CheckResult {
  readonly ok: boolean;
  readonly problems: string[];
  /** Share of estimated (non-exact) rows whose interval holds the truth; NaN for the naive report. */
  readonly coverage: number;
  readonly reportRows: number;
}

function pctText(x: number): string {
  return `${(100 * x).toFixed(1)} %`;
}

function finish(problems: string[], coverage: number, reportRows: number): CheckResult {
  return { ok: problems.length === 0, problems: problems.slice(0, 12), coverage, reportRows };
}

/** Rows read and rejected, from reachtree's `rows read 1,000,000, rows rejected 0, …` line. */
export function summaryCounts(stderr: string): { read: number; rejected: number } | undefined {
  const m = /rows read ([\d,]+), rows rejected ([\d,]+)/.exec(stderr);
  if (m === null) return undefined;
  return { read: Number((m[1] ?? '').replaceAll(',', '')), rejected: Number((m[2] ?? '').replaceAll(',', '')) };
}

export function checkReachtreeReport(reportFile: string, stderr: string, rows: number, truth: Truth): CheckResult {
  const problems: string[] = [];
  const counts = summaryCounts(stderr);
  if (counts === undefined) problems.push('no "rows read …" summary on stderr');
  else {
    if (counts.read !== rows) problems.push(`rows read ${counts.read}, generated ${rows}`);
    if (counts.rejected !== 0) problems.push(`${counts.rejected} rows rejected`);
  }
  const records = parseCsv(readFileSync(reportFile, 'utf8'));
  const header = records[0] ?? [];
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i === -1) throw new Error(`${reportFile}: no column ${name} in ${header.join(',')}`);
    return i;
  };
  const [cCode, cPlatform, cSubs, cUnique, cLow, cHigh, cExact] = ['code', 'platform', 'subscriptions', 'unique', 'ci_low', 'ci_high', 'exact'].map(col) as [
    number, number, number, number, number, number, number,
  ];
  const seen = new Set<string>();
  let estimated = 0;
  let covered = 0;
  for (let r = 1; r < records.length; r++) {
    const rec = records[r] ?? [];
    const code = rec[cCode] ?? '';
    const platform = rec[cPlatform] ?? '';
    const k = key(code, platform);
    seen.add(k);
    const t = truth.get(k);
    if (t === undefined) {
      problems.push(`report row ${code}/${platform} is not in the truth`);
      continue;
    }
    const subs = Number(rec[cSubs]);
    if (subs !== t.subscriptions) problems.push(`${code}/${platform}: subscriptions ${subs}, truth ${t.subscriptions}`);
    const unique = Number(rec[cUnique]);
    const low = Number(rec[cLow]);
    const high = Number(rec[cHigh]);
    if (rec[cExact] === 'true') {
      if (unique !== t.unique) problems.push(`${code}/${platform}: exact unique ${unique}, truth ${t.unique}`);
    } else {
      estimated++;
      const inside = low <= t.unique && t.unique <= high;
      if (inside) covered++;
      if (!inside && code === 'RU') problems.push(`RU/${platform}: truth ${t.unique} outside [${low}, ${high}] (estimate ${unique})`);
    }
    if (code === 'RU' && platform === '*' && subs !== rows) problems.push(`RU/*: subscriptions ${subs}, generated ${rows}`);
  }
  for (const k of truth.keys()) {
    if (!seen.has(k)) problems.push(`truth row ${k.replace('\u0000', '/')} missing from the report`);
  }
  if (!seen.has(key('RU', '*'))) problems.push('no RU/* row');
  return finish(problems, estimated > 0 ? covered / estimated : NaN, records.length - 1);
}

/**
 * Tolerance for the naive federation rows: 3 standard errors of hyperloglog-lite (1.04/√2^14), or
 * 5 % where its classic estimator is biased (raw HLL just above its linear-counting switch at
 * 2.5·2^14 ≈ 41 k reads a few per cent high).
 */
const LITE_TOLERANCE = Math.max(3 * (1.04 / Math.sqrt(1 << 14)), 0.05);

export function checkNaiveReport(reportFile: string, rows: number, truth: Truth | undefined): CheckResult {
  const problems: string[] = [];
  const records = parseCsv(readFileSync(reportFile, 'utf8'));
  const seen = new Set<string>();
  for (let r = 1; r < records.length; r++) {
    const [code = '', platform = '', subsText, uniqueText] = records[r] ?? [];
    seen.add(key(code, platform));
    const subs = Number(subsText);
    const unique = Number(uniqueText);
    if (code === 'RU' && platform === '*' && subs !== rows) problems.push(`RU/*: subscriptions ${subs}, rows read ${rows}`);
    if (truth === undefined) continue;
    const t = truth.get(key(code, platform));
    if (t === undefined) {
      problems.push(`naive row ${code}/${platform} is not in the truth`);
      continue;
    }
    if (subs !== t.subscriptions) problems.push(`${code}/${platform}: subscriptions ${subs}, truth ${t.subscriptions}`);
    if (code === 'RU' && Math.abs(unique - t.unique) > LITE_TOLERANCE * t.unique) {
      problems.push(`RU/${platform}: naive unique ${unique}, truth ${t.unique} (off by more than ${pctText(LITE_TOLERANCE)})`);
    }
  }
  if (truth !== undefined) {
    for (const k of truth.keys()) if (!seen.has(k)) problems.push(`truth row ${k.replace('\u0000', '/')} missing from the naive report`);
  }
  if (!seen.has(key('RU', '*'))) problems.push('no RU/* row');
  return finish(problems, NaN, records.length - 1);
}
