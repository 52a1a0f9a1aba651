// The fused training step of the batched two-layer network: everything stays on the GPU and each
// step is seven dispatches (step_begin, train_grad_a, train_grad_w, train_forward, gemv_n,
// mse_residual, control). Each thread of the two GEMM-shaped kernels owns a register block of
// outputs (StepBlocks): per term of the sum it loads one row entry per block row and column and does
// rows × columns multiply-adds, so the loads per multiply-add fall as the block grows.
// train_forward, one thread per (run, TS samples, TK neurons): z = Σⱼ xᵢⱼwₖⱼ (sequential, as gemm_nt),
// then σ, σ′ (act_forward) and the dropout mask (dropout_mask, mul_inplace), into H and S.
// train_grad_a, one thread per (run, neuron): ∇aₖ = c·Σᵢ eᵢHᵢₖ (as gemv_t), the hidden gradient
// Gᵢₖ = ((eᵢ·c)·aₖ)·Sᵢₖ (as hidden_grad) written over S, then the GD or Adam update of aₖ; with an R1
// penalty eᵢ + (r·aₖ)·Hᵢₖ in place of eᵢ (as r1_hidden_grad). sgd runs weight e by their sampled batch
// after mse_residual (sample_weights, mul_inplace: nine dispatches a step).
// train_grad_w, one thread per (run, TK neurons, TJ inputs): ∇wₖⱼ = Σᵢ Gᵢₖxᵢⱼ (as gemm_tn, sequential
// over i), then the update of wₖⱼ. Same formulas and reduction orders as the WASM kernels, so the
// trajectory tolerance is that of its parts. Runs that are not RUNNING (finished, waiting for a
// restart) skip. The pieces the other step forms share live here too: the prelude, put_hidden (σ, σ′
// and the mask into H and S), output_sum (gemv_n's order) and the parameter update.
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

/** Register blocks: forward [samples, neurons], weight gradient [neurons, inputs] per thread. */
export interface StepBlocks {
  forward: [number, number];
  gradW: [number, number];
}

/**
 * `large` (8 × 8, for CPU adapters): every storage load with a run-time index is a four-lane gather
 * on SwiftShader, so large blocks pay (8 × 8 was the fastest shape measured; docs/benchmark.md). `small` (2 × 4,
 * for GPUs) keeps enough threads in flight at small widths. A block is never longer than the data
 * (n samples, D inputs), where it would only compute waste.
 */
export function stepBlocks(size: 'small' | 'large', s: StepShape): StepBlocks {
  const [rows, cols] = size === 'large' ? [8, 8] : [2, 4];
  return { forward: [Math.min(rows, s.n), cols], gradW: [rows, Math.min(cols, s.D)] };
}

/** Threads of train_forward and train_grad_w for R runs. */
export const stepThreads = (R: number, s: StepShape, b: StepBlocks) => ({
  forward: R * Math.ceil(s.n / b.forward[0]) * Math.ceil(s.m / b.forward[1]),
  gradW: R * Math.ceil(s.m / b.gradW[0]) * Math.ceil(s.D / b.gradW[1]),
});

/** The batch shape is compiled into the shader (constant loop bounds and strides): one shader per
 * shape family, and SwiftShader runs these loops about twice as fast as with run-time bounds. */
export const shapeConstsWgsl = (s: StepShape) => /* wgsl */ `
const SN: u32 = ${s.n}u;
const SD: u32 = ${s.D}u;
const SM: u32 = ${s.m}u;
`;

/** What every step kernel starts with: the shape, the step uniform, the runs and their states. */
export const stepPrelude = (s: StepShape) => /* wgsl */ `
${COMMON_WGSL}
${shapeConstsWgsl(s)}
struct StepDims { R: u32, dropout: u32, mode: u32, pad: u32 };
@group(0) @binding(0) var<uniform> dims: StepDims;
@group(0) @binding(1) var<storage, read> runs: array<Run>;
@group(0) @binding(2) var<storage, read> states: array<RunState>;
`;

/** 0, 1, …, n − 1: the indices a generated kernel writes out */
export const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const threadIndex = 'let t = gid.x + gid.y * nwg.x * 64u;';

/**
 * WGSL `put_hidden(r, i, k, z, step, ctr, words) -> f32`: σ(z), σ′(z) and the dropout mask (drawn for
 * `step`) of sample i, neuron k of run r, into H and S; returns the stored σ (0 past the data). One
 * Philox call gives the uniforms of four consecutive (i, k) entries: words keeps the last call's words
 * and ctr its counter, so a thread's neighbouring outputs share it (the same uniforms as
 * philox_uniform_at). Needs act, PHILOX_WGSL, dims.dropout, runs, H and S.
 */
