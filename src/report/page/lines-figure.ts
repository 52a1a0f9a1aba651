// A suite's curves figure (e.g. RD against m on log–log axes, one series per γ), drawn with Observable
// Plot: one coloured line with dots per series and a legend. Points a log axis cannot show (≤ 0) and
// points lost to JSON (NaN) are left out, breaking their line, and a note under the plot counts them.
import { plot, line, dot } from '@observablehq/plot';
import type { SuiteFigure } from '../schema.js';
import { el } from './dom.js';
import { num } from './format.js';

type LinesFigure = Extract<SuiteFigure, { kind: 'lines' }>;

export function linesPlot(f: LinesFigure): HTMLElement {
  const drawable = (v: number, log?: boolean) => Number.isFinite(v) && (!log || v > 0);
  const all = f.series.flatMap((s, key) => s.points.map(([x, y]) => ({ key, series: s.label, x, y })));
  const ok = (p: (typeof all)[number]) => drawable(p.x, f.logX) && drawable(p.y, f.logY);
  const points = all.map((p) => (ok(p) ? p : { ...p, x: NaN, y: NaN }));
  const axis = (label: string, log?: boolean) => ({
    type: log ? ('log' as const) : ('linear' as const),
    label,
    grid: true,
    labelAnchor: 'center' as const,
    labelArrow: 'none' as const,
    tickFormat: num,
  });
  const chart = plot({
    width: 560,
    height: 300,
    marginLeft: 64,
    marginRight: 16,
    marginBottom: 44,
    style: { fontSize: '12px' },
    x: axis(f.xLabel, f.logX),
    y: axis(f.yLabel, f.logY),
    color: { legend: true, domain: [...new Set(f.series.map((s) => s.label))] },
    marks: [
      line(points, { x: 'x', y: 'y', z: 'key', stroke: 'series', strokeWidth: 1.5 }),
      dot(points, { x: 'x', y: 'y', fill: 'series', r: 2.5, title: (p) => `${p.series}: ${num(p.x)}, ${num(p.y)}` }),
    ],
  });
  const dropped = all.filter((p) => !ok(p)).length;
  return el('div', {}, chart, dropped ? el('p', { class: 'note' }, `${dropped} of ${all.length} points not drawn (NaN, or ≤ 0 on a log axis).`) : null);
}
