// Measures of condensation on weight snapshots (SCIENCE.md §2), in f64 on the host.
//   relativeDistance: RD(θ_w) = ‖W_T − W_0‖₂ / ‖W_0‖₂ over all input weights and biases
//   cosineMatrix:     D(wᵢ, wⱼ) = wᵢ·wⱼ / (‖wᵢ‖‖wⱼ‖) for the m rows of W (m × D, row-major)

export function relativeDistance(w0: ArrayLike<number>, w1: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < w0.length; i++) {
    num += (w1[i] - w0[i]) ** 2;
    den += w0[i] ** 2;
  }
  return Math.sqrt(num / den);
}

export function cosineMatrix(w: ArrayLike<number>, m: number, D: number): Float64Array {
  const norms = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    let s = 0;
    for (let j = 0; j < D; j++) s += w[k * D + j] ** 2;
    norms[k] = Math.sqrt(s);
  }
  const out = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    for (let b = a; b < m; b++) {
      let s = 0;
      for (let j = 0; j < D; j++) s += w[a * D + j] * w[b * D + j];
      const c = norms[a] && norms[b] ? s / (norms[a] * norms[b]) : 0;
      out[a * m + b] = c;
      out[b * m + a] = c;
    }
  }
  return out;
}

/**
 * Orientation clusters of the active neurons of a 1-d input network (D = 2: weight and bias),
 * SCIENCE.md §3.6 (T1.4): neuron k has orientation φₖ = atan2(bₖ, wₖ) and amplitude
 * Aₖ = |aₖ|·‖wₖ‖; the active ones (Aₖ > 0.1·max A) sorted by φ start a new cluster wherever
 * consecutive angles differ by ≥ 0.05 rad (no wrap-around at ±π).
 */
export function orientationClusters1d(a: ArrayLike<number>, w: ArrayLike<number>): number {
  const m = a.length;
  if (w.length !== 2 * m) throw new Error(`orientationClusters1d needs 1-d inputs (2 weights per neuron), got ${w.length / m}`);
  const amp = Array.from({ length: m }, (_, k) => Math.abs(a[k]) * Math.hypot(w[2 * k], w[2 * k + 1]));
  const cut = 0.1 * Math.max(...amp);
  const phi = amp.flatMap((A, k) => (A > cut ? [Math.atan2(w[2 * k + 1], w[2 * k])] : [])).sort((x, y) => x - y);
  let clusters = phi.length ? 1 : 0;
  for (let i = 1; i < phi.length; i++) if (phi[i] - phi[i - 1] >= 0.05) clusters++;
  return clusters;
}
