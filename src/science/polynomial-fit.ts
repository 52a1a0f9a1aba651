// Polynomial character of a 1-d network's output (SCIENCE.md §6.3 b, T4.3; pilots/init_cond_1d.py):
// in the initial stage, an activation of multiplicity p makes f(x) = (1/α) Σₖ aₖ σ(wₖx + bₖ) close to
// a polynomial of degree p. Here: the output on a grid, and the R² of a least-squares polynomial fit.

/** f(x) = (1/α) Σₖ aₖ σ(wₖ x + bₖ) at each x, in f64; w is m × 2 row-major (weight, bias). */
export function networkOutput1d(a: ArrayLike<number>, w: ArrayLike<number>, alpha: number, sigma: (z: number) => number, xs: ArrayLike<number>): Float64Array {
  const m = a.length;
  if (w.length !== 2 * m) throw new Error(`networkOutput1d needs 2 input weights (weight, bias) per neuron, got ${w.length / m}`);
  return Float64Array.from(xs, (x) => {
    let s = 0;
    for (let k = 0; k < m; k++) s += a[k] * sigma(w[2 * k] * x + w[2 * k + 1]);
    return s / alpha;
  });
}

/** `count` evenly spaced points from lo to hi, both included (np.linspace). */
export function linspace(lo: number, hi: number, count: number): Float64Array {
  return Float64Array.from({ length: count }, (_, i) => (count === 1 ? lo : lo + ((hi - lo) * i) / (count - 1)));
}

/**
 * R² = 1 − ‖y − ŷ‖² / ‖y − ȳ‖² of the least-squares polynomial ŷ of the given degree (np.polyfit),
 * computed by modified Gram–Schmidt on the monomials of x rescaled to [−1, 1] (well conditioned).
 */
export function polynomialFitR2(x: ArrayLike<number>, y: ArrayLike<number>, degree: number): number {
  const N = x.length;
  if (y.length !== N || N <= degree) throw new Error(`polynomialFitR2: ${N} points for degree ${degree}, and ${y.length} values`);
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < N; i++) {
    lo = Math.min(lo, x[i]);
    hi = Math.max(hi, x[i]);
  }
  const t = Float64Array.from(x, (v) => (hi > lo ? (2 * (v - lo)) / (hi - lo) - 1 : 0));
  const basis: Float64Array[] = [];
  const r = Float64Array.from(y);
  let total = 0;
  for (let q = 0; q <= degree; q++) {
    const col = Float64Array.from(t, (v) => v ** q);
    for (const b of basis) {
      const c = dot(col, b);
      for (let i = 0; i < N; i++) col[i] -= c * b[i];
    }
    const norm = Math.sqrt(dot(col, col));
    if (norm === 0) continue;
    for (let i = 0; i < N; i++) col[i] /= norm;
    basis.push(col);
    const c = dot(r, col);
    for (let i = 0; i < N; i++) r[i] -= c * col[i];
    if (q === 0) total = dot(r, r); // y − ȳ
  }
  return total === 0 ? 1 : 1 - dot(r, r) / total;
}

function dot(u: ArrayLike<number>, v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += u[i] * v[i];
  return s;
}
