// WGSL twins of assembly/kernels/gemm.ts's GEMVs, batched over runs for the two-layer engine (the
// GEMMs are declared in src/kernels/gemm.ts). GEMV: gemv_n in the `direct` variant keeps the WASM order (four lane sums, (s0+s1)+(s2+s3)); the
// `tiled` variant reduces 64 strided partial sums with a fixed tree. gemv_t is sequential over rows
// like WASM. Per-run scales come from the Run array (invAlpha for gemv_n, gradScale for
// gemv_t). Tolerance for all, GEMMs too: |Δ| ≤ K·2⁻²³·Σₖ|aₖbₖ| (+ one rounding of the scale), the standard
// dot-product bound that holds for any order and fusion.
import { COMMON_WGSL } from './common.js';
import type { Tolerance } from '../tolerance.js';
import { grid } from '../gpu.js';

export type KernelVariant = 'tiled' | 'direct';

const GEMV_HEAD = /* wgsl */ `
${COMMON_WGSL}
struct GemvDims { R: u32, rows: u32, cols: u32, pad: u32 };
@group(0) @binding(0) var<uniform> dims: GemvDims;
@group(0) @binding(1) var<storage, read> runs: array<Run>;
@group(0) @binding(2) var<storage, read> H: array<f32>;
@group(0) @binding(3) var<storage, read> x: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;
`;

/** The tree reduction pays off only when there are few rows and long ones, and only on a GPU: a software
 * adapter keeps the direct form's order, which is the WASM order, so its trajectories are the WASM bits. */
export function gemvVariant(adapter: { software: boolean }, rowsTotal: number, cols: number): KernelVariant {
  return !adapter.software && rowsTotal < 1024 && cols > 2048 ? 'tiled' : 'direct';
}

/** Workgroup counts of a gemv_n dispatch for its variant. */
export function gemvGroups(variant: KernelVariant, rowsTotal: number): [number, number, number] {
  return [...grid(variant === 'tiled' ? rowsTotal : Math.ceil(rowsTotal / 64)), 1];
}

/** f[r·n + i] = runs[r].invAlpha · Σₖ H[(r·n + i)·m + k]·a[r·m + k]. */
export function gemvNWgsl(variant: KernelVariant): string {
  return variant === 'direct' ? GEMV_N_DIRECT : GEMV_N_TILED;
}

const GEMV_N_DIRECT = /* wgsl */ `
${GEMV_HEAD}
@compute @workgroup_size(64)
fn gemv_n(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let row = gid.x + gid.y * nwg.x * 64u; // r·rows + i
  if (row >= dims.R * dims.rows) { return; }
  let r = row / dims.rows;
  var s = vec4<f32>(0.0);
  let k4 = (dims.cols + 3u) / 4u * 4u;
  for (var k = 0u; k < k4; k += 4u) {
    var h = vec4<f32>(0.0);
    var v = vec4<f32>(0.0);
    for (var l = 0u; l < 4u; l++) {
      if (k + l < dims.cols) { h[l] = H[row * dims.cols + k + l]; v[l] = x[r * dims.cols + k + l]; }
    }
    s = s + h * v;
  }
  y[row] = ((s.x + s.y) + (s.z + s.w)) * runs[r].invAlpha;
}
`;

const GEMV_N_TILED = /* wgsl */ `
${GEMV_HEAD}
var<workgroup> part: array<f32, 64>;
@compute @workgroup_size(64)
fn gemv_n(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let row = wid.x + wid.y * nwg.x; // r·rows + i
  if (row >= dims.R * dims.rows) { return; }
  let r = row / dims.rows;
  var s = 0.0;
  for (var k = lid.x; k < dims.cols; k += 64u) { s = s + H[row * dims.cols + k] * x[r * dims.cols + k]; }
  part[lid.x] = s;
  workgroupBarrier();
  for (var stride = 32u; stride > 0u; stride = stride / 2u) {
    if (lid.x < stride) { part[lid.x] = part[lid.x] + part[lid.x + stride]; }
    workgroupBarrier();
  }
  if (lid.x == 0u) { y[row] = part[0] * runs[r].invAlpha; }
}
`;

/** y[r·cols + k] = runs[r].gradScale · Σᵢ H[(r·rows + i)·cols + k]·x[r·rows + i], sequential over i. */
export const GEMV_T_WGSL = /* wgsl */ `
${GEMV_HEAD}
@compute @workgroup_size(256)
fn gemv_t(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let idx = gid.x + gid.y * nwg.x * 256u; // r·cols + k
  if (idx >= dims.R * dims.cols) { return; }
  let r = idx / dims.cols;
  let k = idx % dims.cols;
  var s = 0.0;
  for (var i = 0u; i < dims.rows; i++) { s = s + x[r * dims.rows + i] * H[(r * dims.rows + i) * dims.cols + k]; }
  y[idx] = s * runs[r].gradScale;
}
`;

export const GEMM_TOLERANCE: Tolerance = { kind: 'dot' };
