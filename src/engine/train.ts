// Training one two-layer RunSpec on one set of f32 kernels: data, scales, initialisation (with ASI)
// and the optimiser, driven by the shared loop of train-loop.ts; the run rules of a two-layer spec
// (stop rules, halve-and-restart), which the WebGPU batch shares.
import type { F32Kernels, WasmKernels } from '../wasm/kernels.js';
import type { Heap } from '../wasm/heap.js';
import type { RunSpec } from './spec.js';
import type { Snapshot, Trajectory } from './trajectory.js';
import { runTrainingLoop, type SteppedModel } from './train-loop.js';
import type { RunRules, TrainOptions } from './run-controller.js';
import { activationByName } from './activations.js';
import { makeDataset } from './data.js';
import { resolveScales, initialLr } from './scales.js';
import { TwoLayerF32, stepObjective } from './twolayer-f32.js';
import { Optimizer } from './optimizer.js';
import { drawInitialWeights } from './init.js';

export { TrainingDivergedError, type TrainOptions } from './run-controller.js';

/** The run rules of a two-layer spec for its initial base rate (a constant rate: no schedule). */
export function runRules(spec: RunSpec, baseLr: number): RunRules {
  return {
    stop: spec.stop,
    rateAt: (base) => base,
    baseLr,
    halveOnIncrease: spec.lr.halveOnIncrease ?? false,
    maxHalvings: spec.lr.maxHalvings ?? 30,
    lossEvery: spec.lossEvery ?? 1,
    snapshots: spec.snapshots ?? [],
  };
}

export async function train(spec: RunSpec, backend: string, kernels: F32Kernels, wasm: WasmKernels, heap: Heap, opts: TrainOptions = {}): Promise<Trajectory> {
  const started = performance.now();
  const mark = heap.mark();
  try {
    const data = makeDataset(spec.data, heap, wasm);
    const m = spec.model.width;
    const scales = resolveScales(spec.init, m, wasm.pow64);
    const act = activationByName(spec.model.activation);
    const dropout = spec.dropout ? { keep: spec.dropout.keep, seed: spec.seed } : undefined;
    const objective = { ...stepObjective(spec, scales.alpha, data.n), seed: spec.seed };
    const net = new TwoLayerF32(heap, kernels, data, m, act.kind, scales.alpha, dropout, objective);
    const opt = new Optimizer(spec.optimizer, heap, kernels, net);
    const init = drawInitialWeights(kernels, heap, spec, net.shape.D, scales.beta1, scales.beta2);
    const model: SteppedModel<Snapshot> = {
      reset: () => {
        net.setWeights(init.a, init.w);
        opt.reset();
      },
      forward: (step) => net.forward(step),
      backward: () => net.backward(),
      update: (lr) => opt.step(lr),
      snapshot: (step) => ({ step, ...net.weights() }),
      findNonFinite: () => net.findNonFinite(),
    };
    const result = await runTrainingLoop(model, runRules(spec, initialLr(spec.lr, scales, m)), backend, opts);
    return { backend, spec, shape: net.shape, scales, lossEvery: spec.lossEvery ?? 1, ...result, wallMs: performance.now() - started };
  } finally {
    heap.release(mark);
  }
}
