/**
 * A hash table from the bytes of a few fields of a CSV row to a value, looked up straight from the
 * scanner's field ranges: the ingest hot path maps (territory, facet…) bytes to a cube cell
 * without decoding a string or allocating per row. It runs once per row (10^8 rows nationally),
 * so it reads the key 4 bytes at a time: a JS byte loop costs ~4 ns a byte, a little-endian
 * DataView getInt32 compiles to one unaligned load.
 *
 * A key's *record* is the length of each field, then each field's bytes as little-endian int32
 * words, the last one zero-padded. get() builds the row's record in a scratch array while hashing
 * it, so a hash match is confirmed by comparing ints, and add() stores that same record:
 *
 *   key fields ("46000000", "vk") → record  8 | 2 | 0x30303634 0x30303030 | 0x00006b76
 *                                            ^lengths ^"4600"    "0000"      ^"vk" + 2 zero bytes
 *
 * Layout, with the cache in mind (~50 k keys at national scale; each array is indexed at random):
 * - `slots`: open addressing with linear probing over a power-of-two array of int32 pairs
 *   [hash, entry + 1] (0: empty), at most three quarters full. A probe reads hash and entry from
 *   one cache line (8 pairs: the probe sequences are short at that load) and touches nothing
 *   else until the full hash matches. (Half full measured no faster: twice the memory to miss.)
 * - `entries`: 8 ints per entry in insertion order: the record's int count, then the record
 *   (up to 7 ints: two fields, e.g. an 11-digit OKTMO code and a platform name of up to 8 bytes). A
 *   longer record goes to the `overflow` pool and the entry holds −(its offset + 1). Insertion
 *   order puts the frequent keys (seen first) close together, so their entries stay cached.
 * - `values[entry]`: the value, also in insertion order (what allValues() returns).
 *
 * The hash is MurmurHash3_x86_32's block step and fmix32 finaliser (Appleby, public-domain
 * MurmurHash3.cpp) over the record's words. The field lengths run through a separate multiply
 * chain (which the CPU overlaps with the words' chain) xor-ed in before the finaliser, so
 * ("ab","c") and ("a","bc") hash as different inputs; fmix32 spreads them into the low bits that
 * pick a slot. It is not PostgreSQL-compatible and need not be: it never leaves the process.
 *
 * A field's last 1–3 bytes are read as one masked word when 4 bytes fit in the buffer (the bytes
 * after the field belong to the same chunk and are masked off), else byte by byte.
 *
 * Entries are never removed: the table holds one entry per distinct key, i.e. per cube cell.
 */

const C1 = 0xcc9e2d51 | 0;
const C2 = 0x1b873593 | 0;
const N = 0xe6546b64 | 0;
const SEED = 0x9747b28c | 0;
const LEN_MUL = 0x9e3779b1 | 0; // 2^32 / golden ratio, odd

/** One MurmurHash3_x86_32 block step: mixes the 32-bit word k into h. */
function mixWord(h: number, k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + N) | 0;
}

/** MurmurHash3's fmix32: every input bit affects the low bits used as the slot index. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The `rem` (1–3) bytes at `i` as a little-endian word with zero high bytes; `size`: the view's length. */
function tailWord(v: DataView, size: number, i: number, rem: number): number {
  if (i + 4 <= size) return v.getInt32(i, true) & ((1 << (rem << 3)) - 1);
  let k = v.getUint8(i);
  if (rem > 1) k |= v.getUint8(i + 1) << 8;
  if (rem > 2) k |= v.getUint8(i + 2) << 16;
  return k;
}

/** Ints per entry in `entries`: a tag, then a record of up to ENTRY_INTS - 1 ints. */
const ENTRY_INTS = 8;

export class FieldKeyTable<V> {
  private readonly columns: Int32Array;
  private readonly nFields: number;
  /** [hash, entry + 1] pairs (entry + 1 = 0: empty); length = 2 × slot count. */
  private slots: Int32Array;
  /** slots.length - 1: an even start index stays even and in range after `& pairMask`. */
  private pairMask: number;
  /** ENTRY_INTS ints per entry, in insertion order (see the header). */
  private entries: Int32Array;
  /** Records that do not fit in an entry, back to back. */
  private overflow: Int32Array;
  private overflowUsed = 0;
  private readonly values: V[] = [];
  /** The record of the key last hashed (its first `scratchUsed` ints): compared and stored as is. */
  private scratch: Int32Array;
  private scratchUsed = 0;
  /**
   * A DataView over the last row buffer passed in, rebuilt only when another array comes: the
   * ingester looks up many rows out of one chunk. (It keeps that array reachable until then.)
   * Kept inline rather than through `LastDataView` (bytes.ts): this lookup runs once per row, and
   * through the helper it measured 5–8 ns (~8 %) slower.
   */
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  private viewOf: Uint8Array | undefined;

  /** @param columns the field indexes (into the scanner's starts/ends) that make up the key */
  constructor(columns: readonly number[]) {
    this.columns = Int32Array.from(columns);
    this.nFields = columns.length;
    this.slots = new Int32Array(2 * 1024);
    this.pairMask = this.slots.length - 1;
    this.entries = new Int32Array(512 * ENTRY_INTS);
    this.overflow = new Int32Array(0);
    this.scratch = new Int32Array(64);
  }

