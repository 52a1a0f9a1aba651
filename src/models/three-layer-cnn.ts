// The three-layer tanh CNN of T3.3 (suite cnn-condensation; SCIENCE.md §5.4, after the lecture note's CNN
// on CIFAR10): conv 16@5×5 → tanh → max 2 → conv 16@3×3 → tanh → max 2 → dense 64 → ReLU → dense 10, valid
// convolutions with biases, every weight layer initialised alike. On the suite's 14×14 digits the conv
// stack leaves 16 × 1 × 1 features. The bench times it from the suite's standard init.
import type { LayerInit, LayerSpec } from '../model/layers.js';

/** The T3.3 network with every weight layer from `init`. */
export const threeLayerCnn = (init: LayerInit): LayerSpec[] =>
  [
    { type: 'conv2d', filters: 16, kernel: 5, init },
    { type: 'activation', fn: 'tanh' },
    { type: 'maxpool2d', size: 2 },
    { type: 'conv2d', filters: 16, kernel: 3, init },
    { type: 'activation', fn: 'tanh' },
    { type: 'maxpool2d', size: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 64, init },
    { type: 'activation', fn: 'relu' },
    { type: 'dense', units: 10, init },
  ] as LayerSpec[];
