import { describe, expect, it } from 'vitest';
import { SketchArena } from '../../src/sketch/arena.js';
import { HllSketch, type HllParams } from '../../src/sketch/index.js';
import { prng } from './support.js';

/** Adds `rows` random (id, hash) rows — hashes drawn from a pool so that they repeat — to both an arena and per-id sketches. */
function feedBoth(params: Partial<HllParams>, ids: number, rows: number, pool: number, seed: number): { arena: SketchArena; sketches: HllSketch[]; ids: number[] } {
  const next = prng(seed);
  const hashes = Int32Array.from({ length: 2 * pool }, () => next() | 0);
  const arena = new SketchArena(params);
  const arenaIds = Array.from({ length: ids }, () => arena.create());
  const sketches = Array.from({ length: ids }, () => HllSketch.empty(params));
  for (let r = 0; r < rows; r++) {
    const id = (next() >>> 0) % ids;
    const h = (next() >>> 0) % pool;
    arena.add(arenaIds[id]!, hashes[2 * h]!, hashes[2 * h + 1]!);
    sketches[id]!.addHash(hashes[2 * h]!, hashes[2 * h + 1]!);
  }
  return { arena, sketches, ids: arenaIds };
}

describe('SketchArena', () => {
  it.each<[string, Partial<HllParams>]>([
    ['auto threshold (T = 160)', { log2m: 11 }],
    ['T = 16', { log2m: 11, expthresh: 16 }],
    ['T = 1', { log2m: 10, expthresh: 1 }],
    ['T = 0 (never EXPLICIT)', { log2m: 10, expthresh: 0 }],
    ['sparse off, regwidth 4', { log2m: 10, regwidth: 4, sparseon: false }],
  ])('hands out the same bytes as adding the same hashes to HllSketch: %s', (_, params) => {
    // sizes from empty to far past T, with repeats, ids interleaved
    const { arena, sketches, ids } = feedBoth(params, 40, 30_000, 6_000, 7);
    ids.forEach((id, k) => expect(arena.take(id).toHex(), `id ${id}`).toBe(sketches[k]!.toHex()));
  });

  it('keeps a sketch EXPLICIT at exactly T distinct hashes repeated many times and promotes on one more', () => {
    const params = { log2m: 11 }; // T = 160
    const arena = new SketchArena(params);
    const id = arena.create();
    const reference = HllSketch.empty(params);
    for (let round = 0; round < 50; round++) for (let k = 1; k <= 160; k++) arena.add(id, k, 0);
    for (let k = 1; k <= 160; k++) reference.addHash(k, 0);
    const atT = arena.take(id);
    expect(atT.representation).toBe('EXPLICIT');
    expect(atT.toHex()).toBe(reference.toHex());
    for (let k = 1; k <= 161; k++) arena.add(id, k, 0);
    reference.addHash(161, 0);
    expect(arena.take(id).toHex()).toBe(reference.toHex());
  });

  it('is empty again after take, its sketch past T let go and its region reused', () => {
    const { arena, ids } = feedBoth({ log2m: 11 }, 20, 5_000, 1_000, 3);
    const fed = arena.memoryBytes();
    for (const id of ids) arena.take(id);
    const emptied = arena.memoryBytes();
    expect(emptied).toBeLessThan(fed);
    for (const id of ids) expect(arena.take(id).representation).toBe('EMPTY');
    expect(arena.memoryBytes()).toBe(emptied);
    for (const id of ids) for (let k = 0; k < 100; k++) arena.add(id, k + 1, id);
    expect(arena.memoryBytes()).toBe(emptied); // in the slab it already has
    for (const id of ids) expect(arena.take(id).estimate().value).toBe(100);
    expect(arena.memoryBytes()).toBe(emptied);
  });

  it('compacts: regions left behind as sketches grow, or taken, do not pile up, and every sketch keeps its hashes', () => {
    // 3000 ids growing to 300 distinct hashes each (auto T = 1280 at log2m 14): every id passes
    // through six region classes, leaving five regions behind
    const params = { log2m: 14 };
    const arena = new SketchArena(params);
    const ids = Array.from({ length: 3000 }, () => arena.create());
    const reference = ids.map(() => HllSketch.empty(params));
    const next = prng(11);
    let peak = 0;
    for (let round = 0; round < 300; round++) {
      for (const id of ids) {
        const lo = next() | 0;
        const hi = next() | 0;
        arena.add(id, lo, hi);
        reference[id]!.addHash(lo, hi);
      }
      peak = Math.max(peak, arena.memoryBytes());
    }
    // 900 000 hashes, 7.2 MB as pairs; in regions of 512 pairs (300 used) 12.3 MB; without
    // compaction the slabs would also keep the 8 … 256-pair regions left behind (another 12 MB)
    const regions = 3000 * 512 * 8;
    expect(peak).toBeLessThan(1.5 * regions + 3 * 2 ** 22);
    // taking sketches gives slabs back as well
    for (const id of ids.slice(0, 2800)) expect(arena.take(id).toHex()).toBe(reference[id]!.toHex());
    expect(arena.memoryBytes()).toBeLessThan(200 * 512 * 8 * 1.5 + 3 * 2 ** 22 + 3000 * 13);
    for (const id of ids.slice(2800)) expect(arena.take(id).toHex()).toBe(reference[id]!.toHex());
  });

  it('keeps small sketches small: 20 000 sketches of 5 hashes fit in one 2 MiB slab', () => {
    const arena = new SketchArena({ log2m: 14 });
    for (let i = 0; i < 20_000; i++) {
      const id = arena.create();
      for (let k = 0; k < 5; k++) arena.add(id, i * 8 + k + 1, 0);
    }
    expect(arena.size).toBe(20_000);
    expect(arena.memoryBytes()).toBeLessThan(2 * 2 ** 20 + 2 * 20_000 * 16); // one slab + bookkeeping
  });
});
