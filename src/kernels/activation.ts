// The activation kernel: h = σ(z) and d = σ′(z) elementwise, the declaration of
// assembly/kernels/activation.ts (twin: src/reference/activation.ts). The activation is fixed when the
// shader is built (a run-time switch makes SwiftShader evaluate every case); its formulas are the WASM
// ones (../webgpu/kernels/activation.ts), so the only freedom is WGSL's (fusion, either rounding
// neighbour): a handful of ulp, an absolute floor for flushed subnormals and for cancellation in 1 − t²
// near |t| = 1, and σ′'s carry of t's own error.
import { defineKernel } from './define.js';
import { FLAT_WGSL, flatGroups } from './flat.js';
import { actFnWgsl, ACT_FORWARD_TOLERANCE, derivativeCarry, valueCarry } from '../webgpu/kernels/activation.js';
import { ACTIVATIONS } from '../engine/activations.js';

const N = 4099;

export const act_forward = defineKernel({
  name: 'act_forward',
  params: { kind: 'int', n: 'int', z: 'in', h: 'out', d: 'out' },
  uniform: { count: 'u32', withDerivative: 'u32' },
  struct: 'ActDims',
  uniformVar: 'dims',
  words: ({ n }) => ({ count: n, withDerivative: 1 }),
  groups: (a) => flatGroups(a.n),
  tolerance: ACT_FORWARD_TOLERANCE,
  carry: (c, { z }) => ({ h: Float64Array.from(z, (x) => valueCarry(c.args.kind, x)), d: Float64Array.from(z, (x) => derivativeCarry(c.args.kind, x)) }),
  cases: ACTIVATIONS.map((act) => ({
    label: `${act.name}: ${N} values in [−6, 6) and specials`,
    args: { kind: act.kind, n: N },
    tensors: {
      z: { size: N, stream: 6 + act.kind, lo: -6, hi: 6, head: [0, -0, 1e-7, -1e-7, 1e-30, 9, -9, 30, -30].map(Math.fround) },
      h: { size: N },
      d: { size: N },
    },
  })),
  wgsl: (a) => /* wgsl */ `${actFnWgsl(a.kind)}${FLAT_WGSL}
@compute @workgroup_size(256)
fn act_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= dims.count) { return; }
  let r = act(z[i]);
  h[i] = r.x;
  if (dims.withDerivative != 0u) { d[i] = r.y; }
}
`,
});
