/**
 * decodeSketch on valid bytes, and one named test per kind of corruption: each must give a
 * ReachtreeError with its own E_FORMAT_* code and a readable dump in `detail`.
 */
import { describe, expect, it } from 'vitest';
import { ReachtreeError } from '../../../src/errors.js';
import { decodeSketch } from '../../../src/sketch/format/decode.js';
import { hexToBytes } from '../../../src/sketch/format/hex.js';
import { HllSketch } from '../../../src/sketch/index.js';

const bytesOf = (hex: string): Uint8Array => hexToBytes(hex);

function rejection(hex: string | Uint8Array): ReachtreeError {
  try {
    decodeSketch(typeof hex === 'string' ? bytesOf(hex) : hex);
  } catch (e) {
    if (e instanceof ReachtreeError) return e;
    throw e;
  }
  throw new Error(`accepted ${String(hex)}`);
}

/** An EXPLICIT (11,5,-1,1) body from signed 64-bit hashes, in the given order. */
function explicitHex(hashes: bigint[]): string {
  return '128b7f' + hashes.map((h) => BigInt.asUintN(64, h).toString(16).padStart(16, '0')).join('');
}

describe('decode › valid bytes', () => {
  it('reads the SPEC §4.3 EXPLICIT example: 10 hashes, negative ones first', () => {
    const d = decodeSketch(
      bytesOf(
        '128b7fcd11d38a18451be1cf75ad30b70609cfe8b431feda83adb4ffa623473da19a503eecc2d3151bb48f4e4105a0bd0942d661accd4b12ff357662c70edb7001f22f646c1b749056d5d265e6dbb40aa9278b',
      ),
    );
    expect(d.type).toBe('EXPLICIT');
    expect(d.params).toEqual({ log2m: 11, regwidth: 5, expthresh: -1, sparseon: true });
    if (d.type === 'EXPLICIT') expect(d.count).toBe(10);
  });

  it('reads SPARSE words into (index, value) entries sorted by index', () => {
    const d = decodeSketch(bytesOf('138b40aec245e2'));
    expect(d.type).toBe('SPARSE');
    if (d.type === 'SPARSE') expect(Array.from(d.entries, (e) => [e >>> 8, e & 0xff])).toEqual([[559, 2], [1398, 2]]);
  });

  it('lets a later SPARSE word for the same index overwrite an earlier one, as the extension does', () => {
    const d = decodeSketch(bytesOf('138b40aec5aec2'));
    if (d.type === 'SPARSE') expect(Array.from(d.entries, (e) => [e >>> 8, e & 0xff])).toEqual([[1398, 2]]);
  });

  it('skips a trailing all-zero word that fits in the padding (log2m + regwidth < 8)', () => {
    // (4,2,0,1): words 000001 010110 100101 + 6 zero bits — a reader sees a 4th (0,0) word
    const d = decodeSketch(bytesOf('132440056940'));
    expect(d.type).toBe('SPARSE');
    if (d.type === 'SPARSE') expect(Array.from(d.entries, (e) => [e >>> 8, e & 0xff])).toEqual([[0, 1], [5, 2], [9, 1]]);
    expect(HllSketch.fromHex('132440056940').toHex()).toBe('\\x132440056940');
  });

  it('accepts what the 2.17 API can write: log2m 0, regwidth 0 (read as 8), expthresh 8192', () => {
    expect(decodeSketch(bytesOf('11e07f')).params).toEqual({ log2m: 0, regwidth: 8, expthresh: -1, sparseon: true });
    expect(decodeSketch(bytesOf('118b4e')).params.expthresh).toBe(8192);
  });

  it('accepts any expthresh code on register sketches (as hll 2.20 does), e.g. 2^20', () => {
    expect(decodeSketch(bytesOf('138b55aec2')).params.expthresh).toBe(2 ** 20);
  });
});

