// The two-layer CNN of T3.1/T3.2 (suite cnn-condensation; SCIENCE.md §5.3, Zhou, Zhou, Li, Xu): one conv
// layer without bias → tanh → a linear read-out of the flattened feature map (one output, no bias), valid
// convolution, every weight from N(0, std²).
import type { LayerSpec } from '../model/layers.js';

/** The two-layer CNN: `filters` kernels `kernel`×`kernel`, every weight ~ N(0, std²). */
export const twoLayerCnn = (filters: number, kernel: number, std: number): LayerSpec[] =>
  [
    { type: 'conv2d', filters, kernel, bias: false, init: { std } },
    { type: 'activation', fn: 'tanh' },
    { type: 'flatten' },
    { type: 'dense', units: 1, bias: false, init: { std } },
  ] as LayerSpec[];
