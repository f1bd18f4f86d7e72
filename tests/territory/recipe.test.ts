import { describe, expect, it } from 'vitest';
import { oktmoTree, recipeOf, treeFromRecipe, treeFromRows, type TerritoryNode, type TerritoryTree } from '../../src/territory/index.js';

/** What a report shows of a node: enough to tell two trees apart. */
function shape(tree: TerritoryTree): string[] {
  return tree.nodes().map((n: TerritoryNode) => [n.code, n.name, n.level, n.depth, n.parent?.code ?? ''].join('|'));
}

describe('tree recipes', () => {
  it('rebuild an OKTMO tree, names and language included, that grows the same way from the same codes (also after a structured clone)', () => {
    const names = new Map([['44701000', 'Magadan']]);
    const original = oktmoTree({ names, language: 'en' });
    const copy = treeFromRecipe(structuredClone(recipeOf(original)!));
    for (const code of ['44701000001', '44612101', '44604000']) {
      original.resolve(code);
      copy.resolve(code);
    }
    expect(shape(copy)).toEqual(shape(original));
    expect(copy.get('44701000')?.name).toBe('Magadan');
  });

  it('rebuild a file-mode tree with its levels and its source for error messages', () => {
    const rows = [
      { code: 'HQ', parent: '', name: 'Head office', level: 'company', line: 2 },
      { code: 'S', parent: 'HQ', name: 'South', level: 'division', line: 3 },
      { code: 'S1', parent: 'S', name: '', line: 4 },
    ];
    const original = treeFromRows(rows, 'tree.csv');
    const copy = treeFromRecipe(structuredClone(recipeOf(original)!));
    expect(shape(copy)).toEqual(shape(original));
    expect(copy.levels()).toEqual(original.levels());
  });

  it('are unknown for trees built elsewhere (an embedder’s own implementation)', () => {
    const custom: TerritoryTree = Object.create(oktmoTree()) as TerritoryTree;
    expect(recipeOf(custom)).toBeUndefined();
  });
});
