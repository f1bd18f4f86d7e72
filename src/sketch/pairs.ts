/**
 * Runs of 64-bit hashes stored as int32 pairs `[lo, hi]`, kept in the order the EXPLICIT bytes
 * need: ascending *signed* int64 (hi as signed, then lo as unsigned). Shared by the EXPLICIT state
 * and the sketch arena, which both append hashes unsorted and settle them in bulk.
 */

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** Merge buffer (settling is synchronous and never re-entered). */
let scratch = new Int32Array(2 * 1024);

/** Signed int64 order of two (lo, hi) pairs. */
function pairLess(aLo: number, aHi: number, bLo: number, bHi: number): boolean {
  return aHi < bHi || (aHi === bHi && aLo >>> 0 < bLo >>> 0);
}

/** Sorts pairs[from, to) (pair indexes) in ascending signed int64 order, in place. */
function sortPairs(pairs: Int32Array, from: number, to: number): void {
  if (to - from < 2) return;
  if (LITTLE_ENDIAN) {
    // a native numeric sort: each [lo, hi] is one int64 in memory
    new BigInt64Array(pairs.buffer, pairs.byteOffset + 8 * from, to - from).sort();
    return;
  }
  const order = Array.from({ length: to - from }, (_, k) => from + k);
  const cmp = (a: number, b: number): number =>
    pairLess(pairs[2 * a]!, pairs[2 * a + 1]!, pairs[2 * b]!, pairs[2 * b + 1]!) ? -1 : pairLess(pairs[2 * b]!, pairs[2 * b + 1]!, pairs[2 * a]!, pairs[2 * a + 1]!) ? 1 : 0;
  const copy = order.sort(cmp).flatMap((k) => [pairs[2 * k]!, pairs[2 * k + 1]!]);
  pairs.set(copy, 2 * from);
}

/**
 * Merges two sorted runs of pairs — a[aFrom, aTo) and b[bFrom, bTo), pair indexes — into `out`
 * from pair 0, dropping repeats (within and across the runs). Returns the pairs written.
 */
function mergeDistinct(a: Int32Array, aFrom: number, aTo: number, b: Int32Array, bFrom: number, bTo: number, out: Int32Array): number {
  let i = 2 * aFrom;
  let j = 2 * bFrom;
  const iEnd = 2 * aTo;
  const jEnd = 2 * bTo;
  let n = 0;
  while (i < iEnd || j < jEnd) {
    let lo: number;
    let hi: number;
    if (j >= jEnd || (i < iEnd && !pairLess(b[j]!, b[j + 1]!, a[i]!, a[i + 1]!))) {
      lo = a[i]!;
      hi = a[i + 1]!;
      i += 2;
    } else {
      lo = b[j]!;
      hi = b[j + 1]!;
      j += 2;
    }
    if (n > 0 && out[n - 2] === lo && out[n - 1] === hi) continue;
    out[n] = lo;
    out[n + 1] = hi;
    n += 2;
  }
  return n >>> 1;
}

/**
 * Settles the run of `used` pairs starting at pair `base`, whose first `sorted` pairs are already
 * sorted and distinct: sorts the rest, merges, drops repeats. Returns the distinct count; the run
 * then holds them sorted.
 */
export function settlePairs(pairs: Int32Array, base: number, sorted: number, used: number): number {
  if (sorted === used) return used;
  sortPairs(pairs, base + sorted, base + used);
  if (scratch.length < 2 * used) scratch = new Int32Array(2 * Math.max(used, scratch.length));
  const n = mergeDistinct(pairs, base, base + sorted, pairs, base + sorted, base + used, scratch);
  pairs.set(scratch.subarray(0, 2 * n), 2 * base);
  return n;
}

/** The sorted, distinct union of two settled runs, in a new array of at least `capacity` pairs. */
export function mergePairs(a: Int32Array, na: number, b: Int32Array, nb: number, capacity: number): { pairs: Int32Array; count: number } {
  const out = new Int32Array(2 * Math.max(capacity, na + nb));
  return { pairs: out, count: mergeDistinct(a, 0, na, b, 0, nb, out) };
}

/** Largest run an EXPLICIT log of threshold T may grow to: T plus room for repeats. */
export function explicitLogLimit(threshold: number): number {
  return threshold + Math.max(8, threshold >>> 3);
}
