// Measures of a residual CNN with a dense head (suite resnet-digits: the overview's condensed ResNet
// head and clustered kernels), in f64 on the host from the first and last snapshots:
//   headLargestLine90, headLines90: the head's first layer (the first dense layer): the largest line
//       group of its neurons at |cos| > 0.9 as a share of the neurons, and the number of groups
//   midBlockMeanAbsCosInit, midBlockMeanAbsCos, midBlockCosGrowth: the kernels of the last conv layer
//       inside the middle residual block: mean |cos| over their pairs at init, after training, and the
//       ratio after / at init (kernels that gather raise it; random kernels in 288 dimensions sit near 0.05)
import { paramView, type ParamLayout } from '../../model/trajectory.js';
import type { LayerSpec } from '../../model/layers.js';
import { lines90, meanAbsCos, type LayeredMeasureInput } from './layered.js';

/** The weight tensor of the first dense layer. */
export function headLayer(layout: ParamLayout[]): ParamLayout {
  const p = layout.find((l) => l.kind === 'dense' && !l.bias);
  if (!p) throw new Error('this measure needs a dense layer (the head)');
  return p;
}

/** Path of the last conv layer inside the middle one of the top-level residual blocks (of n blocks, block ⌊(n−1)/2⌋). */
export function midBlockConvPath(layers: LayerSpec[]): string {
  const blocks = layers.flatMap((l, i) => (l.type === 'residual' ? [{ l, i }] : []));
  if (blocks.length === 0) throw new Error('this measure needs a residual block');
  const { l, i } = blocks[Math.floor((blocks.length - 1) / 2)];
  const inner = l.type === 'residual' ? l.layers.flatMap((x, j) => (x.type === 'conv2d' ? [j] : [])) : [];
  if (inner.length === 0) throw new Error(`this measure needs a conv2d layer inside the residual block model.layers[${i}]`);
  return `model.layers[${i}].layers[${inner[inner.length - 1]}]`;
}

function midBlockConv(s: LayeredMeasureInput): ParamLayout {
  const path = midBlockConvPath(s.t.spec.model.layers);
  const p = s.t.layout.find((l) => l.layer === path && !l.bias);
  if (!p) throw new Error(`no kernel tensor for ${path}`);
  return p;
}

const headLines = (s: LayeredMeasureInput) => lines90(paramView(s.last, headLayer(s.t.layout)), headLayer(s.t.layout));
const midCos = (s: LayeredMeasureInput, at: 'first' | 'last') => meanAbsCos(paramView(s[at], midBlockConv(s)), midBlockConv(s));

export const RESIDUAL_MEASURES = {
  headLargestLine90: (s: LayeredMeasureInput) => headLines(s).largest,
  headLines90: (s: LayeredMeasureInput) => headLines(s).count,
  midBlockMeanAbsCosInit: (s: LayeredMeasureInput) => midCos(s, 'first'),
  midBlockMeanAbsCos: (s: LayeredMeasureInput) => midCos(s, 'last'),
  midBlockCosGrowth: (s: LayeredMeasureInput) => midCos(s, 'last') / midCos(s, 'first'),
};
