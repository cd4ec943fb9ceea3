// A line chart in plain SVG: one <path> per run, x = _step, y = the metric, shared scales.

export interface Series {
  readonly runId: string;
  readonly label: string;
  /** [step, value] pairs with finite values, in step order. */
  readonly points: readonly (readonly [number, number])[];
}

const WIDTH = 640;
const HEIGHT = 360;
const PAD = { left: 56, right: 16, top: 16, bottom: 32 };
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
const SVG_NS = 'http://www.w3.org/2000/svg';

export const colorOf = (index: number): string => COLORS[index % COLORS.length]!;

/** The finite [x, y] pairs of history rows for one metric. */
export function pointsOf(rows: readonly Readonly<Record<string, unknown>>[], metric: string, xKey = '_step'): [number, number][] {
  const points: [number, number][] = [];
  for (const row of rows) {
    const x = row[xKey];
    const y = row[metric];
    if (typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y)) points.push([x, y]);
  }
  return points;
}

function extent(values: number[]): [number, number] {
  let min = Math.min(...values);
  let max = Math.max(...values);
  if (min === max) [min, max] = [min - 1, max + 1]; // a flat line still gets a visible scale
  return [min, max];
}

const svg = <K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] => {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
};

/** Draws the series; each path carries data-run-id and data-points (its number of points). */
export function drawChart(series: readonly Series[], metric: string): SVGSVGElement {
  const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': `${metric} by step` });
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) {
    const text = svg('text', { x: WIDTH / 2, y: HEIGHT / 2, 'text-anchor': 'middle', fill: '#888' });
    text.textContent = 'No data for this metric';
    root.append(text);
    return root;
  }
  const [x0, x1] = extent(all.map((p) => p[0]));
  const [y0, y1] = extent(all.map((p) => p[1]));
  const sx = (x: number) => PAD.left + ((x - x0) / (x1 - x0)) * (WIDTH - PAD.left - PAD.right);
  const sy = (y: number) => HEIGHT - PAD.bottom - ((y - y0) / (y1 - y0)) * (HEIGHT - PAD.top - PAD.bottom);

  // Axes with their end values: enough to read a trend without a chart library.
  root.append(svg('path', { d: `M${PAD.left},${PAD.top}V${HEIGHT - PAD.bottom}H${WIDTH - PAD.right}`, fill: 'none', stroke: '#999', class: 'axis' }));
  const labels: [string, number, number, string][] = [
    [formatTick(y1), PAD.left - 4, PAD.top + 4, 'end'],
    [formatTick(y0), PAD.left - 4, HEIGHT - PAD.bottom, 'end'],
    [formatTick(x0), PAD.left, HEIGHT - PAD.bottom + 16, 'start'],
    [`${formatTick(x1)} (_step)`, WIDTH - PAD.right, HEIGHT - PAD.bottom + 16, 'end'],
  ];
  for (const [label, x, y, anchor] of labels) {
    const text = svg('text', { x, y, 'text-anchor': anchor, 'font-size': 11, fill: '#555' });
    text.textContent = label;
    root.append(text);
  }

  series.forEach((s, i) => {
    const d = s.points.map(([x, y], j) => `${j === 0 ? 'M' : 'L'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join('');
    const path = svg('path', { d, fill: 'none', stroke: colorOf(i), 'stroke-width': 1.5, class: 'series', 'data-run-id': s.runId, 'data-points': s.points.length });
    const title = svg('title', {});
    title.textContent = s.label;
    path.append(title);
    root.append(path);
  });
  return root;
}

function formatTick(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(3);
}
