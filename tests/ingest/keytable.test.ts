import { describe, expect, it } from 'vitest';
import { FieldKeyTable } from '../../src/ingest/keytable.js';

const enc = new TextEncoder();

interface Row {
  buf: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
}

/** Lays out fields back to back with a separator byte and returns their ranges. */
function row(...fields: string[]): Row {
  return rowOfBytes(fields.map((f) => enc.encode(f)));
}

/**
 * Fields of raw bytes laid out in a fresh buffer: `before` filler bytes first, `sep` between
 * fields, `after` filler bytes at the end (0: the last field ends the buffer). With `offset`, the
 * row is a Uint8Array view that starts `offset` bytes into a larger ArrayBuffer.
 */
function rowOfBytes(fields: Uint8Array[], opts: { before?: number; after?: number; offset?: number; filler?: number } = {}): Row {
  const { before = 0, after = 1, offset = 0, filler = 0x2c } = opts;
  const bytes: number[] = new Array<number>(before).fill(filler);
  const starts = new Int32Array(fields.length);
  const ends = new Int32Array(fields.length);
  fields.forEach((f, i) => {
    if (i > 0) bytes.push(filler);
    starts[i] = bytes.length;
    bytes.push(...f);
    ends[i] = bytes.length;
  });
  for (let i = 0; i < after; i++) bytes.push(filler);
  const backing = new Uint8Array(offset + bytes.length + 5).fill(0xee);
  const buf = new Uint8Array(backing.buffer, offset, bytes.length);
  buf.set(bytes);
  return { buf, starts, ends };
}

/** Deterministic pseudo-random bytes (a 32-bit LCG), covering all 256 byte values. */
function randomBytes(seed: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed | 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) | 0;
    out[i] = x >>> 24;
  }
  return out;
}

function lookup<V>(t: FieldKeyTable<V>, r: Row): V | undefined {
  return t.get(r.buf, r.starts, r.ends);
}

/** Adds a key the table must not hold yet; false (and nothing added) if it already holds it. */
function insert<V>(t: FieldKeyTable<V>, r: Row, value: V): boolean {
  if (lookup(t, r) !== undefined) return false;
  t.add(r.buf, r.starts, r.ends, value);
  return true;
}

/**
 * Runs `check` for i in [from, to) and returns the i where it failed: one expect() per test
 * instead of one per key keeps these many-key tests fast.
 */
function failures(from: number, to: number, check: (i: number) => boolean): number[] {
  const bad: number[] = [];
  for (let i = from; i < to; i++) if (!check(i)) bad.push(i);
  return bad;
}

