// The patch matrix of a convolution (im2col; the conv GEMMs of ./gemm.ts read it in place through
// patch_at), a conv layer's input gradient (its output gradient times the kernel, then the adjoint of
// im2col), and the bias of a linear map: the declarations of assembly/kernels/conv.ts's kernels (twins:
// src/reference/conv.ts). One invocation per output element in the WASM order: conv_input_grad gathers
// each input pixel's window entries, each a sum over the filters; bias_grad sums rows in order, or (GPUs)
// in `tree` strided partial sums combined by a fixed tree.
import { defineKernel } from './define.js';
import { FLAT_WGSL, flatGroups, windowOut, ONE_OP, treeSumWgsl } from './flat.js';
import { grid } from '../webgpu/gpu.js';

/** A convolution's image and window: batch, height, width, channels, kernel size, stride, padding. */
export const GEOMETRY = { n: 'int', H: 'int', W: 'int', C: 'int', k: 'int', stride: 'int', pad: 'int' } as const;
const CONV_UNIFORM = { n: 'u32', H: 'u32', W: 'u32', C: 'u32', k: 'u32', stride: 'u32', pad: 'u32', Ho: 'u32', Wo: 'u32' } as const;
export type Geometry = { n: number; H: number; W: number; C: number; k: number; stride: number; pad: number };
const convWords = (a: Geometry) => ({ ...a, Ho: windowOut(a.H, a.k, a.stride, a.pad), Wo: windowOut(a.W, a.k, a.stride, a.pad) });
const colsSize = (a: Geometry) => a.n * windowOut(a.H, a.k, a.stride, a.pad) * windowOut(a.W, a.k, a.stride, a.pad) * a.C * a.k * a.k;

const CASES: Geometry[] = [
  { n: 2, H: 8, W: 8, C: 3, k: 3, stride: 1, pad: 0 },
  { n: 3, H: 7, W: 9, C: 2, k: 5, stride: 2, pad: 2 },
  { n: 1, H: 28, W: 28, C: 1, k: 5, stride: 1, pad: 0 },
];
/** WGSL patch_at(r, q): entry (r, q) of the patch matrix of the NHWC image `image` (im2col's cols, read
 * in place by the conv GEMMs), with `d` the uniform holding the geometry (H, W, C, k, stride, pad, Ho, Wo). */
export const patchAtWgsl = (d: string, image: string) => /* wgsl */ `
fn patch_at(r: u32, q: u32) -> f32 {
  let i = r / (${d}.Ho * ${d}.Wo);
  let u = (r / ${d}.Wo) % ${d}.Ho;
  let v = r % ${d}.Wo;
  let c = q / (${d}.k * ${d}.k);
  let dy = (q / ${d}.k) % ${d}.k;
  let dx = q % ${d}.k;
  let h = i32(u * ${d}.stride + dy) - i32(${d}.pad);
  let w = i32(v * ${d}.stride + dx) - i32(${d}.pad);
  if (h < 0 || h >= i32(${d}.H) || w < 0 || w >= i32(${d}.W)) { return 0.0; }
  return ${image}[((i * ${d}.H + u32(h)) * ${d}.W + u32(w)) * ${d}.C + c];
}
`;
const label = (g: Geometry) => `n=${g.n} ${g.C}×${g.H}×${g.W} k=${g.k} stride=${g.stride} pad=${g.pad}`;

export const im2col = defineKernel({
  name: 'im2col',
  params: { ...GEOMETRY, x: 'in', cols: 'out' },
  uniform: CONV_UNIFORM,
  struct: 'ConvDims',
  words: convWords,
  groups: (a) => flatGroups(colsSize(a)),
  tolerance: { kind: 'exact' },
  cases: CASES.map((g) => ({ label: label(g), args: g, tensors: { x: { size: g.n * g.H * g.W * g.C, stream: 21 }, cols: { size: colsSize(g) } } })),
  wgsl: () => /* wgsl */ `${FLAT_WGSL}${patchAtWgsl('d', 'x')}
@compute @workgroup_size(256)
fn im2col(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = flat_index(gid, nwg);
  let ckk = d.C * d.k * d.k;
  if (e >= d.n * d.Ho * d.Wo * ckk) { return; }
  cols[e] = patch_at(e / ckk, e % ckk);
}
`,
});

/** The input-gradient cases: channels not in fours (the scalar rest), stride 2 with padding, channels in
 * eights and fours with rows of one, two and four windows, a 1 × 1 kernel, and pixels no window reaches. */
