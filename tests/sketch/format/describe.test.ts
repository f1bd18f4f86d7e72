import { describe, expect, it } from 'vitest';
import { describeBytes } from '../../../src/sketch/format/describe.js';
import { hexToBytes } from '../../../src/sketch/format/hex.js';
import { prng } from '../support.js';

describe('describeBytes', () => {
  it('decodes every header field of an EMPTY default sketch', () => {
    const text = describeBytes(hexToBytes('118b7f'));
    expect(text).toContain('length: 3 bytes');
    expect(text).toContain('version 1');
    expect(text).toContain('type 1 EMPTY');
    expect(text).toContain('regwidth 5, log2m 11 (m = 2048)');
    expect(text).toContain('sparseon 1, expthresh code 63 = -1 (auto: 160)');
  });

  it('lists SPARSE words as index and value', () => {
    const text = describeBytes(hexToBytes('138b4045e2aec2'));
    expect(text).toContain('2 words of 16 bits');
    expect(text).toContain('[0] index 559 value 2');
    expect(text).toContain('[1] index 1398 value 2');
  });

  it('states the FULL length it expected', () => {
    expect(describeBytes(hexToBytes('148b7f00'))).toContain('FULL with m = 2048, regwidth 5 needs 1280');
  });

  it('flags a wrong version, an unknown type and the reserved bit', () => {
    const text = describeBytes(hexToBytes('27ab80'));
    expect(text).toContain('version 2 (expected 1)');
    expect(text).toContain('type 7 (unknown; expected 0..4)');
    expect(text).toContain('reserved bit');
  });

  it('never throws, whatever the bytes', () => {
    const next = prng(99);
    for (let k = 0; k < 2000; k++) {
      const bytes = Uint8Array.from({ length: next() % 40 }, () => next() & 0xff);
      if (bytes.length > 0 && k % 2 === 0) bytes[0] = 0x10 | (next() % 5); // mostly plausible headers
      expect(typeof describeBytes(bytes)).toBe('string');
    }
  });
});
