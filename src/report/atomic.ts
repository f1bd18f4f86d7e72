/**
 * Atomic file output: a report or cells file is either complete or absent.
 *
 * Content goes to a temporary file in the same folder (so the final rename stays on one file
 * system and is atomic on POSIX), is fsynced, then renamed over the target. Any failure —
 * including an exception thrown by the content iterator mid-way — removes the temporary file
 * and leaves a previous version of the target untouched.
 */
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ReachtreeError } from '../errors.js';

let tempCounter = 0;

export type FileContent = string | Uint8Array | AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

export async function writeFileAtomic(path: string, content: FileContent): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${tempCounter++}`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, 'wx');
  } catch (cause) {
    throw new ReachtreeError('E_OUTPUT_WRITE', `cannot create output next to ${path}: ${describe(cause)}`, { cause });
  }
  try {
    const file = handle;
    const write = (piece: string | Uint8Array) => (typeof piece === 'string' ? file.write(piece) : file.write(piece));
    if (typeof content === 'string' || content instanceof Uint8Array) {
      await write(content);
    } else {
      for await (const piece of content) await write(piece);
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, path);
  } catch (cause) {
    if (handle !== undefined) await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    if (cause instanceof ReachtreeError) throw cause;
    throw new ReachtreeError('E_OUTPUT_WRITE', `cannot write ${path}: ${describe(cause)}`, { cause });
  }
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
