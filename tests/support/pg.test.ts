import { describe, expect, it, vi } from 'vitest';
import { PG_SKIP_MESSAGE, pgUrlOrSkip } from './pg.js';

describe('pgUrlOrSkip', () => {
  it('returns REACHTREE_PG_URL when it is set, in CI or not', () => {
    const url = 'postgres://reachtree@127.0.0.1:54329/reachtree';
    expect(pgUrlOrSkip({ REACHTREE_PG_URL: url })).toBe(url);
    expect(pgUrlOrSkip({ REACHTREE_PG_URL: url, CI: 'true' })).toBe(url);
  });

  it('fails the suite in CI when the server URL is missing', () => {
    expect(() => pgUrlOrSkip({ CI: 'true' })).toThrow(/must run in CI/);
    expect(() => pgUrlOrSkip({ CI: '1', REACHTREE_PG_URL: '' })).toThrow(/REACHTREE_PG_URL is not set/);
  });

  it('skips with a message saying how to start the server outside CI', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(pgUrlOrSkip({})).toBeNull();
      expect(pgUrlOrSkip({ CI: 'false' })).toBeNull();
      expect(pgUrlOrSkip({ CI: '' })).toBeNull();
      expect(warn).toHaveBeenCalledWith(PG_SKIP_MESSAGE);
      expect(PG_SKIP_MESSAGE).toContain('.ci/pg-start.sh');
    } finally {
      warn.mockRestore();
    }
  });
});
