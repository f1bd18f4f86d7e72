// Public surface of the sample generator: options, the in-memory generator, the file writer.
export { resolveSampleOptions, SampleGenerator, PLATFORMS, SAMPLE_HEADER, TRUTH_HEADER } from './generator.js';
export type { Platform, SampleArgs, SampleOptions, SampleScope, TruthRow } from './generator.js';
export { writeSample } from './write.js';
export type { WriteSampleArgs, WrittenSample } from './write.js';
