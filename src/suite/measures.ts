// The measures a suite may take on a finished run (by name), computed in f64 on the host from the
// trajectory (snapshots, loss curve) and its dataset: the one registry the suites, user grids
// (`condensa suite --spec`) and reports share. Definitions live in src/science/; the measures of one
// topic sit in src/suite/measures/<topic>.ts and are merged here.
import type { AnyTrajectory, Trajectory } from '../engine/trajectory.js';
import type { LayeredTrajectory } from '../model/trajectory.js';
import type { RunRecord } from '../report/schema.js';
import { makeSamples } from '../model/samples.js';
import { loadDigits } from '../engine/digits.js';
import { digitsOf } from '../engine/images.js';
import { LAYERED_MEASURES as CNN_MEASURES, type LayeredMeasureInput } from './measures/layered.js';
import { DEEP_EMBEDDING_MEASURES } from './measures/embedding-deep.js';
import { RESIDUAL_MEASURES } from './measures/residual.js';
import { RESIDUAL_FC_MEASURES } from './measures/residual-fc.js';
import { ANCHOR_MEASURES } from './measures/anchor.js';
import type { Dataset } from '../engine/data.js';
import type { WasmInstance } from '../wasm/load.js';
import { oneD, type MeasureFn, type MeasureInput } from './measures/input.js';
import { PHASE_MEASURES } from './measures/phase.js';
import { MULTIPLICITY_MEASURES } from './measures/multiplicity.js';
import { EMBEDDING_MEASURES } from './measures/embedding.js';
import { ESCAPE_MEASURES } from './measures/embedding-escape.js';
import { DROPOUT_MEASURES } from './measures/dropout.js';
import { GROWTH_MEASURES } from './measures/growth.js';
import { relativeDistance, orientationClusters1d, amplitudeConcentration, activeNeurons1d } from '../science/measures.js';
import { condensationDirection, alignmentWithDirection, summarizeAlignment } from '../science/condensation-direction.js';
import { countLines } from '../science/lines.js';
import { problem64, outputs64, flatten } from '../science/twolayer64.js';
import { activationByName } from '../engine/activations.js';

const alignment = (s: MeasureInput, shareAt = 0.95) =>
  summarizeAlignment(alignmentWithDirection(s.last.w, s.D, condensationDirection(s.data.x, s.data.y)), shareAt);

const CORE_MEASURES = {
  /** RD = ‖W_T − W_0‖/‖W_0‖ over input weights and biases (SCIENCE.md §2) */
  RD: (s: MeasureInput) => relativeDistance(s.first.w, s.last.w),
  /** amplitude share of the 4 heaviest 0.1-rad orientation bins, final weights (§2, T1.4) */
  C4: oneD('C4', (s) => amplitudeConcentration(s.last.a, s.last.w)),
  /** orientation clusters of the active neurons, final weights (§3.6, T1.4) */
  clusters: oneD('clusters', (s) => orientationClusters1d(s.last.a, s.last.w)),
  /** active neurons: Aₖ > 0.1·max A, final weights (§3.5) */
  active: oneD('active', (s) => activeNeurons1d(s.last.a, s.last.w).length),
  /** median, minimum and shares ≥ 0.95 and ≥ 0.99 over neurons of |cos(wₖ, z)|, z = (1/n)Σ yᵢx̃ᵢ (§4.2, T2.1/T4.1) */
  medianCosZ: (s: MeasureInput) => alignment(s).median,
  minCosZ: (s: MeasureInput) => alignment(s).min,
  shareCosZ95: (s: MeasureInput) => alignment(s).share,
  shareCosZ99: (s: MeasureInput) => alignment(s, 0.99).share,
  /** median |cos(wₖ, z̄)|, z̄ = (1/n)Σ ½(rᵢ(0) + rᵢ(T))x̃ᵢ with rᵢ = yᵢ − f(xᵢ): the gradient's direction
   * averaged over the run by the trapezoid rule, which the weights integrate (z̄ = z when the residual
   * barely moves; where ‖z‖ is small the initial stage is long and z(t) turns: T4.1d) */
  medianCosZMean: (s: MeasureInput) => {
    const p = problem64(s.data, activationByName(s.t.spec.model.activation).kind, s.t.scales.alpha);
    const f = outputs64(s.wasm, p, flatten(s.last.a, s.last.w));
    const mean = Array.from(s.data.y, (y, i) => y - f[i] / 2);
    return summarizeAlignment(alignmentWithDirection(s.last.w, s.D, condensationDirection(s.data.x, mean))).median;
  },
  /** ‖z‖: the linear stage's growth rate, a + w·ẑ ∝ e^{‖z‖t} (one GD step: × (1 + lr‖z‖)) (§4.2, T2.4) */
  zNorm: (s: MeasureInput) => Math.hypot(...condensationDirection(s.data.x, s.data.y)),
  /** lines among all neurons at |cos| > 0.99 (§6.4, T4.1 1-d) */
  lines99: (s: MeasureInput) => countLines(s.last.w, s.D, { threshold: 0.99 }),
  /** the width m (slope fits over widths read it) */
  width: (s: MeasureInput) => s.t.shape.m,
} satisfies Record<string, MeasureFn>;

