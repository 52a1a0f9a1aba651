// The per-run form of the batched training step, for adapters that are CPUs (SwiftShader): one
// invocation trains one run for a whole chunk of steps, so a chunk is one dispatch and no invocation
// is spent on a single neuron. On a CPU adapter the cost of an invocation (index arithmetic, the
// run's records, gathers from storage) dwarfs the few multiply-adds of one neuron, and the lanes of
// its SIMD groups are better filled with whole runs. On a real GPU the register-block kernels of
// ./train-step.ts are the path; batch-program.ts picks one (stepVariant: by the adapter, and on a
// CPU adapter this one only for ReLU without dropout, where recomputing σ and σ′ is cheap; the
// workgroup form of ./train-workgroup.ts takes tanh-like activations and dropout).
// Per step and per neuron k: σ(wₖ·x̃ᵢ) and σ′ are recomputed from wₖ (the dropout mask of the last
// forward pass drawn again from Philox), then ∇aₖ, ∇wₖ and the GD or Adam update, then the new
// activations feed the output sums. The formulas and reduction orders are those of the WASM kernels
// (gemm_nt sequential over j; gemv_t and gemm_tn sequential over i; gemv_n as four lane sums in k
// order, (s0 + s1) + (s2 + s3); mse_residual sequential), so on SwiftShader the trajectories are the
// WASM bits. The step rules (steps, β1ᵗ, β2ᵗ, loss judgement, history, stop rules) are control.ts's.
import { COMMON_WGSL } from './common.js';
import { PHILOX_WGSL } from './philox.js';
import { STEP_RULES_WGSL } from './control.js';
import { UPDATE_WGSL } from './elementwise.js';
import { actFnWgsl } from './activation.js';
import { shapeConstsWgsl, range, type StepShape } from './train-step.js';
import { STREAM } from '../../engine/streams.js';

/** Largest n·(d + 1) the per-run kernel takes: it unrolls the loops over samples and inputs (SwiftShader
 * keeps loop variables and dynamically indexed arrays in memory, and pays for it on every iteration). */
const PER_RUN_MAX_ND = 128;

export interface ChunkKernelOptions {
  kind: number;
  adam: boolean;
  dropout: boolean;
  shape: StepShape;
  /** length of each run's loss-history ring */
  histCap: number;
  /** invocations per workgroup: 4 fills a SwiftShader SIMD group; 1 spreads a few runs over the cores */
  workgroupSize: number;
}

/** Whether the per-run kernel takes this shape: it unrolls every loop over samples and inputs. */
export const perRunFits = (s: StepShape) => s.n * s.D <= PER_RUN_MAX_ND;

/** `0.0 + t(0) + t(1) + …`: a sum in index order from zero, as the WASM loops add */
const seqSum = (k: number, term: (i: number) => string) => ['0.0', ...range(k).map(term)].join(' + ');

