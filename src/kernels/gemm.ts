// GEMM, C_b = op(A_b)·op(B_b) for a batch of b matrices: the declarations of assembly/kernels/gemm.ts's
// gemm_nn, gemm_tn and gemm_nt (twins: src/reference/gemm.ts), in two WGSL variants. `tiled` (large
// shapes, real GPUs): 64 × 64 output tiles per workgroup of 16 × 16 threads, each thread a 4 × 4 block in
// four vec4 accumulators, K advancing in tiles of 16 through workgroup memory. `direct` (small K or small
// outputs, and SwiftShader, where workgroup barriers cost milliseconds): one thread per output. Either way
// every output is a sequential sum over k, as in WASM, so the only difference is WGSL's freedom to fuse
// a·b + c: the dot-product tolerance. Programs call them with batch 1; the bench times batches. On GPUs the
// form follows the shape (chooseGemm): a GEMM with too few output tiles to fill the device runs split-K
// (slices of K as a batch, then a fold) or, thin with a short K, one thread an output. conv_gemm_nt and
// conv_gemm_tn are the same GEMMs with one operand the patch matrix of an NHWC image (im2col's columns),
// read through patch_at(r, q) in the WGSL as in the WASM packing: the same variants, the same order.
import { defineKernel, uniformWgsl, uniformWords, type Shaping } from './define.js';
import { FLAT_WGSL, flatGroups } from './flat.js';
import { patchAtWgsl, GEOMETRY, type Geometry } from './conv.js';
import { GEMM_TOLERANCE, type KernelVariant } from '../webgpu/kernels/gemm.js';
import { grid } from '../webgpu/gpu.js';

export type GemmForm = 'nn' | 'tn' | 'nt';

/** The GEMM uniform: sizes, leading dimensions and the per-matrix strides of a batch. */
export const GEMM_UNIFORM = {
  M: 'u32',
  N: 'u32',
  K: 'u32',
  batch: 'u32',
  lda: 'u32',
  ldb: 'u32',
  ldc: 'u32',
  strideA: 'u32',
  strideB: 'u32',
  strideC: 'u32',
} as const;

/** The words of an all-u32 GEMM uniform: a batch of b matrices of M × N × K with its leading dimensions
 * and strides (bench and parity dispatches outside a program). */
export function gemmWords(g: { [F in keyof typeof GEMM_UNIFORM]: number }): number[] {
  return uniformWords(GEMM_UNIFORM, g).map((w) => w as number);
}

/** The conv GEMMs' uniform: the GEMM's, then the image geometry (n·Ho·Wo patch rows of C·k·k). */
const CONV_GEMM_UNIFORM = { ...GEMM_UNIFORM, H: 'u32', W: 'u32', C: 'u32', k: 'u32', stride: 'u32', pad: 'u32', Ho: 'u32', Wo: 'u32' } as const;

/** Which operand of a GEMM is the patch matrix of an image (bound in its place), if any. */
type ImageOperand = 'A' | 'B' | undefined;

const BINDINGS = /* wgsl */ `@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> B: array<f32>;
@group(0) @binding(3) var<storage, read_write> C: array<f32>;
`;

/** The header: uniform and bindings, and for a conv GEMM patch_at(r, q) reading the image operand (as im2col). */
function gemmHeader(image: ImageOperand): string {
  if (!image) return `${uniformWgsl('GemmDims', GEMM_UNIFORM, 'dims')}${BINDINGS}`;
  return `${uniformWgsl('GemmDims', CONV_GEMM_UNIFORM, 'dims')}${BINDINGS}${patchAtWgsl('dims', image)}`;
}

/** Workgroup counts of a GEMM dispatch for its variant. */
export function gemmGroups(variant: KernelVariant, M: number, N: number, batch: number, threads = 64): [number, number, number] {
  if (variant === 'tiled') return [Math.ceil(N / 64), Math.ceil(M / 64), batch];
  return [...grid(Math.ceil((batch * M * N) / threads)), 1];
}

/**
 * Source of gemm_<form> (entry `entry`); the direct variant runs `threads` outputs a workgroup. With an
 * image operand (conv_gemm_nt: A; conv_gemm_tn: B, neither transposed) element (r, q) is patch_at(r, q), a
 * batch's offset (strideA or strideB) moving along K as a split-K slice does.
 */
