// WGSL twins of assembly/kernels/elementwise.ts, batched over R runs (run r owns elements
// [r·P, (r+1)·P) of each flat buffer, P given in the uniform). Per-run scalars (1/(αn), lr, keep,
// seed, Adam state) come from the Run and RunState arrays; updates touch only RUNNING runs.
// Tolerances: one rounding per op on the WASM side, fusion allowed on the GPU: ulp(2) for products,
// ulp(4) for Adam's chain; the loss is a sequential sum of n squares (n·2⁻²³·Σe² bound).
import { COMMON_WGSL } from './common.js';
import { PHILOX_WGSL } from './philox.js';
import { STREAM } from '../../engine/streams.js';
import type { Tolerance } from '../tolerance.js';
import { structWgsl } from '../../kernels/define.js';

/** The optimiser formulas, shared by gd_step/adam_step, the fused training step and the layered kernels. */
export const UPDATE_CORE_WGSL = /* wgsl */ `
fn gd_update(p: f32, g: f32, lr: f32) -> f32 { return p - lr * g; }
/** Adam on one parameter with bias corrections bc1 = 1 − β1ᵗ, bc2 = 1 − β2ᵗ: returns (p, m, v) after the step. */
fn adam_core(p: f32, g: f32, mo: f32, ve: f32, lr: f32, b1: f32, b2: f32, eps: f32, bc1: f32, bc2: f32) -> vec3<f32> {
  let mi = b1 * mo + (1.0 - b1) * g;
  let vi = b2 * ve + (1.0 - b2) * (g * g);
  let step = (mi / bc1) / (sqrt(vi / bc2) + eps);
  return vec3<f32>(p - lr * step, mi, vi);
}
`;

/** The same for batched runs: Adam's bias corrections from RunState (needs COMMON_WGSL). */
export const UPDATE_WGSL = /* wgsl */ `
${UPDATE_CORE_WGSL}
fn adam_update(p: f32, g: f32, mo: f32, ve: f32, run: Run, st: RunState) -> vec3<f32> {
  return adam_core(p, g, mo, ve, run.lr, run.b1, run.b2, run.eps, 1.0 - st.b1t, 1.0 - st.b2t);
}
`;

/** The uniform of the flat kernels: elements in all, and per run. */
export const FLAT_UNIFORM = { count: 'u32', perRun: 'u32' } as const;
const FLAT = /* wgsl */ `
${structWgsl('Flat', FLAT_UNIFORM)}
fn flat_index(gid: vec3<u32>, nwg: vec3<u32>) -> u32 { return gid.x + gid.y * nwg.x * 256u; }
`;

export const MSE_RESIDUAL_WGSL = /* wgsl */ `
${COMMON_WGSL}
${FLAT}
@group(0) @binding(0) var<uniform> dims: Flat; // count = R, perRun = n
@group(0) @binding(1) var<storage, read> f: array<f32>;
@group(0) @binding(2) var<storage, read> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> e: array<f32>;
@group(0) @binding(4) var<storage, read_write> loss: array<f32>;
@compute @workgroup_size(64)
fn mse_residual(@builtin(global_invocation_id) gid: vec3<u32>) {
  let r = gid.x;
  if (r >= dims.count) { return; }
  var s = 0.0;
  for (var i = r * dims.perRun; i < (r + 1u) * dims.perRun; i++) {
    let v = f[i] - y[i];
    e[i] = v;
    s = s + v * v;
  }
  loss[r] = (s * 0.5) / f32(dims.perRun);
}
`;

export const HIDDEN_GRAD_WGSL = /* wgsl */ `
${COMMON_WGSL}
struct HG { R: u32, n: u32, m: u32, pad: u32 };
@group(0) @binding(0) var<uniform> dims: HG;
@group(0) @binding(1) var<storage, read> runs: array<Run>;
@group(0) @binding(2) var<storage, read> e: array<f32>;
@group(0) @binding(3) var<storage, read> a: array<f32>;
@group(0) @binding(4) var<storage, read> s: array<f32>;
@group(0) @binding(5) var<storage, read_write> g: array<f32>;
@compute @workgroup_size(256)
fn hidden_grad(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let idx = gid.x + gid.y * nwg.x * 256u;
  let nm = dims.n * dims.m;
  if (idx >= dims.R * nm) { return; }
  let r = idx / nm;
  let i = (idx % nm) / dims.m;
  let k = idx % dims.m;
  g[idx] = ((e[r * dims.n + i] * runs[r].gradScale) * a[r * dims.m + k]) * s[idx];
}
`;

/** sample_weights for R runs: one invocation a (run, sample) counts the run's draws (Philox stream sgd,
 * counter ctr1 = the run's step) that land on its sample, then times n/batch: the WASM bits. */
