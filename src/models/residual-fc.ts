// The six-layer residual fully connected network of Zhou et al. (NeurIPS 2022) Fig. 3 (SCIENCE.md §6.2):
// dense d → m with the first activation (h₁ = σ₁(W₁x + b₁); no skip, the widths differ), four residual
// blocks h_{l+1} = σ_{l+1}(W_{l+1}h_l + b_{l+1}) + h_l of width m, and dense m → 1: six weight layers, five
// hidden, one activation each (Fig. 3: x²·tanh, x·tanh, sigmoid, tanh, softplus for layers 1–5); every
// weight and bias from N(0, std²). And the two-layer MNIST net of Fig. 4b: flatten → dense m → σ → dense 10.
import type { ActivationName } from '../engine/activations.js';
import type { LayerSpec } from '../model/layers.js';

/** Fig. 3's activations of hidden layers 1–5. */
export const FIG3_ACTIVATIONS: readonly ActivationName[] = ['x2tanh', 'xtanh', 'sigmoid', 'tanh', 'softplus'];

/** The residual FC network with one hidden layer per activation (the first without a skip), width m, all parameters from N(0, std²). */
export function residualFcLayers(activations: readonly ActivationName[], width: number, std: number): LayerSpec[] {
  const dense = (units: number) => ({ type: 'dense', units, init: { std } }) as const;
  const act = (fn: ActivationName) => ({ type: 'activation', fn }) as const;
  const [first, ...rest] = activations;
  return [dense(width), act(first), ...rest.map((fn) => ({ type: 'residual', layers: [dense(width), act(fn)] }) as const), dense(1)] as LayerSpec[];
}

/** Fig. 4b: flatten → dense m → σ → dense `outputs`, all parameters from N(0, std²). */
export function imageFcLayers(activation: ActivationName, width: number, outputs: number, std: number): LayerSpec[] {
  return [
    { type: 'flatten' },
    { type: 'dense', units: width, init: { std } },
    { type: 'activation', fn: activation },
    { type: 'dense', units: outputs, init: { std } },
  ] as LayerSpec[];
}
