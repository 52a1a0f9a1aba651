// Softmax cross-entropy of logits against integer labels, returning the mean loss and writing the
// scaled gradient: the declaration of assembly/kernels/softmax.ts (twin: src/reference/softmax.ts). One
// workgroup: one invocation on software adapters, as the sum over rows is sequential in WASM; on GPUs
// `tree` invocations share the rows.
import { defineKernel } from './define.js';
import { treeSumWgsl } from './flat.js';
import { MATHF_WGSL } from '../webgpu/kernels/mathf.js';

export const softmax_ce = defineKernel({
  name: 'softmax_ce',
  params: { n: 'int', K: 'int', z: 'in', labels: 'in', g: 'out', scale: 'f32' },
  returns: 'loss',
  uniform: { n: 'u32', K: 'u32', scale: 'f32' },
  words: ({ n, K, scale }) => ({ n, K, scale }),
  groups: () => [1, 1, 1],
  // Derived for n ≤ 64 rows, K ≤ 16 classes and logits within ±8 (the parity case: n = 50, K = 10,
  // ±6), in units u = 2⁻²³. t = eˣ: ≤ 16u carried from the rounding of x = z − max (|x| ≤ 16) plus
  // ≤ 4u from the module's polynomial on + − ×; s, a K-term sum: ≤ 36u; t/s with its 2.5-ulp
  // division: ≤ 62u relative, under 128 ulp of the value, and at the label, t/s − 1 keeps it as an
  // absolute error below 2⁻¹⁷ (scale ≤ 1). The loss: ln s within 62u absolute (ln's own error
  // included), z_y − max 16u, and the mean of n rows (n·u relative): below 256 ulp for a loss ≥ 1.
  tolerance: { kind: 'ulp', ulps: 256, atol: 2 ** -17 },
  cases: [
    {
      label: 'n=50 K=10',
      args: { n: 50, K: 10, scale: 0.02 },
      tensors: { z: { size: 500, stream: 33, lo: -6, hi: 6 }, labels: { size: 50, fill: (i) => (i * 7) % 10 }, g: { size: 500 } },
    },
  ],
  // one workgroup of `tree` invocations, each taking every tree-th row; the rows' losses summed in order
  // per invocation, then by the tree (tree 1: the WASM order)
  wgsl: (_, shaping) => /* wgsl */ `${MATHF_WGSL}${treeSumWgsl(shaping.tree)}
@compute @workgroup_size(T)
fn softmax_ce(@builtin(local_invocation_index) tid: u32) {
  var total = 0.0;
  for (var i = tid; i < d.n; i += T) {
    let row = i * d.K;
    let y = u32(labels[i]);
    var mx = z[row];
    for (var j = 1u; j < d.K; j++) { mx = max(mx, z[row + j]); }
    var s = 0.0;
    for (var j = 0u; j < d.K; j++) {
      let t = expf(z[row + j] - mx);
      g[row + j] = t;
      s = s + t;
    }
    total = total + (logf(s) - (z[row + y] - mx));
    for (var j = 0u; j < d.K; j++) { g[row + j] = (g[row + j] / s - select(0.0, 1.0, j == y)) * d.scale; }
  }
  let sum = tree_sum(tid, total);
  if (tid == 0u) { loss[0] = sum / f32(d.n); }
}
`,
});
