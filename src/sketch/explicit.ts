/**
 * The EXPLICIT state: the distinct hashes themselves, exact, up to the threshold T (SPEC §5).
 *
 * Storage: an open-addressing hash set of 64-bit hashes, each as two int32 halves `[lo, hi]`
 * in one Int32Array (linear probing, capacity a power of two, at most ¾ full). The all-zero
 * pair marks an empty slot, so the hash 0 itself (the empty string's hash) is tracked by a flag.
 * Adding is O(1) whatever the set size — a sorted array would move O(k) bytes per new hash, and
 * with the default T = 1280 most of reachtree's small cells live here. The order the bytes need
 * (ascending *signed* int64) is produced only when serialising: the pairs are copied into a
 * buffer and sorted as a BigInt64Array, a native numeric sort (signed, and no BigInt per
 * element), which reads `[lo, hi]` as one int64 on a little-endian host.
 * Memory: 10.7–21.3 bytes per hash; a cell's first hashes take 8 slots (64 bytes).
 *
 * Adding a hash not yet present: stored while fewer than T are held; otherwise every held hash
 * and the new one go into fresh registers. So a sketch stays EXPLICIT up to T distinct hashes and
 * the (T+1)-th promotes it. (Decoding refuses EXPLICIT bytes holding more than T hashes, so
 * `count ≤ T` always holds here.)
 */

import { encodeExplicit } from './format/encode.js';
import type { SketchShape } from './params.js';
import { newRegisters } from './registers.js';
import { STATE_BYTES, TYPED_ARRAY_BYTES, type ExplicitLike, type RegisterState, type State } from './state.js';

const INITIAL_SLOTS = 8;
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** Home slot: Fibonacci hashing of both halves (hand-made hashes are often small integers). */
function home(lo: number, hi: number, shift: number): number {
  return Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> shift;
}

function shiftFor(slots: Int32Array): number {
  return 32 - (31 - Math.clz32(slots.length >>> 1));
}

export class ExplicitState implements ExplicitLike {
  readonly kind = 'EXPLICIT';
  /** 32 − log2(slot count): the home slot is the top bits of a 32-bit product. */
  private shift: number;

  private constructor(
    readonly shape: SketchShape,
    /** `[lo, hi]` per slot; (0, 0) = empty */
    private slots: Int32Array,
    /** whether the hash 0 is in the set (it cannot be stored in a slot) */
    private hasZero: boolean,
    public count: number,
  ) {
    this.shift = shiftFor(slots);
  }

  /** An EXPLICIT state holding one hash. */
  static of(shape: SketchShape, lo: number, hi: number): ExplicitState {
    const s = new ExplicitState(shape, new Int32Array(2 * INITIAL_SLOTS), false, 0);
    s.insert(lo | 0, hi | 0);
    return s;
  }

  /** An EXPLICIT state adopting `count` distinct hashes given as `[lo, hi]` pairs (count ≤ T). */
  static fromPairs(shape: SketchShape, pairs: Int32Array, count: number): ExplicitState {
    let slots = INITIAL_SLOTS;
    while (4 * count > 3 * slots) slots *= 2;
    const s = new ExplicitState(shape, new Int32Array(2 * slots), false, 0);
    for (let k = 0; k < count; k++) s.insert(pairs[2 * k]!, pairs[2 * k + 1]!);
    return s;
  }

  add(lo: number, hi: number): State {
    lo |= 0;
    hi |= 0;
    if (lo === 0 && hi === 0) {
      if (this.hasZero) return this;
      if (this.count >= this.shape.threshold) return this.promote(lo, hi);
      this.count++;
      this.hasZero = true;
      return this;
    }
    // One probe finds the hash or the empty slot it would go to (the per-row hot path).
    const slots = this.slots;
    const mask = (slots.length >>> 1) - 1;
    let i = home(lo, hi, this.shift);
    for (;;) {
      const sLo = slots[2 * i]!;
      const sHi = slots[2 * i + 1]!;
      if (sLo === lo && sHi === hi) return this;
      if (sLo === 0 && sHi === 0) break;
      i = (i + 1) & mask;
    }
    if (this.count >= this.shape.threshold) return this.promote(lo, hi);
    this.count++;
    if (4 * this.count > 3 * (mask + 1)) {
      this.grow();
      this.place(lo, hi);
    } else {
      slots[2 * i] = lo;
      slots[2 * i + 1] = hi;
    }
    return this;
  }

