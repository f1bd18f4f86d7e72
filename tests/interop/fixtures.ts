/**
 * Inputs of the interop suite: the parameter settings, seeded id sets, and where in an id set a
 * sketch changes representation (so each comparison lands on both sides of every boundary).
 *
 * The boundaries come from the storage spec's rules (shared/interop/SPEC.md §5), computed here
 * from the hashes alone, independently of src/sketch:
 *   EMPTY → EXPLICIT at the first hash (unless T = 0), EXPLICIT → registers at the (T+1)-th
 *   distinct hash, SPARSE → FULL when nfilled · (p + r) ≥ m · r, where nfilled counts the
 *   registers whose hash has a non-zero word above the index bits.
 */
import { murmurHash3x64h1 } from '../../src/hash/index.js';

export interface Setting {
  readonly label: string;
  readonly log2m: number;
  readonly regwidth: number;
  readonly expthresh: number;
  readonly sparseon: boolean;
}

function setting(log2m: number, regwidth: number, expthresh: number, sparseon: 0 | 1): Setting {
  return { label: `${log2m}_${regwidth}_${expthresh}_${sparseon}`, log2m, regwidth, expthresh, sparseon: sparseon === 1 };
}

/**
 * A cover of what users choose: both defaults (the extension's 11_5_-1_1, reachtree's
 * 14_5_-1_1), every log2m 10..17 at least twice, regwidth 4/5/6 six or seven times each,
 * expthresh -1 (auto), 0 (never EXPLICIT), 1, 16, 1024 and 8192 (the API's largest), sparseon
 * 0 and 1, and the pairs the spec's vectors use (14_6_-1_1, 16_5_-1_1).
 */
export const SETTINGS: readonly Setting[] = [
  setting(11, 5, -1, 1),
  setting(14, 5, -1, 1),
  setting(10, 4, -1, 1),
  setting(10, 6, 0, 0),
  setting(11, 4, 16, 0),
  setting(11, 6, 1, 1),
  setting(12, 5, 0, 1),
  setting(12, 4, -1, 0),
  setting(12, 6, 8192, 1),
  setting(13, 5, 1024, 0),
  setting(13, 6, -1, 1),
  setting(14, 6, -1, 1),
  setting(14, 4, 0, 0),
  setting(15, 5, -1, 1),
  setting(15, 6, 16, 1),
  setting(16, 5, -1, 1),
  setting(16, 4, 8192, 1),
  setting(17, 5, -1, 1),
  setting(17, 6, 0, 1),
  setting(17, 4, 1024, 0),
];

/** The setting as HllSketch parameters. */
export function paramsOf(s: Setting): { log2m: number; regwidth: number; expthresh: number; sparseon: boolean } {
  return { log2m: s.log2m, regwidth: s.regwidth, expthresh: s.expthresh, sparseon: s.sparseon };
}

/**
 * The 3-byte storage-spec v1 header of a sketch of hll_type `type` with the setting's parameters:
 * version 1 | type, (regwidth − 1) << 5 | log2m, sparseon << 6 | expthresh code (63 = auto, 0, log2(e) + 1).
 */
export function headerBytes(s: Setting, type: number): [number, number, number] {
  const code = s.expthresh === -1 ? 63 : s.expthresh === 0 ? 0 : Math.log2(s.expthresh) + 1;
  return [0x10 | type, ((s.regwidth - 1) << 5) | s.log2m, ((s.sparseon ? 1 : 0) << 6) | code];
}

export const EXTENSION_DEFAULT = SETTINGS[0] as Setting;
export const REACHTREE_DEFAULT = SETTINGS[1] as Setting;

/** Effective explicit threshold T: as many 8-byte hashes as fit in the FULL body when auto. */
export function explicitThreshold(s: Setting): number {
  if (s.expthresh === -1) return Math.floor(Math.ceil((s.regwidth << s.log2m) / 8) / 8);
  return s.expthresh;
}

/** Largest nfilled still written SPARSE (strict bit comparison); -1 when sparseon is off. */
export function sparseCutoff(s: Setting): number {
  if (!s.sparseon) return -1;
  return Math.floor(((s.regwidth << s.log2m) - 1) / (s.log2m + s.regwidth));
}

