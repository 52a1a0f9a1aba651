// A suite's grid figure (e.g. the growth exponent S_w over (γ, γ′)), drawn with Observable Plot: one
// cell per grid point coloured by its value (diverging around `center` when given, with a colour
// legend), the value written in the cell's upper half (white on dark cells, dark with a white halo
// elsewhere), and the figure's lines and markers on top in data coordinates (markers at the cell
// centres stay clear of the values), keyed below the plot.
import { plot, rect, text, line, dot, type Markish } from '@observablehq/plot';
import type { SuiteFigure } from '../schema.js';
import { el } from './dom.js';
import { num } from './format.js';

type GridFigure = Extract<SuiteFigure, { kind: 'grid' }>;
type Overlay = NonNullable<GridFigure['lines']>[number];

const CELL_W = 60,
  CELL_H = 46;
const DASHES = ['none', '6 3', '2 3', '8 3 2 3'];
const SYMBOLS = ['circle', 'diamond', 'square', 'triangle', 'star'] as const;

/** Cell edges along an increasing grid axis: midpoints between neighbours, half a step beyond each end. */
function edges(xs: number[]): number[] {
  if (xs.length === 1) return [xs[0] - 0.5, xs[0] + 0.5];
  const mids = xs.slice(1).map((x, i) => (xs[i] + x) / 2);
  return [2 * xs[0] - mids[0], ...mids, 2 * xs.at(-1)! - mids.at(-1)!];
}

/** The value as written in its cell: two decimals and a true minus sign (no "−0.00"). */
const cellText = (v: number) => (Math.abs(v) < 0.005 ? '0.00' : v.toFixed(2).replace('-', '−'));

/** Whether a cell's colour is dark enough for white text: the far ends of the diverging rdbu scale
 * (symmetric around its centre), the low end of viridis. */
function darkCells(values: number[], center: number | undefined): (v: number) => boolean {
  if (center !== undefined) {
    const reach = Math.max(...values.map((v) => Math.abs(v - center)));
    return (v) => Math.abs(v - center) > 0.5 * reach;
  }
  const [lo, hi] = [Math.min(...values), Math.max(...values)];
  return (v) => hi > lo && (v - lo) / (hi - lo) < 0.6;
}

const px = (p: [number, number]) => p[0],
  py = (p: [number, number]) => p[1];

/** The k-th line: a white casing under a dark stroke, so it reads over any cell colour. */
const lineMarks = (points: [number, number][], k: number) => [
  line(points, { x: px, y: py, stroke: 'white', strokeWidth: 5, clip: true }),
  line(points, { x: px, y: py, stroke: '#111', strokeWidth: 2, strokeDasharray: DASHES[k % DASHES.length], clip: true }),
];

/** The k-th marker set: dark symbols with a white outline. */
const markerMark = (points: [number, number][], k: number) =>
  dot(points, { x: px, y: py, symbol: SYMBOLS[k % SYMBOLS.length], r: 4.5, fill: '#111', stroke: 'white', strokeWidth: 1.5, clip: true });

/** A key entry: the same marks drawn in a small swatch, then the label. */
function keyEntry(label: string, marks: Markish[]): HTMLElement {
  const swatch = plot({ width: 30, height: 16, margin: 0, axis: null, x: { domain: [0, 1] }, y: { domain: [0, 1] }, marks });
  return el('span', { class: 'key-entry' }, swatch, label);
}

function overlayKey(lines: Overlay[], markers: Overlay[]): HTMLElement | null {
  if (lines.length + markers.length === 0) return null;
  return el(
    'div',
    { class: 'figure-key' },
    ...lines.map((o, k) =>
      keyEntry(
        o.label,
        lineMarks(
          [
            [0, 0.5],
            [1, 0.5],
          ],
          k,
        ),
      ),
    ),
    ...markers.map((o, k) => keyEntry(o.label, [markerMark([[0.5, 0.5]], k)])),
  );
}

export function gridPlot(f: GridFigure): HTMLElement {
  const [xe, ye] = [edges(f.x), edges(f.y)];
  const cells = f.y.flatMap((y, i) => f.x.map((x, j) => ({ x, y, v: f.values[i][j] ?? NaN, x1: xe[j], x2: xe[j + 1], y1: ye[i], y2: ye[i + 1] })));
  const measured = cells.filter((c) => Number.isFinite(c.v)),
    missing = cells.filter((c) => !Number.isFinite(c.v));
  const [lines, markers] = [f.lines ?? [], f.markers ?? []];
  const dark = darkCells(
    measured.map((c) => c.v),
    f.center,
  );
  const axis = (label: string, domain: number[], ticks: number[]) => ({
    domain: [domain[0], domain.at(-1)!],
    ticks,
    tickFormat: num,
    label,
    labelAnchor: 'center' as const,
    labelArrow: 'none' as const,
  });
  const legend = measured.length > 0;
  const chart = plot({
    width: 72 + 16 + CELL_W * f.x.length,
    height: 16 + 44 + CELL_H * f.y.length,
    marginLeft: 72,
    marginRight: 16,
    marginTop: 16,
    marginBottom: 44,
    style: { fontSize: '12px' },
    x: axis(f.xLabel, xe, f.x),
    y: axis(f.yLabel, ye, f.y),
    color:
      f.center === undefined
        ? { type: 'linear', scheme: 'viridis', legend, label: f.valueLabel, tickFormat: num }
        : { type: 'diverging', pivot: f.center, scheme: 'rdbu', reverse: true, legend, label: f.valueLabel, tickFormat: num },
    marks: [
      rect(missing, { x1: 'x1', x2: 'x2', y1: 'y1', y2: 'y2', fill: '#eaeef2', stroke: 'white' }),
      text(missing, { x: 'x', y: 'y', text: () => 'not run', fill: '#57606a', fontSize: 10 }),
      rect(measured, { x1: 'x1', x2: 'x2', y1: 'y1', y2: 'y2', fill: 'v', stroke: 'white', title: (c) => `${num(c.x)}, ${num(c.y)}: ${num(c.v)}` }),
      ...lines.flatMap((o, k) => lineMarks(o.points, k)),
      text(measured, {
        x: 'x',
        y: 'y',
        dy: -CELL_H / 4,
        text: (c) => cellText(c.v),
        fill: (c) => (dark(c.v) ? 'white' : '#111'),
        stroke: (c) => (dark(c.v) ? 'none' : 'white'),
        strokeWidth: 2.5,
        fontSize: 11,
        fontVariant: 'tabular-nums',
      }),
      ...markers.map((o, k) => markerMark(o.points, k)),
    ],
  });
  return el('div', {}, chart, overlayKey(lines, markers));
}
