/**
 * The REGISTERS state: m = 2^p registers of r bits, filled as PostgreSQL's `hll` does (SPEC §3).
 *
 * From a 64-bit hash h (here as 32-bit halves lo, hi):
 *   index = h & (m − 1)                                  — the low p bits
 *   w     = h >>> p                                      — the other 64 − p bits
 *   value = w == 0 ? 0 : min(1 + ctz(w), 2^r − 1)        — 1 + trailing zeros, capped
 *   register[index] = max(register[index], value)
 * Worked example: h = 0x61accd4b12ff3576 (`user-1`), p = 11, r = 5: index = 0x576 = 1398;
 * bits 11, 12 of …0x3576 are 0, 1 → ctz(w) = 1 → value 2.
 *
 * Two stores, chosen for memory (reachtree keeps ~60 000 sketches alive, most of them small):
 * - `CompactRegisters`: the filled registers only, as `index << 8 | value` words in a growable
 *   Uint32Array — 4 bytes per filled register. Like the EXPLICIT log, new words are appended and
 *   merged (sorted natively, the maximum kept per index) only when the array is full or read;
 * - `DenseRegisters`: a `Uint8Array(m)` plus a running count of non-zero registers.
 * The compact store turns itself into the dense one when it passes `shape.denseSwitch` (m/8)
 * filled registers, where both take about the same memory; the dense store is also faster to
 * update. Neither choice shows in the bytes: SPARSE vs FULL is decided at serialisation.
 */

import { encodeRegisters } from './format/encode.js';
import type { SketchShape } from './params.js';
import { STATE_BYTES, TYPED_ARRAY_BYTES, type RegisterState, type Wire } from './state.js';

/** Merge buffer of the compact stores (settling is synchronous and never re-entered). */
let scratchWords = new Uint32Array(1024);

/**
 * Merges two ascending runs of `index << 8 | value` words, a[aFrom, aTo) and b[bFrom, bTo), into
 * `out` from 0, keeping one word per index: the largest, which holds the largest value and sorts
 * last among its index's words. Returns the words written.
 */
function mergeWords(a: Uint32Array, aFrom: number, aTo: number, b: Uint32Array, bFrom: number, bTo: number, out: Uint32Array): number {
  let i = aFrom;
  let j = bFrom;
  let n = 0;
  while (i < aTo || j < bTo) {
    const w = j >= bTo || (i < aTo && a[i]! <= b[j]!) ? a[i++]! : b[j++]!;
    if (n > 0 && out[n - 1]! >>> 8 === w >>> 8) out[n - 1] = w;
    else out[n++] = w;
  }
  return n;
}

/** Trailing zero count of a non-zero 32-bit pattern. */
function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/**
 * Register value of the hash (lo, hi) for `shape`: 1 + trailing zeros of the 64 − p bits above
 * the index, capped at 2^r − 1; 0 when those bits are all zero (the extension ignores such a
 * hash). p ≤ 17, so the index bits all sit in `lo`.
 */
export function registerValue(lo: number, hi: number, shape: SketchShape): number {
  const above = lo >>> shape.p;
  let v: number;
  if (above !== 0) v = ctz32(above) + 1;
  else if (hi !== 0) v = 33 - shape.p + ctz32(hi);
  else return 0;
  return v < shape.cap ? v : shape.cap;
}

/** A fresh, empty register state for `shape`. */
export function newRegisters(shape: SketchShape): RegisterState {
  return shape.denseSwitch === 0 ? new DenseRegisters(shape, new Uint8Array(shape.m), 0) : new CompactRegisters(shape, new Uint32Array(8), 0);
}

/** Register state adopting decoded SPARSE entries (`index << 8 | value`, ascending). */
export function registersFromEntries(shape: SketchShape, entries: Uint32Array): RegisterState {
  if (entries.length <= shape.denseSwitch) return new CompactRegisters(shape, entries, entries.length);
  const regs = new Uint8Array(shape.m);
  for (let k = 0; k < entries.length; k++) regs[entries[k]! >>> 8] = entries[k]! & 0xff;
  return new DenseRegisters(shape, regs, entries.length);
}

/** Register state adopting a decoded FULL register array. */
export function registersFromArray(shape: SketchShape, regs: Uint8Array, nfilled: number): RegisterState {
  if (nfilled > shape.denseSwitch) return new DenseRegisters(shape, regs, nfilled);
  const entries = new Uint32Array(Math.max(nfilled, 1));
  for (let i = 0, n = 0; i < regs.length; i++) if (regs[i] !== 0) entries[n++] = (i << 8) | regs[i]!;
  return new CompactRegisters(shape, entries, nfilled);
}

/** Element-wise max of `src` into `dest`; returns the successor of `dest` (`src` untouched). */
export function mergeRegisters(dest: RegisterState, src: RegisterState): RegisterState {
  if (dest instanceof DenseRegisters) {
    if (src instanceof DenseRegisters) {
      dest.maxWith(src);
      return dest;
    }
    src.forEachFilled((i, v) => dest.setMax(i, v));
    return dest;
  }
  if (src instanceof DenseRegisters) {
    // compact ∪ dense: start from a copy of the dense side, so the result is dense at once
    let out: RegisterState = src.clone();
    dest.forEachFilled((i, v) => {
      out = out.setMax(i, v);
    });
    return out;
  }
  return (dest as CompactRegisters).mergeCompact(src as CompactRegisters);
}

class CompactRegisters implements RegisterState {
  readonly kind = 'REGISTERS';
  readonly dense = false;

