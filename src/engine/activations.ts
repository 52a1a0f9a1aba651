// Activation metadata: the kernel code of each activation, its multiplicity p (NeurIPS'22 Def. 1;
// ReLU has none), an f64 formula for checks and plots, and its tfjs form (the bench's baselines).
import type * as Tf from '@tensorflow/tfjs-core';

export interface Activation {
  name: ActivationName;
  kind: number;
  multiplicity: number | null;
  f64: (z: number) => number;
  tfjs: (tf: typeof Tf, x: Tf.Tensor) => Tf.Tensor;
  /** not in the f64 kernels of the two-layer science checks: a layer activation only */
  layeredOnly?: true;
}

export type ActivationName = 'relu' | 'tanh' | 'xtanh' | 'x2tanh' | 'sigmoid' | 'softplus' | 'gelu';

export const ACTIVATIONS: readonly Activation[] = [
  { name: 'relu', kind: 0, multiplicity: null, f64: (z) => Math.max(z, 0), tfjs: (tf, x) => tf.relu(x) },
  { name: 'tanh', kind: 1, multiplicity: 1, f64: Math.tanh, tfjs: (tf, x) => tf.tanh(x) },
  { name: 'xtanh', kind: 2, multiplicity: 2, f64: (z) => z * Math.tanh(z), tfjs: (tf, x) => tf.mul(x, tf.tanh(x)) },
  { name: 'x2tanh', kind: 3, multiplicity: 3, f64: (z) => z * z * Math.tanh(z), tfjs: (tf, x) => tf.mul(tf.square(x), tf.tanh(x)) },
  { name: 'sigmoid', kind: 4, multiplicity: 1, f64: (z) => 1 / (1 + Math.exp(-z)), tfjs: (tf, x) => tf.sigmoid(x) },
  { name: 'softplus', kind: 5, multiplicity: 1, f64: (z) => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))), tfjs: (tf, x) => tf.softplus(x) },
  // the anchor-function paper's feed-forward activation, in the tanh form (GPT-2's; PyTorch's approximate="tanh");
  // σ(0) = 0, σ′(0) = ½: multiplicity 1. Layered models only: the f64 two-layer kernels of the science
  // checks know kinds 0–5.
  {
    name: 'gelu',
    kind: 6,
    multiplicity: 1,
    f64: (z) => 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z ** 3))),
    tfjs: (tf, x) => tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3))))))),
    layeredOnly: true,
  },
];

export function activationByName(name: string): Activation {
  const act = ACTIVATIONS.find((a) => a.name === name);
  if (!act) throw new Error(`unknown activation "${name}" (expected one of ${ACTIVATIONS.map((a) => a.name).join(', ')})`);
  return act;
}
