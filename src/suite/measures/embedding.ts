// Measures of the embedding-principle suite (SCIENCE.md §7.5), in f64 on a run's final snapshot.
// ep*: the engine's narrow network polished to an f64 critical point θc, then split (T5.1–T5.5);
// epF32LossGap: the f32 split of the engine's own weights (T5.1 in f32). The stall at a width-1 critical
// point and the escape from it (T5.6) are ./embedding-escape.ts. Each run's analysis is computed once.
import type { Trajectory } from '../../engine/trajectory.js';
import { activationByName } from '../../engine/activations.js';
import { problem64, flatten, twoLayerObjective, type Problem64 } from '../../science/twolayer64.js';
import { polishCriticalPoint, type Polished } from '../../science/critical-point.js';
import { embeddingChecks, splitPreservation, SPLIT_ALPHAS, type EmbeddingChecks, type SplitCheck } from '../../science/embedding-checks.js';
import { splitLossGapF32 } from '../../science/embedding-f32.js';
import type { MeasureFn, MeasureInput } from './input.js';

const problemOf = (s: MeasureInput): Problem64 => problem64(s.data, activationByName(s.t.spec.model.activation).kind, s.t.scales.alpha);

/** Memoise one analysis per trajectory (every measure of a run reads the same one). */
function perRun<T>(compute: (s: MeasureInput) => T): (s: MeasureInput) => T {
  const cache = new WeakMap<Trajectory, T>();
  return (s) => {
    if (!cache.has(s.t)) cache.set(s.t, compute(s));
    return cache.get(s.t)!;
  };
}

const narrow = perRun((s): { polished: Polished; checks: EmbeddingChecks; preservation: { output: number; loss: number } } => {
  const p = problemOf(s);
  const polished = polishCriticalPoint(twoLayerObjective(s.wasm, p), flatten(s.last.a, s.last.w), { descent: {} });
  const checks = embeddingChecks(s.wasm, p, polished.theta);
  // T5.1 holds for every θ: also the random initial and the engine's final (non-critical) weights
  const others = [s.first, s.last].map((snap) => splitPreservation(s.wasm, p, flatten(snap.a, snap.w)));
  const all = [checks.preservation, ...others];
  return { polished, checks, preservation: { output: Math.max(...all.map((x) => x.output)), loss: Math.max(...all.map((x) => x.loss)) } };
});

const oneStep = (s: MeasureInput) => narrow(s).checks.oneStep;
const twoStep = (s: MeasureInput) => narrow(s).checks.equal2;
const maxOf = (xs: number[]) => Math.max(...xs);
const minOf = (xs: number[]) => Math.min(...xs);
/** Smallest change of each inertia count from `from` to `to`. */
const inertiaGain = (from: SplitCheck['counts'], to: SplitCheck['counts']) =>
  Math.min(to.negative - from.negative, to.zero - from.zero, to.positive - from.positive);

/** ‖∇R‖ at or below which the polished point counts as critical (pilot ≈ 1e-16; the f64 floor of these
 * problems is 1e-17–1e-15) */
export const CRITICAL_GRAD = 1e-12;

/** Measures whose theorems (T5.2–T5.5) hold at a critical point: on a run where none was reached, a claim
 * on them is not applicable (a user grid reports it so, with the reason). */
export const NEEDS_CRITICAL_POINT: readonly string[] = [
  'epGradSplit1',
  'epGradSplit2',
  'epFlatness',
  'epZeroGain',
  'epInertiaGain',
  'epCurvatureError',
  'epNeg0',
  'epZero0',
  'epPos0',
  'epNeg1',
  'epZero1',
  'epPos1',
  'epNeg2',
  'epZero2',
  'epPos2',
];

export const EMBEDDING_MEASURES = {
  /** ‖∇R‖ (f64) at the engine's final f32 weights, and the relative move ‖θc − θ‖/‖θ‖ of the Newton polish */
  epEngineGrad: (s) => narrow(s).polished.startGradNorm,
  epPolishShift: (s) => narrow(s).polished.shift,
  /** ‖∇R(θc)‖ and R(θc) of the narrow critical point (T5.2), and the verdict: 1 when ‖∇R(θc)‖ ≤ CRITICAL_GRAD */
  epGrad: (s) => narrow(s).polished.gradNorm,
  epCritical: (s) => (narrow(s).polished.gradNorm <= CRITICAL_GRAD ? 1 : 0),
  epLoss: (s) => narrow(s).polished.loss,
  /** T5.1: max |Δf| and |ΔR| over splits (every s, α ∈ {−0.5, 0, 0.3, 0.5, 1.5}) of θ₀, the engine's θ and θc */
  epOutputChange: (s) => narrow(s).preservation.output,
  epLossChange: (s) => narrow(s).preservation.loss,
  /** T5.2: max ‖∇R‖ after every one-step split of θc, and after the two equal splits */
  epGradSplit1: (s) => maxOf(oneStep(s).map((c) => c.gradNorm)),
  epGradSplit2: (s) => twoStep(s).gradNorm,
  /** T5.3: max ‖H·V‖/‖V‖ over the splits; the least gain of zero eigenvalues per split */
  epFlatness: (s) => maxOf([...oneStep(s), twoStep(s)].map((c) => c.flatness)),
  epZeroGain: (s) =>
    minOf([...oneStep(s).map((c) => c.counts.zero - narrow(s).checks.before.counts.zero), twoStep(s).counts.zero - narrow(s).checks.equal1.counts.zero]),
  /** T5.4: the least change of any inertia count under a split (≥ 0: irreversibility) */
  epInertiaGain: (s) =>
    minOf([...oneStep(s).map((c) => inertiaGain(narrow(s).checks.before.counts, c.counts)), inertiaGain(narrow(s).checks.equal1.counts, twoStep(s).counts)]),
  /** T5.5: inertia at θc (width m), after one equal split (m + 1) and after two (m + 2) */
  epNeg0: (s) => narrow(s).checks.before.counts.negative,
  epZero0: (s) => narrow(s).checks.before.counts.zero,
  epPos0: (s) => narrow(s).checks.before.counts.positive,
  epNeg1: (s) => narrow(s).checks.equal1.counts.negative,
  epZero1: (s) => narrow(s).checks.equal1.counts.zero,
  epPos1: (s) => narrow(s).checks.equal1.counts.positive,
  epNeg2: (s) => twoStep(s).counts.negative,
  epZero2: (s) => twoStep(s).counts.zero,
  epPos2: (s) => twoStep(s).counts.positive,
  /** T5.5: max relative error of uᵀHu = α(1 − α)vᵀMₛv over the splits with α ∉ {0, 1} */
  epCurvatureError: (s) => maxOf([...oneStep(s), twoStep(s)].map((c) => c.curvatureError).filter((e) => !Number.isNaN(e))),
  /** T5.1 in f32: max |R₃₂(T^α_s θ) − R_engine(θ)|/R_engine(θ) over s and α, θ the engine's final weights */
  epF32LossGap: (s) =>
    splitLossGapF32(s.wasm, s.data, activationByName(s.t.spec.model.activation).kind, s.t.scales.alpha, s.last.a, s.last.w, s.t.finalLoss, SPLIT_ALPHAS),
} satisfies Record<string, MeasureFn>;
