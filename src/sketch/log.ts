/**
 * Natural logarithm rounded correctly to the nearest double — to reproduce `hll_cardinality`
 * bit for bit.
 *
 * Why: the extension calls C's `log()`; glibc's log (2.28+) is accurate to ~0.52 ulp and rounds
 * correctly in all but rare cases. V8's `Math.log` (an fdlibm port) is accurate to < 1 ulp and
 * often lands on the other neighbour: log(1024/632) is 0.48258241145259567 in glibc (and
 * exactly rounded) but 0.4825824114525956 in V8, which made the linear-counting branch
 * m·ln(m/V) of `card_series.csv` (10_5_-1_1, n = 500) one ulp off.
 *
 * How: x = 2^e·f with f in [√½, √2); ln x = e·ln 2 + 2·atanh(s), s = (f − 1)/(f + 1), |s| < 0.172,
 * atanh(s) = s + s³/3 + s⁵/5 + … — all in double-double arithmetic (a value as an unevaluated
 * sum hi + lo, ~106 bits; Dekker 1971, Knuth's TwoSum), then rounded once. With ~100 correct bits
 * the final rounding is wrong only if ln x lies within ~2^−100 relative of a midpoint between two
 * doubles. Cost: a few microseconds, paid once per classic estimate.
 */

// ln 2 as a double-double: hi = Math.LN2, lo = ln 2 − hi.
const LN2_HI = Math.LN2;
const LN2_LO = 2.3190468138462996e-17;
const SPLITTER = 134217729; // 2^27 + 1, Dekker's split of a double into two 26-bit halves

// A double-double result is returned as (hi, lo) through these two slots (no allocation).
let rHi = 0;
let rLo = 0;

/** rHi + rLo = a + b exactly (Knuth). */
function twoSum(a: number, b: number): void {
  const s = a + b;
  const bb = s - a;
  rHi = s;
  rLo = a - (s - bb) + (b - bb);
}

/** rHi + rLo = a + b exactly, given |a| ≥ |b|. */
function quickTwoSum(a: number, b: number): void {
  const s = a + b;
  rHi = s;
  rLo = b - (s - a);
}

/** rHi + rLo = a·b exactly (Dekker; no FMA in JavaScript). */
function twoProd(a: number, b: number): void {
  const p = a * b;
  let t = SPLITTER * a;
  const aHi = t - (t - a);
  const aLo = a - aHi;
  t = SPLITTER * b;
  const bHi = t - (t - b);
  const bLo = b - bHi;
  rHi = p;
  rLo = aHi * bHi - p + aHi * bLo + aLo * bHi + aLo * bLo;
}

/** (aHi, aLo) + (bHi, bLo). */
function ddAdd(aHi: number, aLo: number, bHi: number, bLo: number): void {
  twoSum(aHi, bHi);
  const s = rHi;
  let e = rLo;
  twoSum(aLo, bLo);
  const t = rHi;
  const f = rLo;
  e += t;
  quickTwoSum(s, e);
  quickTwoSum(rHi, rLo + f);
}

/** (aHi, aLo) · (bHi, bLo). */
function ddMul(aHi: number, aLo: number, bHi: number, bLo: number): void {
  twoProd(aHi, bHi);
  quickTwoSum(rHi, rLo + (aHi * bLo + aLo * bHi));
}

/** (aHi, aLo) / (bHi, bLo), by long division in three double steps. */
function ddDiv(aHi: number, aLo: number, bHi: number, bLo: number): void {
  const q1 = aHi / bHi;
  ddMul(q1, 0, bHi, bLo);
  ddAdd(aHi, aLo, -rHi, -rLo);
  const q2 = rHi / bHi;
  const r1Hi = rHi;
  const r1Lo = rLo;
  ddMul(q2, 0, bHi, bLo);
  ddAdd(r1Hi, r1Lo, -rHi, -rLo);
  const q3 = rHi / bHi;
  quickTwoSum(q1, q2);
  ddAdd(rHi, rLo, q3, 0);
}

/** ln(x), correctly rounded to nearest (see the header); NaN, ±∞ and 0 as `Math.log`. */
export function logCorrectlyRounded(x: number): number {
  if (!(x > 0) || x === Infinity) return Math.log(x); // NaN, negative, 0 → −∞, +∞
  if (x === 1) return 0;
  let scale = 0;
  if (x < 2 ** -1000) {
    x *= 2 ** 100; // keep f and 2^e normal for subnormal inputs
    scale = -100;
  }
  let e = Math.floor(Math.log2(x));
  let f = x / 2 ** e;
  if (f < 1) {
    f *= 2;
    e--;
  } else if (f >= 2) {
    f /= 2;
    e++;
  }
  if (f > Math.SQRT2) {
    f /= 2;
    e++;
  }
  e += scale;

  // s = (f − 1)/(f + 1); f − 1 is exact for f in [½, 2], f + 1 as an exact double-double
  twoSum(f, 1);
  ddDiv(f - 1, 0, rHi, rLo);
  const sHi = rHi;
  const sLo = rLo;
  ddMul(sHi, sLo, sHi, sLo);
  const s2Hi = rHi;
  const s2Lo = rLo;

  // atanh(s) = s + s³/3 + s⁵/5 + …, until the terms no longer reach the low word
  let accHi = sHi;
  let accLo = sLo;
  let tHi = sHi;
  let tLo = sLo;
  for (let k = 3; k < 200; k += 2) {
    ddMul(tHi, tLo, s2Hi, s2Lo);
    tHi = rHi;
    tLo = rLo;
    ddDiv(tHi, tLo, k, 0);
    if (Math.abs(rHi) < Math.abs(accHi) * 2 ** -112) break;
    ddAdd(accHi, accLo, rHi, rLo);
    accHi = rHi;
    accLo = rLo;
  }

  // ln x = e·ln 2 + 2·atanh(s)
  twoProd(e, LN2_HI);
  const eHi = rHi;
  const eLo = rLo + e * LN2_LO;
  ddAdd(eHi, eLo, 2 * accHi, 2 * accLo);
  return rHi + rLo;
}
