/**
 * The EXPLICIT state: the distinct hashes themselves, exact, up to the threshold T (SPEC §5).
 *
 * Storage: one Int32Array of interleaved halves `[hi0, lo0, hi1, lo1, …]` kept in ascending
 * *signed* int64 order (hi compared signed, lo unsigned) — the order the bytes need, so
 * serialising is a straight copy; 8 bytes per hash, capacity doubling from 4 hashes.
 *
 * Adding a hash not yet present: stored while fewer than T are held; otherwise every held hash
 * and the new one go into fresh registers. So a sketch stays EXPLICIT up to T distinct hashes and
 * the (T+1)-th promotes it. (Decoding refuses EXPLICIT bytes holding more than T hashes, so
 * `count ≤ T` always holds here.)
 */

import { encodeExplicit } from './format/encode.js';
import type { SketchShape } from './params.js';
import { newRegisters } from './registers.js';
import { OBJECT_OVERHEAD_BYTES, type ExplicitLike, type RegisterState, type State } from './state.js';

const INITIAL_CAPACITY = 4;

export class ExplicitState implements ExplicitLike {
  readonly kind = 'EXPLICIT';

  constructor(
    readonly shape: SketchShape,
    private halves: Int32Array,
    public count: number,
  ) {}

  /** An EXPLICIT state holding one hash. */
  static of(shape: SketchShape, lo: number, hi: number): ExplicitState {
    const halves = new Int32Array(2 * Math.min(INITIAL_CAPACITY, Math.max(shape.threshold, 1)));
    halves[0] = hi;
    halves[1] = lo;
    return new ExplicitState(shape, halves, 1);
  }

  /**
   * The state for a sorted, duplicate-free set of hashes: EXPLICIT when it fits under T,
   * registers otherwise.
   */
  static fromSorted(shape: SketchShape, halves: Int32Array, count: number): State {
    if (count <= shape.threshold) return new ExplicitState(shape, halves, count);
    return ExplicitState.replay(newRegisters(shape), halves, count);
  }

  add(lo: number, hi: number): State {
    const at = this.search(lo | 0, hi | 0);
    if (at >= 0) return this; // already present
    const pos = ~at;
    if (this.count >= this.shape.threshold) {
      return ExplicitState.replay(newRegisters(this.shape), this.halves, this.count).add(lo, hi);
    }
    if (2 * this.count === this.halves.length) {
      const grown = new Int32Array(Math.min(2 * this.halves.length, 2 * Math.max(this.shape.threshold, this.count + 1)));
      grown.set(this.halves);
      this.halves = grown;
    }
    this.halves.copyWithin(2 * pos + 2, 2 * pos, 2 * this.count);
    this.halves[2 * pos] = hi;
    this.halves[2 * pos + 1] = lo;
    this.count++;
    return this;
  }

  /**
   * Index of (lo, hi) if present, else `~insertionPoint`. Order: hi as signed int32, then lo as
   * unsigned — i.e. signed int64 order.
   */
  private search(lo: number, hi: number): number {
    const h = this.halves;
    const loU = lo >>> 0;
    let low = 0;
    let high = this.count - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const mHi = h[2 * mid]!;
      const mLo = h[2 * mid + 1]! >>> 0;
      if (mHi < hi || (mHi === hi && mLo < loU)) low = mid + 1;
      else if (mHi === hi && mLo === loU) return mid;
      else high = mid - 1;
    }
    return ~low;
  }

  forEachHash(fn: (lo: number, hi: number) => void): void {
    for (let k = 0; k < this.count; k++) fn(this.halves[2 * k + 1]!, this.halves[2 * k]!);
  }

  /** Sorted merge with another EXPLICIT state's hashes (set union), as interleaved halves. */
  mergedHalves(other: ExplicitState): { halves: Int32Array; count: number } {
    const a = this.halves;
    const b = other.halves;
    const out = new Int32Array(2 * (this.count + other.count));
    let i = 0;
    let j = 0;
    let n = 0;
    while (i < this.count && j < other.count) {
      const aHi = a[2 * i]!;
      const bHi = b[2 * j]!;
      const aLo = a[2 * i + 1]! >>> 0;
      const bLo = b[2 * j + 1]! >>> 0;
      if (aHi < bHi || (aHi === bHi && aLo < bLo)) {
        out[2 * n] = aHi;
        out[2 * n++ + 1] = aLo;
        i++;
      } else if (aHi === bHi && aLo === bLo) {
        out[2 * n] = aHi;
        out[2 * n++ + 1] = aLo;
        i++;
        j++;
      } else {
        out[2 * n] = bHi;
        out[2 * n++ + 1] = bLo;
        j++;
      }
    }
    for (; i < this.count; i++, n++) {
      out[2 * n] = a[2 * i]!;
      out[2 * n + 1] = a[2 * i + 1]!;
    }
    for (; j < other.count; j++, n++) {
      out[2 * n] = b[2 * j]!;
      out[2 * n + 1] = b[2 * j + 1]!;
    }
    return { halves: out, count: n };
  }

  clone(): ExplicitState {
    return new ExplicitState(this.shape, this.halves.slice(), this.count);
  }

  toBytes(): Uint8Array {
    return encodeExplicit(this.shape.params, this.halves, this.count);
  }

  memoryBytes(): number {
    return OBJECT_OVERHEAD_BYTES + this.halves.byteLength;
  }

  /** Feeds `count` interleaved hashes into register state `regs`. */
  static replay(regs: RegisterState, halves: Int32Array, count: number): RegisterState {
    let out = regs;
    for (let k = 0; k < count; k++) out = out.add(halves[2 * k + 1]!, halves[2 * k]!);
    return out;
  }
}