export const HIDDEN_OUT_WGSL = /* wgsl */ `
fn put_hidden(r: u32, i: u32, k: u32, z: f32, step: u32, ctr: ptr<function, u32>, words: ptr<function, vec4<u32>>) -> f32 {
  if (i >= SN || k >= SM) { return 0.0; }
  var hs = act(z);
  let idx = (r * SN + i) * SM + k;
  if (dims.dropout != 0u) {
    let j = idx % (SN * SM);
    if ((j >> 2u) != *ctr) {
      *ctr = j >> 2u;
      *words = philox(vec4<u32>(*ctr, step, ${STREAM.dropout}u, 0u), vec2<u32>(runs[r].seed, 0u));
    }
    let u = philox_unit((*words)[j & 3u]);
    let mask = select(0.0, runs[r].invKeep, u < runs[r].keep);
    hs = vec2<f32>(hs.x * mask, hs.y * mask);
  }
  H[idx] = hs.x;
  S[idx] = hs.y;
  return hs.x;
}
`;

/**
 * WGSL `output_sum(hb, ab) -> f32`: Σₖ H[hb + k]·A[ab + k] over the m neurons in WASM gemv_n's order,
 * four lane sums in k order, then (s0 + s1) + (s2 + s3); the last, partial group of four adds 0·0 in
 * its missing lanes as WASM does.
 */
export function outputSumWgsl(m: number): string {
  const m4 = m - (m % 4);
  const tailLanes = [0, 1, 2, 3].map((l) => (l < m % 4 ? `H[hb + ${m4 + l}u] * A[ab + ${m4 + l}u]` : '0.0 * 0.0'));
  return /* wgsl */ `
fn output_sum(hb: u32, ab: u32) -> f32 {
  var s = vec4<f32>(0.0);
  for (var k = 0u; k < ${m4}u; k += 4u) {
    s = s + vec4<f32>(H[hb + k], H[hb + k + 1u], H[hb + k + 2u], H[hb + k + 3u]) * vec4<f32>(A[ab + k], A[ab + k + 1u], A[ab + k + 2u], A[ab + k + 3u]);
  }
  ${m % 4 === 0 ? '' : `s = s + vec4<f32>(${tailLanes.join(', ')});`}
  return (s.x + s.y) + (s.z + s.w);
}
`;
}

/** mode 0: step forward for RUNNING runs; mode 1: initial forward for INIT runs, and RUNNING runs
 * again (their H from their current weights), since the pass's gemv_n and mse_residual rewrite the
 * residuals of every run and the per-run step kernel leaves H behind. */
export function trainForwardWgsl(kind: number, shape: StepShape, blocks: StepBlocks): string {
  const [TS, TK] = blocks.forward;
  const I = range(TS),
    K = range(TK);
  return /* wgsl */ `
${stepPrelude(shape)}
${PHILOX_WGSL}
${actFnWgsl(kind)}
@group(0) @binding(3) var<storage, read> X: array<f32>;
@group(0) @binding(4) var<storage, read> W: array<f32>;
@group(0) @binding(5) var<storage, read_write> H: array<f32>;
@group(0) @binding(6) var<storage, read_write> S: array<f32>;
${HIDDEN_OUT_WGSL}
@compute @workgroup_size(64)
fn train_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  const IB = (SN + ${TS - 1}u) / ${TS}u;
  const KB = (SM + ${TK - 1}u) / ${TK}u;
  ${threadIndex} // (r·IB + sample block)·KB + neuron block
  if (t >= dims.R * IB * KB) { return; }
  let r = t / (IB * KB);
  let state = states[r].state;
  if (state != RUNNING && (dims.mode == 0u || state != INIT)) { return; }
  let i0 = ((t / KB) % IB) * ${TS}u;
  let k0 = (t % KB) * ${TK}u;
  // rows past the end read the last row (so every load is in bounds); put_hidden drops their outputs
  ${I.map((s) => `let x${s}r = (r * SN + min(i0 + ${s}u, SN - 1u)) * SD;`).join('\n  ')}
  ${K.map((k) => `let w${k}r = (r * SM + min(k0 + ${k}u, SM - 1u)) * SD;`).join('\n  ')}
  ${I.map((s) => K.map((k) => `var z${s}_${k} = 0.0;`).join(' ')).join('\n  ')}
  for (var j = 0u; j < SD; j++) {
    ${I.map((s) => `let x${s} = X[x${s}r + j];`).join(' ')}
    ${K.map((k) => `let w${k} = W[w${k}r + j];`).join(' ')}
    ${I.map((s) => K.map((k) => `z${s}_${k} = z${s}_${k} + x${s} * w${k};`).join(' ')).join('\n    ')}
  }
  // the outputs through one loop, so σ, σ′ and the mask are compiled once, not once per output
  var z = array<f32, ${TS * TK}>(${I.flatMap((s) => K.map((k) => `z${s}_${k}`)).join(', ')});
  var ctr = 0xffffffffu; // no Philox words yet
  var words = vec4<u32>();
  for (var l = 0u; l < ${TS * TK}u; l++) { put_hidden(r, i0 + l / ${TK}u, k0 + l % ${TK}u, z[l], states[r].steps, &ctr, &words); }
}
`;
}

