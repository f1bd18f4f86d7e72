// Public surface of the sketch module: the HllSketch facade, its parameters, estimates, and the
// byte-level helpers other modules need (hex text, describeBytes for `inspect`).
export { HllSketch, type Representation } from './sketch.js';
export { WIRE_KINDS, type Wire, type WireKind } from './state.js';
export { SketchArena } from './arena.js';
export {
  DEFAULT_HLL_PARAMS,
  HLL_PARAM_LIMITS,
  PG_DEFAULT_HLL_PARAMS,
  explicitThreshold,
  resolveHllParams,
  sameParams,
  type HllParams,
} from './params.js';
export { Z_95, confidenceInterval, relativeStandardError, type Estimate, type IntervalInput } from './estimate.js';
export { describeBytes } from './format/describe.js';
export { bytesToHex, hexToBytes } from './format/hex.js';
