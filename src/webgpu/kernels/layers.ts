// WGSL twins of the layered-model kernels (assembly/kernels/conv.ts, pool.ts, softmax.ts, layernorm.ts,
// embedding.ts, attention.ts, position.ts and the layered part of elementwise.ts), for one run: binding 0 is a uniform of sizes (the WASM kernel's
// integer arguments, in order, then its f32 scalars), storage buffers follow in the WASM argument
// order. Each output element is computed by one invocation in the WASM order (col2im as a gather,
// bias_grad sequential over rows), so reductions keep their order; softmax_ce and sum_squares run
// in one invocation, as their sums are sequential.
// Tolerances (LAYER_TOLERANCE, at the end) follow the WGSL accuracy rules: + − × correctly rounded
// to either neighbour (so one op may differ from WASM's round-to-nearest by 1 ulp), fusion and
// reassociation allowed, division within 2.5 ulp, subnormals may flush. On SwiftShader, which does
// none of that, test/webgpu-kernels.test.ts demands the WASM bits of every kernel here as well.
import { MATHF_WGSL } from './mathf.js';
import { UPDATE_CORE_WGSL } from './elementwise.js';
import type { Tolerance } from '../tolerance.js';

const FLAT = /* wgsl */ `
fn flat_index(gid: vec3<u32>, nwg: vec3<u32>) -> u32 { return gid.x + gid.y * nwg.x * 256u; }
/** (i, h, w, c) of flat element e of an n × H × W × C tensor (NHWC). */
fn nhwc(e: u32, H: u32, W: u32, C: u32) -> vec4<u32> { return vec4<u32>(e / (C * W * H), (e / (C * W)) % H, (e / C) % W, e % C); }
`;

/** Sizes of a convolution (n, H, W, C, k, stride, pad) and its output (Ho, Wo). */
const CONV_DIMS = /* wgsl */ `
struct ConvDims { n: u32, H: u32, W: u32, C: u32, k: u32, stride: u32, pad: u32, Ho: u32, Wo: u32, p0: u32, p1: u32, p2: u32 };
@group(0) @binding(0) var<uniform> d: ConvDims;
`;

export const IM2COL_WGSL = /* wgsl */ `
${CONV_DIMS}${FLAT}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> cols: array<f32>;
@compute @workgroup_size(256)
fn im2col(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = flat_index(gid, nwg);
  let ckk = d.C * d.k * d.k;
  if (e >= d.n * d.Ho * d.Wo * ckk) { return; }
  let r = e / ckk;
  let q = e % ckk;
  let i = r / (d.Ho * d.Wo);
  let u = (r / d.Wo) % d.Ho;
  let v = r % d.Wo;
  let c = q / (d.k * d.k);
  let dy = (q / d.k) % d.k;
  let dx = q % d.k;
  let h = i32(u * d.stride + dy) - i32(d.pad);
  let w = i32(v * d.stride + dx) - i32(d.pad);
  var val = 0.0;
  if (h >= 0 && h < i32(d.H) && w >= 0 && w < i32(d.W)) { val = x[((i * d.H + u32(h)) * d.W + u32(w)) * d.C + c]; }
  cols[e] = val;
}
`;

export const COL2IM_WGSL = /* wgsl */ `
${CONV_DIMS}${FLAT}
@group(0) @binding(1) var<storage, read> cols: array<f32>;
@group(0) @binding(2) var<storage, read_write> x: array<f32>;
@compute @workgroup_size(256)
fn col2im(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = flat_index(gid, nwg);
  if (e >= d.n * d.H * d.W * d.C) { return; }
  let q = nhwc(e, d.H, d.W, d.C);
  let i = q.x; let h = i32(q.y); let w = i32(q.z); let c = q.w;
  let k = i32(d.k);
  let st = i32(d.stride);
  let pad = i32(d.pad);
  let ckk = d.C * d.k * d.k;
  let uLo = max(0, (h + pad - k + st) / st);
  let uHi = min(i32(d.Ho) - 1, (h + pad) / st);
  let vLo = max(0, (w + pad - k + st) / st);
  let vHi = min(i32(d.Wo) - 1, (w + pad) / st);
  var s = 0.0;
  for (var u = uLo; u <= uHi; u++) {
    let dy = h + pad - u * st;
    for (var v = vLo; v <= vHi; v++) {
      let dx = w + pad - v * st;
      s = s + cols[((i * d.Ho + u32(u)) * d.Wo + u32(v)) * ckk + (c * d.k + u32(dy)) * d.k + u32(dx)];
    }
  }
  x[e] = s;
}
`;

