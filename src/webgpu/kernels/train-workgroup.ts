// The workgroup form of the batched training step, for adapters that are CPUs (SwiftShader) and for
// sweeps of many small runs on GPUs: one workgroup trains one run for a whole chunk of steps, so a chunk
// is one dispatch. A dispatch costs a
// CPU adapter far more than the arithmetic of a small run's step, which made the seven-dispatch step
// of ./train-step.ts slow for long runs of small networks (dropout, the 1-d tanh tasks); unlike the
// per-run form (./train-chunk.ts) the work of a step is spread over the workgroup's invocations and
// σ, σ′ and the dropout masks are computed once a step, not twice. Per step:
//   0. with dropout, the invocations draw the step's masks as bits into workgroup memory, one
//      Philox call per four entries;
//   1. each invocation takes blocks of four neurons in turn (one load of a sample's inputs serves the
//      block): ∇aₖ = c·Σᵢ eᵢHᵢₖ (as gemv_t), the hidden gradient ((eᵢ·c)·aₖ)·Sᵢₖ and ∇wₖⱼ = Σᵢ of it
//      times xᵢⱼ (as gemm_tn), both sequential over i; the GD or Adam update; then the neurons' new
//      pre-activations (as gemm_nt, sequential over j), σ, σ′ and the masks into H and S;
//   2. each invocation takes samples i ≡ lid (mod WG): the output as four lane sums in k order,
//      (s0 + s1) + (s2 + s3) (as gemv_n), and the residual eᵢ into workgroup memory;
//   3. invocation 0 sums the loss (as mse_residual) and applies the step rules of control.ts; the
//      workgroup reads the run's new state back (workgroupUniformLoad) and stops with it.
// The formulas and reduction orders are those of the WASM kernels, so on SwiftShader the trajectories
// are the WASM bits. H and S persist between chunks as in the seven-dispatch step, whose forward pass
// (train_forward, gemv_n, mse_residual) still gives R(0) and refreshes carried runs; a chunk starts by
// summing the residuals again from them.
import { COMMON_WGSL } from './common.js';
import { PHILOX_WGSL } from './philox.js';
import { STEP_RULES_WGSL } from './control.js';
import { UPDATE_WGSL } from './elementwise.js';
import { actFnWgsl } from './activation.js';
import { shapeConstsWgsl, outputSumWgsl, range, type StepShape } from './train-step.js';
import { STREAM } from '../../engine/streams.js';

/** Invocations per workgroup: on a CPU adapter one SwiftShader SIMD group (SwiftShader runs a workgroup
 * on one thread, so more invocations only add barrier switches: in Chromium T6.3-none took 34 s at 4, 37 s
 * at 16 and 44 s at 64; T6.2-none 57, 56 and 58 s); on a GPU two warps, for the sweeps of many small runs.
 * Each neuron and each sample is one invocation's sequential work whatever the count, so every count
 * gives the same bits. CONDENSA_STEP_INVOCATIONS forces it (tests). */
export function workgroupInvocations(adapter: { software: boolean }): number {
  const forced = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.CONDENSA_STEP_INVOCATIONS;
  if (forced === undefined) return adapter.software ? 4 : 64;
  const k = Number(forced);
  if (![1, 2, 4, 8, 16, 32, 64, 128, 256].includes(k))
    throw new Error(`CONDENSA_STEP_INVOCATIONS must be a power of 2 from 1 to 256, got ${JSON.stringify(forced)}`);
  return k;
}
/** Largest input dimension d + 1 the kernel takes (it unrolls the loops over inputs) and largest n
 * (the residuals sit in workgroup memory: with the dropout bits, under WebGPU's default 16 KiB). */
const WORKGROUP_MAX_D = 16;
const WORKGROUP_MAX_N = 2048;

/** Words of the dropout bit mask of one step (in workgroup memory, beside the residuals). */
const keptWords = (s: StepShape) => Math.ceil((s.n * s.m) / 32);
const WORKGROUP_MAX_KEPT_WORDS = 2000;

/** Neurons per invocation in step 1 (they share the loads of each sample's inputs). */
const NB = 4;

/** Whether the workgroup kernel takes this shape (with dropout, its masks must fit workgroup memory). */
export const workgroupFits = (s: StepShape, dropout: boolean) =>
  s.D <= WORKGROUP_MAX_D && s.n <= WORKGROUP_MAX_N && (!dropout || keptWords(s) <= WORKGROUP_MAX_KEPT_WORDS);

