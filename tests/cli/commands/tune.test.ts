/** `reachtree tune`'s option parsing. */
import { describe, expect, it } from 'vitest';
import { parseBytes, parseFraction } from '../../../src/cli/commands/tune.js';

describe('parseFraction', () => {
  it('reads percentages and plain fractions', () => {
    expect(parseFraction('0.5%', '--target-rse')).toBeCloseTo(0.005, 15);
    expect(parseFraction(' 2 % ', '--target-rse')).toBeCloseTo(0.02, 15);
    expect(parseFraction('0.005', '--target-rse')).toBe(0.005);
    expect(parseFraction('5e-3', '--target-rse')).toBe(0.005);
  });

  it('refuses anything outside (0, 1) with E_CONFIG_OPTION naming the option and value', () => {
    for (const bad of ['0', '100%', '1', 'half', '-1%', '']) {
      expect(() => parseFraction(bad, '--target-rse')).toThrow(expect.objectContaining({ code: 'E_CONFIG_OPTION', message: expect.stringContaining('--target-rse') }));
    }
  });
});

describe('parseBytes', () => {
  it('reads plain counts and decimal or binary units', () => {
    expect(parseBytes('500000')).toBe(500000);
    expect(parseBytes('64KiB')).toBe(65536);
    expect(parseBytes('2MB')).toBe(2e6);
    expect(parseBytes('1.5 GiB')).toBe(1.5 * 2 ** 30);
  });

  it('refuses unknown units and non-positive sizes', () => {
    for (const bad of ['12 parsecs', '0', '-5', 'MB']) expect(() => parseBytes(bad)).toThrow(expect.objectContaining({ code: 'E_CONFIG_OPTION' }));
  });
});
