// Public surface of the hash module: MurmurHash3 x64-128 (h1) and the hll_hash_* functions.
export { MurmurBatch, murmurHash3x64h1 } from './murmur3-wasm.js';
export {
  hllHashBigint,
  hllHashBoolean,
  hllHashBytea,
  hllHashInteger,
  hllHashSmallint,
  hllHashText,
} from './hll-hash.js';
