/** A small hand-written SVG line plot: data points, curves, axes with ticks, a legend. */

export interface Series {
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  color: string;
  /** "points" draws dots, "line" a polyline. */
  style: "points" | "line";
  dashed?: boolean;
}

/** Round tick positions covering [lo, hi] (about `count` of them, at 1, 2 or 5 times a power of ten). */
function ticks(lo: number, hi: number, count: number): number[] {
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * step; v += step) out.push(Math.abs(v) < 1e-12 ? 0 : v);
  return out;
}

function fmt(v: number): string {
  return String(Number(v.toPrecision(4)));
}

export function linePlot(title: string, xLabel: string, yLabel: string, series: Series[]): string {
  const width = 760;
  const height = 420;
  const left = 60;
  const right = 20;
  const top = 40;
  const bottom = 50;
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const s of series) {
    for (let i = 0; i < s.x.length; i++) {
      xMin = Math.min(xMin, s.x[i]!);
      xMax = Math.max(xMax, s.x[i]!);
      yMin = Math.min(yMin, s.y[i]!);
      yMax = Math.max(yMax, s.y[i]!);
    }
  }
  const pad = 0.05 * (yMax - yMin);
  yMin -= pad;
  yMax += pad;
  const px = (x: number): number => left + ((x - xMin) / (xMax - xMin)) * (width - left - right);
  const py = (y: number): number => height - bottom - ((y - yMin) / (yMax - yMin)) * (height - top - bottom);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  out.push(`<text x="${width / 2}" y="22" text-anchor="middle" font-size="15">${title}</text>`);
  // Grid and ticks.
  for (const t of ticks(xMin, xMax, 8)) {
    out.push(`<line x1="${px(t).toFixed(1)}" y1="${top}" x2="${px(t).toFixed(1)}" y2="${height - bottom}" stroke="#eee"/>`);
    out.push(`<text x="${px(t).toFixed(1)}" y="${height - bottom + 16}" text-anchor="middle">${fmt(t)}</text>`);
  }
  for (const t of ticks(yMin, yMax, 6)) {
    out.push(`<line x1="${left}" y1="${py(t).toFixed(1)}" x2="${width - right}" y2="${py(t).toFixed(1)}" stroke="#eee"/>`);
    out.push(`<text x="${left - 6}" y="${(py(t) + 4).toFixed(1)}" text-anchor="end">${fmt(t)}</text>`);
  }
  out.push(`<rect x="${left}" y="${top}" width="${width - left - right}" height="${height - top - bottom}" fill="none" stroke="#444"/>`);
  out.push(`<text x="${(left + width - right) / 2}" y="${height - 12}" text-anchor="middle">${xLabel}</text>`);
  out.push(`<text x="16" y="${(top + height - bottom) / 2}" text-anchor="middle" transform="rotate(-90 16 ${(top + height - bottom) / 2})">${yLabel}</text>`);
  // Series.
  for (const s of series) {
    if (s.style === "points") {
      const dots: string[] = [];
      for (let i = 0; i < s.x.length; i++) dots.push(`<circle cx="${px(s.x[i]!).toFixed(1)}" cy="${py(s.y[i]!).toFixed(1)}" r="2.5"/>`);
      out.push(`<g fill="${s.color}" fill-opacity="0.7">${dots.join("")}</g>`);
    } else {
      const points: string[] = [];
      for (let i = 0; i < s.x.length; i++) points.push(`${px(s.x[i]!).toFixed(1)},${py(s.y[i]!).toFixed(1)}`);
      out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ""} points="${points.join(" ")}"/>`);
    }
  }
  // Legend, on a white box.
  out.push(`<rect x="${width - right - 200}" y="${top + 4}" width="192" height="${18 * series.length + 8}" fill="white" fill-opacity="0.85" stroke="#ccc"/>`);
  series.forEach((s, k) => {
    const y = top + 16 + 18 * k;
    const x = width - right - 190;
    if (s.style === "points") out.push(`<circle cx="${x + 12}" cy="${y - 4}" r="3" fill="${s.color}"/>`);
    else out.push(`<line x1="${x}" y1="${y - 4}" x2="${x + 24}" y2="${y - 4}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ""}/>`);
    out.push(`<text x="${x + 32}" y="${y}">${s.label}</text>`);
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}
