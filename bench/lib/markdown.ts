/** Markdown tables and number formats shared by the benchmark reports. */

export type Align = 'l' | 'r';

/** A GitHub-flavoured Markdown table; columns right-aligned unless `align` says otherwise. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[] = []): string {
  const sep = header.map((_, i) => ((align[i] ?? 'r') === 'r' ? '---:' : ':---'));
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(sep), ...rows.map(line)].join('\n');
}

/** 0.01234 → '1.23%'; signed adds a '+' to positive values; NaN → 'NaN'. */
export function percent(x: number, digits = 2, signed = false): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  const text = `${(x * 100).toFixed(digits)}%`;
  return signed && x >= 0 ? `+${text}` : text.replace('-', '−');
}

/** 1234567 → '1 234 567' (thin grouping that survives any locale). */
export function integer(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? '∞' : 'NaN';
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

/** Compact n for table rows and labels: 1, 300, 3 000, 1e6, 2.5e7. */
export function count(n: number): string {
  if (n < 1e5) return integer(n);
  const exp = Math.floor(Math.log10(n));
  const mantissa = Number((n / 10 ** exp).toPrecision(3));
  return mantissa === 1 ? `1e${exp}` : `${mantissa}e${exp}`;
}
