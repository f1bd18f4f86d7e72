import { describe, expect, it } from 'vitest';
import { ReachtreeError, exitCodeFor, isReachtreeError } from '../src/errors.js';

describe('ReachtreeError', () => {
  it('names file, line, column and value in its message', () => {
    const e = new ReachtreeError('E_INPUT_EMPTY_ID', 'empty subscriber id', {
      location: { file: 'subs.csv', line: 12, column: 'subscriber_id', value: '' },
    });
    expect(e.message).toBe('subs.csv, line 12, column "subscriber_id": empty subscriber id (value: "")');
    expect(e.code).toBe('E_INPUT_EMPTY_ID');
    expect(isReachtreeError(e)).toBe(true);
  });

  it('keeps a plain message when there is no location', () => {
    expect(new ReachtreeError('E_FORMAT_VERSION', 'unknown schema version 2').message).toBe('unknown schema version 2');
  });

  it('maps code families to distinct exit codes', () => {
    expect(exitCodeFor('E_CONFIG_OPTION')).toBe(2);
    expect(exitCodeFor('E_INPUT_QUOTING')).toBe(3);
    expect(exitCodeFor('E_HIERARCHY_CYCLE')).toBe(3);
    expect(exitCodeFor('E_FORMAT_LENGTH')).toBe(4);
    expect(exitCodeFor('E_PARAM_LOG2M_MISMATCH')).toBe(4);
    expect(exitCodeFor('E_PG_CONNECT')).toBe(5);
    expect(exitCodeFor('E_OUTPUT_WRITE')).toBe(6);
  });
});
