// The gradient pass of the fused two-layer step (./fused-tiles.ts): a tiled GEMM ∇W = Gᵀ·X per run,
// one workgroup per 64 neurons × 16 inputs × chunk of samples, the hidden gradient
// Gᵢₖ = ((eᵢ·c)·aₖ)·Sᵢₖ (hidden_grad's formula) formed as it is staged into workgroup memory, 16
// samples a round, beside the inputs; each invocation accumulates 4 neurons × 1 input sequentially over
// the samples (gemm_tn's order). The tiles of the first inputs also sum ∇aₖ = c·Σᵢ eᵢHᵢₖ (gemv_t's
// order). With split 1 the epilogue is the GD or Adam update of W (in place) and of a (into the second
// half of A, since other workgroups still read the old aₖ for G); with split > 1 (or Adam on a device
// with too few storage bindings: updatesInGrad) the chunk sums go to P and fused_update adds them in
// chunk order and updates. Only RUNNING runs; the Adam products are those
// of the step being taken (begin_step on the stored state, which the control kernel writes after).
import { STEP_RULES_WGSL } from './control.js';
import { UPDATE_WGSL } from './elementwise.js';
import { stepPrelude, adamBindings, updateWgsl, type StepShape } from './train-step.js';
import { GRAD_TILE, FUSED_WORKGROUP, gradTiles, quadLoadWgsl, rowsType, type FusedFactors } from './fused-tiles.js';

/** `update`: the update in the epilogue (updatesInGrad), else the chunk sums into P. */
export function fusedGradWgsl(adam: boolean, shape: StepShape, factors: FusedFactors, update: boolean): string {
  const { n, D, m } = shape;
  const { neurons: KT, inputs: JT } = gradTiles(shape);
  const { neurons: BK, inputs: BJ, samples: BS } = GRAD_TILE;
  const split = factors.split;
  return /* wgsl */ `
${stepPrelude(shape)}
${STEP_RULES_WGSL}
${UPDATE_WGSL}
@group(0) @binding(3) var<storage, read> X: ${rowsType(D)};
@group(0) @binding(4) var<storage, read> E: array<f32>;
@group(0) @binding(5) var<storage, read> H: ${rowsType(m)};
@group(0) @binding(6) var<storage, read> S: ${rowsType(m)};
@group(0) @binding(7) var<storage, read_write> A: array<f32>;
${update ? `@group(0) @binding(8) var<storage, read_write> W: array<f32>;\n${adamBindings(adam, 9)}` : '@group(0) @binding(8) var<storage, read_write> P: array<f32>;'}
${quadLoadWgsl('X', D)}
${quadLoadWgsl('H', m)}
${quadLoadWgsl('S', m)}
const KT: u32 = ${KT}u;
const JT: u32 = ${JT}u;
const SPLIT: u32 = ${split}u;
const CHUNK: u32 = ${Math.ceil(n / split)}u;
/** a round of 16 samples: [sample][quad of 4 neurons] of G and of eᵢ·Hᵢₖ, and [sample][input] of X */
var<workgroup> gs: array<vec4<f32>, ${(BS * BK) / 4}>;
var<workgroup> eh: array<vec4<f32>, ${(BS * BK) / 4}>;
var<workgroup> xs: array<f32, ${BS * BJ}>;
@compute @workgroup_size(${FUSED_WORKGROUP})
fn fused_grad(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = wid.x + wid.y * nwg.x; // ((r·KT + neuron tile)·JT + input tile)·SPLIT + chunk
  if (t >= dims.R * KT * JT * SPLIT) { return; }
  let r = t / (KT * JT * SPLIT);
  if (states[r].state != RUNNING) { return; }
  let run = runs[r];
  var st = states[r];
  begin_step(&st, run);
  let c = run.gradScale;
  let k0 = ((t / (JT * SPLIT)) % KT) * ${BK}u;
  let jt = (t / SPLIT) % JT;
  let j0 = jt * ${BJ}u;
  let chunk = t % SPLIT;
  let i0 = min(chunk * CHUNK, SN);
  let i1 = min(i0 + CHUNK, SN);
  let tk = lid / 16u; // neurons k0 + 4·tk … k0 + 4·tk + 3
  let tj = lid % 16u; // input j0 + tj
  // staging: invocation lid forms G and e·H for sample lid / 16 of the round and neurons lq … lq + 3
  let lq = k0 + (lid % 16u) * 4u;
  var aq = vec4<f32>(0.0);
  for (var l = 0u; l < 4u; l++) { if (lq + l < SM) { aq[l] = A[r * SM + lq + l]; } }
  var acc = vec4<f32>(0.0);
  var ga = vec4<f32>(0.0);
  for (var b = i0; b < i1; b += ${BS}u) {
    let i = b + lid / 16u;
    let row = r * SN + min(i, SN - 1u);
    let e = select(0.0, E[row], i < i1);
    gs[lid] = ((e * c) * aq) * quad_S(row, lq);
    if (jt == 0u) { eh[lid] = e * quad_H(row, lq); }
    if (lid < ${(BS * BJ) / 4}u) {
      let xi = b + lid / 4u;
      let xq = select(vec4<f32>(0.0), quad_X(r * SN + min(xi, SN - 1u), j0 + (lid % 4u) * 4u), xi < i1);
      for (var l = 0u; l < 4u; l++) { xs[lid * 4u + l] = xq[l]; }
    }
    workgroupBarrier();
    for (var s = 0u; s < ${BS}u; s++) {
      acc = acc + gs[s * 16u + tk] * xs[s * ${BJ}u + tj];
      if (jt == 0u && tj == 0u) { ga = ga + eh[s * 16u + tk]; }
    }
    workgroupBarrier();
  }
  let j = j0 + tj;
  for (var l = 0u; l < 4u; l++) {
    let k = k0 + tk * 4u + l;
    if (k >= SM) { break; }
    let ai = r * SM + k;
    ${
      update
        ? `if (j < SD) { let wi = ai * SD + j; ${updateWgsl(adam, 'W[wi]', 'acc[l]', 'wi', 'W[wi]')} }
    if (jt == 0u && tj == 0u) { ${updateWgsl(adam, 'A[dims.R * SM + ai]', 'ga[l] * c', 'dims.R * SM * SD + ai', 'A[ai]')} }`
        : `let part = chunk * dims.R * SM * (SD + 1u);
    if (j < SD) { P[part + ai * SD + j] = acc[l]; }
    if (jt == 0u && tj == 0u) { P[part + dims.R * SM * SD + ai] = ga[l]; }`
    }
  }
}
`;
}

