/**
 * The text form of an `hll` value: PostgreSQL `bytea` hex output, `\x` followed by two lowercase
 * hex digits per byte (`bytea_output = hex`), e.g. the empty default sketch `\x118b7f`.
 */

import { ReachtreeError } from '../../errors.js';

/** Two lowercase hex digits for every byte value. */
const BYTE_HEX: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** `\x` + lowercase hex. */
export function bytesToHex(bytes: Uint8Array, prefix = '\\x'): string {
  return prefix + hexPairs(bytes, '');
}

/** Lowercase hex of `bytes`, two digits per byte, `separator` between bytes. */
export function hexPairs(bytes: Uint8Array, separator: string): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += (i === 0 ? '' : separator) + BYTE_HEX[bytes[i]!]!;
  return out;
}

/**
 * Bytes of `\x…` or bare hex (either case; surrounding whitespace ignored). Throws `E_FORMAT_HEX`
 * for an odd digit count or a non-hex character, naming its position.
 */
export function hexToBytes(text: string): Uint8Array {
  let s = text.trim();
  if (s.startsWith('\\x') || s.startsWith('\\X')) s = s.slice(2);
  if (s.length % 2 !== 0) {
    throw new ReachtreeError('E_FORMAT_HEX', `hex sketch text must have an even number of digits, found ${s.length}`, {
      detail: `text: ${preview(text)}`,
    });
  }
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = digit(s.charCodeAt(2 * i));
    const lo = digit(s.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) {
      const at = hi < 0 ? 2 * i : 2 * i + 1;
      throw new ReachtreeError(
        'E_FORMAT_HEX',
        `hex sketch text must contain only hex digits, found ${JSON.stringify(s[at])} at digit ${at + 1}`,
        { detail: `text: ${preview(text)}` },
      );
    }
    out[i] = (hi << 4) | lo;
  }
  return out;
}

function digit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48; // 0-9
  if (c >= 97 && c <= 102) return c - 87; // a-f
  if (c >= 65 && c <= 70) return c - 55; // A-F
  return -1;
}

function preview(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}
