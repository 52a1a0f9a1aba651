// The first and last weight snapshots of a run, cut down for the report's plots: the PLOT_NEURONS
// neurons of largest final amplitude |aₖ|·‖wₖ‖ (the same neurons before and after), with a row order
// per snapshot that shows condensed groups as blocks in the cosine heat map.
import type { Trajectory, Snapshot } from '../engine/trajectory.js';
import { PLOT_NEURONS, type PlotSnapshot } from '../report/schema.js';
import { clusterOrder } from '../science/lines.js';

function amplitudes(s: Snapshot, D: number): number[] {
  return Array.from(s.a, (a, k) => Math.abs(a) * Math.hypot(...Array.from(s.w.subarray(k * D, (k + 1) * D))));
}

function cut(s: Snapshot, D: number, neurons: number[]): PlotSnapshot {
  const w = neurons.flatMap((k) => Array.from(s.w.subarray(k * D, (k + 1) * D)));
  return { step: s.step, D, neurons, a: neurons.map((k) => s.a[k]), w, order: clusterOrder(w, D) };
}

export function plotSnapshots(t: Trajectory): { initial: PlotSnapshot; final: PlotSnapshot } {
  const D = t.shape.D, first = t.snapshots[0], last = t.snapshots[t.snapshots.length - 1];
  const amp = amplitudes(last, D);
  const neurons = amp.map((_, k) => k).sort((p, q) => amp[q] - amp[p]).slice(0, PLOT_NEURONS).sort((p, q) => p - q);
  return { initial: cut(first, D, neurons), final: cut(last, D, neurons) };
}
