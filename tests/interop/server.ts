/**
 * What the interop tests ask the PostgreSQL `hll` server, in bulk: id sets go up once into a
 * temporary table (one insert each), sketches come back as `\x…` text with
 * their type, `hll_cardinality` (float8, round-trip exact) and filled-register count.
 */
import type pg from 'pg';
import type { IdSet, Setting } from './fixtures.js';

/** Creates the session's `ids(set_name, ord, id)` table; `ord` is 1-based: ids[i] has ord i + 1. */
export async function createIdTable(client: pg.Client): Promise<void> {
  await client.query('CREATE TEMP TABLE ids (set_name text NOT NULL, ord int NOT NULL, id text NOT NULL, PRIMARY KEY (set_name, ord))');
}

const SEPARATOR = '\x1f';

/** Uploads an id set and checks it arrived intact (same count, same UTF-8 byte total). */
export async function uploadIdSet(client: pg.Client, set: IdSet): Promise<void> {
  // One text joined by U+001F and split by the server: 3× faster than a text[] of 100 000 quoted elements.
  if (set.ids.some((id) => id.includes(SEPARATOR))) throw new Error(`an id of ${set.name} contains U+001F, the upload separator`);
  await client.query(`INSERT INTO ids SELECT $1, ord, id FROM string_to_table($2, E'\\x1f') WITH ORDINALITY AS u(id, ord)`, [
    set.name,
    set.ids.join(SEPARATOR),
  ]);
  const r = await client.query<{ n: number; bytes: string }>(
    'SELECT count(*)::int AS n, coalesce(sum(octet_length(id)), 0)::text AS bytes FROM ids WHERE set_name = $1',
    [set.name],
  );
  const encoder = new TextEncoder();
  const bytes = set.ids.reduce((sum, id) => sum + encoder.encode(id).length, 0);
  const row = r.rows[0];
  if (row?.n !== set.ids.length || row.bytes !== String(bytes)) {
    throw new Error(`id set ${set.name} did not survive the upload: ${JSON.stringify(row)} vs ${set.ids.length} ids, ${bytes} bytes`);
  }
  await client.query('ANALYZE ids');
}

/** The four hll_add_agg / hll_empty parameters, as query parameters `$k..$k+3`. */
export function settingParams(s: Setting): [number, number, string, number] {
  return [s.log2m, s.regwidth, String(s.expthresh), s.sparseon ? 1 : 0];
}

/** SQL for the sketch of ids `(from, to]` by ord of set `$set`, with the setting in `$p..$p+3`; EMPTY (not NULL) when no id. */
export function sketchSql(set: string, from: string, to: string, p: number): string {
  const args = `$${p}::int, $${p + 1}::int, $${p + 2}::int8, $${p + 3}::int`;
  return `coalesce((SELECT hll_add_agg(hll_hash_text(id), ${args}) FROM ids WHERE set_name = ${set} AND ord > ${from} AND ord <= ${to}), hll_empty(${args}))`;
}

/** HllSketch.representation for each hll_type value. */
export const REPRESENTATION_OF_TYPE = ['UNDEFINED', 'EMPTY', 'EXPLICIT', 'SPARSE', 'FULL'] as const;

/**
 * Null when reachtree's values equal the server's element by element (Object.is: NaN equals NaN),
 * else how many differ and the first few, by label (one line instead of a 100 000-element diff).
 */
export function listDifference(labels: readonly string[], ours: readonly unknown[], server: readonly unknown[]): string | null {
  if (ours.length !== server.length) return `${ours.length} values vs the server's ${server.length}`;
  const bad: string[] = [];
  ours.forEach((v, i) => {
    if (!Object.is(v, server[i])) bad.push(`${labels[i]}: reachtree ${String(v)}, server ${String(server[i])}`);
  });
  return bad.length === 0 ? null : `${bad.length} of ${ours.length} differ, e.g. ${bad.slice(0, 5).join('; ')}`;
}

/** What the server says about one sketch. */
export interface ServerSketch {
  readonly hex: string;
  /** hll_type: 0 UNDEFINED, 1 EMPTY, 2 EXPLICIT, 3 SPARSE, 4 FULL. */
  readonly type: number;
  /** hll_cardinality; NaN where the extension gives NaN, null for UNDEFINED. */
  readonly card: number | null;
  /** Non-zero registers from hll_print, for SPARSE and FULL; null otherwise. */
  readonly filled: number | null;
}

/** The columns of a ServerSketch for an hll expression `h`. */
export function describeSql(h: string): string {
  return `${h}::text AS hex, hll_type(${h}) AS type, hll_cardinality(${h}) AS card,
          substring(hll_print(${h})::text from '^COMPRESSED, (\\d+) filled')::int AS filled`;
}

/** Sketches of the prefixes `ids[0, n)` of a set, for each n, built by hll_add_agg. */
export async function serverPrefixSketches(client: pg.Client, set: IdSet, s: Setting, ns: readonly number[]): Promise<Map<number, ServerSketch>> {
  const r = await client.query<ServerSketch & { n: number }>(
    // MATERIALIZED: otherwise the planner inlines h into each describeSql column and builds it four times
    `WITH q AS MATERIALIZED (SELECT n, ${sketchSql('$1', '0', 'n', 3)} AS h FROM unnest($2::int[]) AS n)
     SELECT n, ${describeSql('h')} FROM q`,
    [set.name, ns, ...settingParams(s)],
  );
  return new Map(r.rows.map((row) => [row.n, row]));
}

/** Storage-byte hex of a sketch without the leading `\x`, for the byte comparison helpers. */
function bareHex(text: string): string {
  return text.startsWith('\\x') ? text.slice(2) : text;
}

/**
 * Null when two `\x…` hex texts are equal, else a short account of the first difference (header
 * bytes, lengths, first differing byte) instead of a multi-kilobyte diff.
 */
export function hexDifference(actual: string, expected: string): string | null {
  if (actual === expected) return null;
  const a = bareHex(actual);
  const e = bareHex(expected);
  let i = 0;
  while (i < a.length && i < e.length && a[i] === e[i]) i++;
  const byte = Math.floor(i / 2);
  const window = (h: string) => h.slice(Math.max(0, byte * 2 - 8), byte * 2 + 16);
  return (
    `bytes differ: reachtree ${a.length / 2} B header ${a.slice(0, 6)}, server ${e.length / 2} B header ${e.slice(0, 6)}; ` +
    `first difference at byte ${byte}: reachtree …${window(a)}…, server …${window(e)}…`
  );
}
