import { describe, expect, it } from 'vitest';
import { ReachtreeError } from '../../../src/errors.js';
import { bytesToHex, hexToBytes } from '../../../src/sketch/format/hex.js';

const codeOf = (f: () => unknown): string => {
  try {
    f();
    return 'no error';
  } catch (e) {
    return e instanceof ReachtreeError ? e.code : 'untyped';
  }
};

describe('hex', () => {
  it('writes \\x and lowercase digits, like bytea_output = hex', () => {
    expect(bytesToHex(Uint8Array.of(0x11, 0x8b, 0x7f))).toBe('\\x118b7f');
    expect(bytesToHex(new Uint8Array(0))).toBe('\\x');
  });

  it('reads \\x-prefixed, bare, upper-case and space-padded text alike', () => {
    for (const t of ['\\x118b7f', '118b7f', '\\X118B7F', '  \\x118b7f\n']) {
      expect(Array.from(hexToBytes(t))).toEqual([0x11, 0x8b, 0x7f]);
    }
  });

  it('round-trips every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(hexToBytes(bytesToHex(all))).toEqual(all);
  });

  it('rejects an odd number of digits with E_FORMAT_HEX', () => {
    expect(codeOf(() => hexToBytes('\\x118b7'))).toBe('E_FORMAT_HEX');
  });

  it('rejects a non-hex character with E_FORMAT_HEX naming its position', () => {
    expect(codeOf(() => hexToBytes('11zz7f'))).toBe('E_FORMAT_HEX');
    expect(() => hexToBytes('11zz7f')).toThrow(/"z" at digit 3/);
  });
});