// ---------------------------------------------------------------------------------------------
// Seeded id sets

/** splitmix32: small, seedable, good enough to spread ids; the same seed gives the same ids. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
}

const HEX_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** `digits` random lowercase hex digits (a multiple of 8). */
function hex(next: () => number, digits: number): string {
  let s = '';
  for (let k = 0; k < digits; k += 8) {
    const v = next();
    s += (HEX_BYTE[v >>> 24] as string) + HEX_BYTE[(v >>> 16) & 0xff] + HEX_BYTE[(v >>> 8) & 0xff] + HEX_BYTE[v & 0xff];
  }
  return s;
}

/** `n` random 32-hex-digit ids (the shape of an md5/uuid-without-dashes subscriber id). */
export function hexIds(n: number, seed: number): string[] {
  const next = seededRandom(seed);
  const ids = new Array<string>(n);
  for (let i = 0; i < n; i++) ids[i] = hex(next, 32);
  return ids;
}

/**
 * Ids chosen to break a careless port, each in the first positions so every prefix holds them:
 * the empty string (hash 0: counted while EXPLICIT, sets no register), 15/16/17-byte ids around
 * MurmurHash3's 16-byte block (ASCII and with bytes ≥ 0x80 in the tail), Cyrillic, emoji,
 * characters that need quoting in CSV and in PostgreSQL array literals, the text "NULL", a long
 * id. Then a generated mix of the same kinds, with repeats of earlier ids (must change nothing).
 */
export const SPECIAL_IDS: readonly string[] = [
  '',
  'абонент',
  '123456789012345', // 15 bytes
  '1234567890123456', // 16 bytes
  '12345678901234567', // 17 bytes
  'xабвгдеж', // 15 bytes, tail byte ≥ 0x80
  'абвгдежз', // 16 bytes
  'xабвгдежз', // 17 bytes
  'Пользователь №42',
  'ёЁйЙ',
  '👍',
  'emoji 👨‍👩‍👧 family',
  'ÿ',
  ' ',
  ' leading and trailing ',
  'a,b',
  'say "hi"',
  'back\\slash',
  '{braces}',
  'line\nbreak',
  'tab\there',
  'NULL',
  'null',
  '中文用户',
  'x'.repeat(1000),
];

const CYRILLIC = 'абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ';

function pad(text: string, bytes: number): string {
  return text.padStart(bytes, '0');
}

export function adversarialIds(n: number, seed: number): string[] {
  const next = seededRandom(seed);
  const ids: string[] = SPECIAL_IDS.slice(0, n);
  for (let i = ids.length; i < n; i++) {
    const k = next() % 9;
    switch (k) {
      case 0:
        ids.push(`абонент-${i}`);
        break;
      case 1:
        ids.push(pad(String(i), 15));
        break;
      case 2:
        ids.push(pad(String(i), 16));
        break;
      case 3:
        ids.push(pad(String(i), 17));
        break;
      case 4: {
        // 15, 16 or 17 UTF-8 bytes ending in a two-byte Cyrillic letter
        const letter = CYRILLIC[next() % CYRILLIC.length] as string;
        ids.push(pad(String(i), 13 + (next() % 3)) + letter);
        break;
      }
      case 5:
        ids.push(hex(next, 16).toUpperCase());
        break;
      case 6:
        ids.push(ids[next() % i] as string); // a repeat
        break;
      case 7:
        ids.push(`ПОЛЬЗ_${i}_ё@пример.рф`);
        break;
      default: {
        // random code points from Latin-1, Cyrillic, CJK and the astral plane (no NUL, no surrogates)
        let s = '';
        const len = 1 + (next() % 12);
        for (let j = 0; j < len; j++) {
          const range = next() % 4;
          const cp = range === 0 ? 0x20 + (next() % 0xe0) : range === 1 ? 0x400 + (next() % 0x100) : range === 2 ? 0x4e00 + (next() % 0x5000) : 0x1f300 + (next() % 0x300);
          s += String.fromCodePoint(cp);
        }
        ids.push(`${s}#${i}`);
      }
    }
  }
  return ids;
}

