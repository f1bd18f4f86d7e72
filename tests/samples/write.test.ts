import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReachtreeError } from '../../src/errors.js';
import { SampleGenerator } from '../../src/samples/generator.js';
import { writeSample } from '../../src/samples/write.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reachtree-samples-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function inMemory(rows: number, scope: 'magadan' | 'national') {
  const generator = new SampleGenerator({ rows, scope, seed: 3 });
  const text = [...generator.chunks()].map((c) => new TextDecoder().decode(c)).join('');
  return { text, truth: generator.truthCsv(), names: generator.namesCsv() };
}

describe('writeSample', () => {
  it('writes a gzip file for a .gz name, with truth and names beside it', async () => {
    const file = join(dir, 'a', 'subs.csv.gz');
    await mkdir(join(dir, 'a'));
    const result = await writeSample({ file, rows: 4000, scope: 'magadan', seed: 3 });
    const expected = inMemory(4000, 'magadan');
    expect(result).toMatchObject({ rows: 4000, file, truthFile: join(dir, 'a', 'truth.csv'), namesFile: join(dir, 'a', 'names.csv') });
    expect(result.people).toBeGreaterThan(1000);
    expect(gunzipSync(await readFile(file)).toString('utf8')).toBe(expected.text);
    expect(await readFile(result.truthFile, 'utf8')).toBe(expected.truth);
    expect(await readFile(join(dir, 'a', 'names.csv'), 'utf8')).toBe(expected.names);
    expect((await readdir(join(dir, 'a'))).sort()).toEqual(['names.csv', 'subs.csv.gz', 'truth.csv']); // no temp files left
  });

  it('writes plain CSV otherwise, and no names for the national scope', async () => {
    const file = join(dir, 'national.csv');
    const truthFile = join(dir, 'national-truth.csv');
    const result = await writeSample({ file, truthFile, rows: 3000, scope: 'national', seed: 3 });
    expect(result.namesFile).toBeNull();
    const expected = inMemory(3000, 'national');
    expect(await readFile(file, 'utf8')).toBe(expected.text);
    expect(await readFile(truthFile, 'utf8')).toBe(expected.truth);
  });

  it('honours an explicit gzip flag over the file name', async () => {
    const file = join(dir, 'forced.csv');
    await writeSample({ file, gzip: true, rows: 100, truthFile: join(dir, 'forced-truth.csv') });
    const bytes = await readFile(file);
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
  });

  it('fails with E_OUTPUT_WRITE into a missing folder and writes no truth', async () => {
    const file = join(dir, 'missing', 'subs.csv');
    await expect(writeSample({ file, rows: 10 })).rejects.toThrow(ReachtreeError);
    await expect(writeSample({ file, rows: 10 })).rejects.toMatchObject({ code: 'E_OUTPUT_WRITE' });
    expect(await readdir(dir)).not.toContain('missing');
  });
});
