/**
 * Union of two sketches, as `hll_union(dest, source)` computes it (SPEC §6).
 *
 * 1. Parameters must match exactly — even for EMPTY/UNDEFINED inputs — checked in the
 *    extension's order (regwidth, register count, declared expthresh, sparseon) with its
 *    messages word for word; "source" is the argument, "dest" the sketch unioned into.
 * 2. The result is a pure function of the inputs' *contents*: the set of hashes while the union
 *    fits under the threshold T, the register-wise max afterwards. So union is commutative,
 *    associative and idempotent, EMPTY is its identity, and unioning pieces gives the same bytes
 *    as adding all their hashes to one sketch. (This relies on every EXPLICIT state holding at
 *    most T hashes, which decoding enforces; the extension itself is not idempotent on
 *    over-threshold EXPLICIT input.)
 */

import { ReachtreeError } from '../errors.js';
import type { HllParams } from './params.js';
import { mergeRegisters } from './registers.js';
import type { ExplicitLike, RegisterState, State } from './state.js';

/** Throws the extension's parameter-mismatch error if `source` cannot be unioned into `dest`. */
export function checkUnionParams(dest: HllParams, source: HllParams): void {
  const hint = { detail: 'sketches can only be unioned when all four parameters match; fold() the larger log2m down first' };
  if (dest.regwidth !== source.regwidth) {
    throw new ReachtreeError(
      'E_PARAM_REGWIDTH_MISMATCH',
      `register width does not match: source uses ${source.regwidth} and dest uses ${dest.regwidth}`,
      hint,
    );
  }
  if (dest.log2m !== source.log2m) {
    throw new ReachtreeError(
      'E_PARAM_LOG2M_MISMATCH',
      `register count does not match: source uses ${2 ** source.log2m} and dest uses ${2 ** dest.log2m}`,
      hint,
    );
  }
  if (dest.expthresh !== source.expthresh) {
    throw new ReachtreeError(
      'E_PARAM_EXPTHRESH_MISMATCH',
      `explicit threshold does not match: source uses ${source.expthresh} and dest uses ${dest.expthresh}`,
      hint,
    );
  }
  if (dest.sparseon !== source.sparseon) {
    throw new ReachtreeError(
      'E_PARAM_SPARSEON_MISMATCH',
      `sparse enable does not match: source uses ${source.sparseon ? 1 : 0} and dest uses ${dest.sparseon ? 1 : 0}`,
      hint,
    );
  }
}

/**
 * `dest ∪ source` for states with identical parameters; returns dest's successor. `source` is
 * never modified and never shared with the result. The table, one branch per (dest, source):
 *
 *   dest \ source │ UNDEFINED   EMPTY   EXPLICIT                 REGISTERS (SPARSE or FULL)
 *   ──────────────┼────────────────────────────────────────────────────────────────────────
 *   UNDEFINED     │ UNDEFINED   UNDEF.  UNDEFINED                UNDEFINED
 *   EMPTY         │ UNDEFINED   EMPTY   copy of source           copy of source
 *   EXPLICIT      │ UNDEFINED   dest    dest + source's hashes   copy of source + dest's hashes
 *   REGISTERS     │ UNDEFINED   dest    dest + source's hashes   register-wise max
 */
export function unionStates(dest: State, source: State): State {
  switch (dest.kind) {
    case 'UNDEFINED':
      // UNDEFINED ∪ anything = UNDEFINED
      return dest;
    case 'EMPTY':
      // EMPTY ∪ X = X (a copy, so later adds to dest leave source alone)
      return source.clone();
    case 'EXPLICIT':
      return unionIntoExplicit(dest as ExplicitLike, source);
    case 'REGISTERS':
      return unionIntoRegisters(dest as RegisterState, source);
  }
}

function unionIntoExplicit(dest: ExplicitLike, source: State): State {
  switch (source.kind) {
    case 'UNDEFINED':
      // EXPLICIT ∪ UNDEFINED = UNDEFINED
      return source.clone();
    case 'EMPTY':
      // EXPLICIT ∪ EMPTY = EXPLICIT, unchanged
      return dest;
    case 'EXPLICIT': {
      // EXPLICIT ∪ EXPLICIT: set union of the hashes; EXPLICIT while it fits under T, otherwise
      // all of them go into fresh registers (adding promotes at the (T+1)-th distinct hash)
      return dest.unionWith(source as ExplicitLike);
    }
    case 'REGISTERS': {
      // EXPLICIT ∪ registers: dest's hashes added to a copy of source's registers
      let out: RegisterState = (source as RegisterState).clone();
      dest.forEachHash((lo, hi) => {
        out = out.add(lo, hi);
      });
      return out;
    }
  }
}

function unionIntoRegisters(dest: RegisterState, source: State): State {
  switch (source.kind) {
    case 'UNDEFINED':
      // registers ∪ UNDEFINED = UNDEFINED
      return source.clone();
    case 'EMPTY':
      // registers ∪ EMPTY = registers, unchanged
      return dest;
    case 'EXPLICIT': {
      // registers ∪ EXPLICIT: source's hashes added to dest's registers
      let out = dest;
      (source as ExplicitLike).forEachHash((lo, hi) => {
        out = out.add(lo, hi);
      });
      return out;
    }
    case 'REGISTERS':
      // registers ∪ registers: register-wise max (compact/dense stores handled inside)
      return mergeRegisters(dest, source as RegisterState);
  }
}