// ---------------------------------------------------------------------------------------------
// Hashes and representation boundaries

const utf8 = new TextEncoder();

/** hll_hash_text(id) of every id as (lo, hi) pairs: out[2i] = low 32 bits, out[2i+1] = high. */
export function hashIds(ids: readonly string[]): Uint32Array {
  const out = new Uint32Array(ids.length * 2);
  const h = new Uint32Array(2);
  let buffer = new Uint8Array(256);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as string;
    // UTF-8 takes at most 3 bytes per UTF-16 unit
    if (buffer.length < id.length * 3) buffer = new Uint8Array(id.length * 3);
    const { written } = utf8.encodeInto(id, buffer);
    murmurHash3x64h1(buffer, 0, written, 0, h);
    out[2 * i] = h[0] as number;
    out[2 * i + 1] = h[1] as number;
  }
  return out;
}

/** An id set with its hashes; `ids[i]` hashes to (`hashes[2i]`, `hashes[2i+1]`). */
export interface IdSet {
  readonly name: string;
  readonly ids: readonly string[];
  readonly hashes: Uint32Array;
  /** 1 where ids[i]'s hash occurs for the first time in the set, so prefix distinct counts are sums. */
  readonly firstSeen: Uint8Array;
}

export function idSet(name: string, ids: readonly string[]): IdSet {
  const hashes = hashIds(ids);
  const firstSeen = new Uint8Array(ids.length);
  const seen = new Set<string>();
  for (let i = 0; i < ids.length; i++) {
    const key = `${hashes[2 * i]},${hashes[2 * i + 1]}`;
    if (!seen.has(key)) {
      seen.add(key);
      firstSeen[i] = 1;
    }
  }
  return { name, ids, hashes, firstSeen };
}

/** Number of ids needed, from `from` on, until `distinct` distinct hashes were seen (or null). */
export function idsUntilDistinct(set: IdSet, from: number, distinct: number): number | null {
  if (distinct <= 0) return 0;
  if (from === 0) {
    let count = 0;
    for (let i = 0; i < set.ids.length; i++) if ((count += set.firstSeen[i] as number) >= distinct) return i + 1;
    return null;
  }
  const seen = new Set<string>();
  for (let i = from; i < set.ids.length; i++) {
    seen.add(`${set.hashes[2 * i]},${set.hashes[2 * i + 1]}`);
    if (seen.size >= distinct) return i + 1 - from;
  }
  return null;
}

/** Number of ids needed, from `from` on, until `filled` registers of 2^log2m are non-zero (or null). */
export function idsUntilFilled(set: IdSet, from: number, log2m: number, filled: number): number | null {
  if (filled <= 0) return 0;
  const mask = (1 << log2m) - 1;
  const marks = new Uint8Array(1 << log2m);
  let count = 0;
  for (let i = from; i < set.ids.length; i++) {
    const lo = set.hashes[2 * i] as number;
    const hi = set.hashes[2 * i + 1] as number;
    // value 0 (nothing above the index bits) sets no register
    if (hi === 0 && lo >>> log2m === 0) continue;
    const index = lo & mask;
    if (marks[index] === 0) {
      marks[index] = 1;
      if (++count >= filled) return i + 1 - from;
    }
  }
  return null;
}

/**
 * Prefix lengths worth comparing for one setting: 0, 1, 2, both sides of EXPLICIT → registers
 * (T and T+1 distinct hashes), both sides of SPARSE → FULL (cutoff and cutoff+1 filled
 * registers), and the whole set. Sorted, without duplicates, all within the set.
 */
export function checkpoints(s: Setting, set: IdSet): number[] {
  const total = set.ids.length;
  const points = new Set<number>([0, 1, 2, total]);
  const t = explicitThreshold(s);
  const promote = idsUntilDistinct(set, 0, t + 1);
  if (promote !== null) {
    points.add(promote - 1);
    points.add(promote);
  }
  const cutoff = sparseCutoff(s);
  if (cutoff >= 0) {
    const full = idsUntilFilled(set, 0, s.log2m, cutoff + 1);
    if (full !== null) {
      points.add(full - 1);
      points.add(full);
    }
  }
  return [...points].filter((n) => n >= 0 && n <= total).sort((a, b) => a - b);
}