const ROWS_DIMS = /* wgsl */ `
struct RowsDims { rows: u32, F: u32, p0: u32, p1: u32 };
@group(0) @binding(0) var<uniform> d: RowsDims;
`;

export const BIAS_ADD_WGSL = /* wgsl */ `
${ROWS_DIMS}${FLAT}
@group(0) @binding(1) var<storage, read_write> z: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@compute @workgroup_size(256)
fn bias_add(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = flat_index(gid, nwg);
  if (e >= d.rows * d.F) { return; }
  z[e] = z[e] + b[e % d.F];
}
`;

export const BIAS_GRAD_WGSL = /* wgsl */ `
${ROWS_DIMS}${FLAT}
@group(0) @binding(1) var<storage, read> g: array<f32>;
@group(0) @binding(2) var<storage, read_write> db: array<f32>;
@compute @workgroup_size(256)
fn bias_grad(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let f = flat_index(gid, nwg);
  if (f >= d.F) { return; }
  var s = 0.0;
  for (var r = 0u; r < d.rows; r++) { s = s + g[r * d.F + f]; }
  db[f] = s;
}
`;

const COUNT_DIMS = /* wgsl */ `
struct CountDims { count: u32, c: f32, p0: u32, p1: u32 };
@group(0) @binding(0) var<uniform> d: CountDims;
`;

export const ADD_INPLACE_WGSL = /* wgsl */ `
${COUNT_DIMS}${FLAT}
@group(0) @binding(1) var<storage, read_write> x: array<f32>;
@group(0) @binding(2) var<storage, read> y: array<f32>;
@compute @workgroup_size(256)
fn add_inplace(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= d.count) { return; }
  x[i] = x[i] + y[i];
}
`;

/** y = x·c; x and y may be the same tensor, so both are one read_write binding when they are. */
export function scaleToWgsl(inPlace: boolean): string {
  return /* wgsl */ `
${COUNT_DIMS}${FLAT}
@group(0) @binding(1) var<storage, read_write> x: array<f32>;
${inPlace ? '' : '@group(0) @binding(2) var<storage, read_write> y: array<f32>;'}
@compute @workgroup_size(256)
fn scale_to(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= d.count) { return; }
  ${inPlace ? 'x' : 'y'}[i] = x[i] * d.c;
}
`;
}

/** Sizes of a pooling (n, H, W, C, s), its output (Ho, Wo) and inv = f32(1/(s·s)) from the host. */
const POOL_DIMS = /* wgsl */ `
struct PoolDims { n: u32, H: u32, W: u32, C: u32, s: u32, Ho: u32, Wo: u32, inv: f32 };
@group(0) @binding(0) var<uniform> d: PoolDims;
`;

export const AVGPOOL_FORWARD_WGSL = /* wgsl */ `
${POOL_DIMS}${FLAT}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(256)
fn avgpool_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let o = flat_index(gid, nwg);
  if (o >= d.n * d.Ho * d.Wo * d.C) { return; }
  let q = nhwc(o, d.Ho, d.Wo, d.C);
  let i = q.x; let u = q.y; let v = q.z; let c = q.w;
  var acc = 0.0;
  for (var dy = 0u; dy < d.s; dy++) {
    for (var dx = 0u; dx < d.s; dx++) { acc = acc + x[((i * d.H + u * d.s + dy) * d.W + v * d.s + dx) * d.C + c]; }
  }
  y[o] = acc * d.inv;
}
`;

