/**
 * The two states without data: EMPTY (no hash added yet) and UNDEFINED (the extension's
 * "poisoned" value, which absorbs every add and union; it only arrives through decoded bytes).
 */

import { encodeHeaderOnly } from './format/encode.js';
import { ExplicitState } from './explicit.js';
import type { SketchShape } from './params.js';
import { newRegisters } from './registers.js';
import { STATE_BYTES, type State, type Wire } from './state.js';

const NOTHING = new Uint8Array(0);

export class EmptyState implements State {
  readonly kind = 'EMPTY';

  constructor(readonly shape: SketchShape) {}

  /** First hash: EXPLICIT, or straight to registers when T = 0 (expthresh 0). */
  add(lo: number, hi: number): State {
    if (this.shape.threshold === 0) return newRegisters(this.shape).add(lo, hi);
    return ExplicitState.of(this.shape, lo, hi);
  }

  settle(): State {
    return this;
  }

  clone(): EmptyState {
    return new EmptyState(this.shape);
  }

  toBytes(): Uint8Array {
    return encodeHeaderOnly(this.shape.params, 'EMPTY');
  }

  wire(): Wire {
    return { kind: 'EMPTY', data: NOTHING };
  }

  memoryBytes(): number {
    return STATE_BYTES;
  }
}

export class UndefinedState implements State {
  readonly kind = 'UNDEFINED';

  constructor(readonly shape: SketchShape) {}

  add(): State {
    return this;
  }

  settle(): State {
    return this;
  }

  clone(): UndefinedState {
    return new UndefinedState(this.shape);
  }

  toBytes(): Uint8Array {
    return encodeHeaderOnly(this.shape.params, 'UNDEFINED');
  }

  wire(): Wire {
    return { kind: 'UNDEFINED', data: NOTHING };
  }

  memoryBytes(): number {
    return STATE_BYTES;
  }
}
