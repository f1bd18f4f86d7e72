import { describe, expect, it } from 'vitest';
import { LastDataView } from '../src/bytes.js';

describe('LastDataView', () => {
  it('gives one view while the same array comes back, and a new one for another array', () => {
    const last = new LastDataView();
    const a = new Uint8Array(8);
    const b = new Uint8Array(8);
    const first = last.over(a);
    expect(last.over(a)).toBe(first);
    expect(last.over(b)).not.toBe(first);
  });

  it('views exactly the array’s bytes, also for a subarray of a larger buffer', () => {
    const whole = Uint8Array.from([0xff, 0x01, 0x02, 0x03, 0x04, 0xee]);
    const view = new LastDataView().over(whole.subarray(1, 5));
    expect(view.byteLength).toBe(4);
    expect(view.getInt32(0, true)).toBe(0x04030201);
  });
});
