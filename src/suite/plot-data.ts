// The first and last weight snapshots of a run, cut down for the report's plots: the PLOT_NEURONS
// neurons of largest final amplitude |aₖ|·‖wₖ‖ (the same neurons before and after), with a row order
// per snapshot that shows condensed groups as blocks in the cosine heat map. For a layered model the
// neurons are those of its first weight layer (conv kernels flattened over C·k·k, or dense rows) and
// a neuron's amplitude is its norm (there is no single output weight); its deeper conv layers (or the
// layers a suite part names) are cut the same way.
import type { Trajectory, Snapshot } from '../engine/trajectory.js';
import { paramView, type LayeredTrajectory, type ParamLayout } from '../model/trajectory.js';
import { PLOT_NEURONS, type PlotSnapshot } from '../report/schema.js';
import { clusterOrder } from '../science/lines.js';

function amplitudes(s: Snapshot, D: number): number[] {
  return Array.from(s.a, (a, k) => Math.abs(a) * Math.hypot(...Array.from(s.w.subarray(k * D, (k + 1) * D))));
}

function cut(s: Snapshot, D: number, neurons: number[]): PlotSnapshot {
  const w = neurons.flatMap((k) => Array.from(s.w.subarray(k * D, (k + 1) * D)));
  return { step: s.step, D, neurons, a: neurons.map((k) => s.a[k]), w, order: clusterOrder(w, D) };
}

export function plotSnapshots(t: Pick<Trajectory, 'shape' | 'snapshots'>): { initial: PlotSnapshot; final: PlotSnapshot } {
  const D = t.shape.D,
    first = t.snapshots[0],
    last = t.snapshots[t.snapshots.length - 1];
  const amp = amplitudes(last, D);
  const neurons = amp
    .map((_, k) => k)
    .sort((p, q) => amp[q] - amp[p])
    .slice(0, PLOT_NEURONS)
    .sort((p, q) => p - q);
  return { initial: cut(first, D, neurons), final: cut(last, D, neurons) };
}

/** A weight tensor's neurons in a layered run's first and last snapshot, as two-layer snapshots (a = the neuron's norm). */
function plotLayer(t: LayeredTrajectory, p: ParamLayout): { initial: PlotSnapshot; final: PlotSnapshot } {
  const D = p.shape.slice(1).reduce((a, b) => a * b, 1),
    m = p.shape[0];
  const asNeurons = (s: LayeredTrajectory['snapshots'][number]): Snapshot => {
    const w = paramView(s, p);
    return { step: s.step, w, a: Float32Array.from({ length: m }, (_, k) => Math.hypot(...w.subarray(k * D, (k + 1) * D))) };
  };
  const plotted = plotSnapshots({ shape: { n: t.shape.n, D, m }, snapshots: t.snapshots.map(asNeurons) });
  if (p.kind !== 'conv2d') return plotted;
  const kernel = { C: p.shape[1], k: p.shape[2] };
  return { initial: { ...plotted.initial, kernel }, final: { ...plotted.final, kernel } };
}

/** The plots of a layered run: its first weight layer, and (`deeper`) the weight layers at the paths
 * `layers`, or by default its conv layers after the first. */
export function plotLayeredSnapshots(
  t: LayeredTrajectory,
  layers?: string[],
): {
  initial: PlotSnapshot;
  final: PlotSnapshot;
  deeper?: { layer: string; initial: PlotSnapshot; final: PlotSnapshot }[];
} {
  const [first, ...rest] = t.layout.filter((p) => !p.bias);
  const chosen = layers
    ? layers.map((path) => {
        const p = rest.find((l) => l.layer === path);
        if (!p) throw new Error(`plotLayers: no weight layer ${path} after the first (weight layers: ${rest.map((l) => l.layer).join(', ')})`);
        return p;
      })
    : rest.filter((p) => p.kind === 'conv2d');
  const deeper = chosen.map((p) => ({ layer: p.layer, ...plotLayer(t, p) }));
  return { ...plotLayer(t, first), ...(deeper.length ? { deeper } : {}) };
}
