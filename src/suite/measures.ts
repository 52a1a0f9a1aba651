// The measures a suite may take on a finished run (by name), computed in f64 on the host from the
// trajectory's first and last snapshots and its dataset: the one registry the suites, user grids
// (`condensa suite --spec`) and reports share. Definitions live in src/science/.
import type { Trajectory } from '../engine/trajectory.js';
import type { Dataset } from '../engine/data.js';
import { relativeDistance, orientationClusters1d, amplitudeConcentration, activeNeurons1d } from '../science/measures.js';
import { condensationDirection, alignmentWithDirection, summarizeAlignment } from '../science/condensation-direction.js';
import { countLines } from '../science/lines.js';

interface MeasureInput {
  t: Trajectory;
  data: Dataset;
  first: Trajectory['snapshots'][number];
  last: Trajectory['snapshots'][number];
  D: number;
}

const oneD = (name: string, f: (s: MeasureInput) => number) => (s: MeasureInput) => {
  if (s.D !== 2) throw new Error(`measure ${name} needs 1-d inputs (2 weights per neuron), this run has ${s.D}`);
  return f(s);
};
const alignment = (s: MeasureInput) => summarizeAlignment(alignmentWithDirection(s.last.w, s.D, condensationDirection(s.data.x, s.data.y)));

const MEASURES = {
  /** RD = ‖W_T − W_0‖/‖W_0‖ over input weights and biases (SCIENCE.md §2) */
  RD: (s: MeasureInput) => relativeDistance(s.first.w, s.last.w),
  /** amplitude share of the 4 heaviest 0.1-rad orientation bins, final weights (§2, T1.4) */
  C4: oneD('C4', (s) => amplitudeConcentration(s.last.a, s.last.w)),
  /** orientation clusters of the active neurons, final weights (§3.6, T1.4) */
  clusters: oneD('clusters', (s) => orientationClusters1d(s.last.a, s.last.w)),
  /** active neurons: Aₖ > 0.1·max A, final weights (§3.5) */
  active: oneD('active', (s) => activeNeurons1d(s.last.a, s.last.w).length),
  /** median, minimum and share ≥ 0.95 over neurons of |cos(wₖ, z)|, z = (1/n)Σ yᵢx̃ᵢ (§4.2, T2.1/T4.1) */
  medianCosZ: (s: MeasureInput) => alignment(s).median,
  minCosZ: (s: MeasureInput) => alignment(s).min,
  shareCosZ95: (s: MeasureInput) => alignment(s).share,
  /** lines among all neurons at |cos| > 0.99 (§6.4, T4.1 1-d) */
  lines99: (s: MeasureInput) => countLines(s.last.w, s.D, { threshold: 0.99 }),
  steps: (s: MeasureInput) => s.t.steps,
  finalLoss: (s: MeasureInput) => s.t.finalLoss,
  restarts: (s: MeasureInput) => s.t.restarts,
};

export type MeasureName = keyof typeof MEASURES;
export const MEASURE_NAMES = Object.keys(MEASURES) as MeasureName[];

export function measureName(value: string): MeasureName {
  if (!(value in MEASURES)) throw new Error(`unknown measure "${value}" (available: ${MEASURE_NAMES.join(', ')})`);
  return value as MeasureName;
}

export function takeMeasures(names: MeasureName[], t: Trajectory, data: Dataset): Record<string, number> {
  const input: MeasureInput = { t, data, first: t.snapshots[0], last: t.snapshots[t.snapshots.length - 1], D: t.shape.D };
  return Object.fromEntries(names.map((n) => [n, MEASURES[n](input)]));
}
