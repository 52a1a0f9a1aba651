// Measures of a stall at a narrow critical loss and the escape from it (Zhang et al. 2021 Fig. 1;
// SCIENCE.md §7.4 b, §7.5 T5.6): the run keeps one snapshot on the stall (the first step its spec
// names in `snapshots`); that snapshot is reduced to width 1 and polished to an f64 critical point θ₁
// (src/science/critical-plateau.ts), whose loss R₁ the whole loss curve and the final weights are
// read against. Each run's analysis is computed once.
import type { Trajectory } from '../../engine/trajectory.js';
import { activationByName } from '../../engine/activations.js';
import { problem64, flatten, lossGrad64 } from '../../science/twolayer64.js';
import { plateauCheck, shareNear, type PlateauCheck } from '../../science/critical-plateau.js';
import type { MeasureFn, MeasureInput } from './input.js';

/** The snapshot at the first step the spec asks for (the stall), and its width-1 reduction. */
function stallOf(s: MeasureInput): { step: number; check: PlateauCheck; finalLoss: number } {
  const step = s.t.spec.snapshots?.[0];
  const snap = s.t.snapshots.find((x) => x.step === step);
  if (step === undefined || step === 0 || !snap || snap === s.last) {
    throw new Error('the stall measures (epStall*, epEscapeRatio) read the snapshot at the first step of spec.snapshots, before the last step');
  }
  const p = problem64(s.data, activationByName(s.t.spec.model.activation).kind, s.t.scales.alpha);
  return { step, check: plateauCheck(s.wasm, p, flatten(snap.a, snap.w)), finalLoss: lossGrad64(s.wasm, p, flatten(s.last.a, s.last.w)).loss };
}

const cache = new WeakMap<Trajectory, ReturnType<typeof stallOf>>();
const stall = (s: MeasureInput) => {
  if (!cache.has(s.t)) cache.set(s.t, stallOf(s));
  return cache.get(s.t)!;
};

export const ESCAPE_MEASURES = {
  /** at the stall snapshot: |R − R₁|/R₁ and max |f − f₁| over the training inputs, against its width-1 critical point θ₁ */
  epStallGap: (s) => stall(s).check.lossGap,
  epStallOutputGap: (s) => stall(s).check.outputGap,
  /** R₁ and ‖∇R₁‖ of that width-1 critical point (f64) */
  epStallWidth1Loss: (s) => stall(s).check.width1.loss,
  epStallWidth1Grad: (s) => stall(s).check.width1.gradNorm,
  /** steps the run spends with R within 5% of R₁ (logged losses in that band × the logging interval) */
  epStallSteps: (s) => shareNear(s.t.loss, stall(s).check.width1.loss) * s.t.loss.length * (s.t.spec.lossEvery ?? 1),
  /** R(θ_final)/R₁ (f64): below 1, the run escaped the width-1 critical loss */
  epEscapeRatio: (s) => stall(s).finalLoss / stall(s).check.width1.loss,
} satisfies Record<string, MeasureFn>;
