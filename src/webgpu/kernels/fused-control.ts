// The last pass of the fused two-layer step (./fused-tiles.ts), one workgroup per run: the outputs
// fᵢ = (1/α)·Σₖ aₖ·hᵢₖ (tree 1: from H in WASM gemv_n's four-lane order, as output_sum; tree > 1: the
// forward tiles' shares in F added in tile order), the residuals eᵢ = fᵢ − yᵢ (kept for the next step's
// gradients), the loss Σeᵢ²/2n (tree 1: sequential, as mse_residual; tree > 1: `tree` strided lanes and
// a fixed tree), then control's rules (settle_loss): mode 0 counts the step (begin_step, which the
// step's other passes applied to their own copy of the state) and judges the loss, mode 1 starts INIT
// runs. In mode 0 the step's new a (the second half of A) becomes the current one. The state is read and
// written here only, after the step's other passes, so the order of effects is step_begin's and control's.
import { COMMON_WGSL } from './common.js';
import { STEP_RULES_WGSL } from './control.js';
import { shapeConstsWgsl, outputSumWgsl, type StepShape } from './train-step.js';
import { FUSED_WORKGROUP, forwardTiles, type FusedFactors } from './fused-tiles.js';

export function fusedControlWgsl(shape: StepShape, factors: FusedFactors, histCap: number): string {
  const tree = factors.tree;
  const KT = forwardTiles(shape).neurons;
  const WG = FUSED_WORKGROUP;
  return /* wgsl */ `
${COMMON_WGSL}
${STEP_RULES_WGSL}
${shapeConstsWgsl(shape)}
const HIST_CAP: u32 = ${histCap}u;
/** n again, as a run-time value (SwiftShader turns a division by a constant into a multiplication by
 * its reciprocal, which rounds differently from mse_residual's division) */
struct ControlDims { R: u32, n: u32, mode: u32, pad: u32 };
@group(0) @binding(0) var<uniform> dims: ControlDims;
@group(0) @binding(1) var<storage, read> runs: array<Run>;
@group(0) @binding(2) var<storage, read_write> states: array<RunState>;
@group(0) @binding(3) var<storage, read_write> A: array<f32>;
@group(0) @binding(4) var<storage, read> Y: array<f32>;
@group(0) @binding(5) var<storage, read_write> E: array<f32>;
@group(0) @binding(6) var<storage, read_write> hist: array<f32>;
${tree === 1 ? `@group(0) @binding(7) var<storage, read> H: array<f32>;\n${outputSumWgsl(shape.m)}` : '@group(0) @binding(7) var<storage, read> F: array<f32>;'}
var<workgroup> shared_state: RunState;
var<workgroup> lanes: array<f32, ${tree}>;
@compute @workgroup_size(${WG})
fn fused_control(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let r = wid.x + wid.y * nwg.x;
  if (r >= dims.R) { return; }
  if (lid == 0u) { shared_state = states[r]; }
  var st = workgroupUniformLoad(&shared_state);
  if (st.state != RUNNING && (dims.mode == 0u || st.state != INIT)) { return; }
  let run = runs[r];
  let ab = select(0u, dims.R * SM, dims.mode == 0u) + r * SM;
  for (var i = lid; i < SN; i += ${WG}u) {
    ${
      tree === 1
        ? 'let s = output_sum((r * SN + i) * SM, ab);'
        : `var s = 0.0;
    for (var kt = 0u; kt < ${KT}u; kt++) { s = s + F[(r * ${KT}u + kt) * SN + i]; }`
    }
    E[r * SN + i] = s * run.invAlpha - Y[r * SN + i];
  }
  storageBarrier();
  if (lid < ${tree}u) {
    var s = 0.0;
    for (var i = lid; i < SN; i += ${tree}u) { let e = E[r * SN + i]; s = s + e * e; }
    lanes[lid] = s;
  }
  workgroupBarrier();
  for (var stride = ${tree >> 1}u; stride > 0u; stride = stride / 2u) {
    if (lid < stride) { lanes[lid] = lanes[lid] + lanes[lid + stride]; }
    workgroupBarrier();
  }
  if (lid == 0u) {
    let L = (lanes[0] * 0.5) / f32(dims.n);
    if (dims.mode == 0u) { begin_step(&st, run); }
    if ((dims.mode == 0u || st.state == INIT) && settle_loss(&st, run, L)) { hist[r * HIST_CAP + st.steps % HIST_CAP] = L; }
    states[r] = st;
  }
  if (dims.mode == 0u) {
    for (var k = lid; k < SM; k += ${WG}u) { A[r * SM + k] = A[ab + k]; }
  }
}
`;
}
