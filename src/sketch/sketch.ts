/**
 * `HllSketch` — a HyperLogLog sketch byte-compatible with PostgreSQL's `hll` extension 2.17
 * (storage spec v1; interop SPEC). A small facade over private states (./state.ts):
 * EMPTY → EXPLICIT → REGISTERS, each operation replacing `this.rep` with its successor.
 *
 * Typical use: `const s = HllSketch.empty(); s.addHash(lo, hi); s.union(t); s.estimate()`,
 * where (lo, hi) are the halves `murmurHash3x64h1` writes for a subscriber id, and
 * `s.toHex()` is what `hll_add_agg(hll_hash_text(id), 14, 5, -1, 1)` would give in SQL.
 */

import { ReachtreeError } from '../errors.js';
import { EmptyState, UndefinedState } from './empty.js';
import { classicCardinality, exactEstimate, registerEstimate, type Estimate } from './estimate.js';
import { ExplicitState } from './explicit.js';
import { foldState } from './fold.js';
import { decodeSketch } from './format/decode.js';
import { bytesToHex, hexToBytes } from './format/hex.js';
import { registerTypeFor } from './format/layout.js';
import { resolveHllParams, shapeOf, type HllParams } from './params.js';
import { registersFromArray, registersFromEntries } from './registers.js';
import type { ExplicitLike, RegisterState, State, Wire, WireKind } from './state.js';
import { checkUnionParams, unionStates } from './union.js';

/** What `toBytes()` would write now (the storage type). */
export type Representation = 'UNDEFINED' | 'EMPTY' | 'EXPLICIT' | 'SPARSE' | 'FULL';

const TWO_32 = 4294967296n;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

export class HllSketch {
  private rep: State;

  private constructor(rep: State) {
    this.rep = rep;
  }

  /** An EMPTY sketch; parameters default to `DEFAULT_HLL_PARAMS` and are validated. */
  static empty(params?: Partial<HllParams>): HllSketch {
    return new HllSketch(new EmptyState(shapeOf(resolveHllParams(params))));
  }

  /**
   * The sketch of `count` hashes given as `[lo, hi]` pairs (any order, repeats allowed): the same
   * as adding them one by one to `HllSketch.empty(params)`. The pairs are copied.
   */
  static fromHashPairs(params: Partial<HllParams>, pairs: Int32Array, count: number): HllSketch {
    const shape = shapeOf(resolveHllParams(params));
    if (count === 0) return new HllSketch(new EmptyState(shape));
    return new HllSketch(ExplicitState.fromPairs(shape, pairs, count).settle());
  }

  /**
   * Reads storage bytes (e.g. `hll_send` output, or a bytea column), validating everything;
   * throws `E_FORMAT_*` with a dump of what was found. Decoding accepts everything the 2.17
   * extension writes, including parameters `HllSketch.empty` refuses (see format/decode.ts).
   */
  static fromBytes(bytes: Uint8Array): HllSketch {
    const d = decodeSketch(bytes);
    const shape = shapeOf(d.params);
    switch (d.type) {
      case 'UNDEFINED':
        return new HllSketch(new UndefinedState(shape));
      case 'EMPTY':
        return new HllSketch(new EmptyState(shape));
      case 'EXPLICIT':
        return new HllSketch(ExplicitState.fromSortedPairs(shape, d.pairs, d.count));
      case 'SPARSE':
        return new HllSketch(registersFromEntries(shape, d.entries));
      case 'FULL':
        return new HllSketch(registersFromArray(shape, d.registers, d.nfilled));
    }
  }

  /**
   * The sketch of a `Wire`'s data seen as bytes (e.g. copied into a buffer that another thread
   * sent; `byteOffset` a multiple of 4), adopted without a copy. Meant for `toWire` output of a
   * sketch with these parameters, passed between reachtree's own threads: only lengths are
   * checked, not order or values (bytes from elsewhere go through `fromBytes`).
   */
  static fromWire(params: HllParams, kind: WireKind, bytes: Uint8Array): HllSketch {
    const shape = shapeOf(params);
    const words = <T>(make: (buffer: ArrayBufferLike, offset: number, length: number) => T): T => {
      if (bytes.length % 4 !== 0) throw new RangeError(`HllSketch.fromWire: ${kind} data of ${bytes.length} bytes is not whole 32-bit words`);
      return make(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
    };
    switch (kind) {
      case 'EMPTY':
        return new HllSketch(new EmptyState(shape));
      case 'UNDEFINED':
        return new HllSketch(new UndefinedState(shape));
      case 'EXPLICIT': {
        const pairs = words((b, o, n) => new Int32Array(b, o, n));
        if (pairs.length === 0 || pairs.length % 2 !== 0 || pairs.length > 2 * shape.threshold) {
          throw new RangeError(`HllSketch.fromWire: EXPLICIT data of ${bytes.length} bytes is not 1…${shape.threshold} hashes`);
        }
        return new HllSketch(ExplicitState.fromSortedPairs(shape, pairs, pairs.length >>> 1));
      }
      case 'COMPACT':
        return new HllSketch(registersFromEntries(shape, words((b, o, n) => new Uint32Array(b, o, n))));
      case 'DENSE': {
        if (bytes.length !== shape.m) throw new RangeError(`HllSketch.fromWire: DENSE data of ${bytes.length} bytes, expected ${shape.m} registers`);
        let nfilled = 0;
        for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) nfilled++;
        return new HllSketch(registersFromArray(shape, bytes, nfilled));
      }
    }
  }

