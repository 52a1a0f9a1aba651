// The anchor-function transformer of suite anchor-function (SCIENCE.md §9.2–9.3; the authors'
// GPT_specific.py in miniature): token embedding (VOCAB × 32) + learned positions → `depth` × [causal
// single-head attention (d_k = d_v = 16, no biases) + residual → LayerNorm → feed-forward 32 → 64 → ReLU →
// 32 (kernel-1 convs, no biases) + residual → LayerNorm] → the last position → dense VOCAB (with bias);
// every weight matrix from N(0, (d_in^−γ)²). The bench times γ = 0.8 with two blocks.
import type { LayerSpec } from '../model/layers.js';
import { VOCAB } from '../engine/anchor-task.js';

export const D_MODEL = 32;
const FFN = 64;
export const DK = 16;
/** The mini-batch the suite trains it with (the bench's suite-batch rows too). */
export const ANCHOR_SUITE_BATCH = 64;

/** The miniature decoder-only post-LN transformer with every weight matrix from N(0, (d_in^−γ)²), `depth` blocks. */
export function anchorLayers(gamma: number, depth: number): LayerSpec[] {
  const init = { std: 'd_in^-gamma', gamma } as const;
  const block = [
    { type: 'residual', layers: [{ type: 'attention', dk: DK, bias: false, init }] },
    { type: 'layernorm' },
    {
      type: 'residual',
      layers: [
        { type: 'conv2d', filters: FFN, kernel: 1, bias: false, init },
        { type: 'activation', fn: 'relu' },
        { type: 'conv2d', filters: D_MODEL, kernel: 1, bias: false, init },
      ],
    },
    { type: 'layernorm' },
  ];
  return [
    { type: 'embedding', vocab: VOCAB, dim: D_MODEL, init },
    { type: 'positional', init },
    ...Array.from({ length: depth }, () => block).flat(),
    { type: 'lastposition' },
    { type: 'dense', units: VOCAB, init },
  ] as LayerSpec[];
}