  /** Past the threshold: every held hash and the new one go into fresh registers. */
  private promote(lo: number, hi: number): State {
    let regs: RegisterState = newRegisters(this.shape);
    this.forEachHash((l, h) => {
      regs = regs.add(l, h);
    });
    return regs.add(lo, hi);
  }

  has(lo: number, hi: number): boolean {
    if (lo === 0 && hi === 0) return this.hasZero;
    const slots = this.slots;
    const mask = (slots.length >>> 1) - 1;
    for (let i = home(lo, hi, this.shift); ; i = (i + 1) & mask) {
      const sLo = slots[2 * i]!;
      const sHi = slots[2 * i + 1]!;
      if (sLo === lo && sHi === hi) return true;
      if (sLo === 0 && sHi === 0) return false;
    }
  }

  /** Adds a hash known to be absent (int32 halves). */
  private insert(lo: number, hi: number): void {
    this.count++;
    if (lo === 0 && hi === 0) {
      this.hasZero = true;
      return;
    }
    if (4 * this.count > 3 * (this.slots.length >>> 1)) this.grow();
    this.place(lo, hi);
  }

  private place(lo: number, hi: number): void {
    const slots = this.slots;
    const mask = (slots.length >>> 1) - 1;
    let i = home(lo, hi, this.shift);
    while (slots[2 * i] !== 0 || slots[2 * i + 1] !== 0) i = (i + 1) & mask;
    slots[2 * i] = lo;
    slots[2 * i + 1] = hi;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(2 * old.length);
    this.shift = shiftFor(this.slots);
    for (let i = 0; i < old.length; i += 2) if (old[i] !== 0 || old[i + 1] !== 0) this.place(old[i]!, old[i + 1]!);
  }

  /** Calls `fn(lo, hi)` for every hash, in no particular order. */
  forEachHash(fn: (lo: number, hi: number) => void): void {
    if (this.hasZero) fn(0, 0);
    const slots = this.slots;
    for (let i = 0; i < slots.length; i += 2) if (slots[i] !== 0 || slots[i + 1] !== 0) fn(slots[i]!, slots[i + 1]!);
  }

  /** The hashes as `[lo, hi]` pairs in ascending signed int64 order. */
  sortedPairs(): Int32Array {
    const pairs = new Int32Array(2 * this.count);
    let n = 0;
    this.forEachHash((lo, hi) => {
      pairs[n++] = lo;
      pairs[n++] = hi;
    });
    if (LITTLE_ENDIAN) {
      new BigInt64Array(pairs.buffer).sort(); // each [lo, hi] is one int64 in memory
      return pairs;
    }
    // big-endian host: sort pair indices by (hi signed, lo unsigned)
    const order = Array.from({ length: this.count }, (_, k) => k);
    order.sort((a, b) => pairs[2 * a + 1]! - pairs[2 * b + 1]! || (pairs[2 * a]! >>> 0) - (pairs[2 * b]! >>> 0));
    const sorted = new Int32Array(2 * this.count);
    order.forEach((k, i) => {
      sorted[2 * i] = pairs[2 * k]!;
      sorted[2 * i + 1] = pairs[2 * k + 1]!;
    });
    return sorted;
  }

  clone(): ExplicitState {
    return new ExplicitState(this.shape, this.slots.slice(), this.hasZero, this.count);
  }

  toBytes(): Uint8Array {
    return encodeExplicit(this.shape.params, this.sortedPairs(), this.count);
  }

  memoryBytes(): number {
    return STATE_BYTES + TYPED_ARRAY_BYTES + this.slots.byteLength;
  }
}