export function trainChunkWgsl(o: ChunkKernelOptions): string {
  const { n, D, m } = o.shape;
  if (!perRunFits(o.shape)) throw new Error(`the per-run training kernel takes n·(d + 1) ≤ ${PER_RUN_MAX_ND}, got ${n}·${D}`);
  const m4 = m - (m % 4);
  const I = range(n),
    J = range(D);
  const x = (i: number, j: number) => `xs[${i * D + j}]`;
  /** (σ, σ′) of sample i from weights w0…w(D−1) (named by prefix), times the dropout mask of `step` */
  const hidden = (i: number, w: string, step: string) =>
    `act(${seqSum(D, (j) => `${x(i, j)} * ${w}${j}`)})${o.dropout ? ` * dropout_mask_at(${i}u, k, ${step})` : ''}`;
  const updateW = (j: number) =>
    o.adam
      ? `let u${j} = adam_update(w${j}, gw${j}, mom[rk * SD + ${j}u], vel[rk * SD + ${j}u], run, st); let nw${j} = u${j}.x; W[rk * SD + ${j}u] = nw${j}; mom[rk * SD + ${j}u] = u${j}.y; vel[rk * SD + ${j}u] = u${j}.z;`
      : `let nw${j} = gd_update(w${j}, gw${j}, run.lr); W[rk * SD + ${j}u] = nw${j};`;
  const updateA = o.adam
    ? `let ai = dims.R * SM * SD + rk; let ua = adam_update(ak, ga, mom[ai], vel[ai], run, st); A[rk] = ua.x; mom[ai] = ua.y; vel[ai] = ua.z; return ua.x;`
    : `let an = gd_update(ak, ga, run.lr); A[rk] = an; return an;`;
  // neuron k's new activations into the lane (k mod 4) sums of every sample's output
  const accumulate = (k: string, lane: number) =>
    `{ let an = neuron(${k}, st); ${I.map((i) => `acc[${i}][${lane}] = acc[${i}][${lane}] + hn[${i}] * an;`).join(' ')} }`;
  // past the last neuron the WASM gemv adds 0·0 to the remaining lanes
  const tail =
    m % 4 === 0
      ? ''
      : [0, 1, 2, 3]
          .map((l) => (l < m % 4 ? accumulate(`${m4 + l}u`, l) : I.map((i) => `acc[${i}][${l}] = acc[${i}][${l}] + 0.0 * 0.0;`).join(' ')))
          .join('\n    ');
  return /* wgsl */ `
${COMMON_WGSL}
${STEP_RULES_WGSL}
${UPDATE_WGSL}
${o.dropout ? PHILOX_WGSL : ''}
${actFnWgsl(o.kind)}
${shapeConstsWgsl(o.shape)}
const HIST_CAP: u32 = ${o.histCap}u;
/** n again, as a run-time value: SwiftShader turns a division by a constant into a multiplication by
 * its reciprocal, which rounds differently from mse_residual's division */
struct ChunkDims { R: u32, steps: u32, n: u32, pad: u32 };
@group(0) @binding(0) var<uniform> dims: ChunkDims;
@group(0) @binding(1) var<storage, read> runs: array<Run>;
@group(0) @binding(2) var<storage, read_write> states: array<RunState>;
@group(0) @binding(3) var<storage, read> X: array<f32>;
@group(0) @binding(4) var<storage, read> Y: array<f32>;
@group(0) @binding(5) var<storage, read_write> W: array<f32>;
@group(0) @binding(6) var<storage, read_write> A: array<f32>;
@group(0) @binding(7) var<storage, read_write> E: array<f32>;
@group(0) @binding(8) var<storage, read_write> hist: array<f32>;
${
  o.adam
    ? `@group(0) @binding(9) var<storage, read_write> mom: array<f32>;
@group(0) @binding(10) var<storage, read_write> vel: array<f32>;`
    : ''
}

var<private> ri: u32;
var<private> run: Run;
/** the run's inputs x̃, residuals eᵢ of the last forward pass and targets, read once per chunk */
var<private> xs: array<f32, SN * SD>;
var<private> e: array<f32, SN>;
var<private> ys: array<f32, SN>;
/** the new activations σ(wₖ·x̃ᵢ) of the neuron just updated */
var<private> hn: array<f32, SN>;
${
  o.dropout
    ? `fn dropout_mask_at(i: u32, k: u32, step: u32) -> f32 {
  let u = philox_uniform_at(i * SM + k, run.seed, ${STREAM.dropout}u, step);
  return select(0.0, run.invKeep, u < run.keep);
}`
    : ''
}

/** One step of neuron k: gradients at the current weights (σ, σ′ recomputed from them), the
 * update, then its new activations into hn; returns the new aₖ. */
fn neuron(k: u32, st: RunState) -> f32 {
  let rk = ri * SM + k;
  let c = run.gradScale;
  let ak = A[rk];
  ${J.map((j) => `let w${j} = W[rk * SD + ${j}u];`).join(' ')}
  ${I.map((i) => `let h${i} = ${hidden(i, 'w', 'st.steps - 1u')};`).join('\n  ')}
  let ga = (${seqSum(n, (i) => `e[${i}] * h${i}.x`)}) * c;
  ${I.map((i) => `let g${i} = ((e[${i}] * c) * ak) * h${i}.y;`).join('\n  ')}
  ${J.map((j) => `let gw${j} = ${seqSum(n, (i) => `g${i} * ${x(i, j)}`)};`).join('\n  ')}
  ${J.map(updateW).join('\n  ')}
  ${I.map((i) => `hn[${i}] = (${hidden(i, 'nw', 'st.steps')}).x;`).join('\n  ')}
  ${updateA}
}

@compute @workgroup_size(${o.workgroupSize})
fn train_chunk(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  ri = gid.x + gid.y * nwg.x * ${o.workgroupSize}u;
  if (ri >= dims.R) { return; }
  var st = states[ri];
  if (st.state != RUNNING) { return; }
  run = runs[ri];
  for (var q = 0u; q < SN * SD; q++) { xs[q] = X[ri * SN * SD + q]; }
  for (var i = 0u; i < SN; i++) { e[i] = E[ri * SN + i]; ys[i] = Y[ri * SN + i]; }
  for (var t = 0u; t < dims.steps; t++) {
    begin_step(&st, run);
    var acc = array<vec4<f32>, SN>(); // zeroed every step (SwiftShader keeps a bare declaration's old contents)
    for (var k0 = 0u; k0 < ${m4}u; k0 += 4u) {
      ${[0, 1, 2, 3].map((l) => accumulate(`k0 + ${l}u`, l)).join('\n      ')}
    }
    ${tail}
    var s = 0.0;
    for (var i = 0u; i < SN; i++) {
      let q = acc[i];
      let v = ((q.x + q.y) + (q.z + q.w)) * run.invAlpha - ys[i];
      e[i] = v;
      s = s + v * v;
    }
    let L = (s * 0.5) / f32(dims.n);
    if (!judge_loss(&st, run, L)) { break; }
    hist[ri * HIST_CAP + st.steps % HIST_CAP] = L;
    apply_stop_rules(&st, run, L);
    if (st.state != RUNNING) { break; }
  }
  states[ri] = st;
  for (var i = 0u; i < SN; i++) { E[ri * SN + i] = e[i]; }
}
`;
}
