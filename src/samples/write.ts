/**
 * Writes a generated sample to disk: the subscriptions CSV (gzip optional), then its truth CSV and, for
 * the Magadan scope, the names CSV beside it. Each file is written atomically (temporary file, fsync,
 * rename), and the truth only after the subscriptions are complete, so a truth file never describes a
 * half-written sample. Compression runs on libuv's thread pool while the generator fills the next chunk.
 */

import { dirname, join } from 'node:path';
import { pipeline, Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { writeFileAtomic } from '../report/atomic.js';
import { SampleGenerator, type SampleArgs } from './generator.js';

export interface WriteSampleArgs extends SampleArgs {
  /** Subscriptions CSV path; gzip defaults to on when it ends in `.gz`. */
  readonly file: string;
  readonly gzip?: boolean;
  /** Default: `truth.csv` in the same folder. */
  readonly truthFile?: string;
  /** Default: `names.csv` in the same folder (written only for the Magadan scope). */
  readonly namesFile?: string;
}

export interface WrittenSample {
  readonly rows: number;
  readonly people: number;
  readonly file: string;
  readonly truthFile: string;
  /** null when the scope has no names (national: synthetic codes). */
  readonly namesFile: string | null;
}

export async function writeSample(args: WriteSampleArgs): Promise<WrittenSample> {
  const generator = new SampleGenerator(args);
  const gzip = args.gzip ?? args.file.endsWith('.gz');
  const truthFile = args.truthFile ?? join(dirname(args.file), 'truth.csv');
  const namesCsv = generator.namesCsv();
  const namesFile = namesCsv === null ? null : (args.namesFile ?? join(dirname(args.file), 'names.csv'));

  const raw = Readable.from(generator.chunks(), { objectMode: false });
  // pipeline (not pipe) so an error on either side reaches the writer instead of stalling it.
  const content: AsyncIterable<Uint8Array> = gzip ? pipeline(raw, createGzip(), () => undefined) : raw;
  await writeFileAtomic(args.file, content);
  await writeFileAtomic(truthFile, generator.truthCsv());
  if (namesFile !== null && namesCsv !== null) await writeFileAtomic(namesFile, namesCsv);
  return { rows: generator.rows, people: generator.people, file: args.file, truthFile, namesFile };
}
