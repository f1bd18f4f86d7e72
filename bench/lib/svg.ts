/**
 * Hand-written SVG line charts (no dependency): a log or linear x axis, a linear y axis, shaded
 * horizontal bands, polylines with a legend. Output is deterministic text for the same input,
 * so regenerated charts diff cleanly.
 */

export interface Series {
  readonly name: string;
  readonly color: string;
  readonly points: ReadonlyArray<readonly [number, number]>;
  readonly dashed?: boolean;
  readonly width?: number;
}

export interface Band {
  readonly from: number;
  readonly to: number;
  readonly color: string;
  readonly label: string;
}

export interface ChartSpec {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly xLog: boolean;
  readonly x: readonly [number, number];
  readonly y: readonly [number, number];
  /** y tick step, in y units */
  readonly yStep: number;
  /** formats a y tick */
  readonly yFormat: (y: number) => string;
  readonly series: readonly Series[];
  readonly bands?: readonly Band[];
}

const W = 760;
const H = 440;
const M = { left: 70, right: 190, top: 40, bottom: 56 };

const fmt = (v: number): string => (Math.round(v * 10) / 10).toString();
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function lineChart(spec: ChartSpec): string {
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const tx = (x: number): number => {
    const [a, b] = spec.x;
    const t = spec.xLog ? (Math.log10(x) - Math.log10(a)) / (Math.log10(b) - Math.log10(a)) : (x - a) / (b - a);
    return M.left + t * plotW;
  };
  const ty = (y: number): number => {
    const [a, b] = spec.y;
    const c = Math.min(Math.max(y, a), b); // values beyond the axis are drawn at its edge
    return M.top + (1 - (c - a) / (b - a)) * plotH;
  };
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${M.left}" y="22" font-size="15" font-weight="bold">${esc(spec.title)}</text>`);
  for (const band of spec.bands ?? []) {
    const y0 = ty(Math.max(band.from, band.to));
    const y1 = ty(Math.min(band.from, band.to));
    out.push(`<rect x="${M.left}" y="${fmt(y0)}" width="${plotW}" height="${fmt(y1 - y0)}" fill="${band.color}" fill-opacity="0.25"/>`);
  }
  // grid and ticks
  const [x0, x1] = spec.x;
  if (spec.xLog) {
    for (let e = Math.ceil(Math.log10(x0)); e <= Math.floor(Math.log10(x1)); e++) {
      const x = tx(10 ** e);
      out.push(`<line x1="${fmt(x)}" y1="${M.top}" x2="${fmt(x)}" y2="${M.top + plotH}" stroke="#ddd"/>`);
      const label = e === 0 ? '1' : e === 1 ? '10' : `10<tspan dy="-5" font-size="9">${e}</tspan>`;
      out.push(`<text x="${fmt(x)}" y="${M.top + plotH + 16}" text-anchor="middle">${label}</text>`);
    }
  } else {
    const step = niceStep((x1 - x0) / 8);
    for (let x = Math.ceil(x0 / step) * step; x <= x1 + 1e-9; x += step) {
      out.push(`<line x1="${fmt(tx(x))}" y1="${M.top}" x2="${fmt(tx(x))}" y2="${M.top + plotH}" stroke="#ddd"/>`);
      out.push(`<text x="${fmt(tx(x))}" y="${M.top + plotH + 16}" text-anchor="middle">${x}</text>`);
    }
  }
  const [y0, y1] = spec.y;
  for (let k = Math.ceil(y0 / spec.yStep - 1e-9); k * spec.yStep <= y1 + 1e-12; k++) {
    const y = k * spec.yStep;
    out.push(`<line x1="${M.left}" y1="${fmt(ty(y))}" x2="${M.left + plotW}" y2="${fmt(ty(y))}" stroke="${Math.abs(y) < 1e-12 ? '#999' : '#ddd'}"/>`);
    out.push(`<text x="${M.left - 6}" y="${fmt(ty(y) + 4)}" text-anchor="end">${esc(spec.yFormat(y))}</text>`);
  }
  out.push(`<rect x="${M.left}" y="${M.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${M.left + plotW / 2}" y="${H - 14}" text-anchor="middle">${esc(spec.xLabel)}</text>`);
  out.push(`<text transform="translate(18 ${M.top + plotH / 2}) rotate(-90)" text-anchor="middle">${esc(spec.yLabel)}</text>`);
  for (const s of spec.series) {
    const pts = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && x >= x0 && x <= x1);
    if (pts.length === 0) continue;
    const d = pts.map(([x, y]) => `${fmt(tx(x))},${fmt(ty(y))}`).join(' ');
    out.push(
      `<polyline points="${d}" fill="none" stroke="${s.color}" stroke-width="${s.width ?? 1.8}"${s.dashed === true ? ' stroke-dasharray="5 4"' : ''}/>`,
    );
  }
  // legend: series, then bands
  let ly = M.top + 8;
  const lx = M.left + plotW + 14;
  for (const s of spec.series) {
    out.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 24}" y2="${ly}" stroke="${s.color}" stroke-width="${s.width ?? 1.8}"${s.dashed === true ? ' stroke-dasharray="5 4"' : ''}/>`);
    out.push(`<text x="${lx + 30}" y="${ly + 4}">${esc(s.name)}</text>`);
    ly += 18;
  }
  for (const b of spec.bands ?? []) {
    out.push(`<rect x="${lx}" y="${ly - 6}" width="24" height="12" fill="${b.color}" fill-opacity="0.25"/>`);
    out.push(`<text x="${lx + 30}" y="${ly + 4}">${esc(b.label)}</text>`);
    ly += 18;
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}
