// The training loop of one RunSpec on one set of f32 kernels: initialisation (with ASI), the
// optimiser, the stop rules, Luo et al.'s halve-and-restart learning-rate rule, snapshots, and a
// clear error naming the step and tensor when training produces a NaN or Inf.
import type { F32Kernels, WasmKernels } from '../wasm/kernels.js';
import type { Heap } from '../wasm/heap.js';
import type { RunSpec } from './spec.js';
import type { Snapshot, StopReason, Trajectory } from './trajectory.js';
import { activationByName } from './activations.js';
import { makeDataset } from './data.js';
import { resolveScales, initialLr } from './scales.js';
import { TwoLayerF32 } from './twolayer-f32.js';
import { Optimizer } from './optimizer.js';
import { drawInitialWeights } from './init.js';

/** Relative slack before a loss counts as increased (as in the authors' code path of the pilot). */
const INCREASE_SLACK = 1e-7;

export class TrainingDivergedError extends Error {
  constructor(readonly step: number, readonly tensor: string, detail: string) {
    super(`training diverged at step ${step}: ${tensor} ${detail}`);
    this.name = 'TrainingDivergedError';
  }
}

export interface TrainOptions {
  /** called every `progressEvery` steps */
  onProgress?: (step: number, loss: number) => void;
  progressEvery?: number;
}

export function train(spec: RunSpec, backend: string, kernels: F32Kernels, wasm: WasmKernels, heap: Heap, opts: TrainOptions = {}): Trajectory {
  const started = performance.now();
  const mark = heap.mark();
  try {
    const data = makeDataset(spec.data, heap, wasm);
    const m = spec.model.width;
    const scales = resolveScales(spec.init, m, wasm.pow64);
    const act = activationByName(spec.model.activation);
    const dropout = spec.dropout ? { keep: spec.dropout.keep, seed: spec.seed } : undefined;
    const net = new TwoLayerF32(heap, kernels, data, m, act.kind, scales.alpha, dropout);
    const opt = new Optimizer(spec.optimizer, heap, kernels, net);
    const init = drawInitialWeights(kernels, heap, spec, net.shape.D, scales.beta1, scales.beta2);
    const halve = spec.lr.halveOnIncrease ?? false;
    const maxHalvings = spec.lr.maxHalvings ?? 30;
    const lossEvery = spec.lossEvery ?? 1;
    const want = new Set(spec.snapshots ?? []);
    const { maxSteps, lossBelow, lossRatioBelow } = spec.stop;
    let lr = Math.fround(initialLr(spec.lr, scales, m));
    let restarts = 0;

    const diverged = (step: number): never => {
      const bad = net.findNonFinite();
      throw bad
        ? new TrainingDivergedError(step, bad.tensor, `holds ${bad.value} at index ${bad.index} (lr ${lr}, backend ${backend})`)
        : new TrainingDivergedError(step, 'R (loss)', `is not finite (lr ${lr}, backend ${backend})`);
    };

    for (;;) {
      net.setWeights(init.a, init.w);
      opt.reset();
      const loss0 = net.forward(0);
      if (!Number.isFinite(loss0)) diverged(0);
      const losses: number[] = [loss0];
      const snapshots: Snapshot[] = [{ step: 0, ...net.weights() }];
      let loss = loss0, step = 0, restarted = false;
      let stopReason: StopReason;
      for (;;) {
        if (lossBelow !== undefined && loss < lossBelow) { stopReason = 'loss-below'; break; }
        if (lossRatioBelow !== undefined && loss <= lossRatioBelow * loss0) { stopReason = 'loss-ratio'; break; }
        if (step >= maxSteps) { stopReason = 'max-steps'; break; }
        net.backward();
        opt.step(lr);
        step++;
        const next = net.forward(step);
        if (!Number.isFinite(next)) diverged(step);
        if (halve && next > loss * (1 + INCREASE_SLACK)) {
          restarts++;
          if (restarts > maxHalvings) {
            throw new Error(`learning rate halved ${maxHalvings} times and the loss still increased at step ${step}: lower lr or raise lr.maxHalvings`);
          }
          lr = Math.fround(lr / 2);
          restarted = true;
          break;
        }
        loss = next;
        if (step % lossEvery === 0) losses.push(loss);
        if (want.has(step)) snapshots.push({ step, ...net.weights() });
        if (opts.onProgress && step % (opts.progressEvery ?? 1000) === 0) opts.onProgress(step, loss);
      }
      if (restarted) continue;
      if (snapshots[snapshots.length - 1].step !== step) snapshots.push({ step, ...net.weights() });
      return {
        backend, spec, shape: net.shape, scales,
        loss: Float32Array.from(losses), lossEvery, initialLoss: loss0, finalLoss: loss,
        steps: step, stopReason: stopReason!, lr, restarts, snapshots,
        wallMs: performance.now() - started,
      };
    }
  } finally {
    heap.release(mark);
  }
}
