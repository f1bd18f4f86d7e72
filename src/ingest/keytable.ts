/**
 * A hash table from the bytes of a few fields of a CSV row to a value, looked up straight from the
 * scanner's field ranges: the ingest hot path maps (territory, facet…) bytes to a cube cell
 * without decoding a string or allocating per row.
 *
 * Open addressing with linear probing over a power-of-two slot array (kept at most half full);
 * a slot holds entry index + 1 (0 = empty). Each entry keeps the 32-bit hash, its key bytes in one
 * growing pool (fields back to back) and the length of each field, so a probe compares the hash
 * first and the bytes only on a hash match. The hash is FNV-1a over the fields with a separator
 * step between fields (so ("ab","c") and ("a","bc") differ), finished with a murmur-style mix
 * so that linear probing sees well-spread low bits.
 *
 * Entries are never removed: the table holds one entry per distinct key, i.e. per cube cell.
 */

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

export class FieldKeyTable<V> {
  private readonly columns: Int32Array;
  private readonly nFields: number;
  private slots: Int32Array;
  private mask: number;
  private hashes: Int32Array;
  private offsets: Int32Array;
  private lengths: Int32Array;
  private pool: Uint8Array;
  private poolUsed = 0;
  private readonly values: V[] = [];

  /** @param columns the field indexes (into the scanner's starts/ends) that make up the key */
  constructor(columns: readonly number[]) {
    this.columns = Int32Array.from(columns);
    this.nFields = columns.length;
    this.slots = new Int32Array(1024);
    this.mask = 1023;
    this.hashes = new Int32Array(256);
    this.offsets = new Int32Array(256);
    this.lengths = new Int32Array(256 * Math.max(1, this.nFields));
    this.pool = new Uint8Array(4096);
  }

  get size(): number {
    return this.values.length;
  }

  /** The value stored for the key fields of a row, or undefined. */
  get(buf: Uint8Array, starts: Int32Array, ends: Int32Array): V | undefined {
    const h = this.hash(buf, starts, ends);
    const slots = this.slots;
    const mask = this.mask;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const e = slots[s] as number;
      if (e === 0) return undefined;
      if (this.hashes[e - 1] === h && this.matches(e - 1, buf, starts, ends)) return this.values[e - 1];
    }
  }

  /** Stores a value for a key that is not in the table yet (call after get() returned undefined). */
  add(buf: Uint8Array, starts: Int32Array, ends: Int32Array, value: V): void {
    const h = this.hash(buf, starts, ends);
    const e = this.values.length;
    if (e >= this.hashes.length) this.growEntries();
    let keyLen = 0;
    for (let j = 0; j < this.nFields; j++) {
      const c = this.columns[j] as number;
      const len = (ends[c] as number) - (starts[c] as number);
      this.lengths[e * this.nFields + j] = len;
      keyLen += len;
    }
    if (this.poolUsed + keyLen > this.pool.length) {
      const next = new Uint8Array(Math.max(this.pool.length * 2, this.poolUsed + keyLen));
      next.set(this.pool.subarray(0, this.poolUsed));
      this.pool = next;
    }
    this.offsets[e] = this.poolUsed;
    for (let j = 0; j < this.nFields; j++) {
      const c = this.columns[j] as number;
      this.pool.set(buf.subarray(starts[c], ends[c]), this.poolUsed);
      this.poolUsed += (ends[c] as number) - (starts[c] as number);
    }
    this.hashes[e] = h;
    this.values.push(value);
    if ((e + 1) * 2 > this.slots.length) this.rehash();
    else this.place(e, h);
  }

  /** Every stored value, in insertion order. */
  allValues(): readonly V[] {
    return this.values;
  }

  private hash(buf: Uint8Array, starts: Int32Array, ends: Int32Array): number {
    let h = FNV_OFFSET;
    const cols = this.columns;
    for (let j = 0; j < cols.length; j++) {
      const c = cols[j] as number;
      const end = ends[c] as number;
      for (let i = starts[c] as number; i < end; i++) h = Math.imul(h ^ (buf[i] as number), FNV_PRIME);
      h = Math.imul(h ^ 0x1f, FNV_PRIME); // field separator
    }
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    return h;
  }

  private matches(e: number, buf: Uint8Array, starts: Int32Array, ends: Int32Array): boolean {
    let off = this.offsets[e] as number;
    const pool = this.pool;
    const base = e * this.nFields;
    for (let j = 0; j < this.nFields; j++) {
      const c = this.columns[j] as number;
      const s = starts[c] as number;
      const len = (ends[c] as number) - s;
      if (this.lengths[base + j] !== len) return false;
      for (let i = 0; i < len; i++) if (pool[off + i] !== buf[s + i]) return false;
      off += len;
    }
    return true;
  }

  private place(e: number, h: number): void {
    const mask = this.mask;
    let s = h & mask;
    while (this.slots[s] !== 0) s = (s + 1) & mask;
    this.slots[s] = e + 1;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    this.mask = this.slots.length - 1;
    for (let e = 0; e < this.values.length; e++) this.place(e, this.hashes[e] as number);
  }

  private growEntries(): void {
    const n = this.hashes.length * 2;
    const grow = (a: Int32Array, size: number): Int32Array => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.hashes = grow(this.hashes, n);
    this.offsets = grow(this.offsets, n);
    this.lengths = grow(this.lengths, n * Math.max(1, this.nFields));
  }
}