  get size(): number {
    return this.values.length;
  }

  /** The value stored for the key fields of a row, or undefined. */
  get(buf: Uint8Array, starts: Int32Array, ends: Int32Array): V | undefined {
    const h = this.hash(buf, starts, ends);
    const slots = this.slots;
    const pairMask = this.pairMask;
    for (let s = (h << 1) & pairMask; ; s = (s + 2) & pairMask) {
      const e = (slots[s + 1] as number) - 1;
      if (e < 0) return undefined;
      if (slots[s] === h && this.matches(e)) return this.values[e];
    }
  }

  /** Stores a value for a key that is not in the table yet (call after get() returned undefined). */
  add(buf: Uint8Array, starts: Int32Array, ends: Int32Array, value: V): void {
    const h = this.hash(buf, starts, ends);
    const e = this.values.length;
    const n = this.scratchUsed;
    const b = e * ENTRY_INTS;
    if (b + ENTRY_INTS > this.entries.length) this.entries = grown(this.entries, this.entries.length * 2, b);
    const rec = this.scratch.subarray(0, n);
    if (n < ENTRY_INTS) {
      this.entries[b] = n;
      this.entries.set(rec, b + 1);
    } else {
      const off = this.overflowUsed;
      if (off + n > this.overflow.length) this.overflow = grown(this.overflow, Math.max(2 * this.overflow.length, off + n, 1024), off);
      this.overflow.set(rec, off);
      this.overflowUsed = off + n;
      this.entries[b] = -(off + 1);
    }
    this.values.push(value);
    if ((e + 1) * 8 > this.slots.length * 3) this.grow(); // more than 3/4 of the slots in use
    this.place(h, e);
  }

  /** Every stored value, in insertion order. */
  allValues(): readonly V[] {
    return this.values;
  }

  /**
   * Hashes the key fields of a row and leaves their record (lengths, then words) in `scratch`, so
   * that a probe compares ints with ints and add() copies it.
   */
  private hash(buf: Uint8Array, starts: Int32Array, ends: Int32Array): number {
    if (buf !== this.viewOf) {
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      this.viewOf = buf;
    }
    const v = this.view;
    const size = buf.length;
    const cols = this.columns;
    const nFields = this.nFields;
    let rec = this.scratch;
    let w = nFields;
    let h = SEED;
    let lens = 0;
    for (let j = 0; j < nFields; j++) {
      const c = cols[j] as number;
      let i = starts[c] as number;
      const end = ends[c] as number;
      const len = end - i;
      if (w + ((len + 3) >>> 2) > rec.length) rec = this.growScratch(w + ((len + 3) >>> 2));
      rec[j] = len;
      // the lengths have their own chain, which the CPU runs in parallel with the words' chain
      lens = Math.imul(lens ^ len, LEN_MUL);
      const wordsEnd = end - (len & 3);
      for (; i < wordsEnd; i += 4) {
        const k = v.getInt32(i, true);
        rec[w++] = k;
        h = mixWord(h, k);
      }
      if (i < end) {
        const k = tailWord(v, size, i, end - i);
        rec[w++] = k;
        h = mixWord(h, k);
      }
    }
    this.scratchUsed = w;
    return fmix32(h ^ lens);
  }

  /** Whether entry `e` holds the record in `scratch`. */
  private matches(e: number): boolean {
    const rec = this.scratch;
    const n = this.scratchUsed;
    const b = e * ENTRY_INTS;
    const tag = this.entries[b] as number;
    let keys = this.entries;
    let r = b + 1;
    if (tag >= 0) {
      if (tag !== n) return false;
    } else {
      // The lengths come first: once they match, the stored record is as long as the scratch one.
      keys = this.overflow;
      r = -tag - 1;
    }
    for (let k = 0; k < n; k++) if (keys[r + k] !== rec[k]) return false;
    return true;
  }

  private growScratch(ints: number): Int32Array {
    this.scratch = grown(this.scratch, Math.max(this.scratch.length * 2, ints), this.scratch.length);
    return this.scratch;
  }

  private place(h: number, e: number): void {
    const slots = this.slots;
    const pairMask = this.pairMask;
    let s = (h << 1) & pairMask;
    while (slots[s + 1] !== 0) s = (s + 2) & pairMask;
    slots[s] = h;
    slots[s + 1] = e + 1;
  }

  /** Doubles the slot array and re-places every occupied slot (hashes are kept, not recomputed). */
  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.pairMask = this.slots.length - 1;
    for (let s = 0; s < old.length; s += 2) {
      const e1 = old[s + 1] as number;
      if (e1 !== 0) this.place(old[s] as number, e1 - 1);
    }
  }
}

/** A copy of `a[0, used)` in a new array of `size` ints. */
function grown(a: Int32Array, size: number, used: number): Int32Array {
  const b = new Int32Array(size);
  b.set(a.subarray(0, used));
  return b;
}
