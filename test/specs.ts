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

/** The golden trajectories: 1,000 steps each, hashed in test/golden/trajectories.json. */
export const GOLDEN_SPECS = { 'phase-relu-gd': PHASE_RELU, 'xtanh-adam-dropout': XTANH_ADAM_DROPOUT } as const;
