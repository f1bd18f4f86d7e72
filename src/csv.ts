/**
 * RFC 4180 quoting of one output field: quoted when it holds the delimiter, a quote or a line
 * break, with quotes doubled — the rule fast-csv applies by default, so files written here and
 * through fast-csv read back alike.
 */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * fast-csv, loaded when a table, cells file or sizes file is first read: the commands that never
 * read one (estimate without --names or --truth, sketch, union) then start ~40 ms sooner.
 */
export function loadFastCsv(): Promise<typeof import('fast-csv')> {
  return import('fast-csv');
}
