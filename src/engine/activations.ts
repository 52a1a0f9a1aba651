// Activation metadata: the kernel code of each activation, its multiplicity p (NeurIPS'22 Def. 1;
// ReLU has none) and an f64 formula for checks and plots.

export interface Activation {
  name: ActivationName;
  kind: number;
  multiplicity: number | null;
  f64: (z: number) => number;
}

export type ActivationName = 'relu' | 'tanh' | 'xtanh' | 'x2tanh' | 'sigmoid' | 'softplus';

export const ACTIVATIONS: readonly Activation[] = [
  { name: 'relu', kind: 0, multiplicity: null, f64: (z) => Math.max(z, 0) },
  { name: 'tanh', kind: 1, multiplicity: 1, f64: Math.tanh },
  { name: 'xtanh', kind: 2, multiplicity: 2, f64: (z) => z * Math.tanh(z) },
  { name: 'x2tanh', kind: 3, multiplicity: 3, f64: (z) => z * z * Math.tanh(z) },
  { name: 'sigmoid', kind: 4, multiplicity: 1, f64: (z) => 1 / (1 + Math.exp(-z)) },
  { name: 'softplus', kind: 5, multiplicity: 1, f64: (z) => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) },
];

export function activationByName(name: string): Activation {
  const act = ACTIVATIONS.find((a) => a.name === name);
  if (!act) throw new Error(`unknown activation "${name}" (expected one of ${ACTIVATIONS.map((a) => a.name).join(', ')})`);
  return act;
}
