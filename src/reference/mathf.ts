// Scalar twin of assembly/kernels/mathf.ts: the same f32 operations in the same order, with
// Math.fround after every one, so each function returns the WASM bits exactly.
const f = Math.fround;
const bitsF32 = new Float32Array(1);
const bitsU32 = new Uint32Array(bitsF32.buffer);

function f32FromBits(u: number): number {
  bitsU32[0] = u;
  return bitsF32[0];
}
function bitsFromF32(x: number): number {
  bitsF32[0] = x;
  return bitsU32[0];
}

const MAGIC = f(12582912.0);
const LOG2E = f(1.4426950408889634);
const LN2_HI = f(0.693359375);
const LN2_LO = f(-2.1219444e-4);
const SQRT2 = f(1.4142135623730951);
const TWO_PI = f(6.283185307179586);
const EXP_MIN = f(-87.0);
const EXP_MAX = f(88.0);
const TANH_ARG_MAX = f(18.0);
const EXPM1_SERIES_MAX = f(0.5);
const F2 = f(0.5);
const F3 = f(0.16666666666666666);
const F4 = f(0.041666666666666664);
const F5 = f(0.008333333333333333);
const F6 = f(0.001388888888888889);
const F7 = f(1.984126984126984e-4);
const F8 = f(2.48015873015873e-5);

/** p·r + c in two roundings. */
const mad = (p: number, r: number, c: number): number => f(f(p * r) + c);

export function logf(u: number): number {
  const bits = bitsFromF32(u);
  let e = (bits >>> 23) - 127;
  let m = f32FromBits((bits & 0x7fffff) | 0x3f800000);
  if (m > SQRT2) {
    m = f(m * 0.5);
    e += 1;
  }
  const fr = f(f(m - 1) / f(m + 1));
  const s2 = f(fr * fr);
  let c = f(0.1111111111111111);
  c = mad(c, s2, f(0.14285714285714285));
  c = mad(c, s2, f(0.2));
  c = mad(c, s2, f(0.3333333333333333));
  c = mad(c, s2, 1);
  const lm = f(f(fr + fr) * c);
  const ef = f(e);
  return f(f(ef * LN2_HI) + f(lm + f(ef * LN2_LO)));
}

export function cos2pif(u: number): number {
  const v = f(u - f(f(u + MAGIC) - MAGIC));
  let a = Math.abs(v);
  const flip = a > 0.25;
  if (flip) a = f(0.5 - a);
  const th = f(a * TWO_PI);
  const t = f(th * th);
  let c = f(2.08767569878681e-9);
  c = mad(c, t, f(-2.755731922398589e-7));
  c = mad(c, t, f(2.48015873015873e-5));
  c = mad(c, t, f(-0.001388888888888889));
  c = mad(c, t, f(0.041666666666666664));
  c = mad(c, t, -0.5);
  c = mad(c, t, 1);
  return flip ? -c : c;
}

export function expf(x: number): number {
  const xc = Math.min(Math.max(x, EXP_MIN), EXP_MAX);
  const kf = f(f(f(xc * LOG2E) + MAGIC) - MAGIC);
  const r = f(f(xc - f(kf * LN2_HI)) - f(kf * LN2_LO));
  let p = F7;
  p = mad(p, r, F6);
  p = mad(p, r, F5);
  p = mad(p, r, F4);
  p = mad(p, r, F3);
  p = mad(p, r, F2);
  p = mad(p, r, 1);
  p = mad(p, r, 1);
  // i32x4.trunc_sat of kf: NaN → 0, then 2^k built from the exponent bits.
  const k = Number.isNaN(kf) ? 0 : kf;
  return f(p * f32FromBits(((k + 127) << 23) >>> 0));
}

function expm1f(u: number): number {
  let q = F8;
  q = mad(q, u, F7);
  q = mad(q, u, F6);
  q = mad(q, u, F5);
  q = mad(q, u, F4);
  q = mad(q, u, F3);
  q = mad(q, u, F2);
  q = mad(q, u, 1);
  q = f(q * u);
  const big = f(expf(u) - 1);
  return u < EXPM1_SERIES_MAX ? q : big;
}

export function tanhf(x: number): number {
  const ax = Math.abs(x);
  const e = expm1f(Math.min(f(ax + ax), TANH_ARG_MAX));
  const t = f(e / f(e + 2));
  return f32FromBits((bitsFromF32(t) | (bitsFromF32(x) & 0x80000000)) >>> 0);
}

export function sigmoidf(x: number): number {
  return f(1 / f(1 + expf(-x)));
}

function log1pf(t: number): number {
  const s = f(t / f(2 + t));
  const s2 = f(s * s);
  let c = f(0.06666666666666667);
  c = mad(c, s2, f(0.07692307692307693));
  c = mad(c, s2, f(0.09090909090909091));
  c = mad(c, s2, f(0.1111111111111111));
  c = mad(c, s2, f(0.14285714285714285));
  c = mad(c, s2, f(0.2));
  c = mad(c, s2, f(0.3333333333333333));
  c = mad(c, s2, 1);
  return f(f(s + s) * c);
}

export function softplusf(x: number): number {
  return f(Math.max(x, 0) + log1pf(expf(-Math.abs(x))));
}