export interface WorkgroupKernelOptions {
  kind: number;
  adam: boolean;
  dropout: boolean;
  shape: StepShape;
  /** length of each run's loss-history ring */
  histCap: number;
  /** invocations per workgroup (workgroupInvocations) */
  invocations: number;
}

export function trainWorkgroupWgsl(o: WorkgroupKernelOptions): string {
  const { n, D, m } = o.shape;
  if (!workgroupFits(o.shape, o.dropout))
    throw new Error(
      `the workgroup training kernel takes d + 1 ≤ ${WORKGROUP_MAX_D}, n ≤ ${WORKGROUP_MAX_N} and, with dropout, n·m ≤ ${32 * WORKGROUP_MAX_KEPT_WORDS}; got ${D}, ${n} and ${n * m}`,
    );
  const J = range(D),
    B = range(NB);
  const update = (p: string, value: string, g: string, slot: string) =>
    o.adam
      ? `{ let u = adam_update(${value}, ${g}, mom[${slot}], vel[${slot}], run, st); ${p} = u.x; mom[${slot}] = u.y; vel[${slot}] = u.z; }`
      : `${p} = gd_update(${value}, ${g}, run.lr);`;
  return /* wgsl */ `
${COMMON_WGSL}
${STEP_RULES_WGSL}
${UPDATE_WGSL}
${o.dropout ? PHILOX_WGSL : ''}
${actFnWgsl(o.kind)}
${shapeConstsWgsl(o.shape)}
const HIST_CAP: u32 = ${o.histCap}u;
const WG: u32 = ${o.invocations}u;
/** n again, as a run-time value (SwiftShader turns a division by a constant into a multiplication by
 * its reciprocal, which rounds differently from mse_residual's division); y: where the targets start
 * in X (after every run's inputs) */
struct ChunkDims { R: u32, steps: u32, n: u32, y: u32 };
@group(0) @binding(0) var<uniform> dims: ChunkDims;
@group(0) @binding(1) var<storage, read> runs: array<Run>;
@group(0) @binding(2) var<storage, read_write> states: array<RunState>;
/** the inputs x̃ of every run, then the targets: one binding (a stage may have only 10 storage buffers) */
@group(0) @binding(3) var<storage, read> X: array<f32>;
@group(0) @binding(4) var<storage, read_write> W: array<f32>;
@group(0) @binding(5) var<storage, read_write> A: array<f32>;
@group(0) @binding(6) var<storage, read_write> hist: array<f32>;
@group(0) @binding(7) var<storage, read_write> H: array<f32>;
@group(0) @binding(8) var<storage, read_write> S: array<f32>;
${
  o.adam
    ? `@group(0) @binding(9) var<storage, read_write> mom: array<f32>;
@group(0) @binding(10) var<storage, read_write> vel: array<f32>;`
    : ''
}
/** the residuals of the last forward pass and the run's state, shared by the workgroup */
var<workgroup> e: array<f32, SN>;
var<workgroup> shared_state: RunState;
${
  o.dropout
    ? `/** this step's dropout masks, bit i·m + k set where sample i keeps neuron k */
var<workgroup> kept: array<u32, ${keptWords(o.shape)}>;`
    : ''
}

/** Step 1 for the neurons k0 … k0 + ${NB - 1} of run r (those below m): gradients from H, S and e, the
 * update, the new H and S. Each sample's inputs are loaded once for the block. */
fn neurons(r: u32, k0: u32, run: Run, st: RunState) {
  let c = run.gradScale;
  ${B.map((b) => `let kc${b} = min(k0 + ${b}u, SM - 1u); let a${b} = A[r * SM + kc${b}];`).join('\n  ')}
  ${B.map((b) => `var ga${b} = 0.0; ${J.map((j) => `var gw${b}_${j} = 0.0;`).join(' ')}`).join('\n  ')}
  for (var i = 0u; i < SN; i++) {
    let hb = (r * SN + i) * SM;
    let xr = (r * SN + i) * SD;
    let ei = e[i];
    let ec = ei * c;
    ${J.map((j) => `let x${j} = X[xr + ${j}u];`).join(' ')}
    ${B.map(
      (b) =>
        `ga${b} = ga${b} + ei * H[hb + kc${b}]; { let g = (ec * a${b}) * S[hb + kc${b}]; ${J.map((j) => `gw${b}_${j} = gw${b}_${j} + g * x${j};`).join(' ')} }`,
    ).join('\n    ')}
  }
  ${B.map(
    (b) => `${J.map((j) => `var nw${b}_${j} = W[(r * SM + kc${b}) * SD + ${j}u];`).join(' ')}
  if (k0 + ${b}u < SM) {
    let rk = r * SM + kc${b};
    ${J.map((j) => `${update(`nw${b}_${j}`, `nw${b}_${j}`, `gw${b}_${j}`, `rk * SD + ${j}u`)} W[rk * SD + ${j}u] = nw${b}_${j};`).join('\n    ')}
    ${update('A[rk]', `a${b}`, `ga${b} * c`, 'dims.R * SM * SD + rk')}
  }`,
  ).join('\n  ')}
  for (var i = 0u; i < SN; i++) {
    let hb = (r * SN + i) * SM;
    let xr = (r * SN + i) * SD;
    ${J.map((j) => `let x${j} = X[xr + ${j}u];`).join(' ')}
    // the block's outputs through one loop, so σ, σ′ and the mask are compiled once
    var z = array<f32, ${NB}>(${B.map((b) => `0.0${J.map((j) => ` + x${j} * nw${b}_${j}`).join('')}`).join(', ')});
    for (var b = 0u; b < ${NB}u; b++) {
      let k = k0 + b;
      if (k >= SM) { break; }
      var hs = act(z[b]);
      ${
        o.dropout
          ? `let j = i * SM + k;
      let mask = select(0.0, run.invKeep, ((kept[j >> 5u] >> (j & 31u)) & 1u) != 0u);
      hs = vec2<f32>(hs.x * mask, hs.y * mask);`
          : ''
      }
      H[hb + k] = hs.x;
      S[hb + k] = hs.y;
    }
  }
}

${
  o.dropout
    ? `/** Step 0 with dropout: word q of this step's masks, entries 32q … 32q + 31 from eight Philox calls
 * of four uniforms each (those of philox_uniform_at at i·m + k), so each call is made once. */
fn masks(q: u32, run: Run, st: RunState) {
  var bits = 0u;
  ${range(8)
    .map(
      (c) => `{ let u = philox(vec4<u32>(q * 8u + ${c}u, st.steps, ${STREAM.dropout}u, 0u), vec2<u32>(run.seed, 0u));
    ${['x', 'y', 'z', 'w'].map((l, i) => `bits = bits | select(0u, ${(1 << (c * 4 + i)) >>> 0}u, philox_unit(u.${l}) < run.keep);`).join(' ')} }`,
    )
    .join('\n  ')}
  kept[q] = bits;
}
`
    : ''
}
${outputSumWgsl(m)}
/** Step 2 for sample i of run r: the output sum and the residual. */
fn residual(r: u32, i: u32, run: Run) {
  e[i] = output_sum((r * SN + i) * SM, r * SM) * run.invAlpha - X[dims.y + r * SN + i];
}

@compute @workgroup_size(${o.invocations})
fn train_workgroup(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let r = wid.x + wid.y * nwg.x;
  if (r >= dims.R) { return; }
  let run = runs[r];
  if (lid == 0u) { shared_state = states[r]; }
  // the residuals of the last forward pass, from its H and a (the same sums, so the same bits)
  for (var i = lid; i < SN; i += WG) { residual(r, i, run); }
  var st = workgroupUniformLoad(&shared_state);
  if (st.state != RUNNING) { return; }
  for (var t = 0u; t < dims.steps; t++) {
    begin_step(&st, run);
    ${o.dropout ? `for (var q = lid; q < ${keptWords(o.shape)}u; q += WG) { masks(q, run, st); } workgroupBarrier();` : ''}
    for (var q = lid; q < ${Math.ceil(m / NB)}u; q += WG) { neurons(r, q * ${NB}u, run, st); }
    storageBarrier();
    for (var i = lid; i < SN; i += WG) { residual(r, i, run); }
    workgroupBarrier();
    if (lid == 0u) {
      var s = 0.0;
      for (var i = 0u; i < SN; i++) { s = s + e[i] * e[i]; }
      let L = (s * 0.5) / f32(dims.n);
      if (judge_loss(&st, run, L)) {
        hist[r * HIST_CAP + st.steps % HIST_CAP] = L;
        apply_stop_rules(&st, run, L);
      }
      shared_state = st;
    }
    st = workgroupUniformLoad(&shared_state);
    if (st.state != RUNNING) { break; }
  }
  if (lid == 0u) { states[r] = st; }
}
`;
}
