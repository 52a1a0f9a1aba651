// The elementwise kernels of layered programs — products, sums, scalings, the optimiser updates, the MSE
// residual and Σx² —: the declarations of assembly/kernels/elementwise.ts's kernels (twins:
// src/reference/elementwise.ts). mul_inplace is the two-layer engine's batched WGSL run with one run
// (../webgpu/kernels/elementwise.ts prints its uniform); the optimisers share its formulas (UPDATE_CORE_WGSL).
// mse_residual and sum_squares sum in one workgroup: sequentially as WASM does (tree 1, software adapters)
// or in `tree` strided partial sums combined by a fixed tree (GPUs).
import { defineKernel, type ScalarArg } from './define.js';
import { FLAT_WGSL, flatGroups, ONE_OP, treeSumWgsl } from './flat.js';
import { ELEMENTWISE_TOLERANCE, FLAT_UNIFORM, MUL_INPLACE_WGSL, UPDATE_CARRY, UPDATE_CORE_WGSL } from '../webgpu/kernels/elementwise.js';

const N = 1003;

export const mul_inplace = defineKernel({
  name: 'mul_inplace',
  params: { n: 'int', x: 'inout', y: 'in' },
  uniform: FLAT_UNIFORM,
  ownHeader: true,
  words: ({ n }) => ({ count: n, perRun: n }),
  groups: (a) => flatGroups(a.n),
  tolerance: ELEMENTWISE_TOLERANCE.mul_inplace,
  cases: [{ label: `n=${N}`, args: { n: N }, tensors: { x: { size: N, stream: 57 }, y: { size: N, stream: 58 } } }],
  wgsl: () => MUL_INPLACE_WGSL,
});

export const mse_residual = defineKernel({
  name: 'mse_residual',
  params: { n: 'int', f: 'in', y: 'in', e: 'out' },
  returns: 'loss',
  uniform: { n: 'u32' },
  words: ({ n }) => ({ n }),
  groups: () => [1, 1, 1],
  // e = f − y: one rounding (either neighbour); the loss (Σe²/2)/n, a sum WGSL may fuse and the tree
  // reorders: within n·2⁻²³·Σe²/2 / n, carried below
  tolerance: { kind: 'ulp', ulps: 1, atol: 2 ** -126 },
  carry: (_, { f, y }) => ({ loss: Float64Array.of(f.reduce((s, v, i) => s + (v - y[i]) ** 2, 0) / 2) }),
  cases: [{ label: `n=${N}`, args: { n: N }, tensors: { f: { size: N, stream: 59 }, y: { size: N, stream: 60 }, e: { size: N } } }],
  // one workgroup of `tree` invocations, each summing every tree-th square in order (tree 1: the WASM order)
  wgsl: (_, shaping) => /* wgsl */ `${treeSumWgsl(shaping.tree)}
@compute @workgroup_size(T)
fn mse_residual(@builtin(local_invocation_index) t: u32) {
  var s = 0.0;
  for (var i = t; i < d.n; i += T) {
    let v = f[i] - y[i];
    e[i] = v;
    s = s + v * v;
  }
  let total = tree_sum(t, s);
  if (t == 0u) { loss[0] = (total * 0.5) / f32(d.n); }
}
`,
});

const COUNT_C = { count: 'u32', c: 'f32' } as const;

export const add_inplace = defineKernel({
  name: 'add_inplace',
  params: { n: 'int', x: 'inout', y: 'in' },
  uniform: { count: 'u32' },
  words: ({ n }) => ({ count: n }),
  groups: (a) => flatGroups(a.n),
  tolerance: ONE_OP,
  cases: [{ label: `n=${N}`, args: { n: N }, tensors: { x: { size: N, stream: 30 }, y: { size: N, stream: 31 } } }],
  wgsl: () => /* wgsl */ `${FLAT_WGSL}
@compute @workgroup_size(256)
fn add_inplace(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= d.count) { return; }
  x[i] = x[i] + y[i];
}
`,
});

/** 65535·256 + 257 elements: the dispatch needs a second row of workgroups */
const MANY = 65535 * 256 + 257;

