// The ResNet-8-like digits network of suite resnet-digits (SCIENCE.md §6.2, §9.1): conv 16@3×3 → ReLU →
// [conv 16 → ReLU → conv 16] + → ReLU → conv 32@3×3 stride 2 → ReLU → [conv 32 → ReLU → conv 32] + → ReLU →
// conv 64 stride 2 → ReLU → [conv 64 → ReLU → conv 64] + → ReLU → avg pool 4 → dense 128 → ReLU → dense 128
// → ReLU → dense 10, for 14×14 digits; conv layers from N(0, 1/d_in). The arm sets the head: "small" draws
// its first layer from N(0, 1/m_out³), "glorot" every head layer Glorot normal. The bench times its Glorot arm.
import type { LayerSpec } from '../model/layers.js';

/** The head's initialisations: the first dense layer small (N(0, 1/m_out³)) or Glorot. */
export const RESNET_ARMS = ['small', 'glorot'] as const;
export type ResnetArm = (typeof RESNET_ARMS)[number];
/** The mini-batch the suite trains it with (the bench's suite-batch rows too). */
export const RESNET_SUITE_BATCH = 16;

const HEAD = [128, 128, 10];

const glorot = (fanIn: number, fanOut: number) => Math.sqrt(2 / (fanIn + fanOut));
const relu = { type: 'activation', fn: 'relu' } as const;
const conv = (filters: number, stride = 1) =>
  ({ type: 'conv2d', filters, kernel: 3, stride, padding: 'same', init: { std: 'd_in^-gamma', gamma: 0.5 } }) as const;
const block = (filters: number) => ({ type: 'residual', layers: [conv(filters), relu, conv(filters)] }) as const;

/** The ResNet-8-like network with the head of one arm. */
export function resnetLayers(arm: ResnetArm): LayerSpec[] {
  const trunk = [
    conv(16),
    relu,
    block(16),
    relu,
    conv(32, 2),
    relu,
    block(32),
    relu,
    conv(64, 2),
    relu,
    block(64),
    relu,
    { type: 'avgpool2d', size: 4 },
    { type: 'flatten' },
  ];
  const fanIns = [64, ...HEAD.slice(0, -1)];
  const head = HEAD.flatMap((units, i) => {
    const std = arm === 'small' && i === 0 ? Math.pow(units, -1.5) : glorot(fanIns[i], units);
    const dense = { type: 'dense', units, init: { std } };
    return i < HEAD.length - 1 ? [dense, relu] : [dense];
  });
  return [...trunk, ...head] as LayerSpec[];
}