const INPUT_GRAD_CASES: (Geometry & { F: number })[] = [
  { n: 2, H: 8, W: 8, C: 3, k: 3, stride: 1, pad: 0, F: 5 },
  { n: 3, H: 7, W: 9, C: 2, k: 5, stride: 2, pad: 2, F: 4 },
  { n: 2, H: 10, W: 10, C: 16, k: 3, stride: 1, pad: 1, F: 16 },
  { n: 3, H: 7, W: 7, C: 12, k: 3, stride: 2, pad: 1, F: 9 },
  { n: 1, H: 5, W: 9, C: 20, k: 3, stride: 1, pad: 1, F: 7 },
  { n: 2, H: 5, W: 7, C: 6, k: 1, stride: 1, pad: 0, F: 3 },
  { n: 2, H: 10, W: 11, C: 3, k: 2, stride: 3, pad: 0, F: 2 },
];

export const conv_input_grad = defineKernel({
  name: 'conv_input_grad',
  params: { ...GEOMETRY, F: 'int', g: 'in', wt: 'in', gx: 'out', work: 'workspace' },
  uniform: { ...CONV_UNIFORM, F: 'u32' },
  words: (a) => ({ ...convWords(a), F: a.F }),
  groups: (a) => flatGroups(a.n * a.H * a.W * a.C),
  // a sum over a pixel's windows of sums over the filters
  tolerance: { kind: 'dot' },
  terms: (a) => a.F + a.k * a.k,
  cases: INPUT_GRAD_CASES.map((g) => ({
    label: `${label(g)} F=${g.F}`,
    args: g,
    tensors: {
      g: { size: (colsSize(g) / (g.C * g.k * g.k)) * g.F, stream: 22 },
      wt: { size: g.F * g.C * g.k * g.k, stream: 30 },
      gx: { size: g.n * g.H * g.W * g.C },
    },
  })),
  wgsl: () => /* wgsl */ `${FLAT_WGSL}
@compute @workgroup_size(256)
fn conv_input_grad(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = flat_index(gid, nwg);
  if (e >= d.n * d.H * d.W * d.C) { return; }
  let q = nhwc(e, d.H, d.W, d.C);
  let i = q.x; let h = i32(q.y); let w = i32(q.z); let c = q.w;
  let k = i32(d.k);
  let st = i32(d.stride);
  let pad = i32(d.pad);
  let ckk = d.C * d.k * d.k;
  let uLo = max(0, (h + pad - k + st) / st);
  let uHi = min(i32(d.Ho) - 1, (h + pad) / st);
  let vLo = max(0, (w + pad - k + st) / st);
  let vHi = min(i32(d.Wo) - 1, (w + pad) / st);
  var s = 0.0;
  for (var u = uLo; u <= uHi; u++) {
    let dy = h + pad - u * st;
    for (var v = vLo; v <= vHi; v++) {
      let dx = w + pad - v * st;
      // entry (r, col) of g·wt, sequential over the filters
      let r = (i * d.Ho + u32(u)) * d.Wo + u32(v);
      let col = (c * d.k + u32(dy)) * d.k + u32(dx);
      var t = 0.0;
      for (var f = 0u; f < d.F; f++) { t = t + g[r * d.F + f] * wt[f * ckk + col]; }
      s = s + t;
    }
  }
  gx[e] = s;
}
`,
});

const ROWS = { rows: 'u32', F: 'u32' } as const;

export const bias_add = defineKernel({
  name: 'bias_add',
  params: { rows: 'int', F: 'int', z: 'inout', b: 'in' },
  uniform: ROWS,
  words: ({ rows, F }) => ({ rows, F }),
  groups: (a) => flatGroups(a.rows * a.F),
  tolerance: ONE_OP,
  cases: [{ label: 'rows=577 F=16', args: { rows: 577, F: 16 }, tensors: { z: { size: 577 * 16, stream: 27 }, b: { size: 16, stream: 28 } } }],
  wgsl: () => /* wgsl */ `${FLAT_WGSL}
@compute @workgroup_size(256)
fn bias_add(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = flat_index(gid, nwg);
  if (e >= d.rows * d.F) { return; }
  z[e] = z[e] + b[e % d.F];
}
`,
});

export const bias_grad = defineKernel({
  name: 'bias_grad',
  params: { rows: 'int', F: 'int', g: 'in', db: 'out' },
  uniform: ROWS,
  words: ({ rows, F }) => ({ rows, F }),
  // a workgroup per feature: `tree` invocations each sum every tree-th row in order, then the tree
  groups: (a) => [...grid(a.F), 1],
  tolerance: { kind: 'dot' },
  terms: (a) => a.rows,
  cases: [{ label: 'rows=577 F=13', args: { rows: 577, F: 13 }, tensors: { g: { size: 577 * 13, stream: 29 }, db: { size: 13 } } }],
  wgsl: (_, shaping) => /* wgsl */ `${treeSumWgsl(shaping.tree)}
@compute @workgroup_size(T)
fn bias_grad(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let f = wid.x + wid.y * nwg.x;
  if (f >= d.F) { return; }
  var s = 0.0;
  for (var r = t; r < d.rows; r += T) { s = s + g[r * d.F + f]; }
  let total = tree_sum(t, s);
  if (t == 0u) { db[f] = total; }
}
`,
});
