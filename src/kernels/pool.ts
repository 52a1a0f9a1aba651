// Pooling over s × s windows with stride s (NHWC), forward and backward: the declarations of
// assembly/kernels/pool.ts's kernels (twins: src/reference/pool.ts). One invocation per output element;
// max pooling's backward scatter gx[idx[o]] = gy[o] runs as a gather (an input element takes gy of its
// window if it was the chosen one); ties take the first maximum in both forms (a strict >).
import { defineKernel, type TensorFill } from './define.js';
import { FLAT_WGSL, flatGroups, ONE_OP } from './flat.js';

const WINDOW = { n: 'int', H: 'int', W: 'int', C: 'int', s: 'int' } as const;
/** Sizes, the output (Ho, Wo) and inv = f32(1/(s·s)) from the host. */
const POOL_UNIFORM = { n: 'u32', H: 'u32', W: 'u32', C: 'u32', s: 'u32', Ho: 'u32', Wo: 'u32', inv: 'f32' } as const;
type Window = { n: number; H: number; W: number; C: number; s: number };
const poolWords = (a: Window) => ({ ...a, Ho: Math.floor(a.H / a.s), Wo: Math.floor(a.W / a.s), inv: Math.fround(1 / Math.fround(a.s * a.s)) });
const outs = (a: Window) => a.n * Math.floor(a.H / a.s) * Math.floor(a.W / a.s) * a.C;
const ins = (a: Window) => a.n * a.H * a.W * a.C;

const CASES: Window[] = [
  { n: 2, H: 8, W: 8, C: 3, s: 2 },
  { n: 3, H: 7, W: 5, C: 4, s: 3 },
];
const label = (g: Window) => `n=${g.n} ${g.C}×${g.H}×${g.W} s=${g.s}`;

/** Flat input index of the top-left element of output o's window. */
function windowFirst(o: number, { H, W, C, s }: Window): number {
  const Ho = Math.floor(H / s),
    Wo = Math.floor(W / s),
    c = o % C,
    v = Math.floor(o / C) % Wo,
    u = Math.floor(o / (C * Wo)) % Ho,
    i = Math.floor(o / (C * Wo * Ho));
  return ((i * H + u * s) * W + v * s) * C + c;
}
/** argmax indices (u32 bits in an f32 tensor) of the windows' first elements: a valid index map */
const firstIndices = (g: Window): TensorFill => ({ size: outs(g), fill: (o) => new Float32Array(new Uint32Array([windowFirst(o, g)]).buffer)[0] });

const pool = { uniform: POOL_UNIFORM, struct: 'PoolDims', words: poolWords } as const;

export const avgpool_forward = defineKernel({
  name: 'avgpool_forward',
  params: { ...WINDOW, x: 'in', y: 'out' },
  ...pool,
  groups: (a) => flatGroups(outs(a)),
  // an s²-term sum, then the scaling by inv: the dot-product bound
  tolerance: { kind: 'dot' },
  terms: (a) => a.s * a.s,
  cases: CASES.map((g) => ({ label: label(g), args: g, tensors: { x: { size: ins(g), stream: 23 }, y: { size: outs(g) } } })),
  wgsl: () => /* wgsl */ `${FLAT_WGSL}
@compute @workgroup_size(256)
fn avgpool_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let o = flat_index(gid, nwg);
  if (o >= d.n * d.Ho * d.Wo * d.C) { return; }
  let q = nhwc(o, d.Ho, d.Wo, d.C);
  let i = q.x; let u = q.y; let v = q.z; let c = q.w;
  var acc = 0.0;
  for (var dy = 0u; dy < d.s; dy++) {
    for (var dx = 0u; dx < d.s; dx++) { acc = acc + x[((i * d.H + u * d.s + dy) * d.W + v * d.s + dx) * d.C + c]; }
  }
  y[o] = acc * d.inv;
}
`,
});

