import { describe, expect, it } from 'vitest';
import { field, loadVectors } from '../fixtures/vectors.js';
import { runCli } from './run.js';

const ids = (n: number): string => Array.from({ length: n }, (_, i) => `user-${i + 1}\n`).join('');

describe('reachtree sketch', () => {
  it("prints exactly the extension's bytes for user-1..1000 at log2m 11", async () => {
    const row = loadVectors('sketches.csv').find((r) => field(r, 'setting') === '11_5_-1_1' && field(r, 'n') === '1000');
    const result = await runCli(['sketch', '--log2m', '11'], { stdin: ids(1000) });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`\\x${field(row ?? {}, 'hex')}\n`);
  });

  it('reads CRLF lines like LF lines', async () => {
    const lf = await runCli(['sketch', '--log2m', '11'], { stdin: ids(50) });
    const crlf = await runCli(['sketch', '--log2m', '11'], { stdin: ids(50).replace(/\n/g, '\r\n') });
    expect(crlf.stdout).toBe(lf.stdout);
  });

  it('rejects an empty line naming the line', async () => {
    const result = await runCli(['sketch'], { stdin: 'a\n\nb\n' });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('[E_INPUT_EMPTY_ID]: <stdin>, line 2: empty line');
  });

  it('rejects parameters PostgreSQL would reject', async () => {
    const result = await runCli(['sketch', '--log2m', '18'], { stdin: 'a\n' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/E_CONFIG_PARAMS.*log2m/);
  });
});

describe('reachtree inspect', () => {
  it('shows the classic estimate equal to hll_cardinality, and the improved one', async () => {
    const row = loadVectors('sketches.csv').find((r) => field(r, 'setting') === '11_5_-1_1' && field(r, 'n') === '100000');
    const result = await runCli(['inspect', '--json', `\\x${field(row ?? {}, 'hex')}`]);
    expect(result.code).toBe(0);
    const facts = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(facts).toMatchObject({ type: 'FULL', log2m: 11, regwidth: 5, exact: false });
    expect(facts.classic_estimate).toBe(Number(field(row ?? {}, 'cardinality')));
    expect(Math.abs((facts.estimate as number) / 100000 - 1)).toBeLessThan(0.05);
    expect(facts.ci95_low as number).toBeLessThan(facts.estimate as number);
  });

  it('explains corrupt bytes with a typed error and a dump', async () => {
    const result = await runCli(['inspect', '\\x218b7f']);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('E_FORMAT_VERSION');
  });
});

describe('reachtree union', () => {
  it('unions like hll_union', async () => {
    const row = loadVectors('unions.csv').find((r) => field(r, 'setting') === '11_5_-1_1' && field(r, 'pair') === 'n1000+n1000');
    const result = await runCli(['union', `\\x${field(row ?? {}, 'a_hex')}`, `\\x${field(row ?? {}, 'b_hex')}`]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`\\x${field(row ?? {}, 'union_hex')}\n`);
  });

  it('fails on a parameter mismatch with the extension’s message', async () => {
    const a = (await runCli(['sketch', '--log2m', '11'], { stdin: 'x\n' })).stdout.trim();
    const b = (await runCli(['sketch', '--log2m', '12'], { stdin: 'x\n' })).stdout.trim();
    const result = await runCli(['union', a, b]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('register count does not match: source uses 4096 and dest uses 2048');
  });

  it('folds to the smallest precision with --fold', async () => {
    const a = (await runCli(['sketch', '--log2m', '11', '--expthresh', '0'], { stdin: ids(300) })).stdout.trim();
    const b = (await runCli(['sketch', '--log2m', '12', '--expthresh', '0'], { stdin: ids(300) })).stdout.trim();
    const result = await runCli(['union', '--fold', a, b]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(a);
  });
});
