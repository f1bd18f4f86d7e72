import { access, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvField } from '../../src/csv.js';
import { RejectsWriter, rejectLine } from '../../src/ingest/rejects.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reachtree-rejects-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const row = (line: number, raw: string) => ({ file: 'in.csv', line, code: 'E_INPUT_EMPTY_ID' as const, reason: 'column "subscriber_id": empty subscriber id (value: "")', raw });

describe('rejectLine', () => {
  it('quotes reasons and raw rows that hold delimiters, quotes or newlines', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "x"\nnext')).toBe('"say ""x""\nnext"');
    expect(rejectLine(row(7, ',vk,44'))).toBe('in.csv,7,"column ""subscriber_id"": empty subscriber id (value: """")",",vk,44"\n');
  });
});

describe('RejectsWriter', () => {
  it('streams batches to the file and puts it in place on close', async () => {
    const path = join(dir, 'rejects.csv');
    const w = new RejectsWriter(path);
    for (let i = 1; i <= 3000; i++) {
      w.add(row(i, `r${i}`));
      if (i % 1000 === 0) await w.flush();
    }
    await expect(access(path)).rejects.toThrow(); // not in place before close
    await w.close();
    const lines = (await readFile(path, 'utf8')).split('\n');
    expect(lines[0]).toBe('file,line,reason,raw');
    expect(lines).toHaveLength(3002);
    expect(lines[3000]).toBe('in.csv,3000,"column ""subscriber_id"": empty subscriber id (value: """")",r3000');
  });

  it('leaves nothing behind when aborted', async () => {
    const path = join(dir, 'aborted.csv');
    const w = new RejectsWriter(path);
    w.add(row(1, 'x'));
    await w.flush();
    await w.abort();
    await expect(access(path)).rejects.toThrow();
    expect((await readdir(dir)).filter((f) => f.includes('aborted'))).toEqual([]);
  });

  it('reports a file that cannot be written', async () => {
    const w = new RejectsWriter(join(dir, 'no-such-dir', 'rejects.csv'));
    w.add(row(1, 'x'));
    await expect(w.close()).rejects.toMatchObject({ code: 'E_OUTPUT_WRITE' });
  });
});