export const AVGPOOL_BACKWARD_WGSL = /* wgsl */ `
${POOL_DIMS}${FLAT}
@group(0) @binding(1) var<storage, read> gy: array<f32>;
@group(0) @binding(2) var<storage, read_write> gx: array<f32>;
@compute @workgroup_size(256)
fn avgpool_backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = flat_index(gid, nwg);
  if (e >= d.n * d.H * d.W * d.C) { return; }
  let q = nhwc(e, d.H, d.W, d.C);
  let i = q.x; let h = q.y; let w = q.z; let c = q.w;
  var val = 0.0;
  if (h < d.Ho * d.s && w < d.Wo * d.s) { val = gy[((i * d.Ho + h / d.s) * d.Wo + w / d.s) * d.C + c] * d.inv; }
  gx[e] = val;
}
`;

export const MAXPOOL_FORWARD_WGSL = /* wgsl */ `
${POOL_DIMS}${FLAT}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> idx: array<u32>;
@compute @workgroup_size(256)
fn maxpool_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let o = flat_index(gid, nwg);
  if (o >= d.n * d.Ho * d.Wo * d.C) { return; }
  let q = nhwc(o, d.Ho, d.Wo, d.C);
  let i = q.x; let u = q.y; let v = q.z; let c = q.w;
  var best = ((i * d.H + u * d.s) * d.W + v * d.s) * d.C + c;
  var mx = x[best];
  for (var dy = 0u; dy < d.s; dy++) {
    for (var dx = 0u; dx < d.s; dx++) {
      let at = ((i * d.H + u * d.s + dy) * d.W + v * d.s + dx) * d.C + c;
      if (x[at] > mx) { mx = x[at]; best = at; }
    }
  }
  y[o] = mx;
  idx[o] = best;
}
`;

/** The scatter gx[idx[o]] = gy[o] as a gather: an input element takes gy of its window if it was the chosen one. */
export const MAXPOOL_BACKWARD_WGSL = /* wgsl */ `
${POOL_DIMS}${FLAT}
@group(0) @binding(1) var<storage, read> gy: array<f32>;
@group(0) @binding(2) var<storage, read> idx: array<u32>;
@group(0) @binding(3) var<storage, read_write> gx: array<f32>;
@compute @workgroup_size(256)
fn maxpool_backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = flat_index(gid, nwg);
  if (e >= d.n * d.H * d.W * d.C) { return; }
  let q = nhwc(e, d.H, d.W, d.C);
  let i = q.x; let h = q.y; let w = q.z; let c = q.w;
  var val = 0.0;
  if (h < d.Ho * d.s && w < d.Wo * d.s) {
    let o = ((i * d.Ho + h / d.s) * d.Wo + w / d.s) * d.C + c;
    if (idx[o] == e) { val = gy[o]; }
  }
  gx[e] = val;
}
`;

export const SOFTMAX_CE_WGSL = /* wgsl */ `
${MATHF_WGSL}
struct SoftmaxDims { n: u32, K: u32, scale: f32, p0: u32 };
@group(0) @binding(0) var<uniform> d: SoftmaxDims;
@group(0) @binding(1) var<storage, read> z: array<f32>;
@group(0) @binding(2) var<storage, read> labels: array<f32>;
@group(0) @binding(3) var<storage, read_write> g: array<f32>;
@group(0) @binding(4) var<storage, read_write> loss: array<f32>;
@compute @workgroup_size(1)
fn softmax_ce() {
  var total = 0.0;
  for (var i = 0u; i < d.n; i++) {
    let row = i * d.K;
    let y = u32(labels[i]);
    var mx = z[row];
    for (var j = 1u; j < d.K; j++) { mx = max(mx, z[row + j]); }
    var s = 0.0;
    for (var j = 0u; j < d.K; j++) {
      let t = expf(z[row + j] - mx);
      g[row + j] = t;
      s = s + t;
    }
    total = total + (logf(s) - (z[row + y] - mx));
    for (var j = 0u; j < d.K; j++) { g[row + j] = (g[row + j] / s - select(0.0, 1.0, j == y)) * d.scale; }
  }
  loss[0] = total / f32(d.n);
}
`;

const LAYERNORM_DIMS = /* wgsl */ `
struct LayerNormDims { rows: u32, F: u32, invF: f32, eps: f32 };
@group(0) @binding(0) var<uniform> d: LayerNormDims;
`;

