// f32 elementary functions of the module's own (no host Math), scalar and f32x4 forms.
// Each is a fixed sequence of IEEE f32 operations, so src/reference/mathf.ts reproduces every
// bit with Math.fround after each step. Accuracy: a few ulp (checked in test/mathf.test.ts).

/** 1.5·2²³: (x + MAGIC) − MAGIC rounds |x| < 2²² to the nearest integer, ties to even. */
export const MAGIC: f32 = 12582912.0;
const LOG2E: f32 = 1.4426950408889634;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
const SQRT2: f32 = 1.4142135623730951;
const TWO_PI: f32 = 6.283185307179586;
const EXP_MIN: f32 = -87.0;
const EXP_MAX: f32 = 88.0;
const TANH_ARG_MAX: f32 = 18.0; // tanh(9) rounds to 1 in f32
const EXPM1_SERIES_MAX: f32 = 0.5;

// Taylor coefficients 1/k!
const F2: f32 = 0.5;
const F3: f32 = 0.16666666666666666;
const F4: f32 = 0.041666666666666664;
const F5: f32 = 0.008333333333333333;
const F6: f32 = 0.001388888888888889;
const F7: f32 = 1.984126984126984e-4;
const F8: f32 = 2.48015873015873e-5;

// ---- scalar forms (PRNG) ----

/** ln u for normal positive u: u = 2^e·m, m ∈ [√½, √2), ln m = 2f(1 + f²/3 + f⁴/5 + f⁶/7 + f⁸/9), f = (m−1)/(m+1). */
export function logf(u: f32): f32 {
  const bits = reinterpret<u32>(u);
  let e = <i32>(bits >>> 23) - 127;
  let m = reinterpret<f32>((bits & 0x7fffff) | 0x3f800000);
  if (m > SQRT2) {
    m = m * <f32>0.5;
    e += 1;
  }
  const f = (m - <f32>1.0) / (m + <f32>1.0);
  const s2 = f * f;
  let c: f32 = <f32>0.1111111111111111;
  c = c * s2 + <f32>0.14285714285714285;
  c = c * s2 + <f32>0.2;
  c = c * s2 + <f32>0.3333333333333333;
  c = c * s2 + <f32>1.0;
  const lm = (f + f) * c;
  const ef = <f32>e;
  return ef * LN2_HI + (lm + ef * LN2_LO);
}

/** cos 2πu for u ∈ [−¼, 1) whose fraction is exact in f32: reduce to a ∈ [0, ¼], Taylor to θ¹². */
export function cos2pif(u: f32): f32 {
  const v = u - ((u + MAGIC) - MAGIC);
  let a = abs<f32>(v);
  const flip = a > <f32>0.25;
  if (flip) a = <f32>0.5 - a;
  const th = a * TWO_PI;
  const t = th * th;
  let c: f32 = <f32>2.08767569878681e-9;
  c = c * t + <f32>-2.755731922398589e-7;
  c = c * t + <f32>2.48015873015873e-5;
  c = c * t + <f32>-0.001388888888888889;
  c = c * t + <f32>0.041666666666666664;
  c = c * t + <f32>-0.5;
  c = c * t + <f32>1.0;
  return flip ? -c : c;
}

// ---- f32x4 forms (activations) ----

@inline function splat(x: f32): v128 {
  return f32x4.splat(x);
}
@inline function fma_(a: v128, b: v128, c: v128): v128 {
  return f32x4.add(f32x4.mul(a, b), c); // two roundings: never fused
}

