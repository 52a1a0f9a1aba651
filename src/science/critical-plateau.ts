// The plateau of a wide small-init network at a narrow critical loss (Zhang et al. 2021 Fig. 1;
// SCIENCE.md §7.4 b, T5.6): reduce the condensed wide network to width 1 (the leading neuron's input
// weight, the output weight that best reproduces the wide network's outputs), polish that to an f64
// critical point of the width-1 loss, and compare the wide network's loss and outputs with it.
import type { TwoLayer64Backend } from './f64-backend.js';
import { lossGrad64, outputs64, twoLayerObjective, widthOf, type Problem64 } from './twolayer64.js';
import { polishCriticalPoint, type Polished } from './critical-point.js';

/** Width-1 start from a wide θ: w = the input weight of the neuron with the largest |aₖ|·‖wₖ‖, a by least squares on f_θ. */
function reduceToWidth1(backend: TwoLayer64Backend, p: Problem64, theta: number[]): number[] {
  const m = widthOf(theta, p.D);
  const row = (k: number) => theta.slice(m + k * p.D, m + (k + 1) * p.D);
  const amp = (k: number) => Math.abs(theta[k]) * Math.hypot(...row(k));
  let lead = 0;
  for (let k = 1; k < m; k++) if (amp(k) > amp(lead)) lead = k;
  const f = outputs64(backend, p, theta),
    g = outputs64(backend, p, [1, ...row(lead)]);
  const a = f.reduce((acc, v, i) => acc + v * g[i], 0) / g.reduce((acc, v) => acc + v * v, 0);
  return [a, ...row(lead)];
}

export interface PlateauCheck {
  width1: Polished;
  /** R of the wide network (f64, from its f32 weights) */
  loss: number;
  /** |R − R₁|/R₁ */
  lossGap: number;
  /** max over the training inputs of |f_θ − f_θ₁| */
  outputGap: number;
}

export function plateauCheck(backend: TwoLayer64Backend, p: Problem64, theta: number[]): PlateauCheck {
  const width1 = polishCriticalPoint(twoLayerObjective(backend, p), reduceToWidth1(backend, p, theta), { radius: 0.5, minimum: true });
  const loss = lossGrad64(backend, p, theta).loss;
  const f = outputs64(backend, p, theta),
    f1 = outputs64(backend, p, width1.theta);
  return { width1, loss, lossGap: Math.abs(loss - width1.loss) / width1.loss, outputGap: Math.max(...f.map((v, i) => Math.abs(v - f1[i]))) };
}

/** Share of the logged losses within `band` (relative) of `level`. */
export function shareNear(losses: ArrayLike<number>, level: number, band = 0.05): number {
  let k = 0;
  for (let i = 0; i < losses.length; i++) if (Math.abs(losses[i] - level) <= band * level) k++;
  return k / losses.length;
}
