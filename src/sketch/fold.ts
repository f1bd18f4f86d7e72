/**
 * Folding a sketch to a smaller precision log2m' < log2m, so that sketches written with
 * different precisions can be unioned (the extension refuses to: SPEC §6, issue #115). The
 * reduction is the one of Ertl 2017 §3 / DataSketches' HLL "downsampling".
 *
 * With p = log2m, p' = log2m', d = p − p': a hash's index i (its low p bits) becomes
 * j = i & (2^p' − 1), and the d bits dropped from the index, i >>> p', become the lowest bits of
 * the new w' = h >>> p'. So for a register i holding v > 0:
 *   - if i >>> p' ≠ 0, those bits alone fix the trailing zeros: v' = 1 + ctz(i >>> p');
 *   - otherwise the old w is shifted up by d zero bits: v' = v + d, capped at 2^r − 1;
 * and register j takes the max over all i that map to it. The cap needs no special care: a
 * capped v (true value ≥ cap) gives v + d > cap, capped again, and an uncapped v is exact.
 *
 * So fold(build(S, p), p') equals build(S, p') byte for byte — except for hashes whose upper
 * 64 − p bits are all zero (value 0: the extension ignores them at p, yet at p' they may set a
 * register). A uniform hash does that with probability 2^−(64−p); only hand-made hash values hit
 * it. EXPLICIT sketches fold exactly: their hashes are re-added at the new precision (and promote
 * if they exceed the new threshold, as adding them would).
 */

import { EmptyState, UndefinedState } from './empty.js';
import type { SketchShape } from './params.js';
import { newRegisters } from './registers.js';
import type { ExplicitLike, RegisterState, State } from './state.js';

export function foldState(state: State, target: SketchShape): State {
  switch (state.kind) {
    case 'UNDEFINED':
      return new UndefinedState(target);
    case 'EMPTY':
      return new EmptyState(target);
    case 'EXPLICIT': {
      let out: State = new EmptyState(target);
      (state as ExplicitLike).forEachHash((lo, hi) => {
        out = out.add(lo, hi);
      });
      return out;
    }
    case 'REGISTERS': {
      const d = state.shape.p - target.p;
      const mask = target.m - 1;
      const cap = target.cap;
      let out = newRegisters(target);
      (state as RegisterState).forEachFilled((i, v) => {
        const dropped = i >>> target.p;
        const folded = dropped !== 0 ? 32 - Math.clz32(dropped & -dropped) : v + d;
        out = out.setMax(i & mask, folded < cap ? folded : cap);
      });
      return out;
    }
  }
}