export const avgpool_backward = defineKernel({
  name: 'avgpool_backward',
  params: { ...WINDOW, gy: 'in', gx: 'out' },
  ...pool,
  groups: (a) => flatGroups(ins(a)),
  tolerance: ONE_OP,
  cases: CASES.map((g) => ({ label: label(g), args: g, tensors: { gy: { size: outs(g), stream: 24 }, gx: { size: ins(g) } } })),
  wgsl: () => /* wgsl */ `${FLAT_WGSL}
@compute @workgroup_size(256)
fn avgpool_backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = flat_index(gid, nwg);
  if (e >= d.n * d.H * d.W * d.C) { return; }
  let q = nhwc(e, d.H, d.W, d.C);
  let i = q.x; let h = q.y; let w = q.z; let c = q.w;
  var val = 0.0;
  if (h < d.Ho * d.s && w < d.Wo * d.s) { val = gy[((i * d.Ho + h / d.s) * d.Wo + w / d.s) * d.C + c] * d.inv; }
  gx[e] = val;
}
`,
});

const TIES: Window = { n: 2, H: 9, W: 7, C: 3, s: 3 };

export const maxpool_forward = defineKernel({
  name: 'maxpool_forward',
  params: { ...WINDOW, x: 'in', y: 'out', idx: 'out' },
  ...pool,
  u32: ['idx'],
  groups: (a) => flatGroups(outs(a)),
  // selections (comparisons are exact in WGSL): the WASM bits
  tolerance: { kind: 'exact' },
  cases: [
    ...CASES.map((g) => ({ label: label(g), args: g, tensors: { x: { size: ins(g), stream: 25 }, y: { size: outs(g) }, idx: { size: outs(g) } } })),
    // windows that hold their maximum more than once: both forms take the first
    {
      label: `${label(TIES)}, values on a grid of ½ (ties)`,
      args: TIES,
      tensors: { x: { size: ins(TIES), stream: 40, step: 0.5 }, y: { size: outs(TIES) }, idx: { size: outs(TIES) } },
    },
  ],
  wgsl: () => /* wgsl */ `${FLAT_WGSL}
@compute @workgroup_size(256)
fn maxpool_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let o = flat_index(gid, nwg);
  if (o >= d.n * d.Ho * d.Wo * d.C) { return; }
  let q = nhwc(o, d.Ho, d.Wo, d.C);
  let i = q.x; let u = q.y; let v = q.z; let c = q.w;
  var best = ((i * d.H + u * d.s) * d.W + v * d.s) * d.C + c;
  var mx = x[best];
  for (var dy = 0u; dy < d.s; dy++) {
    for (var dx = 0u; dx < d.s; dx++) {
      let at = ((i * d.H + u * d.s + dy) * d.W + v * d.s + dx) * d.C + c;
      if (x[at] > mx) { mx = x[at]; best = at; }
    }
  }
  y[o] = mx;
  idx[o] = best;
}
`,
});

export const maxpool_backward = defineKernel({
  name: 'maxpool_backward',
  params: { ...WINDOW, gy: 'in', idx: 'in', gx: 'out' },
  ...pool,
  u32: ['idx'],
  groups: (a) => flatGroups(ins(a)),
  tolerance: { kind: 'exact' },
  cases: CASES.map((g) => ({ label: label(g), args: g, tensors: { gy: { size: outs(g), stream: 26 }, idx: firstIndices(g), gx: { size: ins(g) } } })),
  wgsl: () => /* wgsl */ `${FLAT_WGSL}
@compute @workgroup_size(256)
fn maxpool_backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = flat_index(gid, nwg);
  if (e >= d.n * d.H * d.W * d.C) { return; }
  let q = nhwc(e, d.H, d.W, d.C);
  let i = q.x; let h = q.y; let w = q.z; let c = q.w;
  var val = 0.0;
  if (h < d.Ho * d.s && w < d.Wo * d.s) {
    let o = ((i * d.Ho + h / d.s) * d.Wo + w / d.s) * d.C + c;
    if (idx[o] == e) { val = gy[o]; }
  }
  gx[e] = val;
}
`,
});
