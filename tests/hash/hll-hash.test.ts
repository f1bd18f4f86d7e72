import { describe, expect, it } from 'vitest';
import { ReachtreeError } from '../../src/errors.js';
import {
  hllHashBigint,
  hllHashBoolean,
  hllHashBytea,
  hllHashInteger,
  hllHashSmallint,
  hllHashText,
} from '../../src/hash/index.js';
import { field, hexToBytes, loadVectors } from '../fixtures/vectors.js';

const u64hex = (h: bigint): string => BigInt.asUintN(64, h).toString(16).padStart(16, '0');

describe('hllHashText', () => {
  const rows = loadVectors('hash_text.csv');

  it('reads all 68 rows of hash_text.csv', () => {
    expect(rows).toHaveLength(68);
  });

  it.each(rows.map((r) => [`${field(r, 'label')} seed ${field(r, 'seed')}`, r] as const))(
    'reproduces hash_text.csv %s',
    (_title, row) => {
      const text = field(row, 'input_text');
      const seed = Number(field(row, 'seed'));
      // the CSV's UTF-8 column pins down the key bytes independently of the text column
      expect(Buffer.from(text, 'utf8').toString('hex')).toBe(field(row, 'input_utf8_hex'));
      const h = hllHashText(text, seed);
      expect(h).toBe(BigInt(field(row, 'hash_int64')));
      expect(u64hex(h)).toBe(field(row, 'hash_uint64_hex'));
      // same_as_hash_bytea_of_utf8 = t for every row
      expect(hllHashBytea(hexToBytes(field(row, 'input_utf8_hex')), seed)).toBe(h);
    },
  );

  it('hashes the empty string with seed 0 to exactly 0', () => {
    expect(hllHashText('')).toBe(0n);
  });

  it('treats seed -1 and 4294967295 as the same 32-bit pattern', () => {
    expect(hllHashText('user-1', -1)).toBe(hllHashText('user-1', 4294967295));
  });

  it('rejects a seed that is not a 32-bit integer with a typed error', () => {
    expect(() => hllHashText('a', 2 ** 32)).toThrow(ReachtreeError);
    expect(() => hllHashText('a', 1.5)).toThrow(ReachtreeError);
  });
});

describe('hllHashBytea', () => {
  const rows = loadVectors('hash_bytea.csv');

  it('reads all 18 rows of hash_bytea.csv', () => {
    expect(rows).toHaveLength(18);
  });

  it.each(rows.map((r) => [`${field(r, 'label')} seed ${field(r, 'seed')}`, r] as const))(
    'reproduces hash_bytea.csv %s',
    (_title, row) => {
      const bytes = hexToBytes(field(row, 'input_hex'));
      expect(bytes.length).toBe(Number(field(row, 'byte_len')));
      const h = hllHashBytea(bytes, Number(field(row, 'seed')));
      expect(h).toBe(BigInt(field(row, 'hash_int64')));
      expect(u64hex(h)).toBe(field(row, 'hash_uint64_hex'));
    },
  );
});

describe('hllHashBigint / hllHashInteger / hllHashSmallint / hllHashBoolean', () => {
  const rows = loadVectors('hash_int.csv');

  it('reads all 46 rows of hash_int.csv', () => {
    expect(rows).toHaveLength(46);
  });

  const hashOf = (fn: string, input: string, seed: number): bigint => {
    switch (fn) {
      case 'hll_hash_bigint':
        return hllHashBigint(BigInt(input), seed);
      case 'hll_hash_integer':
        return hllHashInteger(Number(input), seed);
      case 'hll_hash_smallint':
        return hllHashSmallint(Number(input), seed);
      case 'hll_hash_boolean':
        return hllHashBoolean(input === 'true', seed);
      default:
        throw new Error(`unknown fn ${fn}`);
    }
  };

  it.each(rows.map((r) => [`${field(r, 'fn')}(${field(r, 'input')}) seed ${field(r, 'seed')}`, r] as const))(
    'reproduces hash_int.csv %s',
    (_title, row) => {
      const seed = Number(field(row, 'seed'));
      const h = hashOf(field(row, 'fn'), field(row, 'input'), seed);
      expect(h).toBe(BigInt(field(row, 'hash_int64')));
      expect(u64hex(h)).toBe(field(row, 'hash_uint64_hex'));
      // same_as_hash_bytea_of_le_bytes = t: the key is the little-endian value
      expect(hllHashBytea(hexToBytes(field(row, 'key_bytes_le_hex')), seed)).toBe(h);
    },
  );

  it('hashes integer 1 and bigint 1 differently (4 vs 8 key bytes)', () => {
    expect(hllHashInteger(1)).not.toBe(hllHashBigint(1n));
  });

  it('rejects values outside each type’s range with E_INPUT_VALUE', () => {
    const code = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        return e instanceof ReachtreeError ? e.code : 'untyped';
      }
      return undefined;
    };
    expect(code(() => hllHashBigint(2n ** 63n))).toBe('E_INPUT_VALUE');
    expect(code(() => hllHashInteger(2 ** 31))).toBe('E_INPUT_VALUE');
    expect(code(() => hllHashInteger(0.5))).toBe('E_INPUT_VALUE');
    expect(code(() => hllHashSmallint(32768))).toBe('E_INPUT_VALUE');
  });
});
