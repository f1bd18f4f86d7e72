import { describe, expect, it } from 'vitest';
import { ReachtreeError } from '../../src/errors.js';
import { resolveSampleOptions, SampleGenerator, type SampleArgs, type TruthRow } from '../../src/samples/generator.js';

/** Generates a sample in memory: its text and the generator (for truth and counts). */
function generate(args: SampleArgs): { text: string; generator: SampleGenerator } {
  const generator = new SampleGenerator(args);
  const decoder = new TextDecoder();
  let text = '';
  for (const chunk of generator.chunks()) text += decoder.decode(chunk, { stream: true });
  return { text: text + decoder.decode(), generator };
}

/** The truth recomputed the slow, obvious way: sets of ids per (node, platform) over the rolled-up tree. */
function bruteForceTruth(text: string, generator: SampleGenerator): TruthRow[] {
  const tree = generator.layout.tree;
  const ids = new Map<string, Set<string>>();
  const subscriptions = new Map<string, number>();
  const lines = text.split('\n').slice(1, -1);
  for (const line of lines) {
    const [id, platform, code] = line.split(',') as [string, string, string];
    const node = tree.get(code);
    if (node === undefined) throw new Error(`row names a code outside the layout: ${code}`);
    for (const n of [node, ...tree.ancestors(node)]) {
      for (const p of [platform, '*']) {
        const key = `${n.code},${p}`;
        let set = ids.get(key);
        if (set === undefined) ids.set(key, (set = new Set()));
        set.add(id);
        subscriptions.set(key, (subscriptions.get(key) ?? 0) + 1);
      }
    }
  }
  const out: TruthRow[] = [];
  for (const n of tree.nodes()) {
    for (const p of ['vk', 'ok', 'tg', '*'] as const) {
      const set = ids.get(`${n.code},${p}`);
      if (set !== undefined) out.push({ code: n.code, platform: p, unique: set.size, subscriptions: subscriptions.get(`${n.code},${p}`) as number });
    }
  }
  return out;
}

describe('resolveSampleOptions', () => {
  it('defaults to the Magadan figure and 2.5 subscriptions per person', () => {
    expect(resolveSampleOptions()).toEqual({ rows: 155_214, people: 62_086, scope: 'magadan', seed: 1 });
    expect(resolveSampleOptions({ scope: 'national' })).toEqual({ rows: 115_000_000, people: 46_000_000, scope: 'national', seed: 1 });
    expect(resolveSampleOptions({ rows: 0 })).toMatchObject({ rows: 0, people: 0 });
    expect(Object.isFrozen(resolveSampleOptions())).toBe(true);
  });

  it.each([
    [{ rows: -1 }, 'sample rows must be an integer from 0 to 4294967295; found -1'],
    [{ rows: 1.5 }, 'sample rows must be an integer from 0 to 4294967295; found 1.5'],
    [{ rows: 10, people: 0 }, 'sample people must be a positive integer; found 0'],
    [{ seed: 2 ** 32 }, 'sample seed must be an integer from 0 to 4294967295; found 4294967296'],
    [{ scope: 'moscow' as never }, 'sample scope must be "magadan" or "national"; found "moscow"'],
  ])('rejects %j', (args, message) => {
    expect(() => resolveSampleOptions(args)).toThrow(new ReachtreeError('E_CONFIG_OPTION', message));
  });
});

