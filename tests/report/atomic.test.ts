import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReachtreeError } from '../../src/errors.js';
import { writeFileAtomic } from '../../src/report/atomic.js';

async function freshDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'reachtree-atomic-'));
}

describe('writeFileAtomic', () => {
  it('writes strings, bytes and streamed pieces', async () => {
    const dir = await freshDir();
    await writeFileAtomic(join(dir, 'a.txt'), 'hello');
    await writeFileAtomic(join(dir, 'b.bin'), new Uint8Array([1, 2, 3]));
    async function* pieces(): AsyncGenerator<string> {
      yield 'x,';
      yield 'y\n';
    }
    await writeFileAtomic(join(dir, 'c.csv'), pieces());
    expect(await readFile(join(dir, 'a.txt'), 'utf8')).toBe('hello');
    expect([...(await readFile(join(dir, 'b.bin')))]).toEqual([1, 2, 3]);
    expect(await readFile(join(dir, 'c.csv'), 'utf8')).toBe('x,y\n');
    expect((await readdir(dir)).sort()).toEqual(['a.txt', 'b.bin', 'c.csv']);
  });

  it('leaves the previous file untouched and no temp file when the content fails mid-way', async () => {
    const dir = await freshDir();
    const target = join(dir, 'report.csv');
    await writeFile(target, 'old report\n');
    async function* failing(): AsyncGenerator<string> {
      yield 'half a ';
      throw new ReachtreeError('E_INPUT_VALUE', 'bad row');
    }
    await expect(writeFileAtomic(target, failing())).rejects.toThrow('bad row');
    expect(await readFile(target, 'utf8')).toBe('old report\n');
    expect(await readdir(dir)).toEqual(['report.csv']);
  });

  it('reports an unwritable destination as E_OUTPUT_WRITE', async () => {
    await expect(writeFileAtomic('/nonexistent-dir/x/report.csv', 'x')).rejects.toMatchObject({ code: 'E_OUTPUT_WRITE' });
  });
});
