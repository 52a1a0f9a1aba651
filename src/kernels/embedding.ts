// Token embedding, lookup and gradient: the declarations of assembly/kernels/embedding.ts (twins:
// src/reference/embedding.ts). Tokens travel as f32 ids. The lookup copies (one invocation per output
// element); the gradient runs one invocation per table element, gathering the rows that hold its token in
// row order, as WASM does.
import { defineKernel } from './define.js';
import { FLAT_WGSL, flatGroups } from './flat.js';

const UNIFORM = { rows: 'u32', dim: 'u32', vocab: 'u32' } as const;

// 5 sequences of 9 tokens from a vocabulary of 201 (the anchor task), 24 features; tokens repeat
export const embedding_forward = defineKernel({
  name: 'embedding_forward',
  params: { rows: 'int', dim: 'int', tokens: 'in', table: 'in', y: 'out' },
  uniform: UNIFORM,
  struct: 'EmbedDims',
  words: ({ rows, dim }) => ({ rows, dim, vocab: 0 }),
  groups: (a) => flatGroups(a.rows * a.dim),
  tolerance: { kind: 'exact' },
  cases: [
    {
      label: 'rows=45 dim=24 vocab=201',
      args: { rows: 45, dim: 24 },
      tensors: { tokens: { size: 45, fill: (i) => (i * 37) % 201 }, table: { size: 201 * 24, stream: 46 }, y: { size: 45 * 24 } },
    },
  ],
  wgsl: () => /* wgsl */ `${FLAT_WGSL}
@compute @workgroup_size(256)
fn embedding_forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = flat_index(gid, nwg);
  if (e >= d.rows * d.dim) { return; }
  let r = e / d.dim;
  y[e] = table[u32(tokens[r]) * d.dim + e % d.dim];
}
`,
});

export const embedding_grad = defineKernel({
  name: 'embedding_grad',
  params: { rows: 'int', dim: 'int', vocab: 'int', tokens: 'in', g: 'in', dtable: 'out' },
  uniform: UNIFORM,
  struct: 'EmbedDims',
  words: ({ rows, dim, vocab }) => ({ rows, dim, vocab }),
  groups: (a) => flatGroups(a.vocab * a.dim),
  // sums over the rows that hold a token (terms: the rows, an upper bound)
  tolerance: { kind: 'dot' },
  terms: (a) => a.rows,
  cases: [
    {
      label: 'rows=45 dim=24 vocab=201',
      args: { rows: 45, dim: 24, vocab: 201 },
      tensors: { tokens: { size: 45, fill: (i) => (i * 7) % 13 }, g: { size: 45 * 24, stream: 47 }, dtable: { size: 201 * 24 } },
    },
  ],
  wgsl: () => /* wgsl */ `${FLAT_WGSL}
@compute @workgroup_size(256)
fn embedding_grad(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let e = flat_index(gid, nwg);
  if (e >= d.vocab * d.dim) { return; }
  let v = e / d.dim;
  let j = e % d.dim;
  var s = 0.0;
  for (var r = 0u; r < d.rows; r++) {
    if (u32(tokens[r]) == v) { s = s + g[r * d.dim + j]; }
  }
  dtable[e] = s;
}
`,
});