describe('decode › hostile bytes, one corruption each', () => {
  it('rejects an empty input (E_FORMAT_LENGTH)', () => {
    expect(rejection(new Uint8Array(0)).code).toBe('E_FORMAT_LENGTH');
  });

  it('rejects a truncated header (E_FORMAT_LENGTH)', () => {
    expect(rejection('118b').code).toBe('E_FORMAT_LENGTH');
  });

  it('rejects a bad schema version (E_FORMAT_VERSION)', () => {
    const e = rejection('218b7f');
    expect(e.code).toBe('E_FORMAT_VERSION');
    expect(e.message).toBe('unknown schema version 2 (expected 1)');
    expect(rejection('018b7f').code).toBe('E_FORMAT_VERSION');
  });

  it('rejects an unknown type nibble 5..15 (E_FORMAT_TYPE)', () => {
    for (let t = 5; t <= 15; t++) expect(rejection(`1${t.toString(16)}8b7f`).code).toBe('E_FORMAT_TYPE');
  });

  it('rejects the reserved header bit (E_FORMAT_HEADER)', () => {
    expect(rejection('118bff').code).toBe('E_FORMAT_HEADER');
  });

  it('rejects log2m above 17 (E_FORMAT_HEADER)', () => {
    expect(rejection('1192' + '00'.repeat(10)).code).toBe('E_FORMAT_HEADER'); // log2m 18
    expect(rejection('119f7f').code).toBe('E_FORMAT_HEADER'); // log2m 31, EMPTY
  });

  it('rejects an EMPTY or EXPLICIT header with an expthresh the API never writes (E_FORMAT_HEADER)', () => {
    expect(rejection('118b4f').code).toBe('E_FORMAT_HEADER'); // 16384
    expect(rejection('128b7e' + '0000000000000001').code).toBe('E_FORMAT_HEADER'); // 2^61
  });

  it('rejects an EMPTY or UNDEFINED sketch with a body (E_FORMAT_LENGTH)', () => {
    expect(rejection('118b7f00').code).toBe('E_FORMAT_LENGTH');
    expect(rejection('108b7f00').code).toBe('E_FORMAT_LENGTH');
  });

  it('rejects an EXPLICIT body that is not whole 8-byte hashes (E_FORMAT_LENGTH)', () => {
    expect(rejection('128b7f61accd4b12ff35').code).toBe('E_FORMAT_LENGTH');
  });

  it('rejects an EXPLICIT sketch of more than 16383 hashes (E_FORMAT_LENGTH)', () => {
    const bytes = new Uint8Array(3 + 8 * 16384);
    bytes.set([0x12, 0x8b, 0x7f]);
    expect(rejection(bytes).code).toBe('E_FORMAT_LENGTH');
  });

  it('rejects an EXPLICIT sketch holding more hashes than its threshold (E_FORMAT_LENGTH)', () => {
    // expthresh 2 (code 2), three hashes: the extension promotes at the third
    const element = (v: number): string => v.toString(16).padStart(16, '0');
    expect(() => decodeSketch(bytesOf('128b42' + element(8) + element(16)))).not.toThrow();
    const e = rejection('128b42' + element(8) + element(16) + element(24));
    expect(e.code).toBe('E_FORMAT_LENGTH');
    expect(e.message).toBe('an EXPLICIT sketch with expthresh 2 holds at most 2 hashes (one more turns it into registers), found 3');
    expect(rejection('128b40' + element(8)).code).toBe('E_FORMAT_LENGTH'); // expthresh 0: never EXPLICIT
  });

  it('rejects unsorted EXPLICIT hashes (E_FORMAT_EXPLICIT_ORDER)', () => {
    const e = rejection(explicitHex([5n, 3n]));
    expect(e.code).toBe('E_FORMAT_EXPLICIT_ORDER');
    expect(e.message).toMatch(/element 1 \(3\) is below element 0 \(5\)/);
  });

  it('rejects duplicate EXPLICIT hashes (E_FORMAT_EXPLICIT_ORDER)', () => {
    const e = rejection(explicitHex([-7n, 42n, 42n]));
    expect(e.code).toBe('E_FORMAT_EXPLICIT_ORDER');
    expect(e.message).toMatch(/repeats/);
  });

  it('rejects EXPLICIT hashes in unsigned instead of signed order (E_FORMAT_EXPLICIT_ORDER)', () => {
    expect(rejection(explicitHex([1n, -1n])).code).toBe('E_FORMAT_EXPLICIT_ORDER');
  });

  it('rejects a FULL body one byte short or long (E_FORMAT_LENGTH)', () => {
    const full = '1484' + '00' + '00'.repeat(10);
    expect(() => decodeSketch(bytesOf(full))).not.toThrow();
    expect(rejection(full.slice(0, -2)).code).toBe('E_FORMAT_LENGTH');
    expect(rejection(full + '00').code).toBe('E_FORMAT_LENGTH');
  });

  it('rejects non-zero FULL padding bits (E_FORMAT_PADDING)', () => {
    // (2,5,0,0): 4 registers × 5 bits = 20 bits in 3 bytes, 4 padding bits
    expect(() => decodeSketch(bytesOf('148200000000'))).not.toThrow();
    expect(rejection('148200000001').code).toBe('E_FORMAT_PADDING');
  });

  it('rejects a SPARSE body with 8 or more padding bits (E_FORMAT_PADDING)', () => {
    expect(rejection('138b40aec200').code).toBe('E_FORMAT_PADDING');
  });

  it('rejects non-zero SPARSE padding bits (E_FORMAT_PADDING)', () => {
    // (11,6): one 17-bit word and 7 padding bits, all set
    expect(rejection('13ab40aec17f').code).toBe('E_FORMAT_PADDING');
  });

  it('rejects a FULL register above 64 − log2m (E_FORMAT_REGISTER)', () => {
    // (14,6): values up to 50 are possible; 63 is not
    const body = new Uint8Array(12288);
    body[0] = 0xfc; // register 0 = 111111b = 63
    const bytes = new Uint8Array(3 + body.length);
    bytes.set([0x14, 0xae, 0x00]);
    bytes.set(body, 3);
    expect(rejection(bytes).code).toBe('E_FORMAT_REGISTER');
  });

  it('rejects a SPARSE word with a value above 64 − log2m (E_FORMAT_REGISTER)', () => {
    // (14,6): word index 1, value 51 = 0b110011 → 20 bits 00000000000001 110011 + 4 pad
    expect(rejection('13ae40000730').code).toBe('E_FORMAT_REGISTER');
  });

  it('puts a readable dump of the bytes in the error detail', () => {
    const e = rejection(explicitHex([5n, 3n]));
    expect(e.detail).toContain('type 2 EXPLICIT');
    expect(e.detail).toContain('regwidth 5, log2m 11 (m = 2048)');
    expect(e.detail).toContain('[1] 0000000000000003 = 3');
  });
});
