import { describe, expect, it } from 'vitest';
import { parseTableName } from '../../src/pg/names.js';

describe('parseTableName', () => {
  it('folds unquoted names to lower case (ASCII only) and quotes them', () => {
    expect(parseTableName('Cells')).toMatchObject({ schema: undefined, name: 'cells', sql: '"cells"', display: 'Cells' });
    expect(parseTableName('Analytics.Cells_2024')).toMatchObject({ schema: 'analytics', name: 'cells_2024', sql: '"analytics"."cells_2024"' });
    expect(parseTableName('Ячейки').name).toBe('Ячейки');
  });

  it('takes double-quoted names as written, with "" for a quote', () => {
    expect(parseTableName('"Cells 2024"')).toMatchObject({ name: 'Cells 2024', sql: '"Cells 2024"' });
    expect(parseTableName('"my.schema"."a""b"')).toMatchObject({ schema: 'my.schema', name: 'a"b', sql: '"my.schema"."a""b"' });
  });

  it('refuses what PostgreSQL would not read as a table name', () => {
    for (const bad of ['', 'a.b.c', 'cells; DROP TABLE x', '"open', '1cells', 'a.', '""', 'cells x']) {
      expect(() => parseTableName(bad), bad).toThrow(expect.objectContaining({ code: 'E_CONFIG_OPTION' }));
    }
    expect(() => parseTableName('a.b.c')).toThrow(/--table expects a table name such as cells or analytics.cells/);
  });
});
