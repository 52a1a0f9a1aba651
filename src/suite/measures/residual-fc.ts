// Measures of the six-layer residual FC network of Zhou et al. (NeurIPS 2022) Fig. 3 (suite multiplicity,
// T4.7; src/models/residual-fc.ts), in f64 on the host. A neuron of hidden layer l is its input weight with
// its bias, (wₖ, bₖ) ∈ R^{d_in + 1}: the paper's x^{[l]} = (σ(W^{[l]}x^{[l−1]}), 1) folds the bias into the
// weight, as SCIENCE.md §2 does for the two-layer net. Each layer is read at its own epoch of Fig. 3
// (FIG3_READ: x²·tanh 1000, x·tanh 900, sigmoid 900, tanh 1400, softplus 1400), so the run must keep
// snapshots at those steps. The neurons kept are those with ‖(wₖ, bₖ)‖ > 0.2·max (SCIENCE.md §2 and the
// suite's 1-d lines98: the neurons still at the scale of the initialisation carry no direction yet), grouped
// greedily into lines at |cos| > 0.9 (SCIENCE.md §2's threshold for d = 5):
//   fig3Layer{l}Share: the share of the kept neurons of hidden layer l on its p largest lines, p = the
//       multiplicity of the layer's activation in Fig. 3 (3, 2, 1, 1, 1): 1 when the layer condenses on at
//       most p lines, about p/m for neurons in general position (every line one neuron)
//   fig3Layer{l}Lines: the number of those lines holding at least two neurons (a lone neuron is no line)
import { paramView, type LayeredSnapshot, type ParamLayout } from '../../model/trajectory.js';
import { lineGroups } from '../../science/lines.js';
import type { LayeredMeasureInput } from './layered.js';

/** Fig. 3, per hidden layer 1–5: the multiplicity p of its activation and the epoch (full-batch step) the figure shows it at. */
export const FIG3_READ = [
  { p: 3, epoch: 1000 },
  { p: 2, epoch: 900 },
  { p: 1, epoch: 900 },
  { p: 1, epoch: 1400 },
  { p: 1, epoch: 1400 },
] as const;

const KEEP_FRACTION = 0.2;
const LINE_COS = 0.9;

/** The neurons (wₖ, bₖ) of the l-th dense layer (1-based, layout order) in a snapshot, row-major, and their width d_in + 1. */
function denseNeurons(layout: ParamLayout[], snapshot: LayeredSnapshot, l: number): { v: Float64Array; D: number } {
  const weights = layout.filter((p) => p.kind === 'dense' && !p.bias);
  const W = weights[l - 1];
  if (!W) throw new Error(`this measure needs at least ${l} dense layers, the run has ${weights.length}`);
  const B = layout.find((p) => p.layer === W.layer && p.bias);
  const [m, dIn] = W.shape,
    D = dIn + 1;
  const w = paramView(snapshot, W),
    b = B ? paramView(snapshot, B) : new Float32Array(m);
  const v = new Float64Array(m * D);
  for (let k = 0; k < m; k++) {
    for (let j = 0; j < dIn; j++) v[k * D + j] = w[k * dIn + j];
    v[k * D + dIn] = b[k];
  }
  return { v, D };
}

/** The snapshot at a step, which the run must have kept. */
function snapshotAt(s: LayeredMeasureInput, step: number): LayeredSnapshot {
  const snap = s.t.snapshots.find((x) => x.step === step);
  if (!snap) throw new Error(`this measure reads the snapshot at step ${step}: add it to the run's snapshots (and train at least that long)`);
  return snap;
}

/** Line groups of hidden layer l's kept neurons at its Fig. 3 epoch, largest first. */
function fig3Groups(s: LayeredMeasureInput, l: number): number[][] {
  const { v, D } = denseNeurons(s.t.layout, snapshotAt(s, FIG3_READ[l - 1].epoch), l);
  return lineGroups(v, D, { threshold: LINE_COS, normFraction: KEEP_FRACTION }).sort((a, b) => b.length - a.length);
}

function share(s: LayeredMeasureInput, l: number): number {
  const sizes = fig3Groups(s, l).map((g) => g.length);
  const kept = sizes.reduce((a, b) => a + b, 0);
  return sizes.slice(0, FIG3_READ[l - 1].p).reduce((a, b) => a + b, 0) / kept;
}

const lines = (s: LayeredMeasureInput, l: number) => fig3Groups(s, l).filter((g) => g.length >= 2).length;

export const RESIDUAL_FC_MEASURES = {
  fig3Layer1Share: (s: LayeredMeasureInput) => share(s, 1),
  fig3Layer2Share: (s: LayeredMeasureInput) => share(s, 2),
  fig3Layer3Share: (s: LayeredMeasureInput) => share(s, 3),
  fig3Layer4Share: (s: LayeredMeasureInput) => share(s, 4),
  fig3Layer5Share: (s: LayeredMeasureInput) => share(s, 5),
  fig3Layer1Lines: (s: LayeredMeasureInput) => lines(s, 1),
  fig3Layer2Lines: (s: LayeredMeasureInput) => lines(s, 2),
  fig3Layer3Lines: (s: LayeredMeasureInput) => lines(s, 3),
  fig3Layer4Lines: (s: LayeredMeasureInput) => lines(s, 4),
  fig3Layer5Lines: (s: LayeredMeasureInput) => lines(s, 5),
};
