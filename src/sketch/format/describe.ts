/**
 * A human-readable dump of storage-spec v1 bytes (layout in ./layout.ts): every header field
 * decoded, the body length against what the type requires, the first elements/words/registers,
 * and a hex dump of the start. Used as the `detail` of every `E_FORMAT_*` error and by the CLI's
 * `inspect` command. Never throws, whatever the input.
 */

import { hexPairs } from './hex.js';
import {
  EXPLICIT_ELEMENT_BYTES,
  HEADER_BYTES,
  SCHEMA_VERSION,
  decodeExpthresh,
  readBits,
  readExplicitHi,
  readExplicitLo,
  readHeader,
  typeName,
} from './layout.js';

const SHOW_ITEMS = 8;
const SHOW_BYTES = 64;

export function describeBytes(bytes: Uint8Array): string {
  const lines: string[] = [`length: ${bytes.length} byte${bytes.length === 1 ? '' : 's'}`];
  if (bytes.length < HEADER_BYTES) {
    lines.push(`too short for the ${HEADER_BYTES}-byte header`);
    lines.push(...hexDump(bytes));
    return lines.join('\n');
  }
  const h = readHeader(bytes);
  const m = 2 ** h.log2m;
  const expthresh = decodeExpthresh(h.expthreshCode);
  const auto = Math.floor(Math.ceil((h.regwidth * m) / 8) / 8);
  lines.push(`header: ${hexPairs(bytes.subarray(0, HEADER_BYTES), ' ')}`);
  lines.push(`  version ${h.version}${h.version === SCHEMA_VERSION ? '' : ` (expected ${SCHEMA_VERSION})`}`);
  lines.push(`  type ${h.type} ${typeName(h.type) ?? '(unknown; expected 0..4)'}`);
  lines.push(`  regwidth ${h.regwidth}, log2m ${h.log2m} (m = ${m})`);
  lines.push(
    `  sparseon ${h.sparseon ? 1 : 0}, expthresh code ${h.expthreshCode} = ${expthresh}` +
      (expthresh === -1 ? ` (auto: ${auto})` : ''),
  );
  if (h.reservedBit !== 0) lines.push('  reserved bit 7 of byte 2 is set (written 0)');

  const body = bytes.length - HEADER_BYTES;
  const name = typeName(h.type);
  if (name === 'UNDEFINED' || name === 'EMPTY') {
    lines.push(`body: ${body} bytes (${name} has none)`);
  } else if (name === 'EXPLICIT') {
    const count = Math.floor(body / EXPLICIT_ELEMENT_BYTES);
    const rest = body % EXPLICIT_ELEMENT_BYTES;
    lines.push(`body: ${body} bytes = ${count} elements of 8 bytes${rest === 0 ? '' : ` + ${rest} stray bytes`}`);
    for (let k = 0; k < Math.min(count, SHOW_ITEMS); k++) {
      const at = HEADER_BYTES + k * EXPLICIT_ELEMENT_BYTES;
      const v = (BigInt(readExplicitHi(bytes, at)) << 32n) | BigInt(readExplicitLo(bytes, at) >>> 0);
      lines.push(`  [${k}] ${hexPairs(bytes.subarray(at, at + 8), '')} = ${v}`);
    }
    if (count > SHOW_ITEMS) lines.push(`  … ${count - SHOW_ITEMS} more`);
  } else if (name === 'SPARSE') {
    const width = h.log2m + h.regwidth;
    const words = Math.floor((body * 8) / width);
    const pad = body * 8 - words * width;
    lines.push(`body: ${body} bytes = ${words} words of ${width} bits (index << ${h.regwidth} | value) + ${pad} padding bits`);
    // readBits handles up to 25-bit words: log2m ≤ 17 (all the extension reads) with regwidth ≤ 8
    for (let k = 0; k < (width <= 25 ? Math.min(words, SHOW_ITEMS) : 0); k++) {
      const word = readBits(bytes, HEADER_BYTES, k * width, width);
      lines.push(`  [${k}] index ${Math.floor(word / 2 ** h.regwidth)} value ${word % 2 ** h.regwidth}`);
    }
    if (words > SHOW_ITEMS) lines.push(`  … ${words - SHOW_ITEMS} more`);
  } else if (name === 'FULL') {
    const expected = Math.ceil((m * h.regwidth) / 8);
    lines.push(`body: ${body} bytes; FULL with m = ${m}, regwidth ${h.regwidth} needs ${expected}`);
    const shown = Math.min(m, SHOW_ITEMS * 4, Math.floor((body * 8) / h.regwidth));
    if (shown > 0) {
      const regs: number[] = [];
      for (let i = 0; i < shown; i++) regs.push(readBits(bytes, HEADER_BYTES, i * h.regwidth, h.regwidth));
      lines.push(`  registers 0..${shown - 1}: ${regs.join(' ')}`);
    }
  } else {
    lines.push(`body: ${body} bytes`);
  }
  lines.push(...hexDump(bytes));
  return lines.join('\n');
}


function hexDump(bytes: Uint8Array): string[] {
  const shown = bytes.subarray(0, SHOW_BYTES);
  const out = [`hex${bytes.length > SHOW_BYTES ? ` (first ${SHOW_BYTES} bytes)` : ''}:`];
  for (let at = 0; at < shown.length; at += 16) {
    out.push(`  ${at.toString(16).padStart(4, '0')}  ${hexPairs(shown.subarray(at, at + 16), ' ')}`);
  }
  if (bytes.length === 0) out.push('  (none)');
  return out;
}
