// RunSpecs shared by the engine, golden and browser tests, and the golden hash file.
import { readFileSync } from 'node:fs';

export interface GoldenEntry {
  hash: string;
  steps: number;
  finalLoss: number;
}
export const GOLDEN_FILE = new URL('./golden/trajectories.json', import.meta.url);
export const readGolden = (): Record<string, GoldenEntry> => JSON.parse(readFileSync(GOLDEN_FILE, 'utf8'));
export const PHASE_RELU = {
  data: { preset: 'luo2021-4pt' },
  model: { width: 250, activation: 'relu', asi: true },
  init: { gamma: 1.75, gammaPrime: 0 },
  optimizer: { kind: 'gd' },
  lr: { rule: 'luo2021', halveOnIncrease: true },
  stop: { maxSteps: 1000, lossBelow: 1e-9 },
  snapshots: [100, 500],
  seed: 3,
};

export const XTANH_ADAM_DROPOUT = {
  data: { preset: 'sin1d', n: 37 },
  model: { width: 101, activation: 'xtanh' },
  init: { alpha: 1, beta1: 0.005, beta2: 0.005 },
  optimizer: { kind: 'adam' },
  lr: 5e-4,
  dropout: { keep: 0.9 },
  stop: { maxSteps: 1000 },
  snapshots: [250, 500],
  seed: 11,
};

/** A CNN whose second and third convs take an input gradient (5×5 at stride 2, 3×3 valid): the conv kernels'
 * bits (conv_gemm_nt read in place and packed, conv_gemm_tn, conv_input_grad). */
const CNN_ADAM = {
  data: { preset: 'gauss-images', n: 16, channels: 4, size: 12, seed: 1 },
  model: {
    layers: [
      { type: 'conv2d', filters: 8, kernel: 3, padding: 'same', init: { std: 0.3 } },
      { type: 'activation', fn: 'relu' },
      { type: 'conv2d', filters: 12, kernel: 5, stride: 2, padding: 'same', init: { std: 0.2 } },
      { type: 'activation', fn: 'tanh' },
      { type: 'conv2d', filters: 8, kernel: 3, init: { std: 0.2 } },
      { type: 'activation', fn: 'gelu' },
      { type: 'flatten' },
      { type: 'dense', units: 1 },
    ],
  },
  optimizer: { kind: 'adam' },
  lr: 0.003,
  stop: { maxSteps: 1000 },
  seed: 5,
};

/** The anchor-function transformer of one block (src/models/anchor-transformer.ts at γ = 0.8, written out):
 * embedding, attention, layer norm, kernel-1 convs, softmax cross-entropy, AdamW. */
const anchorInit = { std: 'd_in^-gamma', gamma: 0.8 };
const TRANSFORMER_ADAMW = {
  data: { preset: 'anchor' },
  model: {
    layers: [
      { type: 'embedding', vocab: 201, dim: 32, init: anchorInit },
      { type: 'positional', init: anchorInit },
      { type: 'residual', layers: [{ type: 'attention', dk: 16, bias: false, init: anchorInit }] },
      { type: 'layernorm' },
      {
        type: 'residual',
        layers: [
          { type: 'conv2d', filters: 64, kernel: 1, bias: false, init: anchorInit },
          { type: 'activation', fn: 'relu' },
          { type: 'conv2d', filters: 32, kernel: 1, bias: false, init: anchorInit },
        ],
      },
      { type: 'layernorm' },
      { type: 'lastposition' },
      { type: 'dense', units: 201, init: anchorInit },
    ],
    loss: 'softmax-ce',
  },
  optimizer: { kind: 'adamw' },
  batch: { size: 16 },
  lr: 0.002,
  stop: { maxSteps: 1000 },
  seed: 5,
};

/** The golden trajectories: 1,000 steps each, hashed in test/golden/trajectories.json. */
export const GOLDEN_SPECS = {
  'phase-relu-gd': PHASE_RELU,
  'xtanh-adam-dropout': XTANH_ADAM_DROPOUT,
  'cnn-adam': CNN_ADAM,
  'transformer-adamw': TRANSFORMER_ADAMW,
} as const;
