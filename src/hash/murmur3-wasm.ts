/**
 * MurmurHash3_x64_128, first lane h1, as a WebAssembly kernel: the same function as
 * `murmur3.ts` (see there for the reference and the compatibility facts), computed with native
 * 64-bit integer instructions instead of 32-bit halves. Ingest hashes every subscriber id, so this
 * is the hash on the hot path; `murmur3.ts` stays as the readable reference, and the two are
 * tested against each other and against the PostgreSQL vectors.
 *
 * Function `hash(start, len, seed, out)` hashes `memory[start, start + len)` and stores h1
 * (little-endian u64) at `out`. A block's two lanes are unaligned i64 loads; the tail is one or two
 * whole-lane loads masked to the tail's bytes — the same value as the reference's byte-by-byte
 * fall-through switch, since bytes are read unsigned and little-endian — so the memory must extend
 * TAIL_SLACK bytes past the data. `hashBatch(count, seed, table, outs)` hashes `count` (start, len)
 * pairs of the table into consecutive outputs: one call from JavaScript per batch instead of one
 * per id (a call costs about as much as hashing a 64-byte id).
 *
 * The bytes to hash must be in the kernel's memory, so ids are copied in (4 bytes at a time,
 * ~20 ns for 64 bytes): `murmurHash3x64h1` one id per call, `MurmurBatch` many.
 */
import { LastDataView } from '../bytes.js';
import { I32, I64, compileKernel, get, i32Const, i64Const, instantiateKernel, kernelModule, memory, op, set, tee, type KernelMemory } from './wasm-encoder.js';

const C1 = 0x87c37b91114253d5n;
const C2 = 0x4cf5ad432745937fn;
const FMIX1 = 0xff51afd7ed558ccdn;
const FMIX2 = 0xc4ceb9fe1a85ec53n;

// Parameters and locals of `hash`.
const START = 0;
const LEN = 1;
const SEED = 2;
const OUT = 3;
const H1 = 4;
const H2 = 5;
const K = 6;
const I = 7;
const END = 8;
const TAIL = 9;

/** k = rotl(k · a, r) · b; h ^= k — the lane mixing of the reference, with k on the stack. */
const mixLane = (a: bigint, r: number, b: bigint, h: number): number[] => [
  ...i64Const(a), op.i64Mul, ...i64Const(BigInt(r)), op.i64Rotl, ...i64Const(b), op.i64Mul,
  ...get(h), op.i64Xor, ...set(h),
];

/** h = (rotl(h, r) + other) · 5 + add. */
const stepState = (h: number, r: number, other: number, add: number): number[] => [
  ...get(h), ...i64Const(BigInt(r)), op.i64Rotl, ...get(other), op.i64Add,
  ...i64Const(5n), op.i64Mul, ...i64Const(BigInt(add)), op.i64Add, ...set(h),
];

/** fmix64: k ^= k >> 33; k *= FMIX1; k ^= k >> 33; k *= FMIX2; k ^= k >> 33 (x in local `x`). */
const fmix = (x: number): number[] => {
  const shiftXor = [...get(x), ...get(x), ...i64Const(33n), op.i64ShrU, op.i64Xor, ...set(x)];
  return [...shiftXor, ...get(x), ...i64Const(FMIX1), op.i64Mul, ...set(x), ...shiftXor, ...get(x), ...i64Const(FMIX2), op.i64Mul, ...set(x), ...shiftXor];
};

/** With 1 (i64) and `tail` (i32, 1…7) on the stack: K &= (1 << (tail · 8)) − 1. */
const maskK = (): number[] => [...i32Const(8), op.i32Mul, op.i64ExtendI32U, op.i64Shl, ...i64Const(1n), op.i64Sub, ...get(K), op.i64And, ...set(K)];

