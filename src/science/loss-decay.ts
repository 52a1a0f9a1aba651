// Exponential loss decay (Luo et al. 2021 Thm 6b, SCIENCE.md §3.6 T1.5): in the linear regime
// R_S(t) ≤ exp(−ct)·R_S(0), so log R is close to a straight line in the step count; in the condensed
// regime the loss has plateaus. The measure: R² of the least-squares line through (step, log R)
// over the first 90 % of the recorded loss curve.
import { polynomialFitR2 } from './polynomial-fit.js';

export function logLossLinearR2(loss: ArrayLike<number>, lossEvery: number, fraction = 0.9): number {
  const count = Math.floor(fraction * loss.length);
  if (count < 3) throw new Error(`logLossLinearR2: ${loss.length} loss values leave ${count} to fit (need ≥ 3)`);
  const steps = Float64Array.from({ length: count }, (_, i) => i * lossEvery);
  const logs = Float64Array.from({ length: count }, (_, i) => Math.log(loss[i]));
  return polynomialFitR2(steps, logs, 1);
}
