// What the condensation plots show, computed from a PlotSnapshot: the cosine similarity of the kept
// neurons' input weights (rows in `order`, so clusters are blocks) and, for 1-d inputs, each neuron's
// orientation φ = atan2(b, w) and amplitude A = |a|·‖(w, b)‖.
import type { PlotSnapshot } from '../schema.js';

/** Row-major n×n matrix of D(w_i, w_j) = w_i·w_j / (|w_i||w_j|), i and j taken in `order`; NaN for a zero row. */
export function cosineMatrix(s: PlotSnapshot): Float64Array {
  const n = s.order.length,
    D = s.D;
  const unit = s.order.map((k) => {
    const row = s.w.slice(k * D, k * D + D);
    const norm = Math.hypot(...row);
    return row.map((x) => x / norm);
  });
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let t = 0; t < D; t++) dot += unit[i][t] * unit[j][t];
      out[i * n + j] = Math.max(-1, Math.min(1, dot));
    }
  }
  return out;
}

export interface OrientedNeuron {
  phi: number;
  amplitude: number;
  /** the sign of the output weight a_k */
  sign: 'a > 0' | 'a < 0';
}

/** Orientation and amplitude of each kept neuron of a 1-d input network (D = 2: w row = [w_k, b_k]). */
export function orientations(s: PlotSnapshot): OrientedNeuron[] {
  if (s.D !== 2) throw new Error(`orientations need 1-d inputs (D = 2), got D = ${s.D}`);
  return s.neurons.map((_, k) => {
    const [w, b] = [s.w[2 * k], s.w[2 * k + 1]];
    return { phi: Math.atan2(b, w), amplitude: Math.abs(s.a[k]) * Math.hypot(w, b), sign: s.a[k] < 0 ? 'a < 0' : 'a > 0' };
  });
}