export function gemmWgsl(form: GemmForm, variant: KernelVariant = 'tiled', threads = 64, image?: ImageOperand, entry = `gemm_${form}`): string {
  const ta = form === 'tn',
    tb = form === 'nt';
  if (image === 'A' ? ta : image === 'B' ? tb : false) throw new Error(`gemm_${form}: the image operand ${image} cannot be transposed`);
  const header = gemmHeader(image);
  if (variant === 'direct') {
    const aVal = image === 'A' ? 'patch_at(i, ab + gk)' : `A[ab + ${ta ? 'gk * dims.lda + i' : 'i * dims.lda + gk'}]`;
    const bVal = image === 'B' ? 'patch_at(bb + gk, j)' : `B[bb + ${tb ? 'j * dims.ldb + gk' : 'gk * dims.ldb + j'}]`;
    return /* wgsl */ `
${header}
@compute @workgroup_size(${threads})
fn ${entry}(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let idx = gid.x + gid.y * nwg.x * ${threads}u;
  let per = dims.M * dims.N;
  if (idx >= dims.batch * per) { return; }
  let b = idx / per;
  let i = (idx % per) / dims.N;
  let j = idx % dims.N;
  let ab = dims.strideA * b;
  let bb = dims.strideB * b;
  var s = 0.0;
  for (var gk = 0u; gk < dims.K; gk++) { s = s + ${aVal} * ${bVal}; }
  C[dims.strideC * b + i * dims.ldc + j] = s;
}
`;
  }
  const loadA =
    image === 'A'
      ? `let i = e / 16u; let kk = e % 16u; let gi = row0 + i; let gk = k0 + kk;
       var v = 0.0; if (gi < dims.M && gk < dims.K) { v = patch_at(gi, dims.strideA * b + gk); }`
      : ta
        ? `let kk = e / 64u; let i = e % 64u; let gi = row0 + i; let gk = k0 + kk;
       var v = 0.0; if (gi < dims.M && gk < dims.K) { v = A[dims.strideA * b + gk * dims.lda + gi]; }`
        : `let i = e / 16u; let kk = e % 16u; let gi = row0 + i; let gk = k0 + kk;
       var v = 0.0; if (gi < dims.M && gk < dims.K) { v = A[dims.strideA * b + gi * dims.lda + gk]; }`;
  const loadB =
    image === 'B'
      ? `let kk = e / 64u; let j = e % 64u; let gj = col0 + j; let gk = k0 + kk;
       var v = 0.0; if (gj < dims.N && gk < dims.K) { v = patch_at(dims.strideB * b + gk, gj); }`
      : tb
        ? `let j = e / 16u; let kk = e % 16u; let gj = col0 + j; let gk = k0 + kk;
       var v = 0.0; if (gj < dims.N && gk < dims.K) { v = B[dims.strideB * b + gj * dims.ldb + gk]; }`
        : `let kk = e / 64u; let j = e % 64u; let gj = col0 + j; let gk = k0 + kk;
       var v = 0.0; if (gj < dims.N && gk < dims.K) { v = B[dims.strideB * b + gk * dims.ldb + gj]; }`;
  return /* wgsl */ `
${header}
var<workgroup> As: array<vec4<f32>, 256>; // [kk][i / 4]
var<workgroup> Bs: array<vec4<f32>, 256>; // [kk][j / 4]

@compute @workgroup_size(16, 16)
fn ${entry}(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
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

/** The shapes M × N × K of the parity cases (single elements, odd sizes, K = 2 against wide N, tiles' edges). */
const GEMM_SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [5, 9, 7],
  [4, 250, 2],
  [67, 130, 45],
  [100, 300, 101],
];

/** Workgroups a GEMM dispatch should reach to fill a large GPU (2 × the 132 SMs of an H100). */
export const GPU_FILL = 264;

/**
 * Slices of K for a split-K GEMM: 1 when the output tiles already fill the GPU; else the fewest equal
 * slices of at least one 16-deep k-tile that bring tiles × slices to GPU_FILL (or the most there are
 * when none does). Equal slices need a divisor of K; a K with none (a prime) is not split.
 */
export function splitK(M: number, N: number, K: number): number {
  const tiles = Math.ceil(M / 64) * Math.ceil(N / 64);
  if (tiles >= GPU_FILL) return 1;
  const want = Math.ceil(GPU_FILL / tiles);
  const slices = Array.from({ length: Math.floor(K / 16) }, (_, i) => i + 1).filter((d) => d > 1 && K % d === 0);
  return slices.find((d) => d >= want) ?? slices[slices.length - 1] ?? 1;
}

const FOLD_UNIFORM = { count: 'u32', N: 'u32', ldc: 'u32', slices: 'u32' } as const;
/** The fold of a split-K GEMM: C = Σ over slices of the partial products, slice 0 first. */
const FOLD_WGSL = /* wgsl */ `${uniformWgsl('FoldDims', FOLD_UNIFORM)}
@group(0) @binding(1) var<storage, read> scratch: array<f32>;
@group(0) @binding(2) var<storage, read_write> C: array<f32>;
${FLAT_WGSL}
@compute @workgroup_size(256)
fn gemm_fold(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = flat_index(gid, nwg);
  if (e >= d.count) { return; }
  var s = 0.0;
  for (var z = 0u; z < d.slices; z++) { s = s + scratch[z * d.count + e]; }
  C[(e / d.N) * d.ldc + e % d.N] = s;
}
`;

/** A conv-weight-gradient shape (16 filters of 3 × 5 × 5, 4096 rows): 2 tiles, so split 256 ways on GPUs. */
const SPLIT_SHAPE: [number, number, number] = [16, 75, 4096];

/** How a GEMM call runs: 64 × 64 tiles, one thread an output (`threads` a workgroup), or split-K tiles. */
type GemmChoice = { variant: 'tiled' } | { variant: 'direct'; threads: number } | { variant: 'split'; slices: number };

/**
 * The GEMM form by shape (as tfjs-webgpu chooses its matmul): the direct variant on software adapters (the
 * WASM order, no barriers); on GPUs the tiles when they fill the device (GPU_FILL workgroups), else split-K
 * when slices of K fill it, else one thread an output when that does (thin GEMMs with a short K: 64 or 32
 * threads a workgroup), else split-K as far as K divides, else one thread an output.
 */
function chooseGemm(M: number, N: number, K: number, shaping: Shaping): GemmChoice {
  if (!shaping.tiles) return { variant: 'direct', threads: 64 };
  const tiles = Math.ceil(M / 64) * Math.ceil(N / 64);
  if (tiles >= GPU_FILL) return { variant: 'tiled' };
  const slices = splitK(M, N, K);
  if (slices > 1 && tiles * slices >= GPU_FILL) return { variant: 'split', slices };
  for (const threads of [64, 32]) if (Math.ceil((M * N) / threads) >= GPU_FILL) return { variant: 'direct', threads };
  return slices > 1 ? { variant: 'split', slices } : { variant: 'direct', threads: 64 };
}

/** A GEMM call's sizes and leading dimensions. */
type GemmShape = { M: number; N: number; K: number; lda: number; ldb: number; ldc: number };

/** The source of a GEMM call by its shape: tiles or one thread an output (a split call's first dispatch is tiled). */
function gemmCallWgsl(form: GemmForm, g: GemmShape, shaping: Shaping, image?: ImageOperand, entry?: string): string {
  const c = chooseGemm(g.M, g.N, g.K, shaping);
  return c.variant === 'direct' ? gemmWgsl(form, 'direct', c.threads, image, entry) : gemmWgsl(form, 'tiled', 64, image, entry);
}

function gemmCallGroups(g: GemmShape, shaping: Shaping): [number, number, number] {
  const c = chooseGemm(g.M, g.N, g.K, shaping);
  return c.variant === 'direct' ? gemmGroups('direct', g.M, g.N, 1, c.threads) : gemmGroups('tiled', g.M, g.N, 1);
}

/**
 * Too few output tiles for a GPU: the tiled GEMM over equal slices of K as a batch into scratch, then the
 * fold (a fixed order, no atomics); any order of the K-term sums stays within the dot budget. `names`: the
 * call's A, B and C parameters; `extra`: uniform words after the GEMM's (a conv GEMM's geometry).
 */
function gemmCallPlan(
  form: GemmForm,
  g: GemmShape,
  shaping: Shaping,
  names: [string, string, string],
  image?: ImageOperand,
  entry = `gemm_${form}`,
  extra: Record<string, number> = {},
) {
  const { M, N, K, lda, ldb, ldc } = g;
  const c = chooseGemm(M, N, K, shaping);
  if (c.variant !== 'split') return undefined;
  const S = c.slices;
  const Ks = K / S;
  // a slice's offset: Ks along A's or B's K (an image operand's patch_at(r, q) takes it in its K index)
  const strideA = form === 'tn' ? Ks * lda : Ks,
    strideB = form === 'nt' || image === 'B' ? Ks : Ks * ldb;
  const gemm = { M, N, K: Ks, batch: S, lda, ldb, ldc: N, strideA, strideB, strideC: M * N };
  return {
    scratch: S * M * N,
    dispatches: [
      {
        code: gemmWgsl(form, 'tiled', 64, image, entry),
        entry,
        words: image ? uniformWords(CONV_GEMM_UNIFORM, { ...gemm, ...extra } as never) : uniformWords(GEMM_UNIFORM, gemm),
        bindings: [names[0], names[1], 'scratch'],
        groups: gemmGroups('tiled', M, N, S),
      },
      {
        code: FOLD_WGSL,
        entry: 'gemm_fold',
        words: uniformWords(FOLD_UNIFORM, { count: M * N, N, ldc, slices: S }),
        bindings: ['scratch', names[2]],
        groups: flatGroups(M * N),
      },
    ],
  };
}

function gemmDef<const F extends GemmForm>(form: F) {
  return defineKernel({
    name: `gemm_${form}` as `gemm_${F}`,
    params: { M: 'int', N: 'int', K: 'int', A: 'in', lda: 'int', B: 'in', ldb: 'int', C: 'out', ldc: 'int', work: 'workspace' },
    uniform: GEMM_UNIFORM,
    ownHeader: true,
    words: ({ M, N, K, lda, ldb, ldc }) => ({ M, N, K, batch: 1, lda, ldb, ldc, strideA: 0, strideB: 0, strideC: 0 }),
    wgsl: (a, shaping) => gemmCallWgsl(form, a, shaping),
    groups: (a, shaping) => gemmCallGroups(a, shaping),
    plan: (a, shaping) => gemmCallPlan(form, a, shaping, ['A', 'B', 'C']),
    tolerance: GEMM_TOLERANCE,
    terms: (a) => a.K,
    cases: [...GEMM_SHAPES, SPLIT_SHAPE].map(([M, N, K]) => ({
      label: `${M}×${N}×${K}`,
      args: { M, N, K, lda: form === 'tn' ? M : K, ldb: form === 'nt' ? K : N, ldc: N },
      tensors: { A: { size: M * K, stream: 1 }, B: { size: K * N, stream: 2 }, C: { size: M * N } },
    })),
  });
}

export const gemm_nn = gemmDef('nn');
export const gemm_tn = gemmDef('tn');
export const gemm_nt = gemmDef('nt');

/** A conv GEMM's image and filters: n images H × W × C, F kernels k × k, stride and padding. */
type ConvGeometry = Geometry & { F: number };
const CONV_GEOMETRY = { ...GEOMETRY, F: 'int' } as const;
const outSize = (L: number, k: number, stride: number, pad: number) => Math.floor((L + 2 * pad - k) / stride) + 1;

/** Patch rows n·Ho·Wo, columns C·k·k and the geometry words of the uniform. */
function patchShape(a: ConvGeometry) {
  const Ho = outSize(a.H, a.k, a.stride, a.pad),
    Wo = outSize(a.W, a.k, a.stride, a.pad);
  return { rows: a.n * Ho * Wo, ckk: a.C * a.k * a.k, geometry: { H: a.H, W: a.W, C: a.C, k: a.k, stride: a.stride, pad: a.pad, Ho, Wo } };
}
/** y = patches(x)·wtᵀ as gemm_nt: rows × F × C·k·k. */
function ntShape(a: ConvGeometry): GemmShape {
  const { rows, ckk } = patchShape(a);
  return { M: rows, N: a.F, K: ckk, lda: 0, ldb: ckk, ldc: a.F };
}
/** dwt = gᵀ·patches(x) as gemm_tn: F × C·k·k × rows. */
function tnShape(a: ConvGeometry): GemmShape {
  const { rows, ckk } = patchShape(a);
  return { M: a.F, N: ckk, K: rows, lda: a.F, ldb: 0, ldc: ckk };
}
const convWords = (g: GemmShape, a: ConvGeometry) => ({ ...g, batch: 1, strideA: 0, strideB: 0, strideC: 0, ...patchShape(a).geometry });

/** The conv parity cases: odd channels (the scalar gathers), one channel (four-row loads), channels in
 * fours with padding (the vector packing), K and N past a block (C = 64), 4096 rows (split-K on GPUs), a
 * 1 × 1 kernel (the patch matrix is the image), rows read in place at stride 2 over two K blocks, and
 * the filter gradient without packing (C in eights, F in fours) over two blocks of rows. */
const CONV_CASES: ConvGeometry[] = [
  { n: 2, H: 8, W: 8, C: 3, k: 3, stride: 1, pad: 0, F: 5 },
  { n: 3, H: 7, W: 9, C: 2, k: 5, stride: 2, pad: 2, F: 4 },
  { n: 1, H: 28, W: 28, C: 1, k: 5, stride: 1, pad: 0, F: 16 },
  { n: 2, H: 14, W: 14, C: 1, k: 3, stride: 1, pad: 1, F: 9 },
  { n: 2, H: 10, W: 10, C: 16, k: 3, stride: 1, pad: 1, F: 16 },
  { n: 3, H: 7, W: 7, C: 8, k: 3, stride: 2, pad: 1, F: 12 },
  { n: 4, H: 4, W: 4, C: 64, k: 3, stride: 1, pad: 1, F: 8 },
  { n: 4, H: 32, W: 32, C: 3, k: 5, stride: 1, pad: 2, F: 16 },
  { n: 2, H: 5, W: 7, C: 12, k: 1, stride: 1, pad: 0, F: 6 },
  { n: 2, H: 12, W: 20, C: 32, k: 3, stride: 2, pad: 0, F: 8 },
  { n: 3, H: 11, W: 13, C: 8, k: 3, stride: 1, pad: 1, F: 12 },
];
const convLabel = (g: ConvGeometry) => `n=${g.n} ${g.H}×${g.W}×${g.C}→${g.F}@${g.k}×${g.k} stride=${g.stride} pad=${g.pad}`;
const imageSize = (g: ConvGeometry) => g.n * g.H * g.W * g.C;

/** y (n·Ho·Wo × F) = patches(x)·wtᵀ: im2col then gemm_nt without the columns (assembly/kernels/gemm.ts). */
export const conv_gemm_nt = defineKernel({
  name: 'conv_gemm_nt',
  params: { ...CONV_GEOMETRY, x: 'in', wt: 'in', y: 'out', work: 'workspace' },
  uniform: CONV_GEMM_UNIFORM,
  ownHeader: true,
  words: (a) => convWords(ntShape(a), a),
  wgsl: (a, shaping) => gemmCallWgsl('nt', ntShape(a), shaping, 'A', 'conv_gemm_nt'),
  groups: (a, shaping) => gemmCallGroups(ntShape(a), shaping),
  plan: (a, shaping) => gemmCallPlan('nt', ntShape(a), shaping, ['x', 'wt', 'y'], 'A', 'conv_gemm_nt', patchShape(a).geometry),
  tolerance: GEMM_TOLERANCE,
  terms: (a) => a.C * a.k * a.k,
  cases: CONV_CASES.map((g) => ({
    label: convLabel(g),
    args: g,
    tensors: { x: { size: imageSize(g), stream: 31 }, wt: { size: g.F * patchShape(g).ckk, stream: 32 }, y: { size: patchShape(g).rows * g.F } },
  })),
});

/** dwt (F × C·k·k) = gᵀ·patches(x): im2col then gemm_tn without the columns, each sum sequential over rows. */
export const conv_gemm_tn = defineKernel({
  name: 'conv_gemm_tn',
  params: { ...CONV_GEOMETRY, g: 'in', x: 'in', dwt: 'out', work: 'workspace' },
  uniform: CONV_GEMM_UNIFORM,
  ownHeader: true,
  words: (a) => convWords(tnShape(a), a),
  wgsl: (a, shaping) => gemmCallWgsl('tn', tnShape(a), shaping, 'B', 'conv_gemm_tn'),
  groups: (a, shaping) => gemmCallGroups(tnShape(a), shaping),
  plan: (a, shaping) => gemmCallPlan('tn', tnShape(a), shaping, ['g', 'x', 'dwt'], 'B', 'conv_gemm_tn', patchShape(a).geometry),
  tolerance: GEMM_TOLERANCE,
  terms: (a) => patchShape(a as ConvGeometry).rows,
  cases: CONV_CASES.map((g) => ({
    label: convLabel(g),
    args: g,
    tensors: { g: { size: patchShape(g).rows * g.F, stream: 33 }, x: { size: imageSize(g), stream: 34 }, dwt: { size: g.F * patchShape(g).ckk } },
  })),
});