const hashBody: number[] = [
  // h1 = h2 = seed (zero-extended); i = start; end = start + len rounded down to 16
  ...get(SEED), op.i64ExtendI32U, ...tee(H1), ...set(H2),
  ...get(START), ...set(I),
  ...get(START), ...get(LEN), ...i32Const(-16), op.i32And, op.i32Add, ...set(END),
  op.block, op.void,
  op.loop, op.void,
  ...get(I), ...get(END), op.i32GeU, op.brIf, 1,
  ...get(I), ...memory(op.i64Load, 0, 0), ...mixLane(C1, 31, C2, H1),
  ...stepState(H1, 27, H2, 0x52dce729),
  ...get(I), ...memory(op.i64Load, 0, 8), ...mixLane(C2, 33, C1, H2),
  ...stepState(H2, 31, H1, 0x38495ab5),
  ...get(I), ...i32Const(16), op.i32Add, ...set(I),
  op.br, 0,
  op.end,
  op.end,
  // tail = len & 15: bytes 9…15 into k2, bytes 1…8 into k1
  ...get(LEN), ...i32Const(15), op.i32And, ...set(TAIL),
  ...get(TAIL), ...i32Const(8), op.i32GtU,
  op.if, op.void,
  ...get(I), ...memory(op.i64Load, 0, 8), ...set(K),
  // K &= (1 << ((tail − 8) · 8)) − 1
  ...i64Const(1n), ...get(TAIL), ...i32Const(8), op.i32Sub, ...i32Const(8), op.i32Mul, op.i64ExtendI32U, op.i64Shl, ...i64Const(1n), op.i64Sub,
  ...get(K), op.i64And,
  ...mixLane(C2, 33, C1, H2),
  op.end,
  ...get(TAIL), ...i32Const(0), op.i32GtU,
  op.if, op.void,
  ...get(I), ...memory(op.i64Load, 0, 0), ...set(K),
  ...get(TAIL), ...i32Const(8), op.i32LtU,
  op.if, op.void,
  ...i64Const(1n), ...get(TAIL), ...maskK(),
  op.end,
  ...get(K), ...mixLane(C1, 31, C2, H1),
  op.end,
  // finalisation: h1 ^= len; h2 ^= len; h1 += h2; h2 += h1; fmix both; h1 += h2
  ...get(H1), ...get(LEN), op.i64ExtendI32U, op.i64Xor, ...set(H1),
  ...get(H2), ...get(LEN), op.i64ExtendI32U, op.i64Xor, ...set(H2),
  ...get(H1), ...get(H2), op.i64Add, ...set(H1),
  ...get(H2), ...get(H1), op.i64Add, ...set(H2),
  ...fmix(H1),
  ...fmix(H2),
  ...get(OUT), ...get(H1), ...get(H2), op.i64Add, ...memory(op.i64Store, 0, 0),
];


// Parameters and locals of `hashBatch`: for j < count, hash(table[2j], table[2j + 1], seed, outs + 8j).
const COUNT = 0;
const BATCH_SEED = 1;
const TABLE = 2;
const OUTS = 3;
const J = 4;

const batchBody: number[] = [
  op.block, op.void,
  op.loop, op.void,
  ...get(J), ...get(COUNT), op.i32GeU, op.brIf, 1,
  ...get(TABLE), ...get(J), ...i32Const(8), op.i32Mul, op.i32Add, ...memory(op.i32Load, 2, 0),
  ...get(TABLE), ...get(J), ...i32Const(8), op.i32Mul, op.i32Add, ...memory(op.i32Load, 2, 4),
  ...get(BATCH_SEED),
  ...get(OUTS), ...get(J), ...i32Const(8), op.i32Mul, op.i32Add,
  op.call, 0,
  ...get(J), ...i32Const(1), op.i32Add, ...set(J),
  op.br, 0,
  op.end,
  op.end,
];

const compiled = compileKernel(
  kernelModule(
    [
      { name: 'hash', params: [I32, I32, I32, I32], results: [], locals: [I64, I64, I64, I32, I32, I32], body: hashBody },
      { name: 'hashBatch', params: [I32, I32, I32, I32], results: [], locals: [I32], body: batchBody },
    ],
    1,
  ),
);

