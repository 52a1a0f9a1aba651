// Least-squares slopes (SCIENCE.md §2): the growth exponent S_w is the slope of log RD against log m
// over several widths (np.polyfit(log m, log RD, 1)[0] in the pilots).

/** Slope of the least-squares line through (xᵢ, yᵢ). */
export function leastSquaresSlope(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (y.length !== n || n < 2) throw new Error(`leastSquaresSlope: ${n} x values and ${y.length} y values (need ≥ 2 of each, as many)`);
  let mx = 0,
    my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0,
    sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  if (sxx === 0) throw new Error('leastSquaresSlope: all x values are equal');
  return sxy / sxx;
}

/** Slope of log y against log x, e.g. S_w from RD at several widths m. */
export function logLogSlope(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return leastSquaresSlope(Array.from(x, Math.log), Array.from(y, Math.log));
}
