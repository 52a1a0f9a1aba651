// How a measured number reads in reports (the page and `report compare` alike): four significant
// digits (trailing zeros dropped), exponent form for very large or small values, NaN for a value lost
// to JSON (null), and a true minus sign.
export function num(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  const s = a >= 1e5 || a < 1e-3 ? x.toExponential(2).replace(/\.?0+e/, 'e') : Number(x.toPrecision(4)).toString();
  return s.replace(/-/g, '−');
}
