// Summary statistics over plain number lists: the mean and the quantiles (linear between order
// statistics, numpy's default), the median as the 0.5-quantile. NaN for an empty list.

export function mean(xs: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[i];
  return sum / xs.length;
}

/** The q-quantile of xs (0 ≤ q ≤ 1), linear between order statistics. */
export function quantile(xs: ArrayLike<number>, q: number): number {
  const s = Float64Array.from(xs).sort();
  if (s.length === 0) return NaN;
  const at = q * (s.length - 1),
    lo = Math.floor(at);
  return lo + 1 < s.length ? s[lo] + (at - lo) * (s[lo + 1] - s[lo]) : s[lo];
}

export const median = (xs: ArrayLike<number>): number => quantile(xs, 0.5);
