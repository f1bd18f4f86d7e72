import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ReachtreeError, exitCodeFor } from '../../src/errors.js';
import { pgError, type PgErrorContext } from '../../src/pg/errors.js';

/** A server error as node-postgres builds it from an ErrorResponse. */
function serverError(code: string, message: string, fields: { detail?: string; hint?: string; position?: string } = {}): pg.DatabaseError {
  const e = new pg.DatabaseError(message, 0, 'error');
  Object.assign(e, { severity: 'ERROR', code, ...fields });
  return e;
}

function socketError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

const server = 'postgres://me:***@db.example:5432/stats';
const connected: PgErrorContext = { server, doing: 'running the query', connected: true };
const connecting: PgErrorContext = { server, doing: 'connecting', connected: false };

function mapped(e: unknown, ctx: PgErrorContext): ReachtreeError {
  const r = pgError(e, ctx);
  if (!(r instanceof ReachtreeError)) throw new Error(`not mapped: ${String(r)}`);
  return r;
}

describe('pgError', () => {
  it('names the server (password masked) and the reason when the connection is refused', () => {
    const e = mapped(socketError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:5432'), connecting);
    expect(e.code).toBe('E_PG_CONNECT');
    expect(e.message).toBe(`cannot connect to PostgreSQL at ${server}: connection refused (is the server running and listening on that host and port?)`);
    expect(exitCodeFor(e.code)).toBe(5);
  });

  it('reports unknown hosts, timeouts and client-side failures while connecting as E_PG_CONNECT', () => {
    expect(mapped(socketError('ENOTFOUND', 'getaddrinfo ENOTFOUND db.example'), connecting).message).toContain('host not found');
    const timeout = mapped(new Error('Connection terminated due to connection timeout'), connecting);
    expect(timeout.code).toBe('E_PG_CONNECT');
    expect(timeout.message).toContain('connection timeout');
    const sasl = mapped(new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string'), connecting);
    expect(sasl.code).toBe('E_PG_CONNECT');
  });

  it('reports authentication, unknown databases and a server shutting down as E_PG_CONNECT', () => {
    for (const [code, text] of [
      ['28P01', 'password authentication failed for user "me"'],
      ['28000', 'no pg_hba.conf entry for host "10.0.0.2", user "me", database "stats", no encryption'],
      ['3D000', 'database "stats" does not exist'],
      ['57P03', 'the database system is starting up'],
      ['53300', 'sorry, too many clients already'],
    ] as const) {
      const e = mapped(serverError(code, text), connecting);
      expect(e.code, code).toBe('E_PG_CONNECT');
      expect(e.message, code).toBe(`PostgreSQL at ${server} refused the connection: ${text}`);
    }
  });

  it('reports a connection lost under a running statement as E_PG_CONNECT, saying what was going on', () => {
    const e = mapped(new Error('Connection terminated unexpectedly'), { ...connected, doing: 'inserting cells into cells' });
    expect(e.code).toBe('E_PG_CONNECT');
    expect(e.message).toBe(`lost the connection to PostgreSQL at ${server} while inserting cells into cells: Connection terminated unexpectedly`);
    const killed = mapped(serverError('57P01', 'terminating connection due to administrator command'), connected);
    expect(killed.message).toBe(`PostgreSQL at ${server} dropped the connection while running the query: terminating connection due to administrator command`);
  });

  it('turns a missing hll type into E_PG_EXTENSION with the CREATE EXTENSION hint', () => {
    const e = mapped(serverError('42704', 'type "hll" does not exist'), connected);
    expect(e.code).toBe('E_PG_EXTENSION');
    expect(e.message).toContain('(type "hll" does not exist)');
    expect(e.message).toContain('CREATE EXTENSION hll');
    expect(exitCodeFor(e.code)).toBe(5);
  });

  it('blames the extension for an unknown hll_* function only when the hll type is not visible', () => {
    const missing = serverError('42883', 'function hll_hash_text(text) does not exist');
    expect(mapped(missing, connected).code).toBe('E_PG_EXTENSION');
    expect(mapped(missing, { ...connected, hllVisible: false }).code).toBe('E_PG_EXTENSION');
    const typo = serverError('42883', 'function hll_add_ag(hll_hashval) does not exist');
    expect(mapped(typo, { ...connected, hllVisible: true }).code).toBe('E_PG_QUERY');
  });

  it("maps the extension's union checks to the E_PARAM_* codes, keeping the server's words", () => {
    const cases = [
      ['register count does not match: source uses 2048 and dest uses 16384', 'E_PARAM_LOG2M_MISMATCH'],
      ['register width does not match: source uses 4 and dest uses 5', 'E_PARAM_REGWIDTH_MISMATCH'],
      ['explicit threshold does not match: source uses 0 and dest uses -1', 'E_PARAM_EXPTHRESH_MISMATCH'],
      ['sparse enable does not match: source uses 0 and dest uses 1', 'E_PARAM_SPARSEON_MISMATCH'],
    ] as const;
    for (const [text, code] of cases) {
      const e = mapped(serverError('22000', text), connected);
      expect(e.code).toBe(code);
      expect(e.message).toBe(`PostgreSQL refused to union sketches while running the query: ${text}`);
      expect(exitCodeFor(e.code)).toBe(4);
    }
  });

  it('reports other server errors as E_PG_QUERY with DETAIL, HINT and the spot in the user query', () => {
    const query = 'SELECT territory,\n       platfrom, subscriptions, sketch FROM cells';
    const offset = 'DECLARE c NO SCROLL CURSOR FOR '.length;
    const at = query.indexOf('platfrom') + 1;
    const e = mapped(
      serverError('42703', 'column "platfrom" does not exist', { hint: 'Perhaps you meant to reference the column "cells.platform".', position: String(offset + at) }),
      { ...connected, query: { text: query, offset } },
    );
    expect(e.code).toBe('E_PG_QUERY');
    expect(e.message).toBe('PostgreSQL failed while running the query: column "platfrom" does not exist');
    expect(e.detail).toBe(
      [
        'HINT:  Perhaps you meant to reference the column "cells.platform".',
        `at character ${at} of the query:`,
        '         platfrom, subscriptions, sketch FROM cells',
        '         ^',
      ].join('\n'),
    );
  });

  it('clips a DETAIL that quotes a whole row with its sketch', () => {
    const row = `Failing row contains (44000000, vk, 1, \\x${'ab'.repeat(10_000)}).`;
    const e = mapped(serverError('23514', 'new row for relation "cells" violates check constraint "c"', { detail: row }), connected);
    expect(e.detail).toBe(`DETAIL:  ${row.slice(0, 400)}… (${row.length - 400} more characters)`);
  });

  it('counts the position in characters, as the server does, not UTF-16 units', () => {
    const query = "SELECT '𝕏' AS territory, nosuch";
    const e = mapped(serverError('42703', 'column "nosuch" does not exist', { position: String([...query].indexOf('n') + 1) }), {
      ...connected,
      query: { text: query, offset: 0 },
    });
    expect(e.detail?.split('\n').slice(1)).toEqual([query, `${' '.repeat([...query].indexOf('n'))}^`].map((l) => `  ${l}`));
  });

  it('passes bugs and ReachtreeErrors through untouched', () => {
    const bug = new TypeError('x is undefined');
    expect(pgError(bug, connected)).toBe(bug);
    const own = new ReachtreeError('E_PG_COLUMNS', 'no column "sketch"');
    expect(pgError(own, connecting)).toBe(own);
    expect(pgError('a string', connected)).toBe('a string');
  });
});
