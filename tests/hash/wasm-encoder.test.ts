import { describe, expect, it } from 'vitest';
import { I32, compileKernel, get, i32Const, instantiateKernel, kernelModule, memory, op, sleb, uleb } from '../../src/hash/wasm-encoder.js';

describe('wasm-encoder', () => {
  it('writes unsigned LEB128 as the specification’s examples', () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(127)).toEqual([0x7f]);
    expect(uleb(128)).toEqual([0x80, 0x01]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(uleb(0xffffffff)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
  });

  it('writes signed LEB128 of 64-bit patterns, read as signed', () => {
    expect(sleb(0n)).toEqual([0]);
    expect(sleb(-1n)).toEqual([0x7f]);
    expect(sleb(63n)).toEqual([0x3f]);
    expect(sleb(64n)).toEqual([0xc0, 0x00]);
    expect(sleb(-123456n)).toEqual([0xc0, 0xbb, 0x78]);
    expect(sleb(0xffffffffffffffffn)).toEqual([0x7f]); // the pattern of −1
    expect(sleb(0x8000000000000000n)).toEqual([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f]);
  });

  it('builds a module whose functions run, call each other by index and share the exported memory', () => {
    const bytes = kernelModule(
      [
        // twice(x) = x + x, stored at address 0
        { name: 'twice', params: [I32], results: [], locals: [], body: [...i32Const(0), ...get(0), ...get(0), op.i32Add, ...memory(0x36, 2)] },
        // twicePlusOne(x): twice(x + 1)
        { name: 'twicePlusOne', params: [I32], results: [], locals: [], body: [...get(0), ...i32Const(1), op.i32Add, op.call, 0] },
      ],
      1,
    );
    const exports = instantiateKernel(compileKernel(bytes));
    const mem = new Int32Array((exports['memory'] as { buffer: ArrayBuffer }).buffer);
    (exports['twice'] as (x: number) => void)(21);
    expect(mem[0]).toBe(42);
    (exports['twicePlusOne'] as (x: number) => void)(20);
    expect(mem[0]).toBe(42);
  });
});
