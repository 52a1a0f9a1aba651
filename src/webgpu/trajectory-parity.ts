// Trajectory parity: the same RunSpecs trained on WASM (the truth) and on WebGPU, compared number by
// number: loss relative difference per step, weight relative difference at snapshots, the largest
// difference of the cosine-similarity matrices, the science measures on both (RD; orientation
// clusters for 1-d inputs), and each engine's error against the f64 oracle (the WASM f64 kernels
// evaluating the loss at that engine's final weights, same data).
import type { WasmInstance } from '../wasm/load.js';
import type { Engine } from '../engine/index.js';
import type { Trajectory } from '../engine/trajectory.js';
import { trajectoryHash, twoLayer } from '../engine/trajectory.js';
import { makeDataset } from '../engine/data.js';
import { activationByName } from '../engine/activations.js';
import { relativeDistance, cosineMatrix, orientationClusters1d } from '../science/measures.js';

/** Two-layer runs of SCIENCE.md: small and NTK-like init, tanh and ReLU, GD and Adam, dropout. */
export const PARITY_SPECS: Record<string, object> = {
  'relu GD, condensed init (γ 1.75, ASI, halving lr)': {
    data: { preset: 'luo2021-4pt' },
    model: { width: 500, activation: 'relu', asi: true },
    init: { gamma: 1.75, gammaPrime: 0 },
    optimizer: { kind: 'gd' },
    lr: { rule: 'luo2021', halveOnIncrease: true },
    stop: { maxSteps: 3000, lossBelow: 1e-5 },
    snapshots: [100, 500],
    seed: 1,
  },
  'relu GD, NTK-like init (γ 0.5, ASI)': {
    data: { preset: 'luo2021-4pt' },
    model: { width: 500, activation: 'relu', asi: true },
    init: { gamma: 0.5, gammaPrime: 0 },
    optimizer: { kind: 'gd' },
    lr: { rule: 'luo2021', halveOnIncrease: true },
    stop: { maxSteps: 3000, lossBelow: 1e-5 },
    snapshots: [100, 500],
    seed: 1,
  },
  'tanh GD, tiny init (std 1e-6), to R ≤ 0.99 R(0)': {
    data: { preset: 'sin5d' },
    model: { width: 50, activation: 'tanh' },
    init: { alpha: 1, beta1: 1e-6, beta2: 1e-6 },
    optimizer: { kind: 'gd' },
    lr: 0.02,
    stop: { maxSteps: 20000, lossRatioBelow: 0.99 },
    seed: 0,
  },
  'tanh Adam, small init (NeurIPS22 Fig. 2)': {
    data: { preset: 'sin5d' },
    model: { width: 50, activation: 'tanh' },
    init: { alpha: 1, beta1: 0.005, beta2: 0.005 },
    optimizer: { kind: 'adam' },
    lr: 1e-3,
    stop: { maxSteps: 1000 },
    snapshots: [100, 500],
    seed: 0,
  },
  'x·tanh Adam with dropout (keep 0.9)': {
    data: { preset: 'sin1d' },
    model: { width: 100, activation: 'xtanh' },
    init: { alpha: 1, beta1: 0.005, beta2: 0.005 },
    optimizer: { kind: 'adam' },
    lr: 5e-4,
    dropout: { keep: 0.9 },
    stop: { maxSteps: 1000 },
    snapshots: [500],
    seed: 2,
  },
};

export interface TrajectoryParityRow {
  name: string;
  steps: { wasm: number; webgpu: number };
  stopReason: { wasm: string; webgpu: string };
  restarts: { wasm: number; webgpu: number };
  bitIdentical: boolean;
  lossRelDiffMax: number;
  /** (step, relative loss difference) at ≤ 64 evenly spaced steps, to draw the drift */
  lossRelDiffCurve: [number, number][];
  weightRelDiff: { step: number; rel: number }[];
  cosineMaxAbsDiff: number;
  rd: { wasm: number; webgpu: number };
  /** orientation clusters of active neurons at the end (1-d inputs only, else null) */
  clusters: { wasm: number; webgpu: number } | null;
  /** null for dropout runs: their recorded loss is the masked one, which the oracle does not model */
  oracleRelError: { wasm: number; webgpu: number } | null;
}

