import { describe, expect, it } from 'vitest';
import { checkPgUrl, maskUrl, quoteIdent } from '../../src/pg/connection.js';

describe('maskUrl', () => {
  it('hides the password of the user-info part and of a password parameter', () => {
    expect(maskUrl('postgres://me:s3cr%40t@db:5432/stats')).toBe('postgres://me:***@db:5432/stats');
    expect(maskUrl('postgresql://me@db/stats?sslmode=require&password=s3cret')).toBe('postgresql://me@db/stats?sslmode=require&password=***');
    expect(maskUrl('postgres://me:pw@db/stats?password=x&application_name=a')).toBe('postgres://me:***@db/stats?password=***&application_name=a');
  });

  it('leaves URLs without a password as they are', () => {
    expect(maskUrl('postgres://me@127.0.0.1:54329/reachtree')).toBe('postgres://me@127.0.0.1:54329/reachtree');
    expect(maskUrl('postgres://db/stats?options=-c%20search_path%3Dx')).toBe('postgres://db/stats?options=-c%20search_path%3Dx');
  });
});

describe('checkPgUrl', () => {
  it('accepts postgres:// and postgresql:// URLs', () => {
    expect(() => checkPgUrl('postgres://me@db/stats')).not.toThrow();
    expect(() => checkPgUrl('PostgreSQL://me@db/stats')).not.toThrow();
  });

  it('refuses anything else as a usage error, without echoing a password', () => {
    expect(() => checkPgUrl('db.example:5432')).toThrow(/--pg expects a URL such as postgres:\/\/user@host:5432\/database/);
    let caught: unknown;
    try {
      checkPgUrl('mysql://me:hunter2@db/stats');
    } catch (e) {
      caught = e;
    }
    expect(caught).toMatchObject({ code: 'E_CONFIG_OPTION' });
    expect(String((caught as Error).message)).not.toContain('hunter2');
  });
});

describe('quoteIdent', () => {
  it('quotes any text, doubling embedded quotes', () => {
    expect(quoteIdent('platform')).toBe('"platform"');
    expect(quoteIdent('Платформа "A"')).toBe('"Платформа ""A"""');
  });
});