/** One invocation per row, sums over j in order (assembly/kernels/layernorm.ts). */
export const LAYERNORM_FORWARD_WGSL = /* wgsl */ `
${LAYERNORM_DIMS}${FLAT}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> gamma: array<f32>;
@group(0) @binding(3) var<storage, read> beta: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;
@group(0) @binding(5) var<storage, read_write> xhat: array<f32>;
@group(0) @binding(6) var<storage, read_write> rstd: array<f32>;
@compute @workgroup_size(256)
fn layernorm_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let r = flat_index(gid, nwg);
  if (r >= d.rows) { return; }
  let row = r * d.F;
  var s = 0.0;
  for (var j = 0u; j < d.F; j++) { s = s + x[row + j]; }
  let mu = s * d.invF;
  var q = 0.0;
  for (var j = 0u; j < d.F; j++) {
    let e = x[row + j] - mu;
    q = q + e * e;
  }
  let rs = 1.0 / sqrt(q * d.invF + d.eps);
  rstd[r] = rs;
  for (var j = 0u; j < d.F; j++) {
    let h = (x[row + j] - mu) * rs;
    xhat[row + j] = h;
    y[row + j] = h * gamma[j] + beta[j];
  }
}
`;

export const LAYERNORM_BACKWARD_WGSL = /* wgsl */ `
${LAYERNORM_DIMS}${FLAT}
@group(0) @binding(1) var<storage, read> g: array<f32>;
@group(0) @binding(2) var<storage, read> xhat: array<f32>;
@group(0) @binding(3) var<storage, read> rstd: array<f32>;
@group(0) @binding(4) var<storage, read> gamma: array<f32>;
@group(0) @binding(5) var<storage, read_write> gx: array<f32>;
@compute @workgroup_size(256)
fn layernorm_backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let r = flat_index(gid, nwg);
  if (r >= d.rows) { return; }
  let row = r * d.F;
  var sa = 0.0;
  var sb = 0.0;
  for (var j = 0u; j < d.F; j++) {
    let u = g[row + j] * gamma[j];
    sa = sa + u;
    sb = sb + u * xhat[row + j];
  }
  let a = sa * d.invF;
  let b = sb * d.invF;
  let rs = rstd[r];
  for (var j = 0u; j < d.F; j++) {
    let u = g[row + j] * gamma[j];
    gx[row + j] = rs * ((u - a) - xhat[row + j] * b);
  }
}
`;

const EMBED_DIMS = /* wgsl */ `
struct EmbedDims { rows: u32, dim: u32, vocab: u32, p0: u32 };
@group(0) @binding(0) var<uniform> d: EmbedDims;
`;

/** One invocation per output element: a copy of the token's table entry (assembly/kernels/embedding.ts). */
export const EMBEDDING_FORWARD_WGSL = /* wgsl */ `
${EMBED_DIMS}${FLAT}
@group(0) @binding(1) var<storage, read> tokens: array<f32>;
@group(0) @binding(2) var<storage, read> table: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(256)
fn embedding_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = flat_index(gid, nwg);
  if (e >= d.rows * d.dim) { return; }
  let r = e / d.dim;
  y[e] = table[u32(tokens[r]) * d.dim + e % d.dim];
}
`;

/** One invocation per table element (v, j), gathering the rows that hold token v in row order, as WASM. */
export const EMBEDDING_GRAD_WGSL = /* wgsl */ `
${EMBED_DIMS}${FLAT}
@group(0) @binding(1) var<storage, read> tokens: array<f32>;
@group(0) @binding(2) var<storage, read> g: array<f32>;
@group(0) @binding(3) var<storage, read_write> dtable: array<f32>;
@compute @workgroup_size(256)
fn embedding_grad(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = flat_index(gid, nwg);
  if (e >= d.vocab * d.dim) { return; }
  let v = e / d.dim;
  let j = e % d.dim;
  var s = 0.0;
  for (var r = 0u; r < d.rows; r++) {
    if (u32(tokens[r]) == v) { s = s + g[r * d.dim + j]; }
  }
  dtable[e] = s;
}
`;

