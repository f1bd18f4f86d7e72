/**
 * Table names as users type them on the command line (`cells`, `analytics.cells`,
 * `"Cells 2024"`), read the way PostgreSQL reads them: unquoted names fold to lower case (ASCII
 * letters only, as the server does in UTF-8 databases), double-quoted names are taken as written
 * with `""` for a quote. The result is always quoted, so nothing the user typed is ever spliced
 * into SQL as code.
 */
import { ReachtreeError } from '../errors.js';
import { quoteIdent } from './connection.js';

export interface TableName {
  /** The schema, when the name was qualified. */
  readonly schema: string | undefined;
  readonly name: string;
  /** Quoted and qualified for SQL: `"analytics"."cells"`. */
  readonly sql: string;
  /** As the user wrote it, for messages. */
  readonly display: string;
}

const UNQUOTED = /^[\p{L}_][\p{L}\p{N}_$]*/u;

/** Parses `table` or `schema.table`; E_CONFIG_OPTION otherwise. */
export function parseTableName(text: string, option = '--table'): TableName {
  const parts: string[] = [];
  let rest = text.trim();
  for (;;) {
    let part: string;
    if (rest.startsWith('"')) {
      const end = closingQuote(rest);
      if (end < 0) throw bad(text, option, 'an unterminated double quote');
      part = rest.slice(1, end).replaceAll('""', '"');
      if (part === '') throw bad(text, option, 'an empty quoted name');
      rest = rest.slice(end + 1);
    } else {
      const m = UNQUOTED.exec(rest);
      if (m === null) throw bad(text, option, rest === '' ? 'a missing name' : `"${rest[0] ?? ''}" where a name should start`);
      part = m[0].replace(/[A-Z]+/g, (s) => s.toLowerCase());
      rest = rest.slice(m[0].length);
    }
    parts.push(part);
    if (rest === '') break;
    if (!rest.startsWith('.')) throw bad(text, option, `"${rest}" after the name`);
    rest = rest.slice(1);
  }
  if (parts.length > 2) throw bad(text, option, 'more than schema and table');
  const [schema, name] = parts.length === 2 ? [parts[0], parts[1] as string] : [undefined, parts[0] as string];
  return {
    schema,
    name,
    sql: parts.map(quoteIdent).join('.'),
    display: text.trim(),
  };
}

/** Index of the quote closing a quoted name that starts at 0 (`""` inside is a quote), or -1. */
function closingQuote(s: string): number {
  for (let i = 1; i < s.length; i++) {
    if (s[i] !== '"') continue;
    if (s[i + 1] === '"') {
      i++;
      continue;
    }
    return i;
  }
  return -1;
}

function bad(text: string, option: string, what: string): ReachtreeError {
  return new ReachtreeError(
    'E_CONFIG_OPTION',
    `${option} expects a table name such as cells or analytics.cells (double-quote names with capitals, spaces or dots); found ${what} in "${text}"`,
  );
}
