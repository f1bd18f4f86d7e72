import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource, streamSource, STDIN_NAME, type ByteSource } from '../../src/ingest/sources.js';

let dir: string;
const text = 'subscriber_id,platform,territory\n' + Array.from({ length: 5000 }, (_, i) => `id${i},vk,44701000\n`).join('');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reachtree-sources-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readAll(source: ByteSource): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of source) {
    expect(Buffer.isBuffer(chunk)).toBe(true);
    parts.push(chunk);
  }
  return Buffer.concat(parts).toString('utf8');
}

describe('openSource', () => {
  it('reads a plain file in chunks and counts its bytes', async () => {
    const path = join(dir, 'plain.csv');
    await writeFile(path, text);
    const source = await openSource(path, { chunkBytes: 1000 });
    expect(source.size).toBe(Buffer.byteLength(text));
    expect(await readAll(source)).toBe(text);
    expect(source.gzip).toBe(false);
    expect(source.bytesRead).toBe(Buffer.byteLength(text));
  });

  it('gunzips a .gz file, counting compressed bytes', async () => {
    const path = join(dir, 'subs.csv.gz');
    const gz = gzipSync(text);
    await writeFile(path, gz);
    const source = await openSource(path, { chunkBytes: 100 });
    expect(await readAll(source)).toBe(text);
    expect(source.gzip).toBe(true);
    expect(source.size).toBe(gz.length);
    expect(source.bytesRead).toBe(gz.length);
  });

  it('detects gzip by its magic bytes whatever the name', async () => {
    const path = join(dir, 'subs-compressed.csv');
    await writeFile(path, gzipSync(text));
    expect(await readAll(await openSource(path, { chunkBytes: 64 }))).toBe(text);
  });

  it('reads concatenated gzip members as one stream', async () => {
    const path = join(dir, 'two-members.gz');
    await writeFile(path, Buffer.concat([gzipSync('a,b\n'), gzipSync('c,d\n')]));
    expect(await readAll(await openSource(path))).toBe('a,b\nc,d\n');
  });

  it('reads an empty file as no bytes', async () => {
    const path = join(dir, 'empty.csv');
    await writeFile(path, '');
    expect(await readAll(await openSource(path))).toBe('');
  });

  it('releases the file when the reader stops early', async () => {
    const plain = join(dir, 'early.csv');
    const gz = join(dir, 'early.csv.gz');
    await writeFile(plain, text);
    await writeFile(gz, gzipSync(text.repeat(50)));
    const openFds = async (): Promise<number> => (await readdir('/proc/self/fd')).length;
    const before = await openFds();
    for (const path of [plain, gz]) {
      for await (const chunk of await openSource(path, { chunkBytes: 64 })) {
        expect(chunk.length).toBeGreaterThan(0);
        break;
      }
    }
    // Closing is asynchronous: give it a moment (generously, on a loaded machine).
    for (let i = 0; i < 100 && (await openFds()) > before; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await openFds()).toBeLessThanOrEqual(before);
  });

  it('fails with E_INPUT_FILE naming a missing file', async () => {
    const path = join(dir, 'missing.csv');
    await expect(openSource(path)).rejects.toMatchObject({ code: 'E_INPUT_FILE', message: `${path}: cannot read: no such file` });
  });

  it('fails with E_INPUT_FILE on a directory', async () => {
    const path = join(dir, 'a-directory');
    await mkdir(path);
    await expect(openSource(path)).rejects.toMatchObject({ code: 'E_INPUT_FILE', message: `${path}: is a directory, expected a CSV file` });
  });

  it('fails on a .gz file that is not gzip', async () => {
    const path = join(dir, 'fake.csv.gz');
    await writeFile(path, text);
    await expect(readAll(await openSource(path))).rejects.toMatchObject({
      code: 'E_INPUT_FILE',
      message: `${path}: named .gz but is not gzip data (it does not start with the bytes 1f 8b)`,
    });
  });

  it('fails on truncated gzip data', async () => {
    const path = join(dir, 'truncated.csv.gz');
    const gz = gzipSync(text);
    await writeFile(path, gz.subarray(0, gz.length - 30));
    await expect(readAll(await openSource(path))).rejects.toMatchObject({
      code: 'E_INPUT_FILE',
      message: `${path}: cannot read: truncated gzip data (unexpected end of file)`,
    });
  });

  it('fails on corrupt gzip data', async () => {
    const path = join(dir, 'corrupt.csv.gz');
    const gz = Buffer.from(gzipSync(text));
    gz.fill(0xff, 10, 40);
    await writeFile(path, gz);
    await expect(readAll(await openSource(path))).rejects.toMatchObject({
      code: 'E_INPUT_FILE',
      message: expect.stringMatching(/^.*corrupt\.csv\.gz: cannot read: corrupt gzip data/) as unknown,
    });
  });

  it("reads '-' from stdin, plain or gzip", async () => {
    const plain = await openSource('-', { stdin: Readable.from([Buffer.from(text.slice(0, 10)), Buffer.from(text.slice(10))]) });
    expect(plain.name).toBe(STDIN_NAME);
    expect(plain.size).toBeUndefined();
    expect(await readAll(plain)).toBe(text);
    const gz = gzipSync(text);
    // The magic bytes split across chunks.
    const zipped = await openSource('-', { stdin: Readable.from([gz.subarray(0, 1), gz.subarray(1, 7), gz.subarray(7)]) });
    expect(await readAll(zipped)).toBe(text);
    expect(zipped.gzip).toBe(true);
  });
});

describe('streamSource', () => {
  it('accepts an async iterable of Uint8Array and hands out Buffers', async () => {
    const enc = new TextEncoder();
    async function* gen(): AsyncIterable<Uint8Array> {
      yield enc.encode('a,b\n');
      yield new Uint8Array(0);
      yield enc.encode('c,d\n');
    }
    const source = streamSource(gen(), 'generated');
    expect(await readAll(source)).toBe('a,b\nc,d\n');
    expect(source.bytesRead).toBe(8);
  });

  it('wraps a stream error as E_INPUT_FILE naming the source', async () => {
    async function* failing(): AsyncIterable<Uint8Array> {
      yield new TextEncoder().encode('a,b\n');
      throw new Error('connection reset');
    }
    await expect(readAll(streamSource(failing(), 'upload'))).rejects.toMatchObject({
      code: 'E_INPUT_FILE',
      message: 'upload: cannot read: connection reset',
    });
  });
});
