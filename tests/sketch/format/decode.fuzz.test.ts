/**
 * Seeded fuzz of the decoder: 100 000 corrupted variants of valid sketches (bit flips,
 * truncation, extension, random headers, type changes, reordered or repeated EXPLICIT elements,
 * spliced bodies, random bytes). Every input must give either a sketch that works — serialises
 * to a fixed point, estimates, unions with itself — or a ReachtreeError with an E_FORMAT_* code.
 * Anything else (a TypeError, a RangeError, a hang) fails the test.
 */
import { describe, expect, it } from 'vitest';
import { ReachtreeError } from '../../../src/errors.js';
import { HllSketch, type HllParams } from '../../../src/sketch/index.js';
import { addHalves, prng, randomHashes } from '../support.js';

const ITERATIONS = 100_000;

function pool(): Uint8Array[] {
  const next = prng(404);
  const settings: HllParams[] = [
    { log2m: 11, regwidth: 5, expthresh: -1, sparseon: true },
    { log2m: 4, regwidth: 5, expthresh: 0, sparseon: false },
    { log2m: 6, regwidth: 3, expthresh: 8, sparseon: true },
    { log2m: 8, regwidth: 6, expthresh: 0, sparseon: true },
    { log2m: 9, regwidth: 1, expthresh: -1, sparseon: true },
    { log2m: 5, regwidth: 2, expthresh: 0, sparseon: true },
    { log2m: 10, regwidth: 7, expthresh: 4, sparseon: false },
  ];
  const out: Uint8Array[] = [];
  for (const params of settings) {
    for (const n of [0, 1, 3, 20, 150, 600, 3000]) out.push(addHalves(HllSketch.empty(params), randomHashes(next, n)).toBytes());
  }
  out.push(Uint8Array.of(0x10, 0x8b, 0x7f)); // UNDEFINED
  return out;
}

function mutate(src: Uint8Array, donor: Uint8Array, next: () => number): Uint8Array {
  const pick = (n: number): number => next() % n;
  let bytes = Uint8Array.from(src);
  switch (pick(10)) {
    case 0: // flip 1..3 bits anywhere
      for (let k = 1 + pick(3); k > 0 && bytes.length > 0; k--) {
        const bit = pick(bytes.length * 8);
        bytes[bit >> 3] = bytes[bit >> 3]! ^ (1 << (bit & 7));
      }
      return bytes;
    case 1: // truncate
      return bytes.subarray(0, pick(bytes.length + 1));
    case 2: {
      // extend with random bytes
      const out = new Uint8Array(bytes.length + 1 + pick(16));
      out.set(bytes);
      for (let i = bytes.length; i < out.length; i++) out[i] = pick(256);
      return out;
    }
    case 3: // a random header
      for (let i = 0; i < Math.min(3, bytes.length); i++) if (pick(2) === 0) bytes[i] = pick(256);
      return bytes;
    case 4: // another type nibble, same body
      if (bytes.length > 0) bytes[0] = (bytes[0]! & 0xf0) | pick(16);
      return bytes;
    case 5: {
      // reorder, repeat or zero 8-byte EXPLICIT-sized elements
      const k = Math.floor((bytes.length - 3) / 8);
      if (k >= 1) {
        const a = 3 + 8 * pick(k);
        const b = 3 + 8 * pick(k);
        const tmp = bytes.slice(a, a + 8);
        if (pick(3) === 0) bytes.fill(0, a, a + 8);
        else {
          bytes.copyWithin(a, b, b + 8);
          if (pick(2) === 0) bytes.set(tmp, b);
        }
      }
      return bytes;
    }
    case 6: // plausible header, other parameters
      if (bytes.length >= 3) {
        bytes[1] = pick(256);
        if (pick(2) === 0) bytes[2] = pick(128);
      }
      return bytes;
    case 7: // one body byte replaced
      if (bytes.length > 3) bytes[3 + pick(bytes.length - 3)] = pick(256);
      return bytes;
    case 8: {
      // this header, another sketch's body
      const out = new Uint8Array(Math.min(3, bytes.length) + Math.max(0, donor.length - 3));
      out.set(bytes.subarray(0, 3));
      out.set(donor.subarray(3), Math.min(3, bytes.length));
      return out;
    }
    default: {
      // random bytes, usually behind a version-1 nibble
      bytes = Uint8Array.from({ length: pick(48) }, () => pick(256));
      if (bytes.length > 0 && pick(4) !== 0) bytes[0] = 0x10 | (bytes[0]! & 0x0f);
      return bytes;
    }
  }
}

// plain checks: \`expect\` per iteration would dominate the run time
function check(ok: boolean, what: string, input: Uint8Array): void {
  if (!ok) throw new Error(`${what} for input ${Buffer.from(input).toString('hex').slice(0, 80)}`);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Runs `f`; a ReachtreeError is an acceptable outcome, anything else is rethrown. */
function typedOrValue<T>(f: () => T): T | ReachtreeError {
  try {
    return f();
  } catch (e) {
    if (e instanceof ReachtreeError) return e;
    throw e;
  }
}

describe('decode › fuzz', () => {
  it(`turns ${ITERATIONS} corrupted inputs into working sketches or typed E_FORMAT_* errors only`, () => {
    const sources = pool();
    const next = prng(0xf00d);
    const codes = new Map<string, number>();
    let accepted = 0;
    for (let k = 0; k < ITERATIONS; k++) {
      const src = sources[next() % sources.length]!;
      const donor = sources[next() % sources.length]!;
      const input = mutate(src, donor, next);
      let sketch: HllSketch;
      try {
        sketch = HllSketch.fromBytes(input);
      } catch (e) {
        if (!(e instanceof ReachtreeError) || !e.code.startsWith('E_FORMAT_')) {
          throw new Error(`untyped failure on ${Buffer.from(input).toString('hex').slice(0, 80)}: ${String(e)}`, { cause: e });
        }
        if (e.detail?.startsWith('length:') !== true) throw new Error(`no byte dump in the detail of ${e.code}`);
        codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
        continue;
      }
      accepted++;
      // an accepted sketch works: its bytes are a fixed point, it estimates and unions
      const bytes = sketch.toBytes();
      check(sameBytes(HllSketch.fromBytes(bytes).toBytes(), bytes), 'its bytes are not a fixed point', input);
      const estimate = typedOrValue(() => sketch.estimate());
      if (!(estimate instanceof ReachtreeError)) check(estimate.value >= 0 && estimate.low <= estimate.high, 'bad estimate', input);
      typedOrValue(() => sketch.classicCardinality());
      const twice = sketch.clone();
      twice.union(sketch);
      check(sameBytes(twice.toBytes(), bytes), 'x ∪ x ≠ x', input);
    }
    // both paths were exercised, and every kind of rejection occurred
    expect(accepted).toBeGreaterThan(ITERATIONS / 20);
    for (const code of [
      'E_FORMAT_LENGTH',
      'E_FORMAT_VERSION',
      'E_FORMAT_TYPE',
      'E_FORMAT_HEADER',
      'E_FORMAT_PADDING',
      'E_FORMAT_EXPLICIT_ORDER',
      'E_FORMAT_REGISTER',
    ]) {
      expect(codes.get(code) ?? 0, code).toBeGreaterThan(20);
    }
  });
});