/** e^x: clamp to [−87, 88], k = round(x·log2e), r = (x − k·ln2hi) − k·ln2lo, Taylor to r⁷, times 2^k. */
@inline export function expf4(x: v128): v128 {
  const xc = f32x4.min(f32x4.max(x, splat(EXP_MIN)), splat(EXP_MAX));
  const kf = f32x4.sub(f32x4.add(f32x4.mul(xc, splat(LOG2E)), splat(MAGIC)), splat(MAGIC));
  const r = f32x4.sub(f32x4.sub(xc, f32x4.mul(kf, splat(LN2_HI))), f32x4.mul(kf, splat(LN2_LO)));
  let p = splat(F7);
  p = fma_(p, r, splat(F6));
  p = fma_(p, r, splat(F5));
  p = fma_(p, r, splat(F4));
  p = fma_(p, r, splat(F3));
  p = fma_(p, r, splat(F2));
  p = fma_(p, r, splat(1.0));
  p = fma_(p, r, splat(1.0));
  const k = i32x4.trunc_sat_f32x4_s(kf);
  const scale = i32x4.shl(i32x4.add(k, i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

/** e^x as one lane of expf4, for scalar code (softmax): the same bits as the vector form. */
@inline export function expf(x: f32): f32 {
  return f32x4.extract_lane(expf4(f32x4.splat(x)), 0);
}

/** e^u − 1 for u ≥ 0: u·(1 + u/2 + … + u⁷/8!) below ½, else expf4(u) − 1. A vector of lanes all on one
 * side computes that side's form alone (small initialisations keep most pre-activations in the series). */
@inline export function expm1f4(u: v128): v128 {
  const series = f32x4.lt(u, splat(EXPM1_SERIES_MAX));
  if (!v128.any_true(series)) return f32x4.sub(expf4(u), splat(1.0));
  let q = splat(F8);
  q = fma_(q, u, splat(F7));
  q = fma_(q, u, splat(F6));
  q = fma_(q, u, splat(F5));
  q = fma_(q, u, splat(F4));
  q = fma_(q, u, splat(F3));
  q = fma_(q, u, splat(F2));
  q = fma_(q, u, splat(1.0));
  q = f32x4.mul(q, u);
  if (i32x4.all_true(series)) return q;
  const big = f32x4.sub(expf4(u), splat(1.0));
  return v128.bitselect(q, big, series);
}

/** tanh x = sign(x)·e/(e + 2), e = expm1(min(2|x|, 18)). */
@inline export function tanhf4(x: v128): v128 {
  const ax = f32x4.abs(x);
  const e = expm1f4(f32x4.min(f32x4.add(ax, ax), splat(TANH_ARG_MAX)));
  const t = f32x4.div(e, f32x4.add(e, splat(2.0)));
  return v128.or(t, v128.and(x, i32x4.splat(0x80000000)));
}

/** 1/(1 + e^−x). */
@inline export function sigmoidf4(x: v128): v128 {
  return f32x4.div(splat(1.0), f32x4.add(splat(1.0), expf4(f32x4.neg(x))));
}

/** ln(1 + t) for t ∈ [0, 1]: s = t/(2 + t), 2s·(1 + s²/3 + … + s¹⁴/15). */
@inline export function log1pf4(t: v128): v128 {
  const s = f32x4.div(t, f32x4.add(splat(2.0), t));
  const s2 = f32x4.mul(s, s);
  let c = splat(<f32>0.06666666666666667);
  c = fma_(c, s2, splat(<f32>0.07692307692307693));
  c = fma_(c, s2, splat(<f32>0.09090909090909091));
  c = fma_(c, s2, splat(<f32>0.1111111111111111));
  c = fma_(c, s2, splat(<f32>0.14285714285714285));
  c = fma_(c, s2, splat(<f32>0.2));
  c = fma_(c, s2, splat(<f32>0.3333333333333333));
  c = fma_(c, s2, splat(1.0));
  return f32x4.mul(f32x4.add(s, s), c);
}

/** softplus x = max(x, 0) + ln(1 + e^−|x|). */
@inline export function softplusf4(x: v128): v128 {
  return f32x4.add(f32x4.max(x, splat(0.0)), log1pf4(expf4(f32x4.neg(f32x4.abs(x)))));
}
