/**
 * Byte sources: a file path, '-' (stdin) or any Node stream / async iterable of bytes, opened as
 * an async iterable of Buffer chunks, gunzipped on the fly when the data is gzip.
 *
 * Gzip is recognised by its magic bytes (1f 8b) at the start of the data, whatever the name; a
 * name ending in `.gz` must start with them (a mislabelled file is an error rather than being read
 * as garbage CSV). Concatenated gzip members are read as one stream, as `gzip -d` does.
 *
 * The source counts the raw bytes it has read (compressed bytes for gzip) and knows the file's
 * size when there is a file, which is what a progress line needs for an ETA. Every failure —
 * missing file, a directory, a permission, corrupt or truncated gzip — is an E_INPUT_FILE error
 * naming the source.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ReachtreeError } from '../errors.js';
import type { ChunkClass } from './ingester.js';

/** How stdin is named in messages and rejects. */
export const STDIN_NAME = '<stdin>';

/** Chunks as Node Buffers, the class every source here yields (Buffer's indexOf is a memchr; a plain Uint8Array's is 2–3× slower). */
export const BUFFER_CHUNKS: ChunkClass = Object.freeze({
  allocate: (n: number): Uint8Array => Buffer.allocUnsafe(n),
  view: (buffer: ArrayBuffer, byteOffset: number, length: number): Uint8Array => Buffer.from(buffer, byteOffset, length),
});

export interface ByteSource extends AsyncIterable<Buffer> {
  /** The path as given, or `<stdin>`, or the caller's name for a stream. */
  readonly name: string;
  /** Size of the underlying file in bytes (compressed size for gzip); undefined for streams. */
  readonly size: number | undefined;
  /** Raw bytes read so far (compressed bytes for gzip). */
  readonly bytesRead: number;
  /** Whether the data is gzip; undefined until the first bytes were read. */
  readonly gzip: boolean | undefined;
  /** Releases the file when the source is abandoned without being iterated to the end. */
  close(): Promise<void>;
}

export interface SourceOptions {
  /** Bytes per read from a file (default 1 MiB). */
  readonly chunkBytes?: number;
  /** What '-' reads (default `process.stdin`). */
  readonly stdin?: AsyncIterable<Uint8Array>;
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;
/** Decompressed chunk size: large enough that per-chunk costs vanish, small enough for cache. */
const GUNZIP_CHUNK = 256 * 1024;

/** Opens a path ('-' = stdin). A missing or unreadable file fails here, before any byte is read. */
export async function openSource(path: string, options: SourceOptions = {}): Promise<ByteSource> {
  if (path === '-') return streamSource(options.stdin ?? process.stdin, STDIN_NAME);
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (cause) {
    throw fileError(path, cause);
  }
  let size: number;
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new ReachtreeError('E_INPUT_FILE', 'is a directory, expected a CSV file', { location: { file: path } });
    size = stat.isFile() ? stat.size : NaN;
  } catch (cause) {
    await handle.close().catch(() => undefined);
    throw fileError(path, cause);
  }
  const chunkBytes = options.chunkBytes ?? 1 << 20;
  const opened = handle;
  return new Source(
    path,
    Number.isNaN(size) ? undefined : size,
    () => opened.createReadStream({ highWaterMark: chunkBytes, autoClose: true }),
    path.toLowerCase().endsWith('.gz'),
    () => opened.close(),
  );
}

/** Wraps a Node stream or an async iterable of bytes (plain or gzip) under a name for messages. */
export function streamSource(stream: AsyncIterable<Uint8Array>, name: string): ByteSource {
  return new Source(name, undefined, () => stream, false, async () => {
    const destroy = (stream as Partial<Readable>).destroy;
    if (typeof destroy === 'function') destroy.call(stream);
  });
}

class Source implements ByteSource {
  bytesRead = 0;
  gzip: boolean | undefined = undefined;
  private started = false;

  constructor(
    readonly name: string,
    readonly size: number | undefined,
    private readonly raw: () => AsyncIterable<Uint8Array>,
    private readonly mustBeGzip: boolean,
    private readonly release: () => Promise<void>,
  ) {}

  async close(): Promise<void> {
    if (!this.started) await this.release().catch(() => undefined);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    if (this.started) throw new Error(`source ${this.name} can only be read once`);
    this.started = true;
    const raw = this.raw();
    const counted = this.count(raw);
    const it = counted[Symbol.asyncIterator]();
    // Peek at the first bytes to tell gzip from plain text (a chunk may hold fewer than two).
    const head: Buffer[] = [];
    let headLen = 0;
    let done = false;
    try {
      while (headLen < 2) {
        const r = await it.next();
        if (r.done === true) {
          done = true;
          break;
        }
        head.push(r.value);
        headLen += r.value.length;
      }
    } catch (cause) {
      throw fileError(this.name, cause);
    }
    const first = head.length === 0 ? Buffer.alloc(0) : Buffer.concat(head);
    this.gzip = first.length >= 2 && first[0] === GZIP_MAGIC_0 && first[1] === GZIP_MAGIC_1;
    if (this.mustBeGzip && !this.gzip) {
      await it.return?.();
      throw new ReachtreeError('E_INPUT_FILE', 'named .gz but is not gzip data (it does not start with the bytes 1f 8b)', {
        location: { file: this.name },
      });
    }
    const rest: AsyncIterable<Buffer> = {
      [Symbol.asyncIterator]: () => ({
        next: () => (done ? Promise.resolve({ done: true, value: undefined }) : it.next()),
        return: async () => {
          await it.return?.();
          return { done: true, value: undefined };
        },
      }),
    };
    try {
      if (!this.gzip) {
        if (first.length > 0) yield first;
        for await (const chunk of rest) yield chunk;
        return;
      }
      const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK });
      const compressed = Readable.from(prepend(first, rest), { objectMode: false });
      pipeline(compressed, gunzip, () => undefined); // errors surface through the gunzip iterator
      for await (const chunk of gunzip) yield chunk as Buffer;
    } catch (cause) {
      throw fileError(this.name, cause);
    } finally {
      // Also when the consumer stops early (break, throw): stop reading and release the file.
      await it.return?.();
    }
  }

  private async *count(raw: AsyncIterable<Uint8Array>): AsyncIterable<Buffer> {
    for await (const chunk of raw) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      this.bytesRead += buf.length;
      yield buf;
    }
  }
}

async function* prepend(first: Buffer, rest: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
  if (first.length > 0) yield first;
  yield* rest;
}

function fileError(name: string, cause: unknown): ReachtreeError {
  if (cause instanceof ReachtreeError) return cause;
  const code = (cause as { code?: unknown } | null)?.code;
  let what: string;
  switch (code) {
    case 'ENOENT':
      what = 'no such file';
      break;
    case 'EACCES':
    case 'EPERM':
      what = 'permission denied';
      break;
    case 'EISDIR':
      what = 'is a directory, expected a CSV file';
      break;
    case 'Z_BUF_ERROR':
      what = 'truncated gzip data (unexpected end of file)';
      break;
    case 'Z_DATA_ERROR':
      what = `corrupt gzip data (${(cause as Error).message})`;
      break;
    default:
      what = cause instanceof Error ? cause.message : String(cause);
  }
  return new ReachtreeError('E_INPUT_FILE', `cannot read: ${what}`, { location: { file: name }, cause });
}