describe('SampleGenerator', () => {
  it.each([
    [0, 'magadan'],
    [1, 'magadan'],
    [2, 'national'],
    [7, 'magadan'],
    [54_321, 'national'],
  ] as const)('writes exactly %i rows after the header (%s)', (rows, scope) => {
    const { text, generator } = generate({ rows, scope, seed: 5 });
    const lines = text.split('\n');
    expect(lines[0]).toBe('subscriber_id,platform,territory');
    expect(lines.at(-1)).toBe('');
    expect(lines.length - 2).toBe(rows);
    expect(generator.rows).toBe(rows);
  });

  it('writes rows of a 64-hex-digit id, a platform and a code', () => {
    const { text } = generate({ rows: 5000, scope: 'national' });
    for (const line of text.split('\n').slice(1, -1)) {
      expect(line).toMatch(/^[0-9a-f]{64},(vk|ok|tg),(RU|CFD|NWFD|SFD|NCFD|VFD|UFD|SibFD|FEFD|\d{8}|\d{11})$/);
    }
  });

  it('is deterministic: the same options give the same bytes, another seed other bytes', () => {
    const a = generate({ rows: 20_000, seed: 9 }).text;
    expect(generate({ rows: 20_000, seed: 9 }).text).toBe(a);
    expect(generate({ rows: 20_000, seed: 10 }).text).not.toBe(a);
  });

  it('gives each person one id and different people different ids', () => {
    const { text, generator } = generate({ rows: 30_000, seed: 2 });
    const ids = text.split('\n').slice(1, -1).map((l) => l.slice(0, 64));
    // A person's rows are consecutive, so runs of one id are people.
    let runs = 0;
    ids.forEach((id, i) => {
      if (i === 0 || ids[i - 1] !== id) runs++;
    });
    expect(runs).toBe(generator.people);
    expect(new Set(ids).size).toBe(generator.people);
  });

  it('hits the requested number of people approximately and the duplication exactly on rows', () => {
    const { generator } = generate({ rows: 200_000, people: 50_000, scope: 'national', seed: 4 });
    expect(generator.rows).toBe(200_000);
    expect(Math.abs(generator.people - 50_000)).toBeLessThan(1_500);
  });

  it('counts the truth exactly for the Magadan sample (checked against sets of ids)', () => {
    const { text, generator } = generate({ scope: 'magadan' });
    const truth = generator.truth();
    expect(truth).toEqual(bruteForceTruth(text, generator));
    expect(truth.find((t) => t.code === '44000000' && t.platform === '*')).toEqual({
      code: '44000000',
      platform: '*',
      unique: generator.people,
      subscriptions: 155_214,
    });
  });

  it('counts the truth exactly for a national sample (checked against sets of ids)', () => {
    const { text, generator } = generate({ scope: 'national', rows: 60_000, seed: 11 });
    const truth = generator.truth();
    expect(truth).toEqual(bruteForceTruth(text, generator));
    expect(truth[0]).toMatchObject({ code: 'RU', platform: 'vk' });
    expect(truth.find((t) => t.code === 'RU' && t.platform === '*')).toMatchObject({ unique: generator.people, subscriptions: 60_000 });
  });

  it('lists truth rows in tree order, platforms vk, ok, tg then *', () => {
    const { generator } = generate({ rows: 3000 });
    const truth = generator.truth();
    const csv = generator.truthCsv().split('\n');
    expect(csv[0]).toBe('code,platform,unique,subscriptions');
    expect(csv[1]).toBe(`RU,vk,${truth[0]?.unique},${truth[0]?.subscriptions}`);
    const order = generator.layout.tree.nodes().map((n) => n.code);
    const rank = (t: TruthRow) => order.indexOf(t.code) * 4 + ['vk', 'ok', 'tg', '*'].indexOf(t.platform);
    for (let i = 1; i < truth.length; i++) expect(rank(truth[i] as TruthRow)).toBeGreaterThan(rank(truth[i - 1] as TruthRow));
  });

  it('can be iterated once, and has a truth only when done', () => {
    const generator = new SampleGenerator({ rows: 10 });
    expect(() => generator.truth()).toThrow(/needs chunks\(\) to be iterated to the end/);
    expect([...generator.chunks()].length).toBeGreaterThan(0);
    expect(() => [...generator.chunks()]).toThrow(/only be iterated once/);
    expect(generator.truth().length).toBeGreaterThan(0);
  });

  it('writes names only for Magadan', () => {
    expect(new SampleGenerator({ rows: 1, scope: 'national' }).namesCsv()).toBeNull();
    const names = new SampleGenerator({ rows: 1 }).namesCsv()?.split('\n');
    expect(names?.[0]).toBe('code,name');
    expect(names).toContain('44701000001,г Магадан');
  });
});