/** y = x·c; x and y may be the same tensor, then bound once (read_write). */
export const scale_to = defineKernel({
  name: 'scale_to',
  params: { n: 'int', x: 'in', c: 'f32', y: 'out' },
  uniform: COUNT_C,
  perStep: ['c'],
  words: ({ n, c }) => ({ count: n, c }),
  bindings: (a) =>
    a.x.tensor === a.y.tensor
      ? [['x', 'read_write']]
      : [
          ['x', 'read'],
          ['y', 'read_write'],
        ],
  groups: (a) => flatGroups(a.n),
  tolerance: ONE_OP,
  cases: [
    { label: `n=${N}, c = 0.3`, args: { n: N, c: 0.3 }, tensors: { x: { size: N, stream: 32 }, y: { size: N } } },
    { label: 'n = 65535·256 + 257 (two rows of workgroups)', args: { n: MANY, c: 0.3 }, tensors: { x: { size: MANY, stream: 39 }, y: { size: MANY } } },
  ],
  wgsl: (a) => /* wgsl */ `${FLAT_WGSL}
@compute @workgroup_size(256)
fn scale_to(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= d.count) { return; }
  ${a.x.tensor === a.y.tensor ? 'x' : 'y'}[i] = x[i] * scalar_c();
}
`,
});

export const gd_step = defineKernel({
  name: 'gd_step',
  params: { n: 'int', p: 'inout', g: 'in', lr: 'f32' },
  uniform: { count: 'u32', lr: 'f32' },
  perStep: ['lr'],
  words: ({ n, lr }) => ({ count: n, lr }),
  groups: (a) => flatGroups(a.n),
  tolerance: ELEMENTWISE_TOLERANCE.gd_step,
  // p − lr·g, which WGSL may fuse: the unfused rounding of lr·g carried where p and lr·g nearly cancel
  carry: ({ args: { lr } }, { g }) => ({ p: Float64Array.from(g, (x) => UPDATE_CARRY.gd_step * Math.abs(lr * x)) }),
  // p in [1, 2): p − lr·g does not cancel, so fusing it moves the result by at most its own rounding
  cases: [{ label: `n=${N}, lr 0.05`, args: { n: N, lr: 0.05 }, tensors: { p: { size: N, stream: 61, lo: 1, hi: 2 }, g: { size: N, stream: 62 } } }],
  wgsl: () => /* wgsl */ `${FLAT_WGSL}${UPDATE_CORE_WGSL}
@compute @workgroup_size(256)
fn gd_step(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= d.count) { return; }
  p[i] = gd_update(p[i], g[i], scalar_lr());
}
`,
});

const ADAM_PARAMS = { n: 'int', p: 'inout', g: 'in', m: 'inout', v: 'inout', lr: 'f32', b1: 'f32', b2: 'f32', eps: 'f32', bc1: 'f32', bc2: 'f32' } as const;
const ADAM_UNIFORM = { count: 'u32', lr: 'f32', b1: 'f32', b2: 'f32', eps: 'f32', bc1: 'f32', bc2: 'f32' } as const;
const ADAM_PER_STEP: ('lr' | 'bc1' | 'bc2')[] = ['lr', 'bc1', 'bc2'];
/** Adam's step size |lr·u| per element (f64), u = (m̂/bc1)/(√(v̂/bc2) + ε) after the moments' update. */
function adamStep(a: Record<string, number>, { g, m, v }: Record<string, Float32Array>): Float64Array {
  return Float64Array.from(g, (x, i) => {
    const mi = a.b1 * m[i] + (1 - a.b1) * x,
      vi = a.b2 * v[i] + (1 - a.b2) * x * x;
    return Math.abs((a.lr * (mi / a.bc1)) / (Math.sqrt(vi / a.bc2) + a.eps));
  });
}
type AdamArgs = { n: number; lr: ScalarArg; b1: ScalarArg; b2: ScalarArg; eps: ScalarArg; bc1: ScalarArg; bc2: ScalarArg };
const adamWords = ({ n, lr, b1, b2, eps, bc1, bc2 }: AdamArgs) => ({ count: n, lr, b1, b2, eps, bc1, bc2 });
const ADAM_ARGS = { n: N, lr: 1e-3, b1: 0.9, b2: 0.999, eps: 1e-8, bc1: 0.271, bc2: 0.003 };
const adamTensors = (s: number, lo = -1) => ({
  p: { size: N, stream: s, lo, hi: lo + 2 },
  g: { size: N, stream: s + 1 },
  m: { size: N, stream: s + 2 },
  v: { size: N, stream: s + 3, lo: 0, hi: 1 },
});
const adamBody = (decay: string) => /* wgsl */ `${FLAT_WGSL}${UPDATE_CORE_WGSL}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= d.count) { return; }
  let u = adam_core(${decay}, g[i], m[i], v[i], scalar_lr(), d.b1, d.b2, d.eps, scalar_bc1(), scalar_bc2());
  p[i] = u.x;
  m[i] = u.y;
  v[i] = u.z;
}
`;

