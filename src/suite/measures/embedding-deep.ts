// Measures of the embedding principle in depth (SCIENCE.md §7.5 T5.1 for a three-layer net; issue #14):
// a layered run dense(m1) → σ → dense(m2) → σ → dense(1, no bias) is read as the f64 three-layer network,
// polished from the engine's final f32 weights to an f64 critical point θc (L-BFGS, then Newton), and
// split in either hidden layer (every neuron, every α of SPLIT_ALPHAS). Each run's analysis is computed once.
import type { LayeredTrajectory, LayeredSnapshot, ParamLayout } from '../../model/trajectory.js';
import { paramView } from '../../model/trajectory.js';
import { activationByName } from '../../engine/activations.js';
import { polishCriticalPoint, type Polished } from '../../science/critical-point.js';
import { threeLayerObjective, type Problem3 } from '../../science/threelayer64.js';
import { deepEmbeddingChecks, deepSplitPreservation, type DeepChecks } from '../../science/embedding-deep.js';
import type { LayeredMeasureFn, LayeredMeasureInput } from './layered.js';

/** The three-layer form of a run, or an error that says which layer does not fit it. */
function threeLayerForm(t: LayeredTrajectory): { kind: number; weights: ParamLayout[]; biases: ParamLayout[] } {
  const layers = t.spec.model.layers;
  const fit =
    layers.length === 5 &&
    layers[0].type === 'dense' &&
    layers[1].type === 'activation' &&
    layers[2].type === 'dense' &&
    layers[3].type === 'activation' &&
    layers[4].type === 'dense' &&
    layers[4].units === 1 &&
    !layers[4].bias &&
    layers[1].fn === layers[3].fn &&
    layers[1].fn !== 'identity';
  if (!fit)
    throw new Error('the three-layer embedding measures need model.layers = dense, activation, dense, the same activation, dense with 1 unit and no bias');
  const weights = t.layout.filter((l) => !l.bias),
    biases = t.layout.filter((l) => l.bias);
  return { kind: activationByName((layers[1] as { fn: string }).fn).kind, weights, biases };
}

/** θ = (a, W2 rows [w, b], W1 rows [w, b]) of a snapshot, in f64. */
function thetaOf(t: LayeredTrajectory, snap: LayeredSnapshot): number[] {
  const { weights, biases } = threeLayerForm(t);
  const [w1, w2, w3] = weights.map((l) => paramView(snap, l)),
    [b1, b2] = biases.map((l) => paramView(snap, l));
  const [m1, d] = weights[0].shape,
    m2 = weights[1].shape[0];
  const rows = (w: Float32Array, b: Float32Array, m: number, width: number) =>
    Array.from({ length: m }, (_, k) => [...w.subarray(k * width, (k + 1) * width), b[k]]).flat();
  return [...w3, ...rows(w2, b2, m2, m1), ...rows(w1, b1, m1, d)];
}

function problemOf(s: LayeredMeasureInput): Problem3 {
  const { kind, weights } = threeLayerForm(s.t);
  const n = s.samples.n,
    d = weights[0].shape[1];
  const X = new Float64Array(n * (d + 1));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) X[i * (d + 1) + j] = s.samples.x[i * d + j];
    X[i * (d + 1) + d] = 1;
  }
  return { n, D: d + 1, kind, invAlpha: 1 / s.t.spec.model.alpha, X, y: Float64Array.from(s.samples.y), m1: weights[0].shape[0], m2: weights[1].shape[0] };
}

/**
 * ‖∇R(θc)‖ at or below which θc counts as a critical point: the f64 floor the polish reaches (1e-16–1e-15 on
 * seeds 0–39), far below the runs that slide along a valley instead (≥ 4e-9). One seed (20) stopped at
 * 4.6e-13 beside a near-zero eigenvalue, where the zero count of its splits is not well defined: not critical.
 */
const DEEP_CRITICAL_GRAD = 1e-14;

interface DeepAnalysis {
  polished: Polished;
  checks: DeepChecks;
  preservation: { output: number; loss: number };
}

const cache = new WeakMap<LayeredTrajectory, DeepAnalysis>();
function analysis(s: LayeredMeasureInput): DeepAnalysis {
  if (!cache.has(s.t)) {
    const p = problemOf(s);
    const polished = polishCriticalPoint(threeLayerObjective(s.wasm, p), thetaOf(s.t, s.last), { descent: {} });
    // preservation holds for any θ: the random start, the engine's weights, and θc where it is a critical
    // point (elsewhere the descent may have run far out along a valley, where rounding grows with the weights)
    const critical = polished.gradNorm <= DEEP_CRITICAL_GRAD;
    const all = [thetaOf(s.t, s.first), thetaOf(s.t, s.last), ...(critical ? [polished.theta] : [])].map((theta) => deepSplitPreservation(s.wasm, p, theta));
    cache.set(s.t, {
      polished,
      checks: deepEmbeddingChecks(s.wasm, p, polished.theta),
      preservation: { output: Math.max(...all.map((x) => x.output)), loss: Math.max(...all.map((x) => x.loss)) },
    });
  }
  return cache.get(s.t)!;
}

const splits = (s: LayeredMeasureInput) => analysis(s).checks.splits;
const before = (s: LayeredMeasureInput) => analysis(s).checks.before.counts;

export const DEEP_EMBEDDING_MEASURES = {
  /** ‖∇R‖ at the engine's final weights, at θc, the verdict (1: ‖∇R(θc)‖ ≤ DEEP_CRITICAL_GRAD) and R(θc) */
  ep3EngineGrad: (s) => analysis(s).polished.startGradNorm,
  ep3Grad: (s) => analysis(s).polished.gradNorm,
  ep3Critical: (s) => (analysis(s).polished.gradNorm <= DEEP_CRITICAL_GRAD ? 1 : 0),
  ep3Loss: (s) => analysis(s).polished.loss,
  /** max |Δf| and |ΔR| over every split of either layer, at θ₀, the engine's θ and θc */
  ep3OutputChange: (s) => analysis(s).preservation.output,
  ep3LossChange: (s) => analysis(s).preservation.loss,
  /** max ‖∇R‖ after a split of θc; the least gain of zero eigenvalues and of any inertia count; max ‖H·V‖/‖V‖ */
  ep3GradSplit: (s) => Math.max(...splits(s).map((c) => c.gradNorm)),
  ep3ZeroGain: (s) => Math.min(...splits(s).map((c) => c.counts.zero - before(s).zero)),
  ep3InertiaGain: (s) =>
    Math.min(...splits(s).map((c) => Math.min(c.counts.negative - before(s).negative, c.counts.zero - before(s).zero, c.counts.positive - before(s).positive))),
  ep3Flatness: (s) => Math.max(...splits(s).map((c) => c.flatness)),
  /** the inertia of θc */
  ep3Neg0: (s) => before(s).negative,
  ep3Zero0: (s) => before(s).zero,
} satisfies Record<string, LayeredMeasureFn>;