export const SAMPLE_WEIGHTS_WGSL = /* wgsl */ `
${COMMON_WGSL}
${PHILOX_WGSL}
${FLAT}
@group(0) @binding(0) var<uniform> dims: Flat; // count = R·n, perRun = n
@group(0) @binding(1) var<storage, read> runs: array<Run>;
@group(0) @binding(2) var<storage, read> states: array<RunState>;
@group(0) @binding(3) var<storage, read_write> w: array<f32>;
@compute @workgroup_size(256)
fn sample_weights(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let idx = flat_index(gid, nwg);
  if (idx >= dims.count) { return; }
  let n = dims.perRun;
  let r = idx / n;
  let i = idx % n;
  let run = runs[r];
  let step = states[r].steps;
  var c = 0.0;
  for (var j = 0u; j < run.batch; j += 4u) {
    let words = philox(vec4<u32>(j >> 2u, step, ${STREAM.sgd}u, 0u), vec2<u32>(run.seed, 0u));
    for (var l = 0u; l < min(4u, run.batch - j); l++) {
      if (min(u32(philox_unit(words[l]) * f32(n)), n - 1u) == i) { c = c + 1.0; }
    }
  }
  w[idx] = c * run.batchScale;
}
`;

export const MUL_INPLACE_WGSL = /* wgsl */ `
${FLAT}
@group(0) @binding(0) var<uniform> dims: Flat;
@group(0) @binding(1) var<storage, read_write> x: array<f32>;
@group(0) @binding(2) var<storage, read> y: array<f32>;
@compute @workgroup_size(256)
fn mul_inplace(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= dims.count) { return; }
  x[i] = x[i] * y[i];
}
`;

/** Bindings shared by gd_step and adam_step: a flat parameter array p and its gradient g. */
const OPTIMISER_HEAD = /* wgsl */ `
${COMMON_WGSL}
${UPDATE_WGSL}
${FLAT}
@group(0) @binding(0) var<uniform> dims: Flat;
@group(0) @binding(1) var<storage, read> runs: array<Run>;
@group(0) @binding(2) var<storage, read> states: array<RunState>;
@group(0) @binding(3) var<storage, read_write> p: array<f32>;
@group(0) @binding(4) var<storage, read> g: array<f32>;
`;

export const GD_STEP_WGSL = /* wgsl */ `
${OPTIMISER_HEAD}
@compute @workgroup_size(256)
fn gd_step(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= dims.count) { return; }
  let r = i / dims.perRun;
  if (states[r].state != RUNNING) { return; }
  p[i] = gd_update(p[i], g[i], runs[r].lr);
}
`;

export const ADAM_STEP_WGSL = /* wgsl */ `
${OPTIMISER_HEAD}
@group(0) @binding(5) var<storage, read_write> mom: array<f32>;
@group(0) @binding(6) var<storage, read_write> vel: array<f32>;
@compute @workgroup_size(256)
fn adam_step(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= dims.count) { return; }
  let r = i / dims.perRun;
  let st = states[r];
  if (st.state != RUNNING) { return; }
  let u = adam_update(p[i], g[i], mom[i], vel[i], runs[r], st);
  p[i] = u.x;
  mom[i] = u.y;
  vel[i] = u.z;
}
`;

export const DROPOUT_MASK_WGSL = /* wgsl */ `
${COMMON_WGSL}
${PHILOX_WGSL}
${FLAT}
@group(0) @binding(0) var<uniform> dims: Flat; // perRun = n·m
@group(0) @binding(1) var<storage, read> runs: array<Run>;
@group(0) @binding(2) var<storage, read> states: array<RunState>;
@group(0) @binding(3) var<storage, read_write> mask: array<f32>;
@compute @workgroup_size(256)
fn dropout_mask(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= dims.count) { return; }
  let r = i / dims.perRun;
  let run = runs[r];
  let u = philox_uniform_at(i % dims.perRun, run.seed, ${STREAM.dropout}u, states[r].steps);
  mask[i] = select(0.0, run.invKeep, u < run.keep);
}
`;

/**
 * Both updates end in p − lr·u, which WGSL may fuse into one rounding: where p and lr·u nearly cancel,
 * the unfused rounding of lr·u is many ulps of the result (13 on an NVIDIA H100 for gd_step). So their
 * parity budget adds UPDATE_CARRY·|lr·u|·2⁻²³ per step: 1 for GD (the product's rounding); 16 for Adam,
 * whose u = (m/bc1)/(√(v/bc2) + ε) carries ≈ 14 ulp of its own (three divisions at 2.5 ulp, sqrt as
 * 1/inverseSqrt, m and v one rounding each) plus that product.
 */
export const UPDATE_CARRY = { gd_step: 1, adam_step: 16 };

export const ELEMENTWISE_TOLERANCE: Record<
  'mse_residual' | 'hidden_grad' | 'mul_inplace' | 'gd_step' | 'adam_step' | 'dropout_mask' | 'sample_weights',
  Tolerance
> = {
  mse_residual: { kind: 'dot' },
  hidden_grad: { kind: 'ulp', ulps: 3, atol: 2 ** -126 },
  mul_inplace: { kind: 'ulp', ulps: 0, atol: 2 ** -126 },
  gd_step: { kind: 'ulp', ulps: 2, atol: 2 ** -126 },
  adam_step: { kind: 'ulp', ulps: 8, atol: 2 ** -126 },
  dropout_mask: { kind: 'exact' },
  // integer counts times one f32 scale: one correctly rounded product
  sample_weights: { kind: 'exact' },
};
