/**
 * The EXPLICIT state: the distinct hashes themselves, exact, up to the threshold T (SPEC §5).
 *
 * Storage: an append log of 64-bit hashes, each as two int32 halves `[lo, hi]` in one Int32Array,
 * whose first `sorted` pairs are distinct and in ascending *signed* int64 order (the order the
 * bytes need) and whose rest are pending, as added. Adding is an append — one store at the end of
 * the log, no probing — which is what a cell of the ingest hot path wants: it touches one cache
 * line and no hash table that must grow and rehash. When the log is full it is settled: the pending
 * pairs are sorted natively (a BigInt64Array view reads `[lo, hi]` as one int64 on a little-endian
 * host), merged into the sorted run and deduplicated; then it grows if less than a quarter is free.
 * Memory: 8 bytes a hash plus the free part of the log (≤ 16 bytes a hash, ~11 on average), and a
 * log never grows beyond T + T/8 (+8) pairs.
 *
 * Duplicates are allowed in the pending part, so the distinct count is only known once settled:
 * `settle()` (which the `HllSketch` facade calls before anything reads the state) sorts, and
 * promotes to registers when more than T distinct hashes are held. The result is the extension's:
 * a sketch stays EXPLICIT exactly while it holds ≤ T distinct hashes, whatever the order and the
 * repeats of the adds — the registers of the promoted state depend only on the set of hashes.
 */

import { encodeExplicit } from './format/encode.js';
import type { SketchShape } from './params.js';
import { newRegisters } from './registers.js';
import { explicitLogLimit, mergePairs, settlePairs } from './pairs.js';
import { STATE_BYTES, TYPED_ARRAY_BYTES, type ExplicitLike, type RegisterState, type State, type Wire } from './state.js';

/** 8 pairs = 64 bytes: V8 keeps typed arrays that small on the heap, with no separate buffer. */
const INITIAL_PAIRS = 8;
export class ExplicitState implements ExplicitLike {
  readonly kind = 'EXPLICIT';

  private constructor(
    readonly shape: SketchShape,
    /** `[lo, hi]` per pair; [0, sorted) sorted and distinct, [sorted, used) pending */
    private pairs: Int32Array,
    private used: number,
    private sorted: number,
  ) {}

  /** An EXPLICIT state holding one hash. */
  static of(shape: SketchShape, lo: number, hi: number): ExplicitState {
    const pairs = new Int32Array(2 * INITIAL_PAIRS);
    pairs[0] = lo;
    pairs[1] = hi;
    return new ExplicitState(shape, pairs, 1, 1);
  }

  /**
   * An EXPLICIT log of `count` hashes given as `[lo, hi]` pairs (copied; any order, repeats
   * allowed). Settle it before use: more than T distinct hashes promote.
   */
  static fromPairs(shape: SketchShape, pairs: Int32Array, count: number): ExplicitState {
    const copy = new Int32Array(2 * Math.max(INITIAL_PAIRS, count));
    copy.set(pairs.subarray(0, 2 * count));
    const s = new ExplicitState(shape, copy, count, 0);
    s.normalize();
    return s;
  }

  /**
   * An EXPLICIT state adopting `count` pairs that are already distinct and in ascending signed
   * order, at most T of them (a decoded body: the decoder checks exactly that). Not copied, not
   * sorted again.
   */
  static fromSortedPairs(shape: SketchShape, pairs: Int32Array, count: number): ExplicitState {
    let log = pairs;
    if (log.length < 2 * INITIAL_PAIRS) {
      log = new Int32Array(2 * INITIAL_PAIRS);
      log.set(pairs.subarray(0, 2 * count));
    }
    return new ExplicitState(shape, log, count, count);
  }

  /** Distinct hashes held. Only meaningful once settled (the facade settles before reading). */
  get count(): number {
    this.normalize();
    return this.used;
  }

  add(lo: number, hi: number): State {
    if (this.used === this.pairs.length >>> 1) {
      const next = this.makeRoom();
      if (next !== this) return next.add(lo, hi);
    }
    const k = 2 * this.used++;
    this.pairs[k] = lo;
    this.pairs[k + 1] = hi;
    return this;
  }

  settle(): State {
    this.normalize();
    return this.used > this.shape.threshold ? this.promote() : this;
  }

  /** The log is full: settle it, then promote or make sure a quarter of it is free. */
  private makeRoom(): State {
    const settled = this.settle();
    if (settled !== this) return settled;
    const capacity = this.pairs.length >>> 1;
    const limit = explicitLogLimit(this.shape.threshold);
    if (4 * (capacity - this.used) < capacity && capacity < limit) {
      const grown = new Int32Array(2 * Math.min(2 * capacity, limit));
      grown.set(this.pairs.subarray(0, 2 * this.used));
      this.pairs = grown;
    }
    return this;
  }

  /** Every held hash into fresh registers. */
  private promote(): RegisterState {
    let regs: RegisterState = newRegisters(this.shape);
    const pairs = this.pairs;
    for (let k = 0; k < this.used; k++) regs = regs.add(pairs[2 * k]!, pairs[2 * k + 1]!);
    return regs;
  }

  /** Sorts the pending pairs, merges them into the sorted run and drops repeats. */
  private normalize(): void {
    this.used = this.sorted = settlePairs(this.pairs, 0, this.sorted, this.used);
  }

  /**
   * This ∪ `source` (both EXPLICIT, same shape): one linear merge of the two sorted runs, then
   * promotion if more than T distinct hashes result. `source` is left alone.
   */
  unionWith(source: ExplicitLike): State {
    const other = source as ExplicitState; // never this: the facade unions a sketch with itself as a no-op
    this.normalize();
    other.normalize();
    const n = this.used + other.used;
    const merged = mergePairs(this.pairs, this.used, other.pairs, other.used, Math.max(INITIAL_PAIRS, Math.min(n + (n >>> 2), explicitLogLimit(this.shape.threshold))));
    this.pairs = merged.pairs;
    this.used = this.sorted = merged.count;
    return this.used > this.shape.threshold ? this.promote() : this;
  }

  /** Calls `fn(lo, hi)` for every distinct hash, in ascending signed int64 order. */
  forEachHash(fn: (lo: number, hi: number) => void): void {
    this.normalize();
    const pairs = this.pairs;
    for (let k = 0; k < this.used; k++) fn(pairs[2 * k]!, pairs[2 * k + 1]!);
  }

  /** The hashes as `[lo, hi]` pairs in ascending signed int64 order. */
  sortedPairs(): Int32Array {
    this.normalize();
    return this.pairs.slice(0, 2 * this.used);
  }

  clone(): ExplicitState {
    return new ExplicitState(this.shape, this.pairs.slice(), this.used, this.sorted);
  }

  wire(): Wire {
    this.normalize();
    return { kind: 'EXPLICIT', data: this.pairs.subarray(0, 2 * this.used) };
  }

  toBytes(): Uint8Array {
    const pairs = this.sortedPairs();
    return encodeExplicit(this.shape.params, pairs, pairs.length >>> 1);
  }

  memoryBytes(): number {
    return STATE_BYTES + TYPED_ARRAY_BYTES + this.pairs.byteLength;
  }
}
