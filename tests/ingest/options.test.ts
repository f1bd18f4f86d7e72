import { describe, expect, it } from 'vitest';
import { resolveIngestOptions } from '../../src/ingest/options.js';

describe('resolveIngestOptions', () => {
  it('fills in the defaults of the issue: subscriber_id, platform, territory, comma', () => {
    const o = resolveIngestOptions();
    expect(o).toMatchObject({
      idColumn: 'subscriber_id',
      territoryColumn: 'territory',
      facetColumns: ['platform'],
      delimiter: ',',
      delimiterByte: 0x2c,
      skipInvalid: false,
      maxInvalid: Infinity,
      rejectsFile: undefined,
      workers: 1,
      progress: 'auto',
      hashSeed: 0,
    });
    expect(Object.isFrozen(o)).toBe(true);
    expect(Object.isFrozen(o.facetColumns)).toBe(true);
  });

  it('is idempotent on resolved options', () => {
    const o = resolveIngestOptions({ facetColumns: ['platform', 'sector'], delimiter: ';' });
    expect(resolveIngestOptions(o)).toBe(o);
  });

  it('accepts no facet columns, a tab delimiter and skip-invalid settings', () => {
    const o = resolveIngestOptions({ facetColumns: [], delimiter: '\t', skipInvalid: true, maxInvalid: 0, rejectsFile: 'bad.csv' });
    expect(o).toMatchObject({ facetColumns: [], delimiterByte: 9, skipInvalid: true, maxInvalid: 0, rejectsFile: 'bad.csv' });
  });

  it.each([
    [{ delimiter: '"' }, 'option delimiter must be one ASCII character other than a quote, CR or LF, found "\\""'],
    [{ delimiter: ';;' }, 'option delimiter must be one ASCII character other than a quote, CR or LF, found ";;"'],
    [{ delimiter: 'ж' }, 'option delimiter must be one ASCII character other than a quote, CR or LF, found "ж"'],
    [{ idColumn: '' }, 'option idColumn must be a non-empty column name, found ""'],
    [{ facetColumns: ['platform', 'territory'] }, 'column "territory" is named twice among the id, territory and facet columns'],
    [{ maxInvalid: 5 }, 'maxInvalid (--max-invalid) only applies with skipInvalid (--skip-invalid)'],
    [{ rejectsFile: 'x.csv' }, 'rejectsFile (--rejects) only applies with skipInvalid (--skip-invalid)'],
    [{ skipInvalid: true, maxInvalid: -1 }, 'option maxInvalid must be an integer from 0 to 9007199254740991, found -1'],
    [{ workers: 0 }, 'option workers must be an integer from 1 to 64, found 0'],
    [{ workers: 1.5 }, 'option workers must be an integer from 1 to 64, found 1.5'],
    [{ progress: 'yes' as unknown as boolean }, 'option progress must be true, false or \'auto\', found "yes"'],
  ])('rejects %j with E_CONFIG_OPTION', (args, message) => {
    expect(() => resolveIngestOptions(args)).toThrow(expect.objectContaining({ code: 'E_CONFIG_OPTION', message }));
  });
});
