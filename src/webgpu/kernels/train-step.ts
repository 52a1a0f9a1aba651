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
import { actFnWgsl } from './activation.js';
import { UPDATE_WGSL } from './elementwise.js';

export interface StepShape {
  n: number;
  D: number;
  m: number;
}

/** The batch shape is compiled into the shader (constant loop bounds and strides): one shader per
 * shape family, and SwiftShader runs these loops about twice as fast as with run-time bounds. */
const stepDims = (s: StepShape) => /* wgsl */ `
const SN: u32 = ${s.n}u;
const SD: u32 = ${s.D}u;
const SM: u32 = ${s.m}u;
struct StepDims { R: u32, dropout: u32, mode: u32, pad: u32 };
`;

/** mode 0: step forward for RUNNING runs; mode 1: initial forward for INIT runs. */
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
  let st = states[r];
  if (st.state != select(RUNNING, INIT, dims.mode == 1u)) { return; }
  let k0 = (q % quads) * 4u;
  let x0 = ri * SD;
  let run = runs[r];
  for (var l = 0u; l < 4u; l++) {
    let k = k0 + l;
    if (k >= SM) { return; }
    let w0 = (r * SM + k) * SD;
    var z = 0.0;
    for (var j = 0u; j < SD; j++) { z = z + X[x0 + j] * W[w0 + j]; }
    var hs = act(z);
    let idx = ri * SM + k;
    if (dims.dropout != 0u) {
      let u = philox_uniform_at(idx % (SN * SM), run.seed, 4u, st.steps);
      let mask = select(0.0, run.invKeep, u < run.keep);
      hs = vec2<f32>(hs.x * mask, hs.y * mask);
    }
    H[idx] = hs.x;
    S[idx] = hs.y;
  }
}
`;
}

export function trainBackwardWgsl(adam: boolean, shape: StepShape): string {
  const state = adam
    ? `@group(0) @binding(9) var<storage, read_write> mom: array<f32>;
@group(0) @binding(10) var<storage, read_write> vel: array<f32>;`
    : '';
  // Parameter slots in the moment buffers: W entries first (R·m·D), then a (R·m).
  const updW = adam
    ? `let u = adam_update(W[wi], gw, mom[wi], vel[wi], run, st); W[wi] = u.x; mom[wi] = u.y; vel[wi] = u.z;`
    : `W[wi] = gd_update(W[wi], gw, run.lr);`;
  const updA = adam
    ? `let ai = dims.R * SM * SD + rk; let u = adam_update(ak, ga, mom[ai], vel[ai], run, st); A[rk] = u.x; mom[ai] = u.y; vel[ai] = u.z;`
    : `A[rk] = gd_update(ak, ga, run.lr);`;
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
  // ∇w in blocks of four inputs: Gᵢₖ is formed once per block, each lane still sums over i in order
  for (var j0 = 0u; j0 < SD; j0 += 4u) {
    var sw = vec4<f32>(0.0);
    for (var i = 0u; i < SN; i++) {
      let g = ((E[r * SN + i] * c) * ak) * S[(r * SN + i) * SM + k];
      let xr = (r * SN + i) * SD + j0;
      var xv = vec4<f32>(0.0);
      for (var l = 0u; l < 4u; l++) { if (j0 + l < SD) { xv[l] = X[xr + l]; } }
      sw = sw + g * xv;
    }
    for (var l = 0u; l < 4u; l++) {
      let j = j0 + l;
      if (j >= SD) { break; }
      let wi = rk * SD + j;
      let gw = sw[l];
      ${updW}
    }
  }
  ${updA}
}
`;
}