const ATTENTION_DIMS = /* wgsl */ `
struct AttentionDims { n: u32, L: u32, dk: u32, dv: u32, scale: f32, p0: u32, p1: u32, p2: u32 };
@group(0) @binding(0) var<uniform> d: AttentionDims;
fn at(row: u32, width: u32, col: u32) -> u32 { return row * width + col; }
`;

/** One invocation per sample, every sum in the WASM order (assembly/kernels/attention.ts). */
export const ATTENTION_FORWARD_WGSL = /* wgsl */ `
${MATHF_WGSL}${ATTENTION_DIMS}${FLAT}
@group(0) @binding(1) var<storage, read> Q: array<f32>;
@group(0) @binding(2) var<storage, read> K: array<f32>;
@group(0) @binding(3) var<storage, read> V: array<f32>;
@group(0) @binding(4) var<storage, read_write> A: array<f32>;
@group(0) @binding(5) var<storage, read_write> Z: array<f32>;
@compute @workgroup_size(256)
fn attention_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= d.n) { return; }
  let r0 = i * d.L;
  for (var a = 0u; a < d.L; a++) {
    let arow = (r0 + a) * d.L;
    var m = 0.0;
    for (var b = 0u; b <= a; b++) {
      var s = 0.0;
      for (var k = 0u; k < d.dk; k++) { s = s + Q[at(r0 + a, d.dk, k)] * K[at(r0 + b, d.dk, k)]; }
      s = s * d.scale;
      A[arow + b] = s;
      m = select(max(m, s), s, b == 0u);
    }
    var S = 0.0;
    for (var b = 0u; b <= a; b++) {
      let e = expf(A[arow + b] - m);
      A[arow + b] = e;
      S = S + e;
    }
    for (var b = 0u; b < d.L; b++) { A[arow + b] = select(0.0, A[arow + b] / S, b <= a); }
    for (var j = 0u; j < d.dv; j++) {
      var z = 0.0;
      for (var b = 0u; b <= a; b++) { z = z + A[arow + b] * V[at(r0 + b, d.dv, j)]; }
      Z[at(r0 + a, d.dv, j)] = z;
    }
  }
}
`;

export const ATTENTION_BACKWARD_WGSL = /* wgsl */ `
${ATTENTION_DIMS}${FLAT}
@group(0) @binding(1) var<storage, read> Q: array<f32>;
@group(0) @binding(2) var<storage, read> K: array<f32>;
@group(0) @binding(3) var<storage, read> V: array<f32>;
@group(0) @binding(4) var<storage, read> A: array<f32>;
@group(0) @binding(5) var<storage, read> gZ: array<f32>;
@group(0) @binding(6) var<storage, read_write> gS: array<f32>;
@group(0) @binding(7) var<storage, read_write> gQ: array<f32>;
@group(0) @binding(8) var<storage, read_write> gK: array<f32>;
@group(0) @binding(9) var<storage, read_write> gV: array<f32>;
@compute @workgroup_size(256)
fn attention_backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= d.n) { return; }
  let r0 = i * d.L;
  for (var a = 0u; a < d.L; a++) {
    let arow = (r0 + a) * d.L;
    var c = 0.0;
    for (var b = 0u; b <= a; b++) {
      var g = 0.0;
      for (var j = 0u; j < d.dv; j++) { g = g + gZ[at(r0 + a, d.dv, j)] * V[at(r0 + b, d.dv, j)]; }
      gS[arow + b] = g;
      c = c + A[arow + b] * g;
    }
    for (var b = 0u; b < d.L; b++) { gS[arow + b] = select(0.0, A[arow + b] * (gS[arow + b] - c), b <= a); }
  }
  for (var b = 0u; b < d.L; b++) {
    for (var j = 0u; j < d.dv; j++) {
      var g = 0.0;
      for (var a = b; a < d.L; a++) { g = g + A[(r0 + a) * d.L + b] * gZ[at(r0 + a, d.dv, j)]; }
      gV[at(r0 + b, d.dv, j)] = g;
    }
    for (var k = 0u; k < d.dk; k++) {
      var g = 0.0;
      for (var a = b; a < d.L; a++) { g = g + gS[(r0 + a) * d.L + b] * Q[at(r0 + a, d.dk, k)]; }
      gK[at(r0 + b, d.dk, k)] = g * d.scale;
    }
  }
  for (var a = 0u; a < d.L; a++) {
    for (var k = 0u; k < d.dk; k++) {
      var g = 0.0;
      for (var b = 0u; b <= a; b++) { g = g + gS[(r0 + a) * d.L + b] * K[at(r0 + b, d.dk, k)]; }
      gQ[at(r0 + a, d.dk, k)] = g * d.scale;
    }
  }
}
`;

