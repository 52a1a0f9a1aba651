// Causal single-head attention over the L positions of each sample, forward (scores, softmax, A·V) and
// backward: the declarations of assembly/kernels/attention.ts (twins: src/reference/attention.ts). One
// invocation per sample, every sum in the WASM order.
import { defineKernel, type ScalarArg } from './define.js';
import { FLAT_WGSL, flatGroups } from './flat.js';
import { MATHF_WGSL } from '../webgpu/kernels/mathf.js';

const UNIFORM = { n: 'u32', L: 'u32', dk: 'u32', dv: 'u32', scale: 'f32' } as const;
const SHAPE = { n: 'int', L: 'int', dk: 'int', dv: 'int', scale: 'f32' } as const;
const AT_WGSL = 'fn at(row: u32, width: u32, col: u32) -> u32 { return row * width + col; }\n';
// Derived for L ≤ 16 positions, d_k, d_v ≤ 32 and |Q|, |K|, |V|, |gZ| ≤ 1 (the parity case: L = 9,
// d_k = 6, d_v = 5), in u = 2⁻²³: a score is a d_k-term dot product (≤ d_k·u·Σ|q·k|), e^x carries it
// plus the module polynomial's 4u, the row sum and WGSL's 2.5-ulp division bring A within ≤ 64u
// relative; Z, an L-term sum of A·V, and the backward pass's sums of such products alike: within
// 256 ulp of the value or 2⁻¹⁶ absolute (outputs near 0 from cancelling terms).
const TOLERANCE = { kind: 'ulp', ulps: 256, atol: 2 ** -16 } as const;
// 4 sequences of the anchor task's 9 positions, d_k = 6, d_v = 5
const ARGS = { n: 4, L: 9, dk: 6, dv: 5, scale: Math.fround(1 / Math.sqrt(6)) };
const LABEL = 'n=4 L=9 dk=6 dv=5';
const shared = {
  uniform: UNIFORM,
  struct: 'AttentionDims',
  words: ({ n, L, dk, dv, scale }: { n: number; L: number; dk: number; dv: number; scale: ScalarArg }) => ({ n, L, dk, dv, scale }),
  groups: (a: { n: number }) => flatGroups(a.n),
  tolerance: TOLERANCE,
};

export const attention_forward = defineKernel({
  name: 'attention_forward',
  params: { ...SHAPE, Q: 'in', K: 'in', V: 'in', A: 'out', Z: 'out' },
  ...shared,
  cases: [
    {
      label: LABEL,
      args: ARGS,
      tensors: { Q: { size: 36 * 6, stream: 48 }, K: { size: 36 * 6, stream: 49 }, V: { size: 36 * 5, stream: 50 }, A: { size: 4 * 81 }, Z: { size: 36 * 5 } },
    },
  ],
  wgsl: () => /* wgsl */ `${MATHF_WGSL}${FLAT_WGSL}${AT_WGSL}
@compute @workgroup_size(256)
fn attention_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= d.n) { return; }
  let r0 = i * d.L;
  for (var a = 0u; a < d.L; a++) {
    let arow = (r0 + a) * d.L;
    var m = 0.0;
    for (var b = 0u; b <= a; b++) {
      var s = 0.0;
      for (var k = 0u; k < d.dk; k++) { s = s + Q[at(r0 + a, d.dk, k)] * K[at(r0 + b, d.dk, k)]; }
      s = s * d.scale;
      A[arow + b] = s;
      m = select(max(m, s), s, b == 0u);
    }
    var S = 0.0;
    for (var b = 0u; b <= a; b++) {
      let e = expf(A[arow + b] - m);
      A[arow + b] = e;
      S = S + e;
    }
    for (var b = 0u; b < d.L; b++) { A[arow + b] = select(0.0, A[arow + b] / S, b <= a); }
    for (var j = 0u; j < d.dv; j++) {
      var z = 0.0;
      for (var b = 0u; b <= a; b++) { z = z + A[arow + b] * V[at(r0 + b, d.dv, j)]; }
      Z[at(r0 + a, d.dv, j)] = z;
    }
  }
}
`,
});

export const attention_backward = defineKernel({
  name: 'attention_backward',
  params: { ...SHAPE, Q: 'in', K: 'in', V: 'in', A: 'in', gZ: 'in', gS: 'out', gQ: 'out', gK: 'out', gV: 'out' },
  ...shared,
  cases: [
    {
      label: LABEL,
      args: ARGS,
      tensors: {
        Q: { size: 36 * 6, stream: 51 },
        K: { size: 36 * 6, stream: 52 },
        V: { size: 36 * 5, stream: 53 },
        // attention rows of a causal softmax: positive below the diagonal, summing to 1, zero above it
        A: { size: 4 * 81, fill: (e) => (e % 9 <= Math.floor(e / 9) % 9 ? 1 / ((Math.floor(e / 9) % 9) + 1) : 0) },
        gZ: { size: 36 * 5, stream: 54 },
        gS: { size: 4 * 81 },
        gQ: { size: 36 * 6 },
        gK: { size: 36 * 6 },
        gV: { size: 36 * 5 },
      },
    },
  ],
  wgsl: () => /* wgsl */ `${FLAT_WGSL}${AT_WGSL}
@compute @workgroup_size(256)
fn attention_backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= d.n) { return; }
  let r0 = i * d.L;
  for (var a = 0u; a < d.L; a++) {
    let arow = (r0 + a) * d.L;
    var c = 0.0;
    for (var b = 0u; b <= a; b++) {
      var g = 0.0;
      for (var j = 0u; j < d.dv; j++) { g = g + gZ[at(r0 + a, d.dv, j)] * V[at(r0 + b, d.dv, j)]; }
      gS[arow + b] = g;
      c = c + A[arow + b] * g;
    }
    for (var b = 0u; b < d.L; b++) { gS[arow + b] = select(0.0, A[arow + b] * (gS[arow + b] - c), b <= a); }
  }
  for (var b = 0u; b < d.L; b++) {
    for (var j = 0u; j < d.dv; j++) {
      var g = 0.0;
      for (var a = b; a < d.L; a++) { g = g + A[(r0 + a) * d.L + b] * gZ[at(r0 + a, d.dv, j)]; }
      gV[at(r0 + b, d.dv, j)] = g;
    }
    for (var k = 0u; k < d.dk; k++) {
      var g = 0.0;
      for (var a = b; a < d.L; a++) { g = g + gS[(r0 + a) * d.L + b] * Q[at(r0 + a, d.dk, k)]; }
      gK[at(r0 + b, d.dk, k)] = g * d.scale;
    }
  }
  for (var a = 0u; a < d.L; a++) {
    for (var k = 0u; k < d.dk; k++) {
      var g = 0.0;
      for (var b = 0u; b <= a; b++) { g = g + gS[(r0 + a) * d.L + b] * K[at(r0 + b, d.dk, k)]; }
      gQ[at(r0 + a, d.dk, k)] = g * d.scale;
    }
  }
}
`,
});