  /** Reads the text form: `\x…` (PostgreSQL bytea hex output) or bare hex. */
  static fromHex(text: string): HllSketch {
    return HllSketch.fromBytes(hexToBytes(text));
  }

  get params(): HllParams {
    return this.rep.shape.params;
  }

  /** What `toBytes()` would write now; SPARSE vs FULL follows the filled-register count. */
  get representation(): Representation {
    const rep = this.settled();
    if (rep.kind === 'REGISTERS') return registerTypeFor(rep.shape.params, (rep as RegisterState).nfilled);
    return rep.kind;
  }

  /** The state with pending adds accounted for (see State.settle); everything that reads uses it. */
  private settled(): State {
    const s = this.rep.settle();
    this.rep = s;
    return s;
  }

  /**
   * Adds one hash given as its 32-bit halves (as `murmurHash3x64h1` writes them; signed or
   * unsigned patterns both work). The per-row hot path: no allocation once registers are dense.
   */
  addHash(lo: number, hi: number): void {
    this.rep = this.rep.add(lo, hi);
  }

  /** Adds one hash given as a BigInt, signed (`hll_hashval`) or unsigned 64-bit. */
  addHashBigInt(h: bigint): void {
    if (typeof h !== 'bigint' || h < INT64_MIN || h > UINT64_MAX) {
      throw new ReachtreeError('E_INPUT_VALUE', `a hash must be a 64-bit integer, found ${String(h)}`);
    }
    const u = BigInt.asUintN(64, h);
    this.addHash(Number(u % TWO_32), Number(u / TWO_32));
  }

  /**
   * Unions `other` into this sketch in place, as `hll_union(this, other)`. Parameters must match
   * exactly; otherwise throws `E_PARAM_*` with the extension's message word for word.
   */
  union(other: HllSketch): void {
    checkUnionParams(this.params, other.params);
    if (other === this) return; // x ∪ x = x (and a state must not read itself while it grows)
    this.rep = unionStates(this.settled(), other.settled()).settle();
  }

  /**
   * `union(other)` for a sketch the caller gives up (freshly decoded or gathered): an EMPTY sketch
   * takes over other's state instead of copying it — the first merge into every new cube cell.
   * `other` is EMPTY afterwards.
   */
  absorb(other: HllSketch): void {
    if (other === this) return;
    if (this.settled().kind !== 'EMPTY') {
      this.union(other);
    } else {
      checkUnionParams(this.params, other.params);
      this.rep = other.settled();
    }
    other.rep = new EmptyState(other.rep.shape);
  }

  clone(): HllSketch {
    return new HllSketch(this.settled().clone());
  }

  /** The state as a `Wire` (see state.ts): views of this sketch's arrays, valid until it changes. */
  toWire(): Wire {
    return this.settled().wire();
  }

  toBytes(): Uint8Array {
    return this.settled().toBytes();
  }

  /** `\x` + lowercase hex: PostgreSQL's text form of the same bytes. */
  toHex(): string {
    return bytesToHex(this.toBytes());
  }

  /**
   * A new sketch at the smaller precision `log2m` (4 ≤ log2m ≤ this one's), other parameters kept:
   * the sketch that adding the same hashes at that precision would have given (see fold.ts for
   * the one exception). Lets sketches of different precision be unioned.
   */
  fold(log2m: number): HllSketch {
    const from = this.params.log2m;
    if (!Number.isInteger(log2m) || log2m < Math.min(4, from) || log2m > from) {
      throw new ReachtreeError(
        'E_CONFIG_PARAMS',
        `fold target log2m must be an integer between ${Math.min(4, from)} and the sketch's own ${from}, found ${String(log2m)}`,
      );
    }
    if (log2m === from) return this.clone();
    return new HllSketch(foldState(this.settled(), shapeOf(Object.freeze({ ...this.params, log2m }))));
  }

  /**
   * The number of distinct hashes: exact while EMPTY/EXPLICIT; otherwise Ertl's improved
   * estimator with its relative standard error and 95 % interval. UNDEFINED sketches have no
   * cardinality (`E_FORMAT_UNDEFINED`).
   */
  estimate(): Estimate {
    const rep = this.settled();
    switch (rep.kind) {
      case 'EMPTY':
        return exactEstimate(0);
      case 'EXPLICIT':
        return exactEstimate((rep as ExplicitLike).count);
      case 'REGISTERS':
        return registerEstimate(rep as RegisterState, rep.shape);
      case 'UNDEFINED':
        throw new ReachtreeError('E_FORMAT_UNDEFINED', 'an UNDEFINED sketch has no cardinality (hll_cardinality returns NULL)');
    }
  }

  /**
   * `hll_cardinality` bit for bit (float8; NaN where it gives NaN; null for UNDEFINED, where SQL
   * gives NULL). Throws `E_CONFIG_PARAMS` "number of registers too small" for register sketches
   * with m ≤ 8, like the extension.
   */
  classicCardinality(): number | null {
    const rep = this.settled();
    switch (rep.kind) {
      case 'UNDEFINED':
        return null;
      case 'EMPTY':
        return 0;
      case 'EXPLICIT':
        return (rep as ExplicitLike).count;
      case 'REGISTERS':
        return classicCardinality(rep as RegisterState, rep.shape);
    }
  }

  /** Non-zero registers (0 unless the sketch holds registers). */
  filledRegisters(): number {
    const rep = this.settled();
    return rep.kind === 'REGISTERS' ? (rep as RegisterState).nfilled : 0;
  }

  /** Approximate heap bytes held by this sketch (for memory budgets; not exact). */
  estimateMemoryBytes(): number {
    return this.settled().memoryBytes();
  }
}
