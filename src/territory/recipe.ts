// Rebuilding a tree from its recipe (see TreeRecipe in tree.ts): how a worker thread gets the tree the caller loaded.
import { treeFromRows } from './hierarchy.js';
import { oktmoTree } from './oktmoTree.js';
import type { TerritoryTree, TreeRecipe } from './tree.js';

export function treeFromRecipe(recipe: TreeRecipe): TerritoryTree {
  if (recipe.mode === 'file') return treeFromRows(recipe.rows, recipe.source);
  return oktmoTree({ ...(recipe.names !== undefined ? { names: recipe.names } : {}), ...(recipe.language !== undefined ? { language: recipe.language } : {}) });
}