export const adam_step = defineKernel({
  name: 'adam_step',
  params: ADAM_PARAMS,
  uniform: ADAM_UNIFORM,
  perStep: ADAM_PER_STEP,
  words: adamWords,
  groups: (a) => flatGroups(a.n),
  tolerance: ELEMENTWISE_TOLERANCE.adam_step,
  // p − lr·u fused: the carry of u's own error and of the product's rounding (UPDATE_CARRY)
  carry: (c, inputs) => ({ p: adamStep(c.args, inputs).map((x) => UPDATE_CARRY.adam_step * x) }),
  // p in [1, 3): no cancellation in the final p − lr·u (see gd_step)
  cases: [{ label: `n=${N}`, args: ADAM_ARGS, tensors: adamTensors(63, 1) }],
  wgsl: () => adamBody('p[i]').replace('fn main', 'fn adam_step'),
});

/** AdamW: p − (lr·wd)·p, then the shared adam_core. */
export const adamw_step = defineKernel({
  name: 'adamw_step',
  params: { ...ADAM_PARAMS, wd: 'f32' },
  uniform: { ...ADAM_UNIFORM, wd: 'f32' },
  perStep: ADAM_PER_STEP,
  words: (a) => ({ ...adamWords(a), wd: a.wd }),
  groups: (a) => flatGroups(a.n),
  // as adam_step (the shared adam_core), after the decay, whose product lr·wd·p is carried too
  tolerance: ELEMENTWISE_TOLERANCE.adam_step,
  carry: (c, inputs) => ({ p: adamStep(c.args, inputs).map((x, i) => UPDATE_CARRY.adam_step * x + Math.abs(c.args.lr * c.args.wd * inputs.p[i])) }),
  cases: [{ label: `n=${N}, wd 0.1`, args: { ...ADAM_ARGS, wd: 0.1 }, tensors: adamTensors(34) }],
  wgsl: () => adamBody('p[i] - (scalar_lr() * d.wd) * p[i]').replace('fn main', 'fn adamw_step'),
});

export const sum_squares = defineKernel({
  name: 'sum_squares',
  params: { n: 'int', x: 'in' },
  returns: 'out',
  uniform: { count: 'u32' },
  words: ({ n }) => ({ count: n }),
  groups: () => [1, 1, 1],
  tolerance: { kind: 'dot' },
  terms: (a) => a.n,
  cases: [{ label: `n=${N}`, args: { n: N }, tensors: { x: { size: N, stream: 38 } } }],
  // one workgroup of `tree` invocations, each summing every tree-th vec4 in order (tree 1: the WASM order)
  wgsl: (_, shaping) => /* wgsl */ `${treeSumWgsl(shaping.tree, 'vec4<f32>')}
@compute @workgroup_size(T)
fn sum_squares(@builtin(local_invocation_index) t: u32) {
  var acc = vec4<f32>(0.0);
  let n4 = d.count & ~3u;
  for (var i = 4u * t; i < n4; i += 4u * T) {
    let v = vec4<f32>(x[i], x[i + 1u], x[i + 2u], x[i + 3u]);
    acc = acc + v * v;
  }
  let all = tree_sum(t, acc);
  if (t == 0u) {
    var s = (all.x + all.y) + (all.z + all.w);
    for (var i = n4; i < d.count; i++) { s = s + x[i] * x[i]; }
    out[0] = s;
  }
}
`,
});
