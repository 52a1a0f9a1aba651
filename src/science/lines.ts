// Counting condensed lines and directions (SCIENCE.md §2, pilots/init_cond.py `count_groups`), and a
// neuron order that makes those groups contiguous in a cosine heat map.
import { neuronFeatures1d } from './measures.js';

export interface LineOptions {
  /** keep neurons with ‖wₖ‖ > normFraction·max‖w‖ (the pilots: 0, 0.1 or 0.2); default 0 keeps every non-zero row */
  normFraction?: number;
  /** the cosine a member must exceed: 0.9 (d = 5), 0.98 (1-d), 0.99 (strong tests) */
  threshold: number;
  /** false (default): lines, |D(u, v)| > threshold merges u and −u; true: directions, D(u, v) > threshold */
  signed?: boolean;
}

/**
 * Greedy groups of the kept rows of w (m × D row-major), as count_groups: the first unassigned unit
 * vector u leads a group of every unassigned v (itself included) with |D(u, v)| > threshold (lines) or
 * D(u, v) > threshold (directions); repeat until all are assigned. Groups hold neuron indices, in order.
 */
export function lineGroups(w: ArrayLike<number>, D: number, o: LineOptions): number[][] {
  const m = w.length / D;
  const unit = Array.from({ length: m }, (_, k) => {
    const row = Array.from({ length: D }, (_, j) => w[k * D + j]);
    const norm = Math.hypot(...row);
    return { norm, u: row.map((v) => v / norm) };
  });
  const maxNorm = Math.max(...unit.map((r) => r.norm));
  let rest = unit.flatMap((r, k) => (r.norm > (o.normFraction ?? 0) * maxNorm ? [k] : []));
  const groups: number[][] = [];
  while (rest.length) {
    const lead = unit[rest[0]].u;
    const joins = (k: number) => {
      const c = unit[k].u.reduce((s, v, j) => s + v * lead[j], 0);
      return o.signed ? c > o.threshold : Math.abs(c) > o.threshold;
    };
    groups.push(rest.filter(joins));
    rest = rest.filter((k) => !joins(k));
  }
  return groups;
}

/** The number of lines (or directions, with signed) among the kept neurons: lineGroups(…).length. */
export function countLines(w: ArrayLike<number>, D: number, o: LineOptions): number {
  return lineGroups(w, D, o).length;
}

/**
 * A row order of the m neurons that makes condensed groups contiguous in a cosine heat map.
 * 1-d inputs (D = 2): sorted by the angle φₖ = atan2(bₖ, wₖ). Otherwise: the line groups of lineGroups
 * (|cos| > threshold, default 0.9), largest first, each sorted by its cosine to the group's leader
 * (so a line shows its two directions as two blocks); zero rows last.
 */
export function clusterOrder(w: ArrayLike<number>, D: number, threshold = 0.9): number[] {
  const m = w.length / D;
  const idx = Array.from({ length: m }, (_, k) => k);
  if (D === 2) {
    const { phi } = neuronFeatures1d(new Float64Array(m), w);
    return idx.sort((p, q) => phi[p] - phi[q]);
  }
  const row = (k: number) => Array.from({ length: D }, (_, j) => w[k * D + j]);
  const cos = (p: number[], q: number[]) => p.reduce((s, v, j) => s + v * q[j], 0) / (Math.hypot(...p) * Math.hypot(...q));
  const groups = lineGroups(w, D, { threshold }).sort((g, h) => h.length - g.length);
  const ordered = groups.flatMap((g) => {
    const lead = row(g[0]);
    const c = new Map(g.map((k) => [k, cos(row(k), lead)]));
    return [...g].sort((p, q) => c.get(q)! - c.get(p)!);
  });
  const placed = new Set(ordered);
  return [...ordered, ...idx.filter((k) => !placed.has(k))];
}
