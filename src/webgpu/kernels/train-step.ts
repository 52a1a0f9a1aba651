// The fused training step of the batched two-layer network: everything stays on the GPU and each
// step is six dispatches (step_begin, train_backward, train_forward, gemv_n, mse_residual, control).
// train_forward, one thread per (run, sample, four neurons): z = Σⱼ xᵢⱼwₖⱼ (sequential, as gemm_nt), then
// σ, σ′ (act_forward) and the dropout mask (dropout_mask, mul_inplace), into H and S.
// train_backward, one thread per (run, neuron): ∇aₖ = c·Σᵢ eᵢHᵢₖ (as gemv_t), ∇wₖⱼ = Σᵢ Gᵢₖxᵢⱼ with
// Gᵢₖ = ((eᵢ·c)·aₖ)·Sᵢₖ (as hidden_grad then gemm_tn, sequential over i), and the GD or Adam update
// of wₖ and then aₖ. Same formulas and reduction orders as the WASM kernels, so the trajectory
// tolerance is that of its parts. Runs that are not RUNNING (finished, waiting for a restart) skip.
import { COMMON_WGSL } from './common.js';
import { PHILOX_WGSL } from './philox.js';
import { STREAM } from '../../engine/streams.js';
import { actFnWgsl } from './activation.js';
import { UPDATE_WGSL } from './elementwise.js';

export interface StepShape {
  n: number;
  D: number;
  m: number;
}

/** The batch shape is compiled into the shader (constant loop bounds and strides): one shader per
 * shape family, and SwiftShader runs these loops about twice as fast as with run-time bounds. */
export const shapeConstsWgsl = (s: StepShape) => /* wgsl */ `
const SN: u32 = ${s.n}u;
const SD: u32 = ${s.D}u;
const SM: u32 = ${s.m}u;
/** D rounded down to a multiple of 4: loops over the inputs run in fours, then a tail */
const SD4: u32 = ${s.D - (s.D % 4)}u;
`;

const stepDims = (s: StepShape) => /* wgsl */ `
${shapeConstsWgsl(s)}
struct StepDims { R: u32, dropout: u32, mode: u32, pad: u32 };
`;

/** mode 0: step forward for RUNNING runs; mode 1: initial forward for INIT runs, and RUNNING runs
 * again (their H from their current weights), since the pass's gemv_n and mse_residual rewrite the
 * residuals of every run and the per-run step kernel leaves H behind. */
export function trainForwardWgsl(kind: number, shape: StepShape): string {
  return /* wgsl */ `
${COMMON_WGSL}
${PHILOX_WGSL}
${actFnWgsl(kind)}
${stepDims(shape)}
@group(0) @binding(0) var<uniform> dims: StepDims;
@group(0) @binding(1) var<storage, read> runs: array<Run>;
@group(0) @binding(2) var<storage, read> states: array<RunState>;
@group(0) @binding(3) var<storage, read> X: array<f32>;
@group(0) @binding(4) var<storage, read> W: array<f32>;
@group(0) @binding(5) var<storage, read_write> H: array<f32>;
@group(0) @binding(6) var<storage, read_write> S: array<f32>;
@compute @workgroup_size(64)
fn train_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  // four consecutive neurons per thread: one index computation and one X row for four outputs
  let quads = (SM + 3u) / 4u;
  let q = gid.x + gid.y * nwg.x * 64u; // (r·n + i)·quads + k/4
  if (q >= dims.R * SN * quads) { return; }
  let ri = q / quads;
  let r = ri / SN;
  let state = states[r].state;
  if (state != RUNNING && (dims.mode == 0u || state != INIT)) { return; }
  let k0 = (q % quads) * 4u;
  let x0 = ri * SD;
  var z = vec4<f32>(0.0);
  if (k0 + 4u <= SM) {
    // four neurons at once: lane l sums xⱼ·w(k0+l)ⱼ over j in order, one X load for the four
    let w0 = (r * SM + k0) * SD;
    for (var j = 0u; j < SD; j++) {
      z = z + X[x0 + j] * vec4<f32>(W[w0 + j], W[w0 + SD + j], W[w0 + 2u * SD + j], W[w0 + 3u * SD + j]);
    }
  } else {
    for (var l = 0u; l < SM - k0; l++) {
      let w0 = (r * SM + k0 + l) * SD;
      var zl = 0.0;
      for (var j = 0u; j < SD; j++) { zl = zl + X[x0 + j] * W[w0 + j]; }
      z[l] = zl;
    }
  }
  for (var l = 0u; l < 4u; l++) {
    let k = k0 + l;
    if (k >= SM) { return; }
    var hs = act(z[l]);
    let idx = ri * SM + k;
    if (dims.dropout != 0u) {
      let u = philox_uniform_at(idx % (SN * SM), runs[r].seed, ${STREAM.dropout}u, states[r].steps);
      let mask = select(0.0, runs[r].invKeep, u < runs[r].keep);
      hs = vec2<f32>(hs.x * mask, hs.y * mask);
    }
    H[idx] = hs.x;
    S[idx] = hs.y;
  }
}
`;
}

