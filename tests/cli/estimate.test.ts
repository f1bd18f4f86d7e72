import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCli } from './run.js';

const HEADER = 'subscriber_id,platform,territory\n';
const rows = [
  'aa01,vk,44701000001',
  'aa02,vk,44701000001',
  'aa01,tg,44701000001',
  'aa01,vk,44000000',
  'aa03,ok,44502000051',
  'aa04,ok,FEFD',
  'aa05,tg,RU',
];

async function dir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'reachtree-cli-'));
}

describe('reachtree estimate', () => {
  it('prints the roll-up with exact counts while sketches are EXPLICIT', async () => {
    const d = await dir();
    const file = join(d, 'subs.csv');
    await writeFile(file, HEADER + rows.join('\n') + '\n');
    const result = await runCli(['estimate', file, '--format', 'json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    const get = (code: string, platform: string) => report.find((r) => r.code === code && r.platform === platform);
    expect(get('RU', '*')).toMatchObject({ level: 'federation', subscriptions: 7, unique: 5, exact: true });
    expect(get('44000000', '*')).toMatchObject({ level: 'region', parent: 'FEFD', subscriptions: 5, unique: 3 });
    expect(get('44000000', 'vk')).toMatchObject({ subscriptions: 3, unique: 2, duplication: 1.5 });
    expect(get('44701000', '*')).toMatchObject({ level: 'municipal', subscriptions: 3, unique: 2 });
    expect(result.stderr).toContain('rows read 7, rows rejected 0');
  });

  it('reads gzip and stdin the same as plain files', async () => {
    const d = await dir();
    const plain = join(d, 'subs.csv');
    const gz = join(d, 'subs.csv.gz');
    const body = HEADER + rows.join('\r\n') + '\r\n';
    await writeFile(plain, body);
    await writeFile(gz, gzipSync(Buffer.from('\ufeff' + body)));
    const a = await runCli(['estimate', plain, '--format', 'csv']);
    const b = await runCli(['estimate', gz, '--format', 'csv']);
    const c = await runCli(['estimate', '-', '--format', 'csv'], { stdin: body });
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    expect(c.stdout).toBe(a.stdout);
  });

  it('fails on a bad row naming file, line, column and value, and writes no report', async () => {
    const d = await dir();
    const file = join(d, 'subs.csv');
    await writeFile(file, HEADER + 'aa01,vk,44701000001\naa02,vk,4470100\n');
    const out = join(d, 'report.csv');
    const result = await runCli(['estimate', file, '--format', 'csv', '--out', out]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`${file}, line 3, column "territory"`);
    expect(result.stderr).toContain('"4470100"');
    expect(await readdir(d)).toEqual(['subs.csv']);
  });

  it('skips bad rows with --skip-invalid, writing them to --rejects', async () => {
    const d = await dir();
    const file = join(d, 'subs.csv');
    await writeFile(file, HEADER + 'aa01,vk,44701000001\n,vk,44701000001\naa02,vk\naa03,vk,13000000\n');
    const rejects = join(d, 'rejects.csv');
    const result = await runCli(['estimate', file, '--skip-invalid', '--rejects', rejects, '--format', 'csv', '--out', join(d, 'r.csv')]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('rows read 4, rows rejected 3');
    const rejected = (await readFile(rejects, 'utf8')).trim().split('\n');
    expect(rejected).toHaveLength(4);
    expect(rejected.slice(1).map((l) => l.split(',')[1])).toEqual(['3', '4', '5']);
  });

  it('stops after --max-invalid rejected rows', async () => {
    const d = await dir();
    const file = join(d, 'subs.csv');
    await writeFile(file, HEADER + ',vk,44701000001\n,vk,44701000001\naa,vk,44701000001\n');
    const result = await runCli(['estimate', file, '--skip-invalid', '--max-invalid', '1']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('E_INPUT_TOO_MANY_INVALID');
  });

  it('names the missing header column', async () => {
    const d = await dir();
    const file = join(d, 'subs.csv');
    await writeFile(file, 'id,platform,territory\naa,vk,RU\n');
    const result = await runCli(['estimate', file]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/E_INPUT_HEADER.*subscriber_id/);
  });

  it('uses a hierarchy file instead of OKTMO codes', async () => {
    const d = await dir();
    const tree = join(d, 'tree.csv');
    await writeFile(tree, 'code,parent,name,level\nW,,World,world\nN,W,North,zone\nS,W,South,zone\n');
    const file = join(d, 'subs.csv');
    await writeFile(file, 'subscriber_id,platform,territory\na,vk,N\nb,vk,S\na,ok,S\n');
    const result = await runCli(['estimate', file, '--hierarchy', tree, '--format', 'json', '--level', 'world']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(report.find((r) => r.platform === '*')).toMatchObject({ code: 'W', subscriptions: 3, unique: 2 });
  });
});

describe('reachtree build / merge / report', () => {
  it('gives the same report as estimate', async () => {
    const d = await dir();
    const a = join(d, 'a.csv');
    const b = join(d, 'b.csv');
    await writeFile(a, HEADER + rows.slice(0, 4).join('\n') + '\n');
    await writeFile(b, HEADER + rows.slice(4).join('\n') + '\n');
    expect((await runCli(['build', a, '-o', join(d, 'a.cells.csv')])).code).toBe(0);
    expect((await runCli(['build', b, '-o', join(d, 'b.cells.csv')])).code).toBe(0);
    expect((await runCli(['merge', join(d, 'a.cells.csv'), join(d, 'b.cells.csv'), '-o', join(d, 'all.cells.csv')])).code).toBe(0);
    const fromCells = await runCli(['report', join(d, 'all.cells.csv'), '--format', 'csv']);
    const direct = await runCli(['estimate', a, b, '--format', 'csv']);
    expect(fromCells.code).toBe(0);
    expect(fromCells.stdout).toBe(direct.stdout);
    const cells = await readFile(join(d, 'all.cells.csv'), 'utf8');
    expect(cells.split('\n')[0]).toBe('territory,platform,subscriptions,sketch');
    expect(cells).toMatch(/\n44701000001,vk,2,\\x12/);
  });
});

describe('reachtree sample', () => {
  it('writes a deterministic sample whose report covers its truth', async () => {
    const d = await dir();
    const out = join(d, 's.csv.gz');
    expect((await runCli(['sample', '--rows', '3000', '-o', out])).code).toBe(0);
    const result = await runCli(['estimate', out, '--truth', join(d, 'truth.csv'), '--names', join(d, 'names.csv'), '--format', 'csv']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/truth check: (\d+) of \1 true values inside/);
  });
});