const POSITION_DIMS = /* wgsl */ `
struct PositionDims { n: u32, L: u32, C: u32, p0: u32 };
@group(0) @binding(0) var<uniform> d: PositionDims;
`;

/** One invocation per output element: copies (assembly/kernels/position.ts). */
export const LAST_POSITION_WGSL = /* wgsl */ `
${POSITION_DIMS}${FLAT}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(256)
fn last_position(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = flat_index(gid, nwg);
  if (e >= d.n * d.C) { return; }
  let i = e / d.C;
  y[e] = x[(i * d.L + d.L - 1u) * d.C + e % d.C];
}
`;

export const LAST_POSITION_BACKWARD_WGSL = /* wgsl */ `
${POSITION_DIMS}${FLAT}
@group(0) @binding(1) var<storage, read> g: array<f32>;
@group(0) @binding(2) var<storage, read_write> gx: array<f32>;
@compute @workgroup_size(256)
fn last_position_backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = flat_index(gid, nwg);
  if (e >= d.n * d.L * d.C) { return; }
  let i = e / (d.L * d.C);
  let l = (e / d.C) % d.L;
  gx[e] = select(0.0, g[i * d.C + e % d.C], l == d.L - 1u);
}
`;

const OPT_DIMS = /* wgsl */ `
struct OptDims { count: u32, lr: f32, b1: f32, b2: f32, eps: f32, bc1: f32, bc2: f32, wd: f32 };
@group(0) @binding(0) var<uniform> d: OptDims;
`;

/** GD through the shared gd_update, with the rate in the uniform. */
export const GD_STEP_LAYERED_WGSL = /* wgsl */ `
${OPT_DIMS}${FLAT}
${UPDATE_CORE_WGSL}
@group(0) @binding(1) var<storage, read_write> p: array<f32>;
@group(0) @binding(2) var<storage, read> g: array<f32>;
@compute @workgroup_size(256)
fn gd_step(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= d.count) { return; }
  p[i] = gd_update(p[i], g[i], d.lr);
}
`;

/** AdamW: p − (lr·wd)·p, then the shared adam_core (wd = 0 is Adam: p − 0 = p). */
export const ADAMW_STEP_WGSL = /* wgsl */ `
${OPT_DIMS}${FLAT}
${UPDATE_CORE_WGSL}
@group(0) @binding(1) var<storage, read_write> p: array<f32>;
@group(0) @binding(2) var<storage, read> g: array<f32>;
@group(0) @binding(3) var<storage, read_write> mo: array<f32>;
@group(0) @binding(4) var<storage, read_write> ve: array<f32>;
@compute @workgroup_size(256)
fn adamw_step(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= d.count) { return; }
  let q = p[i] - (d.lr * d.wd) * p[i];
  let u = adam_core(q, g[i], mo[i], ve[i], d.lr, d.b1, d.b2, d.eps, d.bc1, d.bc2);
  p[i] = u.x;
  mo[i] = u.y;
  ve[i] = u.z;
}
`;

export const SUM_SQUARES_WGSL = /* wgsl */ `
${COUNT_DIMS}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(1)
fn sum_squares() {
  var acc = vec4<f32>(0.0);
  let n4 = d.count & ~3u;
  for (var i = 0u; i < n4; i += 4u) {
    let v = vec4<f32>(x[i], x[i + 1u], x[i + 2u], x[i + 3u]);
    acc = acc + v * v;
  }
  var t = (acc.x + acc.y) + (acc.z + acc.w);
  for (var i = n4; i < d.count; i++) { t = t + x[i] * x[i]; }
  out[0] = t;
}
`;