/** Largest n for which train_backward keeps Gᵢₖ in a private array (beyond it, GPUs spill). */
const G_CACHE_MAX = 128;

export function trainBackwardWgsl(adam: boolean, shape: StepShape): string {
  const state = adam
    ? `@group(0) @binding(9) var<storage, read_write> mom: array<f32>;
@group(0) @binding(10) var<storage, read_write> vel: array<f32>;`
    : '';
  // Parameter slots in the moment buffers: W entries first (R·m·D), then a (R·m).
  const updateW = (j: string, gw: string) => adam
    ? `{ let wi = rk * SD + ${j}; let u = adam_update(W[wi], ${gw}, mom[wi], vel[wi], run, st); W[wi] = u.x; mom[wi] = u.y; vel[wi] = u.z; }`
    : `{ let wi = rk * SD + ${j}; W[wi] = gd_update(W[wi], ${gw}, run.lr); }`;
  const updA = adam
    ? `let ai = dims.R * SM * SD + rk; let u = adam_update(ak, ga, mom[ai], vel[ai], run, st); A[rk] = u.x; mom[ai] = u.y; vel[ai] = u.z;`
    : `A[rk] = gd_update(ak, ga, run.lr);`;
  // Gᵢₖ = ((eᵢ·c)·aₖ)·Sᵢₖ: kept in a private array when n is small, else formed again per block of j
  const cached = shape.n <= G_CACHE_MAX;
  const gCache = cached ? 'var gs: array<f32, SN>;\n  for (var i = 0u; i < SN; i++) { gs[i] = ((E[r * SN + i] * c) * ak) * S[(r * SN + i) * SM + k]; }' : '';
  const gAt = cached ? 'gs[i]' : '((E[r * SN + i] * c) * ak) * S[(r * SN + i) * SM + k]';
  return /* wgsl */ `
${COMMON_WGSL}
${UPDATE_WGSL}
${stepDims(shape)}
@group(0) @binding(0) var<uniform> dims: StepDims;
@group(0) @binding(1) var<storage, read> runs: array<Run>;
@group(0) @binding(2) var<storage, read> states: array<RunState>;
@group(0) @binding(3) var<storage, read> X: array<f32>;
@group(0) @binding(4) var<storage, read_write> W: array<f32>;
@group(0) @binding(5) var<storage, read_write> A: array<f32>;
@group(0) @binding(6) var<storage, read> H: array<f32>;
@group(0) @binding(7) var<storage, read> S: array<f32>;
@group(0) @binding(8) var<storage, read> E: array<f32>;
${state}
@compute @workgroup_size(64)
fn train_backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let rk = gid.x + gid.y * nwg.x * 64u; // r·m + k
  if (rk >= dims.R * SM) { return; }
  let r = rk / SM;
  let k = rk % SM;
  let st = states[r];
  if (st.state != RUNNING) { return; }
  let run = runs[r];
  let c = run.gradScale;
  let ak = A[rk];
  var sa = 0.0;
  for (var i = 0u; i < SN; i++) { sa = sa + E[r * SN + i] * H[(r * SN + i) * SM + k]; }
  let ga = sa * c;
  ${gCache}
  // ∇w in blocks of four inputs, each lane summing over i in order; the last D mod 4 inputs after
  for (var j0 = 0u; j0 < SD4; j0 += 4u) {
    var sw = vec4<f32>(0.0);
    for (var i = 0u; i < SN; i++) {
      let g = ${gAt};
      let xr = (r * SN + i) * SD + j0;
      sw = sw + g * vec4<f32>(X[xr], X[xr + 1u], X[xr + 2u], X[xr + 3u]);
    }
    ${[0, 1, 2, 3].map((l) => updateW(`j0 + ${l}u`, `sw[${l}]`)).join('\n    ')}
  }
  for (var j = SD4; j < SD; j++) {
    var sw = 0.0;
    for (var i = 0u; i < SN; i++) { sw = sw + ${gAt} * X[(r * SN + i) * SD + j]; }
    ${updateW('j', 'sw')}
  }
  ${updA}
}
`;
}
