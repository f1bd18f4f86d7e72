import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SampleGenerator } from '../../src/samples/generator.js';
import { MAGADAN_FORMATIONS, MAGADAN_LOCALITIES } from '../../src/samples/magadan.js';
import { parseOktmoCode } from '../../src/territory/oktmo.js';

const shipped = (name: string) => readFileSync(new URL(`../../samples/magadan/${name}`, import.meta.url));

describe('Magadan Oblast facts', () => {
  it('lists the city okrug and the 8 municipal okrugs of Magadan Oblast', () => {
    expect(MAGADAN_FORMATIONS.map((f) => parseOktmoCode(f.code).kind)).toEqual(['city_okrug', ...Array<string>(8).fill('municipal_okrug')]);
    for (const f of MAGADAN_FORMATIONS) expect(parseOktmoCode(f.code).parent).toBe('44000000');
  });

  it('hangs each of the 13 localities under its listed formation', () => {
    expect(MAGADAN_LOCALITIES).toHaveLength(13);
    for (const l of MAGADAN_LOCALITIES) expect(parseOktmoCode(l.code)).toMatchObject({ level: 'locality', parent: l.formation });
  });
});

describe('the shipped Magadan sample', () => {
  const generator = new SampleGenerator({ scope: 'magadan' });
  const chunks = [...generator.chunks()];
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  chunks.reduce((at, c) => (bytes.set(c, at), at + c.length), 0);

  it('is what the generator writes for scope magadan, seed 1, byte for byte', () => {
    const file = gunzipSync(shipped('subscriptions.csv.gz'));
    expect(file.length).toBe(bytes.length);
    expect(Buffer.compare(file, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length))).toBe(0);
  });

  it('holds the figure of the brief: 155,214 subscriptions', () => {
    expect(generator.rows).toBe(155_214);
    const text = new TextDecoder().decode(bytes);
    expect(text.split('\n').length - 2).toBe(155_214);
  });

  it('ships the truth and the names the generator computes', () => {
    expect(shipped('truth.csv').toString('utf8')).toBe(generator.truthCsv());
    expect(shipped('names.csv').toString('utf8')).toBe(generator.namesCsv());
  });

  it('has realistic duplication: about 2.5 subscriptions per person', () => {
    const ratio = generator.rows / generator.people;
    expect(ratio).toBeGreaterThan(2.4);
    expect(ratio).toBeLessThan(2.6);
  });
});
