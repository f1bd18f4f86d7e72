/**
 * A minimal WebAssembly binary encoder: just what a single-function, single-memory kernel needs
 * (WebAssembly Core Specification 2.0, chapter 5 "Binary Format").
 *
 * Why hand-encode instead of shipping a `.wasm` file or a compiler: the kernels are a few dozen
 * instructions, and writing them here keeps them reviewable as TypeScript next to the JavaScript
 * they replace, with no build step, no binary in the repository and no toolchain dependency.
 *
 * Layout of the module built by `kernelModule`: its functions (each with a type of its own, each
 * exported under its name, callable from the later ones by index) and one memory of `pages` ×
 * 64 KiB, exported as "memory".
 */

/** Value types (§5.3.1). */
export const I32 = 0x7f;
export const I64 = 0x7e;

/** The opcodes the kernels use (§5.4). */
export const op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  call: 0x10,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  i64Load: 0x29,
  i64Store: 0x37,
  i32Const: 0x41,
  i64Const: 0x42,
  i32LtU: 0x49,
  i32GtU: 0x4b,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32And: 0x71,
  i64Add: 0x7c,
  i64Sub: 0x7d,
  i64Mul: 0x7e,
  i64And: 0x83,
  i64Xor: 0x85,
  i64Shl: 0x86,
  i64ShrU: 0x88,
  i64Rotl: 0x89,
  i64ExtendI32U: 0xad,
  /** Block type of a block/loop/if that yields no value. */
  void: 0x40,
} as const;

/** Unsigned LEB128 (§5.2.2) of a non-negative integer below 2^32. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (§5.2.2) of a 64-bit pattern (given as a BigInt, read as signed). */
export function sleb(value: bigint): number[] {
  let n = BigInt.asIntN(64, value);
  const out: number[] = [];
  for (;;) {
    const byte = Number(n & 0x7fn);
    n >>= 7n;
    const done = (n === 0n && (byte & 0x40) === 0) || (n === -1n && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** `i32.const` / `i64.const` instructions. */
export const i32Const = (n: number): number[] => [op.i32Const, ...sleb(BigInt(n))];
export const i64Const = (n: bigint): number[] => [op.i64Const, ...sleb(n)];
/** A memory access with its memarg (alignment as log2 bytes, constant offset). */
export const memory = (opcode: number, alignLog2: number, offset = 0): number[] => [opcode, ...uleb(alignLog2), ...uleb(offset)];
export const get = (local: number): number[] => [op.localGet, ...uleb(local)];
export const set = (local: number): number[] => [op.localSet, ...uleb(local)];
export const tee = (local: number): number[] => [op.localTee, ...uleb(local)];

/** A vector (§5.1.3): its length, then its items. */
function vec(items: readonly number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function name(s: string): number[] {
  return vec([...new TextEncoder().encode(s)].map((b) => [b]));
}

export interface KernelFunction {
  /** Export name of the function. */
  readonly name: string;
  readonly params: readonly number[];
  readonly results: readonly number[];
  /** Types of the locals after the parameters (local indices continue from params.length). */
  readonly locals: readonly number[];
  /** The function body's instructions, without the final `end`. */
  readonly body: readonly number[];
}

/** The bytes of a module with the given functions (function i has index i) and one exported memory of `pages` pages. */
export function kernelModule(functions: readonly KernelFunction[], pages: number): Uint8Array {
  const magic = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const types = section(1, vec(functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))])));
  const typeOf = section(3, vec(functions.map((_, i) => uleb(i))));
  const memories = section(5, vec([[0x00, ...uleb(pages)]]));
  const exports = section(7, vec([...functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]), [...name('memory'), 0x02, ...uleb(0)]]));
  const codes = section(
    10,
    vec(
      functions.map((f) => {
        const code = [...vec(f.locals.map((t) => [...uleb(1), t])), ...f.body, op.end];
        return [...uleb(code.length), ...code];
      }),
    ),
  );
  return Uint8Array.from([...magic, ...types, ...typeOf, ...memories, ...exports, ...codes]);
}

/** The exported memory of an instance (the part of the WebAssembly API used here). */
export interface KernelMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/**
 * Compiles module bytes synchronously (the kernels are tiny). The project's `lib` has no DOM
 * types, which is where TypeScript declares `WebAssembly`, hence the narrow view below.
 */
export function compileKernel(bytes: Uint8Array): KernelModule {
  return new (wasmApi().Module)(bytes);
}

/** A fresh instance (with a memory of its own) of a compiled module; returns its exports. */
export function instantiateKernel(module: KernelModule): Record<string, unknown> {
  return new (wasmApi().Instance)(module).exports;
}

/** A compiled module (opaque here). */
export type KernelModule = object;

interface WasmApi {
  Module: new (bytes: Uint8Array) => KernelModule;
  Instance: new (module: KernelModule) => { exports: Record<string, unknown> };
}

function wasmApi(): WasmApi {
  return (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
}
