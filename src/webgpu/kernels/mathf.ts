// WGSL twin of assembly/kernels/mathf.ts: the same polynomials and op order, so the GPU matches the
// WASM truth up to what WGSL permits (+ − × correctly rounded but fusable, subnormals may flush).
// round() replaces the magic-number rounding of the WASM form: both round ties to even, and a
// shader compiler may not fold round(x) away as it could (x + M) − M.
export const MATHF_WGSL = /* wgsl */ `
fn expf(x: f32) -> f32 {
  let xc = min(max(x, -87.0), 88.0);
  let kf = round(xc * 1.4426950408889634);
  let r = (xc - kf * 0.693359375) - kf * -2.12194440e-4;
  var p = 1.984126984126984e-4;
  p = p * r + 0.001388888888888889;
  p = p * r + 0.008333333333333333;
  p = p * r + 0.041666666666666664;
  p = p * r + 0.16666666666666666;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  return p * bitcast<f32>(u32(i32(kf) + 127) << 23u);
}
fn expm1f(u: f32) -> f32 {
  var q = 2.48015873015873e-5;
  q = q * u + 1.984126984126984e-4;
  q = q * u + 0.001388888888888889;
  q = q * u + 0.008333333333333333;
  q = q * u + 0.041666666666666664;
  q = q * u + 0.16666666666666666;
  q = q * u + 0.5;
  q = q * u + 1.0;
  q = q * u;
  return select(expf(u) - 1.0, q, u < 0.5);
}
fn tanhf(x: f32) -> f32 {
  let ax = abs(x);
  let e = expm1f(min(ax + ax, 18.0));
  let t = e / (e + 2.0);
  return bitcast<f32>(bitcast<u32>(t) | (bitcast<u32>(x) & 0x80000000u));
}
fn sigmoidf(x: f32) -> f32 {
  return 1.0 / (1.0 + expf(-x));
}
fn log1pf(t: f32) -> f32 {
  let s = t / (2.0 + t);
  let s2 = s * s;
  var c = 0.06666666666666667;
  c = c * s2 + 0.07692307692307693;
  c = c * s2 + 0.09090909090909091;
  c = c * s2 + 0.1111111111111111;
  c = c * s2 + 0.14285714285714285;
  c = c * s2 + 0.2;
  c = c * s2 + 0.3333333333333333;
  c = c * s2 + 1.0;
  return (s + s) * c;
}
fn logf(u: f32) -> f32 {
  let bits = bitcast<u32>(u);
  var e = i32(bits >> 23u) - 127;
  var m = bitcast<f32>((bits & 0x7fffffu) | 0x3f800000u);
  if (m > 1.4142135623730951) {
    m = m * 0.5;
    e = e + 1;
  }
  let f = (m - 1.0) / (m + 1.0);
  let s2 = f * f;
  var c = 0.1111111111111111;
  c = c * s2 + 0.14285714285714285;
  c = c * s2 + 0.2;
  c = c * s2 + 0.3333333333333333;
  c = c * s2 + 1.0;
  let lm = (f + f) * c;
  let ef = f32(e);
  return ef * 0.693359375 + (lm + ef * -2.12194440e-4);
}
fn softplusf(x: f32) -> f32 {
  return max(x, 0.0) + log1pf(expf(-abs(x)));
}
`;
