// Measures of layered runs (CNNs; SCIENCE.md §5), in f64 on the host from the trajectory's parameter
// snapshots, through the neuron view of a layer: each conv kernel flattened over in-channels × k × k
// (or each dense row) is one neuron.
//   medianCosV1, minCosV1, shareCosV1_98, gapV1: the first conv layer's kernels against v1, the top
//       eigenvector of A = Σ_uv P̄_uv P̄_uvᵀ of the training data (§5.2), and λ1/λ2; q25CosV1,
//       q75CosV1, maxCosV1 complete the distribution of |cos(K_β, v1)| over the kernels
//   conv1Lines90, conv1LargestLine90: line groups of the first conv layer's kernels at |cos| > 0.9,
//       and the largest one's share of the kernels (T3.3); conv1MeanAbsCos: the mean |cos| over the
//       pairs of those kernels (about 0.16 for random 5×5 kernels, 1 when all lie on one line)
//   RDconv1: relative distance of the first conv layer's kernels; trainAccuracy, testAccuracy
import type { WasmInstance } from '../../wasm/load.js';
import type { LayeredSnapshot, LayeredTrajectory, ParamLayout } from '../../model/trajectory.js';
import { paramView } from '../../model/trajectory.js';
import type { SampleSet } from '../../model/samples.js';
import { snapshotAccuracy } from '../../model/predict.js';
import { meanLabelledPatches, patchMatrix, topDirection } from '../../science/cnn.js';
import { alignmentWithDirection, summarizeAlignment } from '../../science/condensation-direction.js';
import { lineGroups } from '../../science/lines.js';
import { cosineMatrix, relativeDistance } from '../../science/measures.js';
import { quantile } from '../../science/stats.js';

export interface LayeredMeasureInput {
  t: LayeredTrajectory;
  samples: SampleSet;
  first: LayeredSnapshot;
  last: LayeredSnapshot;
  wasm: WasmInstance;
}
export type LayeredMeasureFn = (s: LayeredMeasureInput) => number;

/** The kernel tensor of the first conv2d layer, which must read the input directly (the theory's setting). */
function firstConv(s: LayeredMeasureInput): ParamLayout {
  const p = s.t.layout.find((l) => l.kind === 'conv2d' && !l.bias);
  if (!p || p.layer !== 'model.layers[0]') throw new Error('this measure needs a conv2d layer as model.layers[0]');
  return p;
}

/** The neurons of a weight tensor: rows of D = product of the trailing dimensions. */
export const neuronWidth = (p: ParamLayout) => p.shape.slice(1).reduce((a, b) => a * b, 1);

/** v1 and λ1/λ2 of each run's data matrix A, by its sample set: every v1 measure and every snapshot of a
 * run reads the same one, so A and its eigenvector are built once a run. */
const dataDirections = new WeakMap<SampleSet, { v1: number[]; gap: number }>();
/** |cos(K_β, v1)| of every first-layer kernel and the gap, by measure input (one a snapshot). */
const alignments = new WeakMap<LayeredMeasureInput, { cos: Float64Array; gap: number }>();

/** The top direction v1 of A = Σ_uv P̄_uv P̄_uvᵀ of the run's training data (the first conv layer's patches), and λ1/λ2. */
function dataDirection(s: LayeredMeasureInput): { v1: number[]; gap: number } {
  const layer = s.t.spec.model.layers[0];
  if (layer.type !== 'conv2d') throw new Error('this measure needs a conv2d layer as model.layers[0]');
  let d = dataDirections.get(s.samples);
  if (!d) {
    const { H, W, C } = s.t.shape.input,
      k = layer.kernel;
    const pad = layer.padding === 'same' ? (k - 1) / 2 : 0;
    d = topDirection(patchMatrix(meanLabelledPatches(s.samples.x, s.samples.y, { H, W, C, k, stride: layer.stride, pad })));
    dataDirections.set(s.samples, d);
  }
  return d;
}

/** |cos(K_β, v1)| of every first-layer kernel, and the gap λ1/λ2 of A. */
function cosV1(s: LayeredMeasureInput): { cos: Float64Array; gap: number } {
  let a = alignments.get(s);
  if (!a) {
    const p = firstConv(s),
      { v1, gap } = dataDirection(s);
    a = { gap, cos: Float64Array.from(alignmentWithDirection(paramView(s.last, p), neuronWidth(p), v1)) };
    alignments.set(s, a);
  }
  return a;
}

function alignment(s: LayeredMeasureInput) {
  const { gap, cos } = cosV1(s);
  return { gap, ...summarizeAlignment(cos, 0.98) };
}

/** The q-quantile of the kernels' |cos(K_β, v1)| (linear between order statistics). */
function cosV1Quantile(s: LayeredMeasureInput, q: number): number {
  return quantile(cosV1(s).cos, q);
}

/** Line groups of a weight tensor's neurons at |cos| > 0.9: how many, and the largest one's share of the neurons. */
export function lines90(w: Float32Array, p: ParamLayout): { count: number; largest: number } {
  const groups = lineGroups(w, neuronWidth(p), { threshold: 0.9 });
  return { count: groups.length, largest: Math.max(...groups.map((g) => g.length)) / p.shape[0] };
}

/** Mean |cos| over the pairs of a weight tensor's neurons. */
export function meanAbsCos(w: Float32Array, p: ParamLayout): number {
  const m = p.shape[0],
    cos = cosineMatrix(w, m, neuronWidth(p));
  let sum = 0;
  for (let a = 0; a < m; a++) for (let b = a + 1; b < m; b++) sum += Math.abs(cos[a * m + b]);
  return sum / ((m * (m - 1)) / 2);
}

export const LAYERED_MEASURES = {
  medianCosV1: (s: LayeredMeasureInput) => alignment(s).median,
  minCosV1: (s: LayeredMeasureInput) => alignment(s).min,
  shareCosV1_98: (s: LayeredMeasureInput) => alignment(s).share,
  gapV1: (s: LayeredMeasureInput) => alignment(s).gap,
  q25CosV1: (s: LayeredMeasureInput) => cosV1Quantile(s, 0.25),
  q75CosV1: (s: LayeredMeasureInput) => cosV1Quantile(s, 0.75),
  maxCosV1: (s: LayeredMeasureInput) => cosV1Quantile(s, 1),
  conv1Lines90: (s: LayeredMeasureInput) => lines90(paramView(s.last, firstConv(s)), firstConv(s)).count,
  conv1LargestLine90: (s: LayeredMeasureInput) => lines90(paramView(s.last, firstConv(s)), firstConv(s)).largest,
  conv1MeanAbsCos: (s: LayeredMeasureInput) => meanAbsCos(paramView(s.last, firstConv(s)), firstConv(s)),
  RDconv1: (s: LayeredMeasureInput) => relativeDistance(paramView(s.first, firstConv(s)), paramView(s.last, firstConv(s))),
  trainAccuracy: (s: LayeredMeasureInput) => snapshotAccuracy(s.t, s.last.params, 'train', s.wasm),
  testAccuracy: (s: LayeredMeasureInput) => snapshotAccuracy(s.t, s.last.params, 'test', s.wasm),
} satisfies Record<string, LayeredMeasureFn>;