export const adamBindings = (adam: boolean, first: number) =>
  adam
    ? `@group(0) @binding(${first}) var<storage, read_write> mom: array<f32>;
@group(0) @binding(${first + 1}) var<storage, read_write> vel: array<f32>;`
    : '';

/** The update of parameter p (an expression) from its value and gradient g; `slot` indexes the Adam
 * moments, which hold W's R·m·D entries first, then a's R·m. */
export const updateWgsl = (adam: boolean, p: string, g: string, slot: string, value: string) =>
  adam
    ? `{ let u = adam_update(${value}, ${g}, mom[${slot}], vel[${slot}], run, st); ${p} = u.x; mom[${slot}] = u.y; vel[${slot}] = u.z; }`
    : `${p} = gd_update(${value}, ${g}, run.lr);`;

/** With `r1`, the residual of sample i at neuron k is eᵢ + (r·aₖ)·Hᵢₖ (r = runs[r].r1): R_S + R1's gradients, as r1_hidden_grad. */
export function trainGradAWgsl(adam: boolean, shape: StepShape, r1 = false): string {
  return /* wgsl */ `
${stepPrelude(shape)}
${UPDATE_WGSL}
@group(0) @binding(3) var<storage, read_write> A: array<f32>;
@group(0) @binding(4) var<storage, read> H: array<f32>;
@group(0) @binding(5) var<storage, read_write> S: array<f32>;
@group(0) @binding(6) var<storage, read> E: array<f32>;
${adamBindings(adam, 7)}
@compute @workgroup_size(64)
fn train_grad_a(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  ${threadIndex} // r·m + k
  if (t >= dims.R * SM) { return; }
  let r = t / SM;
  let k = t % SM;
  let st = states[r];
  if (st.state != RUNNING) { return; }
  let run = runs[r];
  let c = run.gradScale;
  let ak = A[t];
  ${r1 ? 'let rak = run.r1 * ak;' : ''}
  var sa = 0.0;
  for (var i = 0u; i < SN; i++) {
    let hi = (r * SN + i) * SM + k;
    let e = E[r * SN + i]${r1 ? ' + rak * H[hi]' : ''};
    sa = sa + e * H[hi];
    S[hi] = ((e * c) * ak) * S[hi];
  }
  ${updateWgsl(adam, 'A[t]', 'sa * c', 'dims.R * SM * SD + t', 'ak')}
}
`;
}

export function trainGradWWgsl(adam: boolean, shape: StepShape, blocks: StepBlocks): string {
  const [TK, TJ] = blocks.gradW;
  const K = range(TK),
    J = range(TJ);
  return /* wgsl */ `
${stepPrelude(shape)}
${UPDATE_WGSL}
@group(0) @binding(3) var<storage, read> X: array<f32>;
@group(0) @binding(4) var<storage, read_write> W: array<f32>;
@group(0) @binding(5) var<storage, read> G: array<f32>;
${adamBindings(adam, 6)}
@compute @workgroup_size(64)
fn train_grad_w(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  const KB = (SM + ${TK - 1}u) / ${TK}u;
  const JB = (SD + ${TJ - 1}u) / ${TJ}u;
  ${threadIndex} // (r·KB + neuron block)·JB + input block
  if (t >= dims.R * KB * JB) { return; }
  let r = t / (KB * JB);
  let st = states[r];
  if (st.state != RUNNING) { return; }
  let run = runs[r];
  let k0 = ((t / JB) % KB) * ${TK}u;
  let j0 = (t % JB) * ${TJ}u;
  // columns past the end read the last column (in bounds); their updates are skipped
  ${K.map((k) => `let kc${k} = min(k0 + ${k}u, SM - 1u);`).join(' ')}
  ${J.map((j) => `let jc${j} = min(j0 + ${j}u, SD - 1u);`).join(' ')}
  ${K.map((k) => J.map((j) => `var g${k}_${j} = 0.0;`).join(' ')).join('\n  ')}
  for (var i = 0u; i < SN; i++) {
    let gr = (r * SN + i) * SM;
    let xr = (r * SN + i) * SD;
    ${K.map((k) => `let h${k} = G[gr + kc${k}];`).join(' ')}
    ${J.map((j) => `let x${j} = X[xr + jc${j}];`).join(' ')}
    ${K.map((k) => J.map((j) => `g${k}_${j} = g${k}_${j} + h${k} * x${j};`).join(' ')).join('\n    ')}
  }
  // the updates through one loop, so the optimiser is compiled once, not once per weight
  var g = array<f32, ${TK * TJ}>(${K.flatMap((k) => J.map((j) => `g${k}_${j}`)).join(', ')});
  for (var l = 0u; l < ${TK * TJ}u; l++) {
    let k = k0 + l / ${TJ}u;
    let j = j0 + l % ${TJ}u;
    if (k < SM && j < SD) { let wi = (r * SM + k) * SD + j; ${updateWgsl(adam, 'W[wi]', 'g[l]', 'wi', 'W[wi]')} }
  }
}
`;
}
