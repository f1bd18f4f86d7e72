import { describe, expect, it } from 'vitest';
import { ReachtreeError } from '../../src/errors.js';
import { DEFAULT_HLL_PARAMS, explicitThreshold, resolveHllParams } from '../../src/sketch/index.js';

const errorOf = (f: () => unknown): ReachtreeError => {
  try {
    f();
  } catch (e) {
    if (e instanceof ReachtreeError) return e;
  }
  throw new Error('expected a ReachtreeError');
};

describe('resolveHllParams', () => {
  it('fills missing values from the defaults (14, 5, -1, on) and freezes the result', () => {
    const p = resolveHllParams({ log2m: 11 });
    expect(p).toEqual({ ...DEFAULT_HLL_PARAMS, log2m: 11 });
    expect(Object.isFrozen(p)).toBe(true);
    expect(resolveHllParams()).toEqual({ log2m: 14, regwidth: 5, expthresh: -1, sparseon: true });
  });

  it('accepts the whole range every extension version reads back', () => {
    for (const log2m of [4, 17]) expect(resolveHllParams({ log2m }).log2m).toBe(log2m);
    for (const regwidth of [1, 7]) expect(resolveHllParams({ regwidth }).regwidth).toBe(regwidth);
    for (const expthresh of [-1, 0, 1, 2, 1024, 8192]) expect(resolveHllParams({ expthresh }).expthresh).toBe(expthresh);
    expect(resolveHllParams({ sparseon: false }).sparseon).toBe(false);
  });

  it.each([
    [{ log2m: 3 }, 'log2m must be an integer between 4 and 17, found 3'],
    [{ log2m: 18 }, 'log2m must be an integer between 4 and 17, found 18'],
    [{ log2m: 11.5 }, 'log2m must be an integer between 4 and 17, found 11.5'],
    [{ regwidth: 0 }, 'regwidth must be an integer between 1 and 7, found 0'],
    [{ regwidth: 8 }, 'regwidth must be an integer between 1 and 7, found 8'],
    [{ expthresh: -2 }, 'expthresh must be -1 (auto), 0 or a power of two between 1 and 8192, found -2'],
    [{ expthresh: 100 }, 'expthresh must be -1 (auto), 0 or a power of two between 1 and 8192, found 100'],
    [{ expthresh: 16384 }, 'expthresh must be -1 (auto), 0 or a power of two between 1 and 8192, found 16384'],
    [{ sparseon: 1 as unknown as boolean }, 'sparseon must be true or false, found 1'],
  ])('rejects %o with E_CONFIG_PARAMS saying what was expected and found', (args, message) => {
    const e = errorOf(() => resolveHllParams(args));
    expect(e.code).toBe('E_CONFIG_PARAMS');
    expect(e.message).toBe(message);
  });
});

describe('explicitThreshold', () => {
  // SPEC §5: auto T = ⌊⌈r·m/8⌉/8⌋
  it.each([
    [11, 5, 160],
    [14, 5, 1280],
    [16, 5, 5120],
    [14, 6, 1536],
    [10, 5, 80],
    [11, 4, 128],
    [11, 3, 96],
    [16, 6, 6144],
    [17, 7, 14336],
  ])('is %i,%i → %i for expthresh -1', (log2m, regwidth, t) => {
    expect(explicitThreshold({ log2m, regwidth, expthresh: -1, sparseon: true })).toBe(t);
  });

  it('is the declared value otherwise', () => {
    expect(explicitThreshold({ log2m: 11, regwidth: 5, expthresh: 16, sparseon: true })).toBe(16);
    expect(explicitThreshold({ log2m: 11, regwidth: 5, expthresh: 0, sparseon: true })).toBe(0);
  });
});