/** The output of one rounded op (either neighbour), or 2⁻¹²⁶ when a subnormal flushes. */
const ONE_OP: Tolerance = { kind: 'ulp', ulps: 1, atol: 2 ** -126 };

export const LAYER_TOLERANCE: Record<string, Tolerance> = {
  // copies and selections (comparisons are exact in WGSL): the WASM bits
  im2col: { kind: 'exact' },
  maxpool_forward: { kind: 'exact' },
  maxpool_backward: { kind: 'exact' },
  // one add or multiply per output
  bias_add: ONE_OP,
  add_inplace: ONE_OP,
  scale_to: ONE_OP,
  avgpool_backward: ONE_OP,
  // sums, which WGSL may reassociate: the dot-product bound (terms)·2⁻²³·Σ|terms| (+ 1 ulp for the
  // scaling of the average)
  col2im: { kind: 'dot' },
  bias_grad: { kind: 'dot' },
  avgpool_forward: { kind: 'dot' },
  sum_squares: { kind: 'dot' },
  // Derived for n ≤ 64 rows, K ≤ 16 classes and logits within ±8 (the parity case: n = 50, K = 10,
  // ±6), in units u = 2⁻²³. t = eˣ: ≤ 16u carried from the rounding of x = z − max (|x| ≤ 16) plus
  // ≤ 4u from the module's polynomial on + − ×; s, a K-term sum: ≤ 36u; t/s with its 2.5-ulp
  // division: ≤ 62u relative, under 128 ulp of the value, and at the label, t/s − 1 keeps it as an
  // absolute error below 2⁻¹⁷ (scale ≤ 1). The loss: ln s within 62u absolute (ln's own error
  // included), z_y − max 16u, and the mean of n rows (n·u relative): below 256 ulp for a loss ≥ 1.
  softmax_ce: { kind: 'ulp', ulps: 256, atol: 2 ** -17 },
  // as adam_step (the shared adam_core), after the decay p − (lr·wd)·p
  adamw_step: { kind: 'ulp', ulps: 8, atol: 2 ** -126 },
  // Derived for F ≤ 64 features with |x| ≤ 1 and |γ|, |β| ≤ 1 (the parity case: F = 48), in u = 2⁻²³:
  // μ and σ² are F-term sums (≤ F·u relative to Σ|x|, so ≤ 2⁻¹⁶ absolute in μ), rstd adds WGSL's
  // 1/√ (inverseSqrt 2 ulp, division 2.5 ulp, a fused q·invF + eps); x − μ then carries μ's absolute
  // error, so x̂ and y are within 2⁻¹⁴ absolute (rstd ≤ 4 for these inputs) or 64 ulp of the value.
  // The backward pass: its two F-term sums and the product with rstd, alike.
  // copies; sums over the rows that hold a token (terms: the rows, an upper bound)
  last_position: { kind: 'exact' },
  last_position_backward: { kind: 'exact' },
  embedding_forward: { kind: 'exact' },
  embedding_grad: { kind: 'dot' },
  // Derived for L ≤ 16 positions, d_k, d_v ≤ 32 and |Q|, |K|, |V|, |gZ| ≤ 1 (the parity case: L = 9,
  // d_k = 6, d_v = 5), in u = 2⁻²³: a score is a d_k-term dot product (≤ d_k·u·Σ|q·k|), e^x carries it
  // plus the module polynomial's 4u, the row sum and WGSL's 2.5-ulp division bring A within ≤ 64u
  // relative; Z, an L-term sum of A·V, and the backward pass's sums of such products alike: within
  // 256 ulp of the value or 2⁻¹⁶ absolute (outputs near 0 from cancelling terms).
  attention_forward: { kind: 'ulp', ulps: 256, atol: 2 ** -16 },
  attention_backward: { kind: 'ulp', ulps: 256, atol: 2 ** -16 },
  layernorm_forward: { kind: 'ulp', ulps: 64, atol: 2 ** -14 },
  layernorm_backward: { kind: 'ulp', ulps: 64, atol: 2 ** -14 },
};
