// The forward pass of the fused two-layer step (./fused-tiles.ts): a tiled GEMM z = X·Wᵀ per run, one
// workgroup per 64 samples × 64 neurons, the inputs staged through workgroup memory 16 at a time
// (vec4 loads where d + 1 is a multiple of 4), each invocation accumulating 4 × 4 outputs sequentially
// over the inputs (gemm_nt's order, so the WASM bits with zero padding, which adds +0). Epilogue:
// σ, σ′ and the Philox dropout mask into H and S (put_hidden, as train_forward), and with tree > 1
// the tile's share of the output, Σₖ aₖ·hᵢₖ over its neurons (each invocation its four, then a fixed
// tree over the 16 invocations of a sample row), into F[run][neuron tile][sample].
// mode 0: a step's forward for RUNNING runs, dropout masks of step steps + 1 (the control kernel
// counts the step after), a from the step's new values (the second half of A); mode 1: the initial
// forward for INIT runs and again for RUNNING ones (their H and S from their current weights, masks of
// their current step), a from the first half.
import { PHILOX_WGSL } from './philox.js';
import { actFnWgsl } from './activation.js';
import { stepPrelude, HIDDEN_OUT_WGSL, type StepShape } from './train-step.js';
import { FORWARD_TILE, FUSED_WORKGROUP, forwardTiles, quadLoadWgsl, rowsType, type FusedFactors } from './fused-tiles.js';

export function fusedForwardWgsl(kind: number, shape: StepShape, factors: FusedFactors): string {
  const fold = factors.tree > 1;
  const { samples: IT, neurons: KT } = forwardTiles(shape);
  const { samples: BI, neurons: BK } = FORWARD_TILE;
  return /* wgsl */ `
${stepPrelude(shape)}
${PHILOX_WGSL}
${actFnWgsl(kind)}
@group(0) @binding(3) var<storage, read> X: ${rowsType(shape.D)};
@group(0) @binding(4) var<storage, read> W: ${rowsType(shape.D)};
@group(0) @binding(5) var<storage, read_write> H: array<f32>;
@group(0) @binding(6) var<storage, read_write> S: array<f32>;
${
  fold
    ? `@group(0) @binding(7) var<storage, read> A: array<f32>;
@group(0) @binding(8) var<storage, read_write> F: array<f32>;`
    : ''
}
${HIDDEN_OUT_WGSL}
${quadLoadWgsl('X', shape.D)}
${quadLoadWgsl('W', shape.D)}
const IT: u32 = ${IT}u;
const KT: u32 = ${KT}u;
/** a round of 16 inputs: [input][quad of 4 samples] and [input][quad of 4 neurons] */
var<workgroup> xs: array<vec4<f32>, ${(16 * BI) / 4}>;
var<workgroup> ws: array<vec4<f32>, ${(16 * BK) / 4}>;
${fold ? `/** the output shares: [sample][invocation along the neurons] */\nvar<workgroup> fs: array<f32, ${BI * 16}>;` : ''}
@compute @workgroup_size(${FUSED_WORKGROUP})
fn fused_forward(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = wid.x + wid.y * nwg.x; // (r·IT + sample tile)·KT + neuron tile
  if (t >= dims.R * IT * KT) { return; }
  let r = t / (IT * KT);
  let state = states[r].state;
  if (state != RUNNING && (dims.mode == 0u || state != INIT)) { return; }
  let i0 = ((t / KT) % IT) * ${BI}u;
  let kt = t % KT;
  let k0 = kt * ${BK}u;
  let ti = lid / 16u; // samples i0 + 4·ti … i0 + 4·ti + 3
  let tk = lid % 16u; // neurons k0 + 4·tk … k0 + 4·tk + 3
  // each invocation stages four inputs of one sample row and one neuron row a round
  let q = lid / 4u;
  let jq = (lid % 4u) * 4u;
  let xrow = r * SN + min(i0 + q, SN - 1u);
  let wrow = r * SM + min(k0 + q, SM - 1u);
  var acc = array<vec4<f32>, 4>(); // [sample] · (4 neurons)
  for (var j0 = 0u; j0 < SD; j0 += 16u) {
    let xv = select(vec4<f32>(0.0), quad_X(xrow, j0 + jq), i0 + q < SN);
    let wv = select(vec4<f32>(0.0), quad_W(wrow, j0 + jq), k0 + q < SM);
    for (var l = 0u; l < 4u; l++) {
      xs[(jq + l) * 16u + q / 4u][q % 4u] = xv[l];
      ws[(jq + l) * 16u + q / 4u][q % 4u] = wv[l];
    }
    workgroupBarrier();
    for (var j = 0u; j < 16u; j++) {
      let xq = xs[j * 16u + ti];
      let wq = ws[j * 16u + tk];
      acc[0] = acc[0] + xq.x * wq;
      acc[1] = acc[1] + xq.y * wq;
      acc[2] = acc[2] + xq.z * wq;
      acc[3] = acc[3] + xq.w * wq;
    }
    workgroupBarrier();
  }
  let step = states[r].steps + select(0u, 1u, dims.mode == 0u);
  ${fold ? 'let ab = select(0u, dims.R * SM, dims.mode == 0u) + r * SM;\n  var share = vec4<f32>(0.0); // [sample]' : ''}
  // the outputs through one loop, so σ, σ′ and the mask are compiled once
  var ctr = 0xffffffffu; // no Philox words yet
  var words = vec4<u32>();
  for (var l = 0u; l < 16u; l++) {
    let k = k0 + tk * 4u + l % 4u;
    let h = put_hidden(r, i0 + ti * 4u + l / 4u, k, acc[l / 4u][l % 4u], step, &ctr, &words);
    ${fold ? 'if (k < SM) { share[l / 4u] = share[l / 4u] + A[ab + k] * h; }' : ''}
  }
  ${
    fold
      ? `for (var s = 0u; s < 4u; s++) { fs[(ti * 4u + s) * 16u + tk] = share[s]; }
  workgroupBarrier();
  for (var stride = 8u; stride > 0u; stride = stride / 2u) {
    if (tk < stride) { for (var s = 0u; s < 4u; s++) { let o = (ti * 4u + s) * 16u; fs[o + tk] = fs[o + tk] + fs[o + tk + stride]; } }
    workgroupBarrier();
  }
  if (tk == 0u) {
    for (var s = 0u; s < 4u; s++) {
      let i = i0 + ti * 4u + s;
      if (i < SN) { F[(r * KT + kt) * SN + i] = fs[(ti * 4u + s) * 16u]; }
    }
  }`
      : ''
  }
}
`;
}