  constructor(
    readonly shape: SketchShape,
    /** `index << 8 | value` words; [0, sorted) ascending with distinct indexes, [sorted, used) pending */
    private entries: Uint32Array,
    private used: number,
    private sorted: number = used,
  ) {}

  /** Non-zero registers (settles pending words first). */
  get nfilled(): number {
    this.normalize();
    return this.used;
  }

  add(lo: number, hi: number): RegisterState {
    const v = registerValue(lo, hi, this.shape);
    return v === 0 ? this : this.setMax(lo & (this.shape.m - 1), v);
  }

  setMax(index: number, value: number): RegisterState {
    // An append: the word is merged (max per index) when the log is next settled.
    if (this.used === this.entries.length) {
      this.normalize();
      if (this.used > this.shape.denseSwitch) return this.toDense().setMax(index, value);
      const size = Math.max(8, Math.min(2 * this.entries.length, this.shape.denseSwitch + (this.shape.denseSwitch >>> 3)));
      if (4 * (this.entries.length - this.used) < this.entries.length && size > this.entries.length) {
        const grown = new Uint32Array(size);
        grown.set(this.entries.subarray(0, this.used));
        this.entries = grown;
      }
      if (this.used === this.entries.length) return this.toDense().setMax(index, value);
    }
    this.entries[this.used++] = ((index << 8) | value) >>> 0;
    return this;
  }

  settle(): RegisterState {
    // merged now, so that copies and unions of a settled sketch start from a sorted run
    this.normalize();
    return this;
  }

  /** Sorts the pending words and merges them into the sorted run, keeping each index's maximum. */
  private normalize(): void {
    const used = this.used;
    const sorted = this.sorted;
    if (sorted === used) return;
    const e = this.entries;
    e.subarray(sorted, used).sort();
    if (scratchWords.length < used) scratchWords = new Uint32Array(Math.max(used, 2 * scratchWords.length));
    const out = scratchWords;
    const n = mergeWords(e, 0, sorted, e, sorted, used, out);
    e.set(out.subarray(0, n));
    this.used = n;
    this.sorted = n;
  }

  get(index: number): number {
    this.normalize();
    let low = 0;
    let high = this.used - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const at = this.entries[mid]! >>> 8;
      if (at === index) return this.entries[mid]! & 0xff;
      if (at < index) low = mid + 1;
      else high = mid - 1;
    }
    return 0;
  }

  forEachFilled(fn: (index: number, value: number) => void): void {
    this.normalize();
    for (let k = 0; k < this.used; k++) fn(this.entries[k]! >>> 8, this.entries[k]! & 0xff);
  }

  /** Sorted merge of two compact stores (max on equal index). */
  mergeCompact(src: CompactRegisters): RegisterState {
    this.normalize();
    src.normalize();
    const out = new Uint32Array(Math.max(this.used + src.used, 1));
    const n = mergeWords(this.entries, 0, this.used, src.entries, 0, src.used, out);
    return registersFromEntries(this.shape, out.subarray(0, n).slice());
  }

  toDense(): DenseRegisters {
    this.normalize();
    const regs = new Uint8Array(this.shape.m);
    for (let k = 0; k < this.used; k++) regs[this.entries[k]! >>> 8] = this.entries[k]! & 0xff;
    return new DenseRegisters(this.shape, regs, this.used);
  }

  clone(): RegisterState {
    return new CompactRegisters(this.shape, this.entries.slice(), this.used, this.sorted);
  }

  wire(): Wire {
    this.normalize();
    return { kind: 'COMPACT', data: this.entries.subarray(0, this.used) };
  }

  toBytes(): Uint8Array {
    return encodeRegisters(this.shape.params, this);
  }

  memoryBytes(): number {
    return STATE_BYTES + TYPED_ARRAY_BYTES + this.entries.byteLength;
  }
}

class DenseRegisters implements RegisterState {
  readonly kind = 'REGISTERS';
  readonly dense = true;

  settle(): RegisterState {
    return this;
  }

  constructor(
    readonly shape: SketchShape,
    private readonly regs: Uint8Array,
    public nfilled: number,
  ) {}

  add(lo: number, hi: number): RegisterState {
    // the per-row hot path: no allocation, no BigInt
    const v = registerValue(lo, hi, this.shape);
    const i = lo & (this.shape.m - 1);
    const old = this.regs[i]!;
    if (v > old) {
      if (old === 0) this.nfilled++;
      this.regs[i] = v;
    }
    return this;
  }

  setMax(index: number, value: number): RegisterState {
    const old = this.regs[index]!;
    if (value > old) {
      if (old === 0) this.nfilled++;
      this.regs[index] = value;
    }
    return this;
  }

  maxWith(src: DenseRegisters): void {
    const a = this.regs;
    const b = src.regs;
    let nfilled = this.nfilled;
    for (let i = 0; i < a.length; i++) {
      const v = b[i]!;
      if (v > a[i]!) {
        if (a[i] === 0) nfilled++;
        a[i] = v;
      }
    }
    this.nfilled = nfilled;
  }

  get(index: number): number {
    return this.regs[index]!;
  }

  forEachFilled(fn: (index: number, value: number) => void): void {
    const regs = this.regs;
    for (let i = 0; i < regs.length; i++) if (regs[i] !== 0) fn(i, regs[i]!);
  }

  clone(): RegisterState {
    return new DenseRegisters(this.shape, this.regs.slice(), this.nfilled);
  }

  wire(): Wire {
    return { kind: 'DENSE', data: this.regs };
  }

  toBytes(): Uint8Array {
    return encodeRegisters(this.shape.params, this);
  }

  memoryBytes(): number {
    return STATE_BYTES + TYPED_ARRAY_BYTES + this.regs.byteLength;
  }
}