/** Room past the data: the tail's whole-lane loads read up to 16 bytes beyond it. */
const TAIL_SLACK = 16;
const PAGE = 65536;

/** One instance: its memory, views of it and its functions; the memory grows on demand. */
class Kernel {
  readonly hash: (start: number, len: number, seed: number, out: number) => void;
  readonly hashBatch: (count: number, seed: number, table: number, outs: number) => void;
  private readonly memory: KernelMemory;
  mem8: Uint8Array;
  mem32: Int32Array;
  /** Ids are copied in word by word through this view. */
  private readonly lastView = new LastDataView();

  constructor() {
    const exports = instantiateKernel(compiled);
    this.hash = exports['hash'] as Kernel['hash'];
    this.hashBatch = exports['hashBatch'] as Kernel['hashBatch'];
    this.memory = exports['memory'] as KernelMemory;
    this.mem8 = new Uint8Array(this.memory.buffer);
    this.mem32 = new Int32Array(this.memory.buffer);
  }

  /** Makes the memory at least `bytes` long (views are replaced: a grown memory has a new buffer). */
  ensure(bytes: number): void {
    if (bytes <= this.mem8.length) return;
    this.memory.grow(Math.ceil((bytes - this.mem8.length) / PAGE));
    this.mem8 = new Uint8Array(this.memory.buffer);
    this.mem32 = new Int32Array(this.memory.buffer);
  }

  /** Copies `bytes[start, end)` to address `at` (a multiple of 4), with TAIL_SLACK room checked by the caller. */
  copyIn(bytes: Uint8Array, start: number, end: number, at: number): void {
    const len = end - start;
    const words = len >>> 2;
    const v = this.lastView.over(bytes);
    const m32 = this.mem32;
    for (let w = 0, to = at >>> 2; w < words; w++, to++) m32[to] = v.getInt32(start + 4 * w, true);
    const m8 = this.mem8;
    for (let j = words << 2; j < len; j++) m8[at + j] = bytes[start + j]!;
  }
}

/** The single-call kernel: h1 at 0, the id at SINGLE_DATA. */
let single: Kernel | undefined;
const SINGLE_DATA = 16;

/**
 * MurmurHash3_x64_128 of `bytes[start, end)` with a 32-bit `seed` (its bit pattern); writes h1 as
 * `out[0]` = low 32 bits, `out[1]` = high 32 bits. Same contract as `murmur3.ts`, no allocation.
 */
export function murmurHash3x64h1(bytes: Uint8Array, start: number, end: number, seed: number, out: Uint32Array): void {
  const k = (single ??= new Kernel());
  const len = end - start;
  k.ensure(SINGLE_DATA + len + TAIL_SLACK);
  k.copyIn(bytes, start, end, SINGLE_DATA);
  k.hash(SINGLE_DATA, len, seed | 0, 0);
  out[0] = k.mem32[0]!;
  out[1] = k.mem32[1]!;
}

/**
 * Many ids hashed with one call: `add` copies an id in (false when the batch is full: `run` it and
 * `clear` it first), `run` hashes every id added, and `lo(j)` / `hi(j)` read the j-th hash as the
 * int32 halves `murmurHash3x64h1` writes. Each batch has a kernel instance of its own.
 *
 * An id of more than `dataBytes` bytes is refused (add returns false even when the batch is empty).
 *
 * Staging spares the per-id copy (~50 ns for 64 bytes, more than the hash itself): `stage(bytes)`
 * copies a whole chunk into the kernel's memory at once and returns that copy; ids found in the
 * copy are then added by position with `addStaged`. A new `stage` replaces the previous copy.
 *
 * Memory layout: the (start, len) table at 0, the hashes at `outsAt`, the staged chunk at
 * `stageAt`, the copied ids from `dataAt`; each region with TAIL_SLACK bytes of room after it.
 */
