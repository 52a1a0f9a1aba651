// The condensation direction of a multiplicity-1 activation at small initialisation (SCIENCE.md §4.2,
// pilots/p1_gd.py): linearising σ(z) ≈ z with residual e ≈ −y, every input weight vector turns towards
// ±z with z = (1/n) Σᵢ yᵢ x̃ᵢ. Here: z, each neuron's |cos(wₖ, z)|, and the summaries the claims read.
import { median } from './stats.js';

/** z = (1/n) Σᵢ yᵢ x̃ᵢ for inputs x (n × D row-major, last column 1) and targets y (n). */
export function condensationDirection(x: ArrayLike<number>, y: ArrayLike<number>): Float64Array {
  const n = y.length,
    D = x.length / n;
  if (!Number.isInteger(D) || D < 1) throw new Error(`condensationDirection: x holds ${x.length} numbers, not n × D for n = ${n}`);
  const z = new Float64Array(D);
  for (let i = 0; i < n; i++) for (let j = 0; j < D; j++) z[j] += y[i] * x[i * D + j];
  for (let j = 0; j < D; j++) z[j] /= n;
  return z;
}

/** |cos(wₖ, z)| for each row wₖ of w (m × D row-major); NaN for a zero row. */
export function alignmentWithDirection(w: ArrayLike<number>, D: number, z: ArrayLike<number>): Float64Array {
  if (z.length !== D || w.length % D !== 0) throw new Error(`alignmentWithDirection: z has ${z.length} entries and w ${w.length}, expected D = ${D} and m × D`);
  const m = w.length / D;
  const zNorm = Math.hypot(...Array.from(z));
  const out = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    let dot = 0,
      sq = 0;
    for (let j = 0; j < D; j++) {
      dot += w[k * D + j] * z[j];
      sq += w[k * D + j] ** 2;
    }
    out[k] = Math.abs(dot) / (Math.sqrt(sq) * zNorm);
  }
  return out;
}

export interface AlignmentSummary {
  /** median over neurons (mean of the two middle values for even m, as np.median) */
  median: number;
  min: number;
  /** share of neurons with |cos| ≥ shareAt */
  share: number;
  shareAt: number;
}

/** Median, minimum and the share ≥ shareAt (default 0.95, SCIENCE.md §4.4 T2.1) of |cos(wₖ, z)|. */
export function summarizeAlignment(cos: ArrayLike<number>, shareAt = 0.95): AlignmentSummary {
  const s = Float64Array.from(cos).sort();
  const m = s.length;
  if (m === 0 || Number.isNaN(s[m - 1])) throw new Error('summarizeAlignment: no neurons, or a zero weight vector (|cos| is NaN)');
  return { median: median(s), min: s[0], share: s.filter((c) => c >= shareAt).length / m, shareAt };
}