/** hll_type the spec predicts for a sketch of `distinct` hashes filling `filled` registers. */
export function predictedType(s: Setting, distinct: number, filled: number): number {
  if (distinct === 0) return 1;
  if (distinct <= explicitThreshold(s)) return 2;
  return filled <= sparseCutoff(s) ? 3 : 4;
}

/** The predicted hll_type of each prefix ids[0, n), n from `ns` (ascending), in one pass. */
export function predictedPrefixTypes(s: Setting, set: IdSet, ns: readonly number[]): Map<number, number> {
  const mask = (1 << s.log2m) - 1;
  const marks = new Uint8Array(1 << s.log2m);
  let distinct = 0;
  let filled = 0;
  let i = 0;
  const types = new Map<number, number>();
  for (const n of ns) {
    for (; i < n; i++) {
      const lo = set.hashes[2 * i] as number;
      const hi = set.hashes[2 * i + 1] as number;
      distinct += set.firstSeen[i] as number;
      if ((hi !== 0 || lo >>> s.log2m !== 0) && marks[lo & mask] === 0) {
        marks[lo & mask] = 1;
        filled++;
      }
    }
    types.set(n, predictedType(s, distinct, filled));
  }
  return types;
}

/** A contiguous slice `[from, to)` of an id set, named by the representation it is meant to have. */
export interface Shape {
  readonly name: 'EMPTY' | 'EXPLICIT' | 'EXPLICIT_AT_T' | 'SPARSE' | 'FULL';
  readonly from: number;
  readonly to: number;
}

/**
 * One slice per representation the setting can produce, overlapping each other so unions mix
 * shared and own ids: EMPTY, a small EXPLICIT, an EXPLICIT holding exactly T hashes (two of them
 * overflow T together), SPARSE (halfway between promotion and the FULL cutoff) and FULL.
 */
export function shapes(s: Setting, set: IdSet): Shape[] {
  const t = explicitThreshold(s);
  const cutoff = sparseCutoff(s);
  const out: Shape[] = [{ name: 'EMPTY', from: 0, to: 0 }];
  if (t >= 1) {
    out.push({ name: 'EXPLICIT', from: 3, to: 3 + Math.min(t, 7) });
    const from = Math.floor(t / 2);
    const n = idsUntilDistinct(set, from, t);
    if (t > 7 && n !== null) out.push({ name: 'EXPLICIT_AT_T', from, to: from + n });
  }
  const registersFrom = 11;
  const promoted = idsUntilDistinct(set, registersFrom, t + 1);
  if (promoted === null) return out;
  if (cutoff >= 0) {
    const full = idsUntilFilled(set, registersFrom, s.log2m, cutoff + 1);
    if (full !== null && full > promoted + 1) {
      out.push({ name: 'SPARSE', from: registersFrom, to: registersFrom + Math.floor((promoted + full) / 2) });
    }
  }
  const full = cutoff >= 0 ? idsUntilFilled(set, 5, s.log2m, cutoff + 1) : idsUntilDistinct(set, 5, t + 1);
  if (full !== null) {
    const n = Math.max(full, idsUntilDistinct(set, 5, t + 1) ?? Infinity) + 500;
    if (5 + n <= set.ids.length) out.push({ name: 'FULL', from: 5, to: 5 + n });
  }
  return out;
}

export const SHAPE_TYPE: Readonly<Record<Shape['name'], number>> = {
  EMPTY: 1,
  EXPLICIT: 2,
  EXPLICIT_AT_T: 2,
  SPARSE: 3,
  FULL: 4,
};

/** Size of each standard id set: well past the FULL cutoff of every setting (log2m 17 included). */
export const ID_SET_SIZE = 100_000;

/** The two standard id sets every interop file uses: random hex ids and the adversarial mix. */
export function standardIdSets(size: number = ID_SET_SIZE): { hex: IdSet; adversarial: IdSet } {
  return {
    hex: idSet('hex', hexIds(size, 0x5eed_0001)),
    adversarial: idSet('adversarial', adversarialIds(size, 0x5eed_0002)),
  };
}
