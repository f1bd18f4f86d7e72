import { parseString } from 'fast-csv';
import { describe, expect, it } from 'vitest';
import { formatReport, reportColumns } from '../../src/report/formats.js';
import type { ReportRow } from '../../src/report/rows.js';
import { truthTable } from '../../src/report/truth.js';

const rows: ReportRow[] = [
  { level: 'federation', code: 'RU', name: 'Russia, all', parent: '', depth: 0, facets: ['*'], subscriptions: 155_214, unique: 61_234.56, low: 60_000.04, high: 62_500.96, rse: 0.0101234567, exact: false, duplication: 2.534812, clippedBy: undefined },
  { level: 'region', code: '44000000', name: 'Magadan | Oblast', parent: 'RU', depth: 1, facets: ['vk'], subscriptions: 12, unique: 10, low: 10, high: 10, rse: 0, exact: true, duplication: 1.2, clippedBy: 'subscriptions' },
];
const options = { facetNames: ['platform'] };

async function parseCsv(text: string): Promise<string[][]> {
  const out: string[][] = [];
  await new Promise<void>((resolve, reject) => {
    parseString<string[], string[]>(text).on('data', (r: string[]) => out.push(r)).on('end', () => resolve()).on('error', reject);
  });
  return out;
}

describe('formatReport', () => {
  it('csv: header of machine columns, full-precision values, quoted names', async () => {
    const parsed = await parseCsv(await formatReport(rows, 'csv', options));
    expect(parsed[0]).toEqual(reportColumns(options));
    expect(parsed[1]).toEqual(['federation', 'RU', 'Russia, all', '', '*', '155214', '61234.6', '60000', '62501', '0.0101235', 'false', '2.5348', '']);
    expect(parsed[2]?.slice(-3)).toEqual(['true', '1.2', 'subscriptions']);
  });

  it('csv: names with quotes and line breaks read back intact through fast-csv', async () => {
    const odd = { ...rows[1]!, name: 'Село "Ола",\nпосёлок\r\nОла' };
    const parsed = await parseCsv(await formatReport([odd], 'csv', options));
    expect(parsed[1]?.[2]).toBe(odd.name);
    expect(parsed).toHaveLength(2);
  });

  it('csv: a report with no rows still has its header', async () => {
    expect(await formatReport([], 'csv', options)).toBe(`${reportColumns(options).join(',')}\n`);
  });

  it('json: one object per row keyed by the machine columns', async () => {
    const parsed = JSON.parse(await formatReport(rows, 'json', options)) as Array<Record<string, unknown>>;
    expect(parsed).toHaveLength(2);
    expect(parsed[0]).toMatchObject({ code: 'RU', platform: '*', subscriptions: 155214, unique: 61234.6, exact: false });
    expect(parsed[1]).toMatchObject({ exact: true, clipped_by: 'subscriptions' });
  });

  it('table: readable people counts, interval and RSE, names indented by depth', async () => {
    const text = await formatReport(rows, 'table', options);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toContain('155,214');
    expect(lines[2]).toContain('60,000 – 62,501');
    expect(lines[2]).toContain('±1.01%');
    expect(lines[3]).toContain('  Magadan | Oblast');
    expect(lines[3]).toContain('exact');
    expect(lines[3]).toContain('(clipped: subscriptions)');
  });

  it('md: a pipe table with escaped pipes and right-aligned numbers', async () => {
    const lines = (await formatReport(rows, 'md', options)).trimEnd().split('\n');
    expect(lines[0]).toBe('| level | code | name | platform | subscriptions | unique | 95% CI | RSE | dup. |');
    expect(lines[1]).toBe('|---|---|---|---|---:|---:|---:|---:|---:|');
    expect(lines[3]).toContain('Magadan \\| Oblast');
  });

  it('adds the truth and whether the interval covers it', async () => {
    const truth = truthTable([{ code: 'RU', facets: ['*'], unique: 63_000 }]);
    const parsed = await parseCsv(await formatReport(rows, 'csv', { ...options, truth }));
    expect(parsed[0]?.slice(-2)).toEqual(['true_unique', 'in_ci']);
    expect(parsed[1]?.slice(-2)).toEqual(['63000', 'false']);
    expect(parsed[2]?.slice(-2)).toEqual(['', '']);
    expect(await formatReport(rows, 'table', { ...options, truth })).toContain('NO');
  });
});
