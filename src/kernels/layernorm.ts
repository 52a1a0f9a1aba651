// Layer normalisation over the F features of each row, forward and backward: the declarations of
// assembly/kernels/layernorm.ts (twins: src/reference/layernorm.ts). One invocation per row, every sum
// over j in order.
import { defineKernel } from './define.js';
import { FLAT_WGSL, flatGroups } from './flat.js';

const UNIFORM = { rows: 'u32', F: 'u32', invF: 'f32', eps: 'f32' } as const;
// Derived for F ≤ 64 features with |x| ≤ 1 and |γ|, |β| ≤ 1 (the parity case: F = 48), in u = 2⁻²³:
// μ and σ² are F-term sums (≤ F·u relative to Σ|x|, so ≤ 2⁻¹⁶ absolute in μ), rstd adds WGSL's
// 1/√ (inverseSqrt 2 ulp, division 2.5 ulp, a fused q·invF + eps); x − μ then carries μ's absolute
// error, so x̂ and y are within 2⁻¹⁴ absolute (rstd ≤ 4 for these inputs) or 64 ulp of the value.
// The backward pass: its two F-term sums and the product with rstd, alike.
const TOLERANCE = { kind: 'ulp', ulps: 64, atol: 2 ** -14 } as const;
const ROWS = 37,
  F = 48;

export const layernorm_forward = defineKernel({
  name: 'layernorm_forward',
  params: { rows: 'int', F: 'int', invF: 'f32', eps: 'f32', x: 'in', gamma: 'in', beta: 'in', y: 'out', xhat: 'out', rstd: 'out' },
  uniform: UNIFORM,
  struct: 'LayerNormDims',
  words: ({ rows, F, invF, eps }) => ({ rows, F, invF, eps }),
  groups: (a) => flatGroups(a.rows),
  tolerance: TOLERANCE,
  // 37 rows of F = 48 features (a token's d_model), gain and shift within ±1
  cases: [
    {
      label: `rows=${ROWS} F=${F}`,
      args: { rows: ROWS, F, invF: Math.fround(1 / F), eps: 1e-5 },
      tensors: {
        x: { size: ROWS * F, stream: 39 },
        gamma: { size: F, stream: 40 },
        beta: { size: F, stream: 41 },
        y: { size: ROWS * F },
        xhat: { size: ROWS * F },
        rstd: { size: ROWS },
      },
    },
  ],
  wgsl: () => /* wgsl */ `${FLAT_WGSL}
@compute @workgroup_size(256)
fn layernorm_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let r = flat_index(gid, nwg);
  if (r >= d.rows) { return; }
  let row = r * d.F;
  var s = 0.0;
  for (var j = 0u; j < d.F; j++) { s = s + x[row + j]; }
  let mu = s * d.invF;
  var q = 0.0;
  for (var j = 0u; j < d.F; j++) {
    let e = x[row + j] - mu;
    q = q + e * e;
  }
  let rs = 1.0 / sqrt(q * d.invF + d.eps);
  rstd[r] = rs;
  for (var j = 0u; j < d.F; j++) {
    let h = (x[row + j] - mu) * rs;
    xhat[row + j] = h;
    y[row + j] = h * gamma[j] + beta[j];
  }
}
`,
});

export const layernorm_backward = defineKernel({
  name: 'layernorm_backward',
  params: { rows: 'int', F: 'int', invF: 'f32', g: 'in', xhat: 'in', rstd: 'in', gamma: 'in', gx: 'out' },
  uniform: UNIFORM,
  struct: 'LayerNormDims',
  words: ({ rows, F, invF }) => ({ rows, F, invF, eps: 0 }),
  groups: (a) => flatGroups(a.rows),
  tolerance: TOLERANCE,
  // x̂ of unit-variance rows (within ±√3), rstd in [0.5, 2]
  cases: [
    {
      label: `rows=${ROWS} F=${F}`,
      args: { rows: ROWS, F, invF: Math.fround(1 / F) },
      tensors: {
        g: { size: ROWS * F, stream: 42 },
        xhat: { size: ROWS * F, stream: 43, lo: -1.7, hi: 1.7 },
        rstd: { size: ROWS, stream: 44, lo: 0.5, hi: 2 },
        gamma: { size: F, stream: 45 },
        gx: { size: ROWS * F },
      },
    },
  ],
  wgsl: () => /* wgsl */ `${FLAT_WGSL}
@compute @workgroup_size(256)
fn layernorm_backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let r = flat_index(gid, nwg);
  if (r >= d.rows) { return; }
  let row = r * d.F;
  var sa = 0.0;
  var sb = 0.0;
  for (var j = 0u; j < d.F; j++) {
    let u = g[row + j] * gamma[j];
    sa = sa + u;
    sb = sb + u * xhat[row + j];
  }
  let a = sa * d.invF;
  let b = sb * d.invF;
  let rs = rstd[r];
  for (var j = 0u; j < d.F; j++) {
    let u = g[row + j] * gamma[j];
    gx[row + j] = rs * ((u - a) - xhat[row + j] * b);
  }
}
`,
});
