/**
 * Sketch parameters — the four values PostgreSQL's `hll` extension stores in every sketch header
 * (interop SPEC §4.1, §8) — and the constants derived from them (SPEC §3, §5).
 *
 * `resolveHllParams` is the one place that knows the limits a *new* sketch may use; decoding
 * (format/decode.ts) accepts a slightly wider set because it must read whatever the 2.17
 * extension writes (log2m 0..3, regwidth 0 stored as 8, any expthresh code on register sketches).
 */

import { ReachtreeError } from '../errors.js';

export interface HllParams {
  /** log2 of the register count m (4..17 for new sketches). */
  readonly log2m: number;
  /** Bits per register r (1..7 for new sketches); the register cap is 2^r − 1. */
  readonly regwidth: number;
  /** −1 = auto threshold, 0 = never EXPLICIT, or a power of two 1..8192: the EXPLICIT capacity. */
  readonly expthresh: number;
  /** Whether a register sketch may be written in the SPARSE form. */
  readonly sparseon: boolean;
}

/** reachtree's default: 2^14 registers (≈ ±1.6 % at 95 %), 5-bit registers, auto threshold, SPARSE on. */
export const DEFAULT_HLL_PARAMS: HllParams = Object.freeze({ log2m: 14, regwidth: 5, expthresh: -1, sparseon: true });

/** The extension's compiled defaults, `hll_empty()` = `\x118b7f` (SPEC §8). */
export const PG_DEFAULT_HLL_PARAMS: HllParams = Object.freeze({ log2m: 11, regwidth: 5, expthresh: -1, sparseon: true });

/** Limits for new sketches: what every extension version (2.17 … 2.20) reads back (SPEC §11). */
export const HLL_PARAM_LIMITS = Object.freeze({
  log2m: Object.freeze({ min: 4, max: 17 }),
  regwidth: Object.freeze({ min: 1, max: 7 }),
  expthreshMax: 8192,
});

/**
 * Validates and freezes sketch parameters; missing ones come from `DEFAULT_HLL_PARAMS`.
 * Throws `E_CONFIG_PARAMS` naming what was expected and what was found.
 */
export function resolveHllParams(args: Partial<HllParams> = {}): HllParams {
  const log2m = args.log2m ?? DEFAULT_HLL_PARAMS.log2m;
  const regwidth = args.regwidth ?? DEFAULT_HLL_PARAMS.regwidth;
  const expthresh = args.expthresh ?? DEFAULT_HLL_PARAMS.expthresh;
  const sparseon = args.sparseon ?? DEFAULT_HLL_PARAMS.sparseon;
  const { log2m: lm, regwidth: rw, expthreshMax } = HLL_PARAM_LIMITS;
  if (!Number.isInteger(log2m) || log2m < lm.min || log2m > lm.max) {
    throw paramError(`log2m must be an integer between ${lm.min} and ${lm.max}`, log2m);
  }
  if (!Number.isInteger(regwidth) || regwidth < rw.min || regwidth > rw.max) {
    throw paramError(`regwidth must be an integer between ${rw.min} and ${rw.max}`, regwidth);
  }
  if (!(expthresh === -1 || expthresh === 0 || (isPowerOfTwo(expthresh) && expthresh <= expthreshMax))) {
    throw paramError(`expthresh must be -1 (auto), 0 or a power of two between 1 and ${expthreshMax}`, expthresh);
  }
  if (typeof sparseon !== 'boolean') {
    throw paramError('sparseon must be true or false', sparseon);
  }
  return Object.freeze({ log2m, regwidth, expthresh, sparseon });
}

function paramError(expected: string, found: unknown): ReachtreeError {
  return new ReachtreeError('E_CONFIG_PARAMS', `${expected}, found ${JSON.stringify(found) ?? String(found)}`);
}

export function isPowerOfTwo(v: number): boolean {
  return Number.isInteger(v) && v >= 1 && 2 ** Math.round(Math.log2(v)) === v;
}

/**
 * Effective EXPLICIT capacity T (SPEC §5): auto (−1) = as many 8-byte hashes as fit in the FULL
 * body, ⌊⌈r·m/8⌉/8⌋ — 160 for (11,5), 1280 for (14,5); otherwise the declared value.
 */
export function explicitThreshold(p: HllParams): number {
  if (p.expthresh !== -1) return p.expthresh;
  return Math.floor(Math.ceil((p.regwidth * 2 ** p.log2m) / 8) / 8);
}

/**
 * Parameters plus everything derived from them, computed once and shared by every sketch with
 * the same parameters (reachtree holds tens of thousands of sketches of one shape).
 */
export interface SketchShape {
  readonly params: HllParams;
  /** log2m */
  readonly p: number;
  /** register count 2^p */
  readonly m: number;
  /** regwidth */
  readonly r: number;
  /** largest storable register value 2^r − 1 */
  readonly cap: number;
  /** largest value hashing can produce: min(64 − p, cap) */
  readonly maxValue: number;
  /** effective EXPLICIT capacity T */
  readonly threshold: number;
  /**
   * Filled-register count above which the compact in-memory register store turns into a dense
   * `Uint8Array(m)`: m/8. At that point the compact store (4 bytes per register, up to 2× slack
   * from doubling) would use about as much memory as the dense one. This is an in-memory choice
   * only; SPARSE vs FULL in the bytes is decided at serialisation time (SPEC §5).
   */
  readonly denseSwitch: number;
}

const shapes = new Map<string, SketchShape>();

/** The shared shape for `params` (which must already be validated). */
export function shapeOf(params: HllParams): SketchShape {
  const key = `${params.log2m}/${params.regwidth}/${params.expthresh}/${params.sparseon ? 1 : 0}`;
  let shape = shapes.get(key);
  if (shape === undefined) {
    const frozen = Object.isFrozen(params) ? params : Object.freeze({ ...params });
    const p = params.log2m;
    const cap = 2 ** params.regwidth - 1;
    shape = Object.freeze({
      params: frozen,
      p,
      m: 2 ** p,
      r: params.regwidth,
      cap,
      maxValue: Math.min(64 - p, cap),
      threshold: explicitThreshold(params),
      denseSwitch: 2 ** p >>> 3,
    });
    shapes.set(key, shape);
  }
  return shape;
}

/** True when two parameter sets are identical (the extension's union requirement). */
export function sameParams(a: HllParams, b: HllParams): boolean {
  return a.log2m === b.log2m && a.regwidth === b.regwidth && a.expthresh === b.expthresh && a.sparseon === b.sparseon;
}