export class MurmurBatch {
  /** Ids added since the last clear(). */
  count = 0;
  readonly capacity: number;
  private readonly kernel = new Kernel();
  private readonly outsAt: number;
  private readonly stageAt: number;
  private stageCapacity = 0;
  private dataAt: number;
  private dataEnd: number;
  private dataCapacity: number;
  private mem32: Int32Array;

  constructor(
    private readonly seed: number,
    capacity = 4096,
    dataBytes = 256 << 10,
  ) {
    this.capacity = capacity;
    this.outsAt = 8 * capacity;
    this.stageAt = 16 * capacity;
    this.dataAt = this.stageAt + TAIL_SLACK;
    this.dataEnd = this.dataAt;
    this.dataCapacity = dataBytes;
    this.kernel.ensure(this.dataAt + dataBytes + TAIL_SLACK);
    this.mem32 = this.kernel.mem32;
  }

  /**
   * Copies in `bytes[start, end)`; false (nothing added) when the batch is full — or, for an id
   * longer than the whole id region (`dataBytes`), always: hash that one with murmurHash3x64h1.
   * (The region never grows here: growing the memory would invalidate the staged copy.)
   */
  add(bytes: Uint8Array, start: number, end: number): boolean {
    const len = end - start;
    const at = this.dataEnd;
    if (this.count === this.capacity || at + len > this.dataAt + this.dataCapacity) return false;
    this.kernel.copyIn(bytes, start, end, at);
    this.enter(at, len);
    this.dataEnd = (at + len + 3) & ~3;
    return true;
  }

  /**
   * Copies `bytes` into the kernel's memory (the batch must be empty) and returns the copy, a
   * view made by `view` (e.g. Node's Buffer.from, whose indexOf is a memchr) that stays valid
   * until the next `stage`. Ids inside it are added with `addStaged`.
   */
  stage(bytes: Uint8Array, view: (buffer: ArrayBuffer, byteOffset: number, length: number) => Uint8Array = (b, o, n) => new Uint8Array(b, o, n)): Uint8Array {
    if (this.count > 0) throw new Error('MurmurBatch.stage: run and clear the batch first');
    if (bytes.length > this.stageCapacity) {
      this.stageCapacity = Math.max(bytes.length, 2 * this.stageCapacity);
      this.layOut();
    }
    const k = this.kernel;
    k.mem8.set(bytes, this.stageAt);
    return view(k.mem8.buffer as ArrayBuffer, this.stageAt, bytes.length);
  }

  /** Adds the id at `[start, end)` of the staged copy; false (nothing added) when the batch is full. */
  addStaged(start: number, end: number): boolean {
    if (this.count === this.capacity) return false;
    this.enter(this.stageAt + start, end - start);
    return true;
  }

  /** Hashes the ids added (once per batch, before reading lo/hi). */
  run(): void {
    this.kernel.hashBatch(this.count, this.seed | 0, 0, this.outsAt);
  }

  /** Low / high 32 bits (int32) of the j-th id's hash, after run(). */
  lo(j: number): number {
    return this.mem32[(this.outsAt >>> 2) + 2 * j]!;
  }

  hi(j: number): number {
    return this.mem32[(this.outsAt >>> 2) + 2 * j + 1]!;
  }

  /** Empties the batch. */
  clear(): void {
    this.count = 0;
    this.dataEnd = this.dataAt;
  }

  private enter(at: number, len: number): void {
    const t = 2 * this.count++;
    this.mem32[t] = at;
    this.mem32[t + 1] = len;
  }

  /** Places the (empty) ids' region after the staging region and grows the memory to fit. */
  private layOut(): void {
    this.dataAt = (this.stageAt + this.stageCapacity + TAIL_SLACK + 3) & ~3;
    this.dataEnd = this.dataAt;
    this.kernel.ensure(this.dataAt + this.dataCapacity + TAIL_SLACK);
    this.mem32 = this.kernel.mem32;
  }
}
