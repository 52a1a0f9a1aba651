// What training a layered model hands back: the loss curve and snapshots of every parameter as one
// flat vector, with the layout that names each tensor (the neuron views the measures read).
import type { RunOutcome } from '../engine/run-outcome.js';
import type { ParamDecl } from './program.js';
import type { Shape } from './layers.js';
import type { LayeredRunSpec } from './spec.js';

export interface LayeredSnapshot {
  step: number;
  /** every parameter, concatenated in layout order */
  params: Float32Array;
}

export type ParamLayout = Pick<ParamDecl, 'name' | 'layer' | 'kind' | 'shape' | 'bias' | 'offset'>;

export interface LayeredTrajectory extends RunOutcome {
  kind: 'layered';
  spec: LayeredRunSpec;
  /** samples in the data set, samples per step, outputs per sample, input shape of one sample */
  shape: { n: number; batch: number; K: number; input: Shape };
  layout: ParamLayout[];
  snapshots: LayeredSnapshot[];
}

/** The values of one parameter tensor in a snapshot. */
export function paramView(s: LayeredSnapshot, p: ParamLayout): Float32Array {
  return s.params.subarray(p.offset, p.offset + p.shape.reduce((a, b) => a * b, 1));
}
