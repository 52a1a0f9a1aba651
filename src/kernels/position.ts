// The last position of each sequence and its gradient: the declarations of assembly/kernels/position.ts
// (twins: src/reference/position.ts). Copies, one invocation per output element.
import { defineKernel } from './define.js';
import { FLAT_WGSL, flatGroups } from './flat.js';

const UNIFORM = { n: 'u32', L: 'u32', C: 'u32' } as const;
const words = ({ n, L, C }: { n: number; L: number; C: number }) => ({ n, L, C });
const ARGS = { n: 7, L: 9, C: 10 };

export const last_position = defineKernel({
  name: 'last_position',
  params: { n: 'int', L: 'int', C: 'int', x: 'in', y: 'out' },
  uniform: UNIFORM,
  struct: 'PositionDims',
  words,
  groups: (a) => flatGroups(a.n * a.C),
  tolerance: { kind: 'exact' },
  cases: [{ label: 'n=7 L=9 C=10', args: ARGS, tensors: { x: { size: 7 * 9 * 10, stream: 55 }, y: { size: 70 } } }],
  wgsl: () => /* wgsl */ `${FLAT_WGSL}
@compute @workgroup_size(256)
fn last_position(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = flat_index(gid, nwg);
  if (e >= d.n * d.C) { return; }
  let i = e / d.C;
  y[e] = x[(i * d.L + d.L - 1u) * d.C + e % d.C];
}
`,
});

export const last_position_backward = defineKernel({
  name: 'last_position_backward',
  params: { n: 'int', L: 'int', C: 'int', g: 'in', gx: 'out' },
  uniform: UNIFORM,
  struct: 'PositionDims',
  words,
  groups: (a) => flatGroups(a.n * a.L * a.C),
  tolerance: { kind: 'exact' },
  cases: [{ label: 'n=7 L=9 C=10', args: ARGS, tensors: { g: { size: 70, stream: 56 }, gx: { size: 7 * 9 * 10 } } }],
  wgsl: () => /* wgsl */ `${FLAT_WGSL}
@compute @workgroup_size(256)
fn last_position_backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = flat_index(gid, nwg);
  if (e >= d.n * d.L * d.C) { return; }
  let i = e / (d.L * d.C);
  let l = (e / d.C) % d.L;
  gx[e] = select(0.0, g[i * d.C + e % d.C], l == d.L - 1u);
}
`,
});