/** Parameter p (W's R·m·D entries, then a's R·m, as in the Adam moments) adds its chunk sums in chunk
 * order, from the first (so with one chunk its gradient is the GEMM's sum), and takes the update (a's
 * into the second half of A). */
export function fusedUpdateWgsl(adam: boolean, shape: StepShape, factors: FusedFactors): string {
  return /* wgsl */ `
${stepPrelude(shape)}
${STEP_RULES_WGSL}
${UPDATE_WGSL}
@group(0) @binding(3) var<storage, read> P: array<f32>;
@group(0) @binding(4) var<storage, read_write> W: array<f32>;
@group(0) @binding(5) var<storage, read_write> A: array<f32>;
${adamBindings(adam, 6)}
@compute @workgroup_size(${FUSED_WORKGROUP})
fn fused_update(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let p = gid.x + gid.y * nwg.x * ${FUSED_WORKGROUP}u;
  let wCount = dims.R * SM * SD;
  if (p >= wCount + dims.R * SM) { return; }
  let r = select(p / (SM * SD), (p - wCount) / SM, p >= wCount);
  if (states[r].state != RUNNING) { return; }
  let run = runs[r];
  var st = states[r];
  begin_step(&st, run);
  var g = P[p];
  for (var chunk = 1u; chunk < ${factors.split}u; chunk++) { g = g + P[chunk * (wCount + dims.R * SM) + p]; }
  if (p < wCount) { ${updateWgsl(adam, 'W[p]', 'g', 'p', 'W[p]')} }
  else { let ai = p - wCount; ${updateWgsl(adam, 'A[dims.R * SM + ai]', 'g * run.gradScale', 'p', 'A[ai]')} }
}
`;
}