/** Measures of how a run went, for two-layer and layered runs alike. */
const RUN_MEASURES = {
  steps: (s: { t: AnyTrajectory }) => s.t.steps,
  finalLoss: (s: { t: AnyTrajectory }) => s.t.finalLoss,
  restarts: (s: { t: AnyTrajectory }) => s.t.restarts,
};

/** Measures of layered runs: the CNN ones, the residual-network ones, the three-layer embedding ones and the anchor-task transformer ones. */
const LAYERED_MEASURES = { ...CNN_MEASURES, ...RESIDUAL_MEASURES, ...RESIDUAL_FC_MEASURES, ...DEEP_EMBEDDING_MEASURES, ...ANCHOR_MEASURES };

const MEASURES = {
  ...RUN_MEASURES,
  ...CORE_MEASURES,
  ...PHASE_MEASURES,
  ...MULTIPLICITY_MEASURES,
  ...EMBEDDING_MEASURES,
  ...ESCAPE_MEASURES,
  ...DROPOUT_MEASURES,
  ...GROWTH_MEASURES,
};

export type MeasureName = keyof typeof MEASURES | keyof typeof LAYERED_MEASURES;
const MEASURE_NAMES = [...Object.keys(MEASURES), ...Object.keys(LAYERED_MEASURES)] as MeasureName[];

export function measureName(value: string): MeasureName {
  if (!(MEASURE_NAMES as string[]).includes(value)) throw new Error(`unknown measure "${value}" (available: ${MEASURE_NAMES.join(', ')})`);
  return value as MeasureName;
}

export function takeMeasures(names: MeasureName[], t: Trajectory, data: Dataset, wasm: WasmInstance): Record<string, number> {
  const input: MeasureInput = { t, data, first: t.snapshots[0], last: t.snapshots[t.snapshots.length - 1], D: t.shape.D, wasm };
  return Object.fromEntries(
    names.map((n) => {
      if (!(n in MEASURES)) throw new Error(`measure ${n} is defined for layered models (model.layers), and this run is a two-layer network`);
      return [n, MEASURES[n as keyof typeof MEASURES](input)];
    }),
  );
}

/** What the layered measures read, built once per run: the trajectory, its samples (digits loaded), its first snapshot, and `last` (the final one). */
export async function layeredInput(t: LayeredTrajectory, wasm: WasmInstance): Promise<LayeredMeasureInput> {
  await loadDigits(digitsOf(t.spec.data));
  return { t, samples: makeSamples(t.spec, t.shape.K, wasm.heap, wasm.kernels), first: t.snapshots[0], last: t.snapshots[t.snapshots.length - 1], wasm };
}

const LAYERED_RUN_MEASURES = { ...RUN_MEASURES, ...LAYERED_MEASURES };

function layeredMeasure(n: MeasureName) {
  if (!(n in LAYERED_RUN_MEASURES)) throw new Error(`measure ${n} is defined for two-layer networks (model.width), and this run is a layered model`);
  return LAYERED_RUN_MEASURES[n as keyof typeof LAYERED_RUN_MEASURES];
}

export function takeLayeredMeasures(names: MeasureName[], input: LayeredMeasureInput): Record<string, number> {
  return Object.fromEntries(names.map((n) => [n, layeredMeasure(n)(input)]));
}

/** Measures along training (`SuitePart.curves`): each layered measure read at every snapshot of the run, as if training had stopped there. */
export function takeLayeredCurves(names: MeasureName[], input: LayeredMeasureInput): NonNullable<RunRecord['curves']> {
  const snapshots = input.t.snapshots,
    step = snapshots.map((s) => s.step);
  return Object.fromEntries(names.map((n) => [n, { step, value: snapshots.map((last) => layeredMeasure(n)({ ...input, last })) }]));
}
