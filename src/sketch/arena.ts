/**
 * `SketchArena` — many sketches of one parameter set, built by appending hashes, for ingest: a
 * worker holds tens of thousands of cells at once, and most of them stay small (EXPLICIT).
 *
 * Each sketch is an id. While it holds at most T distinct hashes its hashes live in a region of
 * shared slabs (`[lo, hi]` int32 pairs, appended unsorted, settled — sorted, merged, repeats
 * dropped — when the region is full; see pairs.ts), so adding a hash is a store into one slab and
 * a few per-id numbers in flat typed arrays: no object per sketch on the hot path and no typed
 * array allocated per growth (a region grows by moving to the next size class; freed regions
 * are reused through per-class free lists). Past T distinct hashes the sketch becomes an ordinary
 * `HllSketch` of registers. `take(id)` hands out the finished sketch — the same bytes as adding
 * the same hashes to `HllSketch.empty(params)` one by one, since both keep exactly the hash set
 * until it passes T and the registers of that set afterwards.
 *
 * Memory: 8 bytes a hash plus the free part of its region (regions double: 8, 16, … pairs, then
 * T + T/8), about 11 bytes a hash on average; 16 bytes of bookkeeping per id; slabs of 2 MiB. A
 * region left behind (its id moved up a class, or was taken) goes on its class's free list, but
 * once the ids exist, nothing asks for small regions again: the free lists would grow as fast as
 * the sketches (up to half of every slab). So when more than half as many pairs lie free as are
 * in use, the live regions slide down over the free ones (in address order, so a move never
 * overwrites what is still to move) and the emptied slabs go: a copy each time the live pairs grew
 * (or shrank, as sketches are taken) by half, i.e. a few copies of the arena in all.
 */

import { resolveHllParams, shapeOf, type HllParams, type SketchShape } from './params.js';
import { explicitLogLimit, settlePairs } from './pairs.js';
import { HllSketch } from './sketch.js';

const SLAB_SHIFT = 18;
const SLAB_PAIRS = 1 << SLAB_SHIFT; // 2 MiB of pairs
const SLAB_MASK = SLAB_PAIRS - 1;
/** Class of an id whose hashes live in an `HllSketch` (past T). */
const PROMOTED = -1;
/** Offsets of an id's numbers in `meta`. */
const WHERE = 0;
const USED = 1;
const SORTED = 2;
const CLASS = 3;
/** Free pairs tolerated beside the live ones before compacting: live / 2 plus this (a few slabs, so small arenas never compact). */
const COMPACT_SLACK_PAIRS = 2 * SLAB_PAIRS;

export class SketchArena {
  readonly params: HllParams;
  private readonly shape: SketchShape;
  /** Region sizes in pairs, by class: 8, 16, … and last the EXPLICIT limit (T + T/8). */
  private readonly capacity: Int32Array;
  private readonly free: number[][];
  private readonly slabs: Int32Array[] = [];
  /** Next free pair address in the last slab. */
  private bump = 0;
  /** Pairs in regions handed out (not on a free list). */
  private livePairs = 0;
  private count = 0;
  /**
   * Per id, four numbers side by side (one cache line holds four ids, and an add reads and writes
   * one place instead of three arrays): WHERE its region starts (pair address), USED pairs in it,
   * SORTED pairs at its start, its size CLASS (or PROMOTED).
   */
  private meta = new Int32Array(4 * 1024);
  private readonly promoted: Array<HllSketch | undefined> = [];

  constructor(params?: Partial<HllParams>) {
    this.params = resolveHllParams(params);
    this.shape = shapeOf(this.params);
    const limit = explicitLogLimit(this.shape.threshold);
    const sizes: number[] = [];
    for (let size = 8; size < limit; size *= 2) sizes.push(size);
    sizes.push(limit);
    this.capacity = Int32Array.from(sizes);
    this.free = sizes.map(() => []);
  }

  /** Sketches created so far. */
  get size(): number {
    return this.count;
  }

  /** A new, empty sketch; returns its id (0, 1, 2, …). */
  create(): number {
    const id = this.count++;
    if (4 * id === this.meta.length) this.growIds();
    this.reset(id);
    return id;
  }

  /** Adds one hash (halves as `murmurHash3x64h1` writes them) to sketch `id`: the hot path. */
  add(id: number, lo: number, hi: number): void {
    const c = this.meta[4 * id + CLASS]!;
    if (c === PROMOTED) {
      (this.promoted[id] as HllSketch).addHash(lo, hi);
      return;
    }
    let u = this.meta[4 * id + USED]!;
    if (u === this.capacity[c]) {
      if (!this.makeRoom(id)) {
        (this.promoted[id] as HllSketch).addHash(lo, hi);
        return;
      }
      u = this.meta[4 * id + USED]!;
    }
    const at = this.meta[4 * id + WHERE]! + u;
    const slab = this.slabs[at >>> SLAB_SHIFT]!;
    const o = (at & SLAB_MASK) << 1;
    slab[o] = lo;
    slab[o + 1] = hi;
    this.meta[4 * id + USED] = u + 1;
  }

  /** The sketch of every hash added to `id`; `id` is empty again afterwards. */
  take(id: number): HllSketch {
    if (this.meta[4 * id + CLASS] === PROMOTED) {
      const sketch = this.promoted[id] as HllSketch;
      this.promoted[id] = undefined;
      this.reset(id);
      return sketch;
    }
    const at = this.meta[4 * id + WHERE]!;
    const slab = this.slabs[at >>> SLAB_SHIFT]!;
    const base = at & SLAB_MASK;
    const sketch = HllSketch.fromHashPairs(this.params, slab.subarray(2 * base, 2 * (base + this.meta[4 * id + USED]!)), this.meta[4 * id + USED]!);
    this.release(this.meta[4 * id + CLASS]!, at);
    this.reset(id);
    this.compactIfWasteful();
    return sketch;
  }