describe('FieldKeyTable', () => {
  it('finds a value by the bytes of the key fields only', () => {
    const t = new FieldKeyTable<string>([2, 1]);
    const a = row('id-1', 'vk', '44701000');
    expect(t.get(a.buf, a.starts, a.ends)).toBeUndefined();
    t.add(a.buf, a.starts, a.ends, 'cell A');
    const b = row('another id', 'vk', '44701000', 'extra');
    expect(t.get(b.buf, b.starts, b.ends)).toBe('cell A');
    const c = row('id-1', 'ok', '44701000');
    expect(t.get(c.buf, c.starts, c.ends)).toBeUndefined();
    expect(t.size).toBe(1);
  });

  it('tells apart keys whose concatenations are equal', () => {
    const t = new FieldKeyTable<number>([0, 1]);
    const ab = row('ab', 'c');
    const a = row('a', 'bc');
    t.add(ab.buf, ab.starts, ab.ends, 1);
    expect(t.get(a.buf, a.starts, a.ends)).toBeUndefined();
    t.add(a.buf, a.starts, a.ends, 2);
    expect(t.get(ab.buf, ab.starts, ab.ends)).toBe(1);
    expect(t.get(a.buf, a.starts, a.ends)).toBe(2);
  });

  it('tells apart every split of one byte string into two and three fields', () => {
    const text = '0123456789abcdefghij';
    const two = new FieldKeyTable<string>([0, 1]);
    const split2 = (k: number): Row => row(text.slice(0, k), text.slice(k));
    expect(failures(0, text.length + 1, (k) => insert(two, split2(k), `${k}`))).toEqual([]);
    expect(failures(0, text.length + 1, (k) => lookup(two, split2(k)) === `${k}`)).toEqual([]);
    const three = new FieldKeyTable<string>([0, 1, 2]);
    const split3 = (ij: number): Row => row(text.slice(0, ij >> 4), text.slice(ij >> 4, ij & 15), text.slice(ij & 15, 9));
    const splits = [];
    for (let i = 0; i <= 9; i++) for (let j = i; j <= 9; j++) splits.push((i << 4) | j);
    expect(splits.filter((ij) => !insert(three, split3(ij), `${ij}`))).toEqual([]);
    expect(splits.filter((ij) => lookup(three, split3(ij)) !== `${ij}`)).toEqual([]);
    expect(three.size).toBe(55);
  });

  it('keeps keys with every pair of field lengths 0..24 apart, padding bytes included', () => {
    // Zero bytes in the keys: a field's last word is zero-padded, so "a" and "a\0" must still differ.
    const t = new FieldKeyTable<number>([0, 1]);
    const field = (len: number, seed: number): Uint8Array => randomBytes(seed, len).map((b, i) => (i === len - 1 ? 0 : b));
    const key = (ab: number): Row => rowOfBytes([field(Math.floor(ab / 25), 7), field(ab % 25, 11)]);
    expect(failures(0, 25 * 25, (ab) => insert(t, key(ab), ab))).toEqual([]);
    expect(failures(0, 25 * 25, (ab) => lookup(t, key(ab)) === ab)).toEqual([]);
    expect(t.size).toBe(25 * 25);
  });

  it('tells apart keys that differ in one byte, at every position of every field', () => {
    const base = [randomBytes(1, 13), randomBytes(2, 2), randomBytes(3, 24)];
    const t = new FieldKeyTable<string>([0, 1, 2]);
    expect(insert(t, rowOfBytes(base), 'base')).toBe(true);
    const variants: Array<[Uint8Array[], string]> = [];
    base.forEach((f, j) => {
      for (let i = 0; i < f.length; i++) {
        for (const flip of [0x01, 0x80, 0xff]) {
          const changed = base.map((g) => g.slice());
          (changed[j] as Uint8Array)[i] = (f[i] as number) ^ flip;
          variants.push([changed, `${j}:${i}:${flip}`]);
        }
      }
    });
    expect(variants.filter(([fields, name]) => !insert(t, rowOfBytes(fields), name)).map(([, name]) => name)).toEqual([]);
    expect(lookup(t, rowOfBytes(base))).toBe('base');
    expect(variants.filter(([fields, name]) => lookup(t, rowOfBytes(fields)) !== name).map(([, name]) => name)).toEqual([]);
    expect(t.size).toBe(1 + variants.length);
  });

  it('finds a key from another buffer, at another offset, with other bytes around it', () => {
    const fields = [enc.encode('44701000001'), enc.encode('vk')];
    const t = new FieldKeyTable<string>([0, 1]);
    expect(insert(t, rowOfBytes(fields), 'cell')).toBe(true);
    const layouts = [
      { before: 0, after: 0 }, // the last field ends the buffer: its tail cannot be read as a word
      { before: 3, after: 0, offset: 1 },
      { before: 1, after: 7, offset: 3, filler: 0x00 },
      { before: 5, after: 2, offset: 6, filler: 0xff },
    ];
    for (const layout of layouts) expect(lookup(t, rowOfBytes(fields, layout))).toBe('cell');
    // A Buffer (Node's Uint8Array subclass) carved out of a shared pool works the same.
    const r = row('x', '44701000001', 'vk');
    const buffer = Buffer.from(r.buf);
    expect(t.get(buffer, r.starts.subarray(1), r.ends.subarray(1))).toBe('cell');
    // Alternating buffers: the cached view must follow the buffer passed in.
    const other = rowOfBytes([enc.encode('44701000001'), enc.encode('ok')], { before: 2, offset: 5 });
    expect(lookup(t, other)).toBeUndefined();
    expect(lookup(t, rowOfBytes(fields, { before: 9 }))).toBe('cell');
    expect(lookup(t, other)).toBeUndefined();
  });

  it('keeps every key through growth, including empty fields', () => {
    const t = new FieldKeyTable<number>([0, 1]);
    const n = 20_000;
    const key = (i: number): Row => row(String(i * 7919), i % 3 === 0 ? '' : `p${i % 5}`);
    expect(failures(0, n, (i) => insert(t, key(i), i))).toEqual([]);
    expect(failures(0, n, (i) => lookup(t, key(i)) === i)).toEqual([]);
    expect(t.size).toBe(n);
    expect(t.allValues()).toHaveLength(n);
  });

  it('keeps short and long keys through growth, with values in insertion order', () => {
    // Field 0 of 0..40 bytes: short records sit in the entry, long ones in the overflow pool.
    // Field 1 starts with i's 3 bytes, so every key is distinct.
    const t = new FieldKeyTable<number>([1, 0]);
    const id = (i: number): number[] => [i & 0xff, (i >>> 8) & 0xff, i >>> 16];
    const key = (i: number): Row =>
      rowOfBytes([randomBytes(i, i % 41), Uint8Array.of(...id(i), ...randomBytes(i + 1e6, (i * 7) % 5))], { before: i % 4 });
    const n = 30_000;
    expect(failures(0, n, (i) => insert(t, key(i), i))).toEqual([]);
    expect(failures(0, n, (i) => lookup(t, key(n - 1 - i)) === n - 1 - i)).toEqual([]);
    expect(t.allValues()).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it('reports no false hits for keys it never stored', () => {
    // Key i: its number in 3 bytes, then random bytes; fields of 1..12 and 2 bytes beyond that.
    const key = (i: number, extra0 = 0, extra1 = 0): Row =>
      rowOfBytes([Uint8Array.of(i & 0xff, (i >>> 8) & 0xff, i >>> 16, ...randomBytes(2 * i, (i % 12) + extra0)), randomBytes(2 * i + 1, 2 + extra1)]);
    const t = new FieldKeyTable<number>([0, 1]);
    expect(failures(0, 5_000, (i) => insert(t, key(i), i))).toEqual([]);
    expect(failures(5_000, 25_000, (i) => lookup(t, key(i)) === undefined)).toEqual([]);
    // stored keys with one more byte in one of their fields
    expect(failures(0, 5_000, (j) => lookup(t, key(j, 1, 0)) === undefined && lookup(t, key(j, 0, 1)) === undefined)).toEqual([]);
    expect(failures(0, 5_000, (i) => lookup(t, key(i)) === i)).toEqual([]);
    expect(t.size).toBe(5_000);
  });
});
