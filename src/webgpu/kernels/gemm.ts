// WGSL twins of assembly/kernels/gemm.ts. GEMM: C_b = op(A_b)·op(B_b) for a batch of b matrices, in
// two variants. `tiled` (large shapes, real GPUs): 64 × 64 output tiles per workgroup of 16 × 16
// threads, each thread a 4 × 4 block in four vec4 accumulators, K advancing in tiles of 16 through
// workgroup memory. `direct` (small K or small outputs, and SwiftShader, where workgroup barriers
// cost milliseconds): one thread per output. Either way every output is a sequential sum over k,
// as in WASM, so the only difference is WGSL's freedom to fuse a·b + c.
// GEMV: gemv_n in the `direct` variant keeps the WASM order (four lane sums, (s0+s1)+(s2+s3)); the
// `tiled` variant reduces 64 strided partial sums with a fixed tree. gemv_t is sequential over rows
// like WASM. Per-run scales come from the Run array (invAlpha for gemv_n, gradScale for
// gemv_t). Tolerance for all: |Δ| ≤ K·2⁻²³·Σₖ|aₖbₖ| (+ one rounding of the scale), the standard
// dot-product bound that holds for any order and fusion.
import { COMMON_WGSL } from './common.js';
import type { Tolerance } from '../tolerance.js';
import { grid } from '../gpu.js';

export type GemmForm = 'nn' | 'tn' | 'nt';
export type KernelVariant = 'tiled' | 'direct';

/** Workgroup counts of a GEMM dispatch for its variant. */
export function gemmGroups(variant: KernelVariant, M: number, N: number, batch: number): [number, number, number] {
  if (variant === 'tiled') return [Math.ceil(N / 64), Math.ceil(M / 64), batch];
  return [...grid(Math.ceil((batch * M * N) / 64)), 1];
}

const GEMM_DIMS = /* wgsl */ `
struct GemmDims { M: u32, N: u32, K: u32, batch: u32, lda: u32, ldb: u32, ldc: u32, pad0: u32, strideA: u32, strideB: u32, strideC: u32, pad1: u32 };
@group(0) @binding(0) var<uniform> dims: GemmDims;
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> B: array<f32>;
@group(0) @binding(3) var<storage, read_write> C: array<f32>;
`;

/** Source of gemm_<form>; dims: M, N, K, batch, lda, ldb, ldc, strideA, strideB, strideC. */
export function gemmWgsl(form: GemmForm, variant: KernelVariant = 'tiled'): string {
  const ta = form === 'tn',
    tb = form === 'nt';
  if (variant === 'direct') {
    const aAt = ta ? 'gk * dims.lda + i' : 'i * dims.lda + gk';
    const bAt = tb ? 'j * dims.ldb + gk' : 'gk * dims.ldb + j';
    return /* wgsl */ `
${GEMM_DIMS}
@compute @workgroup_size(64)
fn gemm_${form}(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let idx = gid.x + gid.y * nwg.x * 64u;
  let per = dims.M * dims.N;
  if (idx >= dims.batch * per) { return; }
  let b = idx / per;
  let i = (idx % per) / dims.N;
  let j = idx % dims.N;
  let ab = dims.strideA * b;
  let bb = dims.strideB * b;
  var s = 0.0;
  for (var gk = 0u; gk < dims.K; gk++) { s = s + A[ab + ${aAt}] * B[bb + ${bAt}]; }
  C[dims.strideC * b + i * dims.ldc + j] = s;
}
`;
  }
  const loadA = ta
    ? `let kk = e / 64u; let i = e % 64u; let gi = row0 + i; let gk = k0 + kk;
       var v = 0.0; if (gi < dims.M && gk < dims.K) { v = A[dims.strideA * b + gk * dims.lda + gi]; }`
    : `let i = e / 16u; let kk = e % 16u; let gi = row0 + i; let gk = k0 + kk;
       var v = 0.0; if (gi < dims.M && gk < dims.K) { v = A[dims.strideA * b + gi * dims.lda + gk]; }`;
  const loadB = tb
    ? `let j = e / 16u; let kk = e % 16u; let gj = col0 + j; let gk = k0 + kk;
       var v = 0.0; if (gj < dims.N && gk < dims.K) { v = B[dims.strideB * b + gj * dims.ldb + gk]; }`
    : `let kk = e / 64u; let j = e % 64u; let gj = col0 + j; let gk = k0 + kk;
       var v = 0.0; if (gj < dims.N && gk < dims.K) { v = B[dims.strideB * b + gk * dims.ldb + gj]; }`;
  return /* wgsl */ `
${GEMM_DIMS}
var<workgroup> As: array<vec4<f32>, 256>; // [kk][i / 4]
var<workgroup> Bs: array<vec4<f32>, 256>; // [kk][j / 4]

@compute @workgroup_size(16, 16)
fn gemm_${form}(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let b = wid.z;
  let row0 = wid.y * 64u;
  let col0 = wid.x * 64u;
  let tid = lid.y * 16u + lid.x;
  var c0 = vec4<f32>(0.0); var c1 = vec4<f32>(0.0); var c2 = vec4<f32>(0.0); var c3 = vec4<f32>(0.0);
  for (var k0 = 0u; k0 < dims.K; k0 += 16u) {
    for (var l = 0u; l < 4u; l++) {
      let e = tid + l * 256u;
      { ${loadA} As[kk * 16u + i / 4u][i % 4u] = v; }
      { ${loadB} Bs[kk * 16u + j / 4u][j % 4u] = v; }
    }
    workgroupBarrier();
    for (var kk = 0u; kk < 16u; kk++) {
      let a = As[kk * 16u + lid.y];
      let bv = Bs[kk * 16u + lid.x];
      c0 = c0 + a.x * bv;
      c1 = c1 + a.y * bv;
      c2 = c2 + a.z * bv;
      c3 = c3 + a.w * bv;
    }
    workgroupBarrier();
  }
  let acc = array<vec4<f32>, 4>(c0, c1, c2, c3);
  for (var ii = 0u; ii < 4u; ii++) {
    let gi = row0 + lid.y * 4u + ii;
    if (gi >= dims.M) { continue; }
    for (var jj = 0u; jj < 4u; jj++) {
      let gj = col0 + lid.x * 4u + jj;
      if (gj < dims.N) { C[dims.strideC * b + gi * dims.ldc + gj] = acc[ii][jj]; }
    }
  }
}
`;
}

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