  /** Approximate bytes the arena holds: its slabs (free parts too), bookkeeping and the sketches past T. */
  memoryBytes(): number {
    let bytes = this.slabs.length * SLAB_PAIRS * 8 + this.meta.byteLength;
    for (const s of this.promoted) if (s !== undefined) bytes += s.estimateMemoryBytes();
    return bytes;
  }

  /** Gives `id` an empty region of the smallest class (T = 0: an empty register sketch). */
  private reset(id: number): void {
    this.meta[4 * id + USED] = 0;
    this.meta[4 * id + SORTED] = 0;
    if (this.shape.threshold === 0) {
      this.meta[4 * id + CLASS] = PROMOTED;
      this.promoted[id] = HllSketch.empty(this.params);
      return;
    }
    this.meta[4 * id + CLASS] = 0;
    this.meta[4 * id + WHERE] = this.alloc(0);
  }

  /**
   * The region of `id` is full: settle it; past T move the hashes into a register sketch
   * (returns false), otherwise make sure a quarter of the region is free (returns true).
   */
  private makeRoom(id: number): boolean {
    this.compactIfWasteful(); // before `at` is read: compacting moves regions
    const c = this.meta[4 * id + CLASS]!;
    const at = this.meta[4 * id + WHERE]!;
    const slab = this.slabs[at >>> SLAB_SHIFT]!;
    const base = at & SLAB_MASK;
    const n = settlePairs(slab, base, this.meta[4 * id + SORTED]!, this.meta[4 * id + USED]!);
    this.meta[4 * id + USED] = n;
    this.meta[4 * id + SORTED] = n;
    const capacity = this.capacity[c]!;
    if (n > this.shape.threshold) {
      this.promoted[id] = HllSketch.fromHashPairs(this.params, slab.subarray(2 * base, 2 * (base + n)), n);
      this.release(c, at);
      this.meta[4 * id + CLASS] = PROMOTED;
      return false;
    }
    if (4 * (capacity - n) < capacity && c + 1 < this.capacity.length) {
      const to = this.alloc(c + 1);
      const target = this.slabs[to >>> SLAB_SHIFT]!;
      target.set(slab.subarray(2 * base, 2 * (base + n)), 2 * (to & SLAB_MASK));
      this.release(c, at);
      this.meta[4 * id + WHERE] = to;
      this.meta[4 * id + CLASS] = c + 1;
    }
    return true;
  }

  /** Puts the region at `at` of class `c` on its free list. */
  private release(c: number, at: number): void {
    this.free[c]!.push(at);
    this.livePairs -= this.capacity[c]!;
  }

  /** A free region of class `c`: reused, or cut from the last slab (a new one when it is full). */
  private alloc(c: number): number {
    const size = this.capacity[c]!;
    this.livePairs += size;
    const reused = this.free[c]!.pop();
    if (reused !== undefined) return reused;
    if (this.slabs.length === 0 || (this.bump & SLAB_MASK) + size > SLAB_PAIRS || this.bump === this.slabs.length * SLAB_PAIRS) {
      this.bump = this.slabs.length * SLAB_PAIRS;
      this.slabs.push(new Int32Array(2 * SLAB_PAIRS));
    }
    const at = this.bump;
    this.bump += size;
    return at;
  }

  /** Compacts once the free pairs pass half the live ones (plus slack), see the header. */
  private compactIfWasteful(): void {
    const free = this.slabs.length * SLAB_PAIRS - this.livePairs;
    if (free > this.livePairs / 2 + COMPACT_SLACK_PAIRS) this.compact();
  }

  /** Slides every live region down to the lowest free address, in address order; drops the slabs left empty. */
  private compact(): void {
    const meta = this.meta;
    const order: number[] = [];
    for (let id = 0; id < this.count; id++) if (meta[4 * id + CLASS] !== PROMOTED) order.push(id);
    order.sort((a, b) => meta[4 * a + WHERE]! - meta[4 * b + WHERE]!);
    let bump = 0;
    for (const id of order) {
      const size = this.capacity[meta[4 * id + CLASS]!]!;
      if ((bump & SLAB_MASK) + size > SLAB_PAIRS) bump = ((bump >>> SLAB_SHIFT) + 1) * SLAB_PAIRS; // a region never straddles two slabs
      const from = meta[4 * id + WHERE]!;
      if (from !== bump) {
        const source = this.slabs[from >>> SLAB_SHIFT]!;
        const target = this.slabs[bump >>> SLAB_SHIFT]!;
        const s = 2 * (from & SLAB_MASK);
        const t = 2 * (bump & SLAB_MASK);
        const n = 2 * meta[4 * id + USED]!; // past `used` a region holds nothing
        if (source === target) source.copyWithin(t, s, s + n);
        else target.set(source.subarray(s, s + n), t);
        meta[4 * id + WHERE] = bump;
      }
      bump += size;
    }
    this.slabs.length = Math.ceil(bump / SLAB_PAIRS);
    this.bump = bump;
    for (const list of this.free) list.length = 0;
  }

  private growIds(): void {
    const grown = new Int32Array(2 * this.meta.length);
    grown.set(this.meta);
    this.meta = grown;
  }
}