/** f64 loss at a trajectory's final weights, relative error of its reported f32 loss. */
function oracleError(w: WasmInstance, t: Trajectory): number {
  const { heap, kernels: k } = w;
  const mark = heap.mark();
  const data = makeDataset(t.spec.data, heap, k);
  const { n, D, m } = t.shape;
  const last = t.snapshots[t.snapshots.length - 1];
  const X = heap.putF64(data.x),
    y = heap.putF64(data.y),
    W = heap.putF64(last.w),
    a = heap.putF64(last.a);
  const R = k.tl64_loss_grad(n, D, m, activationByName(t.spec.model.activation).kind, X, y, W, a, 1 / t.scales.alpha, heap.allocF64(m), heap.allocF64(m * D));
  heap.release(mark);
  return Math.abs(t.finalLoss - R) / R;
}

export async function compareTrajectories(name: string, w: WasmInstance, cpu: Trajectory, gpu: Trajectory): Promise<TrajectoryParityRow> {
  const len = Math.min(cpu.loss.length, gpu.loss.length);
  const rel = (i: number) => Math.abs(gpu.loss[i] - cpu.loss[i]) / Math.max(Math.abs(cpu.loss[i]), 1e-30);
  let lossRelDiffMax = 0;
  for (let i = 0; i < len; i++) lossRelDiffMax = Math.max(lossRelDiffMax, rel(i));
  const stride = Math.max(1, Math.ceil(len / 64));
  const lossRelDiffCurve: [number, number][] = [];
  for (let i = 0; i < len; i += stride) lossRelDiffCurve.push([i * cpu.lossEvery, rel(i)]);
  const weightRelDiff = cpu.snapshots.flatMap((s) => {
    const g = gpu.snapshots.find((x) => x.step === s.step);
    return g ? [{ step: s.step, rel: relativeDistance(s.w, g.w) }] : [];
  });
  const { m, D } = cpu.shape;
  const cc = cosineMatrix(cpu.snapshots[cpu.snapshots.length - 1].w, m, D),
    cg = cosineMatrix(gpu.snapshots[gpu.snapshots.length - 1].w, m, D);
  let cosineMaxAbsDiff = 0;
  for (let i = 0; i < cc.length; i++) cosineMaxAbsDiff = Math.max(cosineMaxAbsDiff, Math.abs(cc[i] - cg[i]));
  const rd = (t: Trajectory) => relativeDistance(t.snapshots[0].w, t.snapshots[t.snapshots.length - 1].w);
  const clusters = (t: Trajectory) => {
    const last = t.snapshots[t.snapshots.length - 1];
    return orientationClusters1d(last.a, last.w);
  };
  return {
    name,
    steps: { wasm: cpu.steps, webgpu: gpu.steps },
    stopReason: { wasm: cpu.stopReason, webgpu: gpu.stopReason },
    restarts: { wasm: cpu.restarts, webgpu: gpu.restarts },
    bitIdentical: (await trajectoryHash(cpu)) === (await trajectoryHash(gpu)),
    lossRelDiffMax,
    lossRelDiffCurve,
    weightRelDiff,
    cosineMaxAbsDiff,
    rd: { wasm: rd(cpu), webgpu: rd(gpu) },
    clusters: D === 2 ? { wasm: clusters(cpu), webgpu: clusters(gpu) } : null,
    oracleRelError: cpu.spec.dropout ? null : { wasm: oracleError(w, cpu), webgpu: oracleError(w, gpu) },
  };
}

/** Train every spec on both engines (the WebGPU ones as one batch per shape family) and compare. */
export async function trajectoryParity(
  w: WasmInstance,
  cpu: Engine,
  gpu: Engine,
  specs: Record<string, object> = PARITY_SPECS,
): Promise<TrajectoryParityRow[]> {
  const rows: TrajectoryParityRow[] = [];
  for (const [name, spec] of Object.entries(specs)) {
    rows.push(await compareTrajectories(name, w, twoLayer(await cpu.run(spec), 'trajectory parity'), twoLayer(await gpu.run(spec), 'trajectory parity')));
  }
  return rows;
}
