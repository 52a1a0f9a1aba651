// The boundary of Luo et al.'s phase diagram (JMLR 2021 §4, SCIENCE.md §3.2) and where a measured
// growth exponent changes sign. Linear regime: γ < 1 or γ′ > γ − 1; condensed: γ > 1 and γ′ < γ − 1;
// the critical line between them is γ = 1 for γ′ ≤ 0 and γ′ = γ − 1 for γ′ ≥ 0.

/** γ on the critical line at a given γ′. */
export function criticalGamma(gammaPrime: number): number {
  return gammaPrime <= 0 ? 1 : 1 + gammaPrime;
}

/** The x where y changes sign between neighbouring points, by linear interpolation (Fig. 4's stars). */
export function zeroCrossings(x: ArrayLike<number>, y: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < x.length; i++) {
    const [y0, y1] = [y[i], y[i + 1]];
    if (y0 === 0) out.push(x[i]);
    else if (y0 * y1 < 0) out.push(x[i] + ((x[i + 1] - x[i]) * y0) / (y0 - y1));
  }
  if (x.length > 0 && y[x.length - 1] === 0) out.push(x[x.length - 1]);
  return out;
}
