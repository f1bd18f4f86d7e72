import { describe, expect, it } from 'vitest';
import { FieldKeyTable } from '../../src/ingest/keytable.js';

const enc = new TextEncoder();

/** Lays out fields back to back with a separator byte and returns their ranges. */
function row(...fields: string[]): { buf: Uint8Array; starts: Int32Array; ends: Int32Array } {
  const starts = new Int32Array(fields.length);
  const ends = new Int32Array(fields.length);
  const parts: number[] = [];
  fields.forEach((f, i) => {
    starts[i] = parts.length;
    parts.push(...enc.encode(f));
    ends[i] = parts.length;
    parts.push(0x2c);
  });
  return { buf: Uint8Array.from(parts), starts, ends };
}

describe('FieldKeyTable', () => {
  it('finds a value by the bytes of the key fields only', () => {
    const t = new FieldKeyTable<string>([2, 1]);
    const a = row('id-1', 'vk', '44701000');
    expect(t.get(a.buf, a.starts, a.ends)).toBeUndefined();
    t.add(a.buf, a.starts, a.ends, 'cell A');
    const b = row('another id', 'vk', '44701000', 'extra');
    expect(t.get(b.buf, b.starts, b.ends)).toBe('cell A');
    const c = row('id-1', 'ok', '44701000');
    expect(t.get(c.buf, c.starts, c.ends)).toBeUndefined();
    expect(t.size).toBe(1);
  });

  it('tells apart keys whose concatenations are equal', () => {
    const t = new FieldKeyTable<number>([0, 1]);
    const ab = row('ab', 'c');
    const a = row('a', 'bc');
    t.add(ab.buf, ab.starts, ab.ends, 1);
    expect(t.get(a.buf, a.starts, a.ends)).toBeUndefined();
    t.add(a.buf, a.starts, a.ends, 2);
    expect(t.get(ab.buf, ab.starts, ab.ends)).toBe(1);
    expect(t.get(a.buf, a.starts, a.ends)).toBe(2);
  });

  it('keeps every key through growth, including empty fields', () => {
    const t = new FieldKeyTable<number>([0, 1]);
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const r = row(String(i * 7919), i % 3 === 0 ? '' : `p${i % 5}`);
      expect(t.get(r.buf, r.starts, r.ends)).toBeUndefined();
      t.add(r.buf, r.starts, r.ends, i);
    }
    for (let i = 0; i < n; i++) {
      const r = row(String(i * 7919), i % 3 === 0 ? '' : `p${i % 5}`);
      expect(t.get(r.buf, r.starts, r.ends)).toBe(i);
    }
    expect(t.size).toBe(n);
    expect(t.allValues()).toHaveLength(n);
  });
});
