// The report's plots, drawn with Observable Plot: the loss curves of a part (log y, one colour per run),
// a cosine-similarity heat map of a snapshot (fixed diverging scale on [−1, 1]) and, for 1-d inputs,
// the orientation–amplitude scatter. Each comes in a `.plot` container; a plot that cannot be drawn
// says why in its container instead of breaking the page.
import { plot, line, raster, dot, ruleY, identity } from '@observablehq/plot';
import type { PlotSnapshot, RunRecord } from '../schema.js';
import { cosineMatrix, orientations } from './geometry.js';
import { el } from './dom.js';
import { num } from './format.js';

export function plotBox(kind: string, draw: () => Element): HTMLElement {
  const box = el('div', { class: 'plot', 'data-plot': kind });
  try {
    box.append(draw());
  } catch (err) {
    box.append(el('p', { class: 'plot-error' }, `could not draw this plot: ${(err as Error).message}`));
  }
  return box;
}

export function lossPlot(runs: RunRecord[]): HTMLElement {
  const points = runs
    .flatMap((r, k) => r.loss.step.map((step, i) => ({ key: k, run: r.label, step, loss: r.loss.value[i] })))
    .filter((p) => p.loss > 0 && Number.isFinite(p.loss));
  return plotBox('loss', () =>
    plot({
      title: 'training loss R',
      width: 620,
      height: 250,
      marginLeft: 56,
      marginRight: 16,
      x: { label: 'step', grid: true },
      y: { type: 'log', label: 'loss', grid: true, tickFormat: num },
      color: { legend: true, domain: [...new Set(runs.map((r) => r.label))] },
      marks: [line(points, { x: 'step', y: 'loss', stroke: 'run', z: 'key', strokeWidth: 1.5 })],
    }),
  );
}

export function cosineHeatmap(s: PlotSnapshot, caption: string): HTMLElement {
  const n = s.order.length;
  return plotBox(`cosine-${caption}`, () =>
    plot({
      title: `${caption}: cosine similarity (step ${s.step})`,
      width: 250,
      aspectRatio: 1,
      marginLeft: 36,
      marginRight: 8,
      marginTop: 8,
      marginBottom: 32,
      x: { domain: [0, n], ticks: 4, label: 'neuron (ordered)' },
      y: { domain: [0, n], ticks: 4, reverse: true, label: null },
      color: { type: 'linear', scheme: 'rdbu', reverse: true, domain: [-1, 1], legend: true, label: 'D(wᵢ, wⱼ)' },
      marks: [raster(cosineMatrix(s), { width: n, height: n, x1: 0, x2: n, y1: 0, y2: n, fill: identity, imageRendering: 'pixelated' })],
    }),
  );
}

/** Kernels per row of the kernel image. */
const KERNELS_PER_ROW = 8;

/**
 * The kept conv kernels of a snapshot as small images, in the heat map's cluster order: one tile per
 * kernel (its C channels side by side, k × k each), each scaled by its own max |value| so that the
 * pattern, not the norm, shows; condensed kernels look alike (or negated).
 */
export function kernelImages(s: PlotSnapshot & { kernel: { C: number; k: number } }, caption: string): HTMLElement {
  const { C, k } = s.kernel,
    n = s.order.length,
    tileW = C * (k + 1),
    tileH = k + 1;
  const cols = Math.min(KERNELS_PER_ROW, n),
    rows = Math.ceil(n / cols),
    W = cols * tileW,
    H = rows * tileH;
  const values = new Array<number>(W * H).fill(NaN);
  s.order.forEach((neuron, slot) => {
    const w = s.w.slice(neuron * s.D, (neuron + 1) * s.D),
      top = Math.max(...w.map(Math.abs)) || 1;
    const x0 = (slot % cols) * tileW,
      y0 = Math.floor(slot / cols) * tileH;
    for (let c = 0; c < C; c++)
      for (let dy = 0; dy < k; dy++)
        for (let dx = 0; dx < k; dx++) {
          values[(y0 + dy) * W + x0 + c * (k + 1) + dx] = w[(c * k + dy) * k + dx] / top;
        }
  });
  return plotBox(`kernels-${caption}`, () =>
    plot({
      title: `${caption}: kernels (step ${s.step}), ${C} channel${C > 1 ? 's' : ''} of ${k}×${k} each`,
      width: Math.min(620, 16 * W),
      aspectRatio: 1,
      margin: 4,
      marginTop: 28,
      x: { axis: null },
      y: { axis: null },
      color: { type: 'linear', scheme: 'rdbu', reverse: true, domain: [-1, 1], label: 'value / max |value|' },
      marks: [raster(values, { width: W, height: H, imageRendering: 'pixelated' })],
    }),
  );
}

const PI_TICKS = [-Math.PI, -Math.PI / 2, 0, Math.PI / 2, Math.PI];
const PI_LABELS = ['−π', '−π/2', '0', 'π/2', 'π'];

export function orientationScatter(s: PlotSnapshot, caption: string): HTMLElement {
  return plotBox(`orientation-${caption}`, () =>
    plot({
      title: `${caption}: orientation and amplitude (step ${s.step})`,
      width: 300,
      height: 230,
      marginLeft: 52,
      marginRight: 12,
      x: { domain: [-Math.PI, Math.PI], ticks: PI_TICKS, tickFormat: (t: number) => PI_LABELS[PI_TICKS.indexOf(t)], label: 'φ = atan2(b, w)', grid: true },
      y: { label: 'A = |a|·‖(w, b)‖', grid: true, zero: true, nice: true, tickFormat: num },
      color: { domain: ['a > 0', 'a < 0'], range: ['#c0392b', '#2166ac'], legend: true },
      marks: [ruleY([0]), dot(orientations(s), { x: 'phi', y: 'amplitude', fill: 'sign', r: 2.5, fillOpacity: 0.8 })],
    }),
  );
}
