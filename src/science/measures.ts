// Measures of condensation on weight snapshots (SCIENCE.md §2), in f64 on the host.
//   relativeDistance:       RD(θ_w) = ‖W_T − W_0‖₂ / ‖W_0‖₂ over all input weights and biases
//   cosineMatrix:           D(wᵢ, wⱼ) = wᵢ·wⱼ / (‖wᵢ‖‖wⱼ‖) for the m rows of W (m × D, row-major)
//   neuronFeatures1d:       orientation φₖ and amplitude Aₖ of each neuron of a 1-d input network
//   activeNeurons1d:        the neurons carrying amplitude, Aₖ > 0.1·max A (§3.5)
//   orientationClusters1d:  orientation clusters of the active neurons (T1.4)
//   amplitudeConcentration: C4, the amplitude share of the 4 heaviest 0.1-rad angle bins (T1.4)
export function relativeDistance(w0: ArrayLike<number>, w1: ArrayLike<number>): number {
  let num = 0,
    den = 0;
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
 * The features of the neurons of a 1-d input network (D = 2: weight, then bias), SCIENCE.md §2:
 * orientation φₖ = atan2(bₖ, wₖ) ∈ [−π, π] and amplitude Aₖ = |aₖ|·‖(wₖ, bₖ)‖₂.
 */
export function neuronFeatures1d(a: ArrayLike<number>, w: ArrayLike<number>): { phi: Float64Array; amp: Float64Array } {
  const m = a.length;
  if (w.length !== 2 * m) throw new Error(`1-d measures need 2 input weights (weight, bias) per neuron, got ${w.length / m}`);
  const phi = new Float64Array(m),
    amp = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    phi[k] = Math.atan2(w[2 * k + 1], w[2 * k]);
    amp[k] = Math.abs(a[k]) * Math.hypot(w[2 * k], w[2 * k + 1]);
  }
  return { phi, amp };
}

/** Indices of the active neurons of a 1-d input network: Aₖ > 0.1·max A (SCIENCE.md §3.5, phase_cond.py). */
export function activeNeurons1d(a: ArrayLike<number>, w: ArrayLike<number>): number[] {
  const { amp } = neuronFeatures1d(a, w);
  const cut = 0.1 * Math.max(...amp);
  return Array.from(amp.keys()).filter((k) => amp[k] > cut);
}

/**
 * Orientation clusters of the active neurons of a 1-d input network, SCIENCE.md §3.6 (T1.4) and
 * pilots/phase_cond.py `clusters`: the active neurons sorted by φ start a new cluster wherever
 * consecutive angles differ by ≥ 0.05 rad (no wrap-around at ±π).
 */
export function orientationClusters1d(a: ArrayLike<number>, w: ArrayLike<number>): number {
  const { phi } = neuronFeatures1d(a, w);
  const active = Float64Array.from(activeNeurons1d(a, w), (k) => phi[k]).sort();
  let clusters = active.length ? 1 : 0;
  for (let i = 1; i < active.length; i++) if (active[i] - active[i - 1] >= 0.05) clusters++;
  return clusters;
}

/** Round to the nearest integer, ties to even (numpy's np.round). */
function roundHalfEven(x: number): number {
  const f = Math.floor(x),
    rest = x - f;
  if (rest !== 0.5) return Math.round(x);
  return f % 2 === 0 ? f : f + 1;
}

/**
 * Amplitude concentration C4 of a 1-d input network, SCIENCE.md §2 (T1.4), exactly as
 * pilots/phase_cond.py: neuron k falls into angle bin round(φₖ / 0.1) (np.round: bins of width
 * 0.1 rad centred on multiples of 0.1, ties to even, no wrap-around at ±π); C4 is the sum of Aₖ over
 * the 4 bins with the largest amplitude sums, divided by Σₖ Aₖ over all neurons (active or not).
 * 1 when all amplitude sits on ≤ 4 orientations; about 4·0.1/2π ≈ 0.06 for uniform angles.
 */
export function amplitudeConcentration(a: ArrayLike<number>, w: ArrayLike<number>): number {
  const { phi, amp } = neuronFeatures1d(a, w);
  const bins = new Map<number, number>();
  let total = 0;
  for (let k = 0; k < phi.length; k++) {
    const b = roundHalfEven(phi[k] / 0.1);
    bins.set(b, (bins.get(b) ?? 0) + amp[k]);
    total += amp[k];
  }
  if (!(total > 0)) throw new Error('amplitudeConcentration: every neuron has zero amplitude |a|·‖w‖');
  const top4 = [...bins.values()].sort((x, y) => y - x).slice(0, 4);
  return top4.reduce((s, v) => s + v, 0) / total;
}
