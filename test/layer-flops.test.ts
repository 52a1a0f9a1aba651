// The FLOP count of a training step (each layer kind's `flops`, src/model/layers/) on the model zoo's
// networks, pinned to the figures the bench's per-kind rule gave before the kinds moved into LayerDefs:
// bench rows' GFLOP/s stay comparable across versions.
import { describe, it, expect } from 'vitest';
import { inputShape, validateLayeredSpec } from '../src/model/spec.js';
import { trainingStepFlops, type LayerSpec } from '../src/model/layers.js';
import { twoLayerCnn } from '../src/models/two-layer-cnn.js';
import { threeLayerCnn } from '../src/models/three-layer-cnn.js';
import { resnetLayers } from '../src/models/resnet-digits.js';
import { anchorLayers } from '../src/models/anchor-transformer.js';

const images = (channels: number, size: number) => ({ preset: 'gauss-images', n: 10, channels, size });
const ZOO: { name: string; layers: LayerSpec[]; data: object; n: number; flops: number }[] = [
  { name: 'two-layer CNN 16@5×5 on 3×8×8', layers: twoLayerCnn(16, 5, 1e-8), data: images(3, 8), n: 100, flops: 7_833_600 },
  { name: 'T3.3 CNN on 1×14×14', layers: threeLayerCnn({ std: 'd_in^-gamma', gamma: 0.5 }), data: images(1, 14), n: 500, flops: 147_200_000 },
  { name: 'resnet-digits (small head)', layers: resnetLayers('small'), data: images(1, 14), n: 64, flops: 1_363_722_240 },
  { name: 'resnet-digits (Glorot head)', layers: resnetLayers('glorot'), data: images(1, 14), n: 64, flops: 1_363_722_240 },
  { name: 'anchor transformer, 2 blocks', layers: anchorLayers(0.8, 2), data: { preset: 'anchor' }, n: 256, flops: 184_172_544 },
  { name: 'anchor transformer, 4 blocks', layers: anchorLayers(0.8, 4), data: { preset: 'anchor' }, n: 16, flops: 22_404_096 },
];

describe('training-step FLOPs of the model zoo', () => {
  it.each(ZOO)('$name: $flops', ({ layers, data, n, flops }) => {
    const spec = validateLayeredSpec({ data, model: { layers }, optimizer: { kind: 'gd' }, lr: 0.1, stop: { maxSteps: 1 }, seed: 0 });
    expect(trainingStepFlops(spec.model.layers, inputShape(spec.data), n)).toBe(flops);
  });
});
