// Per-step bookkeeping of batched layered training on the GPU (src/webgpu/layered-batch.ts), beside
// the shared step_begin/control kernels (./control.ts), so no read-back is needed between steps.
// layered_scalars: per run, the scalars its clipping and update calls read this step: the scheduled
//   rate (from a ring the host fills for the chunk; 0 once the run has stopped, which freezes its
//   parameters), Adam's bias corrections 1 − β1ᵗ, 1 − β2ᵗ, and the clipping factor from the Σg² of
//   its gradient tensors, summed in parameter order as src/model/train-layered.ts does; in run r's slot
//   of `now`, in STEP_SCALARS order (src/kernels/define.ts), where those calls read them.
// gather_batch: copies the samples of a run's mini-batch for its current step (an index ring the
//   host fills from the Philox epoch orders) from the run's data into its input and target tensors.
import { COMMON_WGSL } from './common.js';

/** One run's fields for layered_scalars: clipping bound (0: no clipping) and its number of Σg² values. */
export const CLIP_BYTES = 16;

export const LAYERED_SCALARS_WGSL = /* wgsl */ `
${COMMON_WGSL}
struct ScalarDims { R: u32, ringCap: u32, maxParams: u32, pad: u32 };
struct Clip { maxNorm: f32, count: u32, pad0: u32, pad1: u32 };
@group(0) @binding(0) var<uniform> dims: ScalarDims;
@group(0) @binding(1) var<storage, read> states: array<RunState>;
@group(0) @binding(2) var<storage, read> rates: array<f32>;
@group(0) @binding(3) var<storage, read> clips: array<Clip>;
@group(0) @binding(4) var<storage, read> squares: array<f32>;
/** per run: lr, bc1, bc2, clipScale */
@group(0) @binding(5) var<storage, read_write> now: array<vec4<f32>>;

@compute @workgroup_size(64)
fn layered_scalars(@builtin(global_invocation_id) gid: vec3<u32>) {
  let r = gid.x;
  if (r >= dims.R) { return; }
  let st = states[r];
  var lr = 0.0;
  if (st.state == RUNNING) { lr = rates[r * dims.ringCap + st.steps % dims.ringCap]; }
  var scale = 1.0;
  let c = clips[r];
  if (c.maxNorm > 0.0) {
    var sq = 0.0;
    for (var j = 0u; j < c.count; j++) { sq = sq + squares[r * dims.maxParams + j]; }
    let norm = sqrt(sq);
    if (norm > c.maxNorm) { scale = c.maxNorm / norm; }
  }
  now[r] = vec4<f32>(lr, 1.0 - st.b1t, 1.0 - st.b2t, scale);
}
`;

export const GATHER_BATCH_WGSL = /* wgsl */ `
${COMMON_WGSL}
struct GatherDims { run: u32, batch: u32, xw: u32, yw: u32, ringCap: u32, p0: u32, p1: u32, p2: u32 };
@group(0) @binding(0) var<uniform> d: GatherDims;
@group(0) @binding(1) var<storage, read> states: array<RunState>;
@group(0) @binding(2) var<storage, read> order: array<u32>;
@group(0) @binding(3) var<storage, read> xs: array<f32>;
@group(0) @binding(4) var<storage, read> ys: array<f32>;
@group(0) @binding(5) var<storage, read_write> input: array<f32>;
@group(0) @binding(6) var<storage, read_write> targets: array<f32>;

@compute @workgroup_size(256)
fn gather_batch(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = gid.x + gid.y * nwg.x * 256u;
  let slot = (states[d.run].steps % d.ringCap) * d.batch;
  let nx = d.batch * d.xw;
  if (e < nx) {
    input[e] = xs[order[slot + e / d.xw] * d.xw + e % d.xw];
  } else if (e < nx + d.batch * d.yw) {
    let q = e - nx;
    targets[q] = ys[order[slot + q / d.yw] * d.yw + q % d.yw];
  }
}
`;
