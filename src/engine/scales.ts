// Initialisation scales (α, β1, β2) of a RunSpec and the learning rate they imply.
// (γ, γ′, q) form, SCIENCE.md §3.5: β2 = m^−q, β1 = β2·m^−γ′, α = β1β2·m^γ, so that
// κ = β1β2/α = m^−γ and κ′ = β1/β2 = m^−γ′. Powers use the WASM module's libm (pow64).
import type { InitSpec, LrSpec } from './spec.js';

export interface Scales {
  alpha: number;
  beta1: number;
  beta2: number;
  /** γ when the spec gave (γ, γ′) */
  gamma?: number;
}

export function resolveScales(init: InitSpec, m: number, pow: (x: number, y: number) => number): Scales {
  if ('alpha' in init) return { alpha: init.alpha, beta1: init.beta1, beta2: init.beta2 };
  const beta2 = pow(m, -(init.q ?? 0));
  const beta1 = beta2 * pow(m, -init.gammaPrime);
  const alpha = beta1 * beta2 * pow(m, init.gamma);
  return { alpha, beta1, beta2, gamma: init.gamma };
}

/** The initial learning rate (f64; the kernels receive it rounded to f32). */
export function initialLr(lr: LrSpec, s: Scales, m: number): number {
  if ('value' in lr) return lr.value;
  const c = lr.c ?? 0.5;
  if (s.gamma === undefined) throw new Error('lr rule luo2021 needs γ (init given as { gamma, gammaPrime })');
  return s.gamma < 1 ? (c * s.alpha * s.alpha) / (m * (s.beta1 * s.beta1 + s.beta2 * s.beta2)) : (c * s.alpha) / (s.beta1 * s.beta2);
}
