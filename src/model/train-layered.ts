// Training one layered RunSpec on one set of f32 kernels (WASM or the reference twins): samples,
// the program, Philox initial weights per parameter tensor, Philox-shuffled mini-batches, GD/Adam/
// AdamW, clipping by global norm and the learning-rate schedule, driven by the shared training loop.
import type { Heap } from '../wasm/heap.js';
import type { F32Kernels, WasmKernels } from '../wasm/kernels.js';
import { STREAM } from '../engine/streams.js';
import { SpecError } from '../engine/fields.js';
import { runTrainingLoop, type SteppedModel } from '../engine/train-loop.js';
import type { RunRules, TrainOptions } from '../engine/run-controller.js';
import { buildProgram, type Program } from './program.js';
import type { ProgramExecutor } from './executor.js';
import { CpuProgram } from './cpu-program.js';
import { makeSamples, type SampleSet } from './samples.js';
import { loadDigits } from '../engine/digits.js';
import { digitsOf } from '../engine/images.js';
import { inferShapes, shapeSize, type Shape } from './layers.js';
import { inputShape, type LayeredLrSpec, type LayeredRunSpec } from './spec.js';
import type { LayeredSnapshot, LayeredTrajectory, ParamLayout } from './trajectory.js';

const f = Math.fround;

/** lr_t for base rate `base` at step t (0-based): warm-up, then constant or cosine decay; sin from the WASM libm. */
export function scheduledRate(lr: LayeredLrSpec, base: number, step: number, sin64: (x: number) => number): number {
  const warm = lr.warmupSteps > 0 ? Math.min(1, (step + 1) / lr.warmupSteps) : 1;
  let decay = 1;
  if (lr.decay === 'cosine') {
    const s = sin64((Math.PI / 2) * (Math.min(step, lr.decaySteps) / lr.decaySteps));
    decay = lr.minFactor + (1 - lr.minFactor) * (1 - s * s); // ½(1 + cos πp) = 1 − sin²(πp/2)
  }
  return f(base * warm * decay);
}

/** Sample order of epoch e: indices sorted by Philox uniforms (stream shuffle, counter e), ties by index. */
export function epochOrder(k: WasmKernels, heap: Heap, n: number, seed: number, epoch: number): Uint32Array {
  const mark = heap.mark();
  const p = heap.allocF32(n);
  k.philox_uniform(p, n, seed, 0, STREAM.shuffle, epoch);
  const u = heap.viewF32(p, n).slice();
  heap.release(mark);
  return Uint32Array.from(u.keys()).sort((a, b) => u[a] - u[b] || a - b) as Uint32Array<ArrayBuffer>;
}

/** Builds the executor of a program: the CPU one over the Heap, or the WebGPU one. */
export type ExecutorFactory = (program: Program) => ProgramExecutor | Promise<ProgramExecutor>;

/** The CPU executor factory for a set of f32 kernels (WASM or the reference twins). */
export const cpuExecutor =
  (heap: Heap, kernels: F32Kernels): ExecutorFactory =>
  (program) =>
    new CpuProgram(heap, kernels, program);

/** What every engine prepares before training a layered RunSpec: samples, the program, the initial weights. */
export interface LayeredSetup {
  input: Shape;
  K: number;
  data: SampleSet;
  /** samples per step */
  batch: number;
  program: Program;
  /** initial values of each parameter tensor, in program.params order */
  init: Float32Array[];
}

export async function setUpLayered(spec: LayeredRunSpec, wasm: WasmKernels, heap: Heap): Promise<LayeredSetup> {
  const input = inputShape(spec.data);
  const shapes = inferShapes(spec.model.layers, input);
  const K = shapes[shapes.length - 1].C;
  await loadDigits(digitsOf(spec.data));
  const data = makeSamples(spec, K, heap, wasm);
  checkTokens(spec, data);
  const batch = spec.batch?.size ?? data.n;
  if (batch > data.n) throw new SpecError('batch.size', `${batch} exceeds the ${data.n} samples of data ${data.name}`);
  const program = buildProgram(spec.model, spec.optimizer, input, batch, wasm.pow64);
  const init = program.params.map((p, j) =>
    p.fill === undefined
      ? initialWeights(wasm, heap, program.tensors[p.param].size, p.std, spec.seed, j)
      : new Float32Array(program.tensors[p.param].size).fill(p.fill),
  );
  return { input, K, data, batch, program, init };
}

/** A model that starts with an embedding reads token ids: every input must be an integer in [0, vocab). */
function checkTokens(spec: LayeredRunSpec, data: SampleSet): void {
  const first = spec.model.layers[0];
  if (first.type !== 'embedding') return;
  const bad = data.x.findIndex((v) => !Number.isInteger(v) || v < 0 || v >= first.vocab);
  if (bad >= 0) {
    const row = Math.floor(bad / (data.x.length / data.n));
    throw new SpecError('data.x', `sample ${row} holds ${data.x[bad]}, not a token id of the embedding's vocabulary 0 … ${first.vocab - 1}`);
  }
}

/** The parameter layout a trajectory records (the neuron views the measures read). */
export const layoutOf = (program: Program): ParamLayout[] =>
  program.params.map(({ name, layer, kind, shape, bias, offset }) => ({ name, layer, kind, shape, bias, offset }));

/** The run rules of a layered spec: stop, scheduled rate, halving and snapshot rules. */
export function layeredRunRules(spec: LayeredRunSpec, sin64: (x: number) => number): RunRules {
  return {
    stop: spec.stop,
    rateAt: (base, step) => scheduledRate(spec.lr, base, step, sin64),
    baseLr: spec.lr.value,
    halveOnIncrease: spec.lr.halveOnIncrease,
    maxHalvings: spec.lr.maxHalvings,
    lossEvery: spec.lossEvery ?? 1,
    snapshots: spec.snapshots ?? [],
  };
}

export async function trainLayered(
  spec: LayeredRunSpec,
  backend: string,
  executor: ExecutorFactory,
  wasm: WasmKernels,
  heap: Heap,
  opts: TrainOptions = {},
): Promise<LayeredTrajectory> {
  const started = performance.now();
  const mark = heap.mark();
  try {
    const { input, K, data, batch, program, init } = await setUpLayered(spec, wasm, heap);
    const exec = await executor(program);
    const feed = batchFeeder(data, batch, spec, exec, program.input, program.target, wasm, heap);
    const o = spec.optimizer;
    let b1t = 1,
      b2t = 1;
    const model: SteppedModel<LayeredSnapshot> = {
      reset: () => {
        program.params.forEach((p, j) => {
          exec.write(p.param, init[j]);
          for (const m of p.moments ?? []) exec.write(m, new Float32Array(init[j].length));
        });
        b1t = 1;
        b2t = 1;
      },
      forward: (step) => {
        feed(step);
        return exec.forward();
      },
      backward: async () => {
        await exec.backward();
        if (!spec.clip) return;
        let sq = 0;
        for (const s of await exec.gradSquares()) sq = f(sq + s);
        const norm = f(Math.sqrt(sq)),
          maxNorm = f(spec.clip.maxNorm);
        if (norm > maxNorm) {
          exec.scalars.clipScale = f(maxNorm / norm);
          await exec.clip();
        }
      },
      update: (lr) => {
        exec.scalars.lr = lr;
        if (o.kind !== 'gd') {
          b1t = f(b1t * f(o.beta1));
          b2t = f(b2t * f(o.beta2));
          exec.scalars.bc1 = f(1 - b1t);
          exec.scalars.bc2 = f(1 - b2t);
        }
        return exec.update();
      },
      snapshot: async (step) => ({ step, params: await readParams(exec, program) }),
      findNonFinite: () => findNonFinite(exec, program),
    };
    const result = await runTrainingLoop(model, layeredRunRules(spec, wasm.sin64), backend, opts);
    return {
      kind: 'layered',
      backend,
      spec,
      shape: { n: data.n, batch, K, input },
      layout: layoutOf(program),
      lossEvery: spec.lossEvery ?? 1,
      ...result,
      wallMs: performance.now() - started,
    };
  } finally {
    heap.release(mark);
  }
}

/** The program's current parameters as one flat vector (a snapshot's layout). */
export async function readParams(exec: ProgramExecutor, program: Program): Promise<Float32Array> {
  const params = new Float32Array(program.paramCount);
  for (const p of program.params) params.set(await exec.read(p.param), p.offset);
  return params;
}

/** The first non-finite value of the program's parameters, gradients and output, in that order. */
export async function findNonFinite(exec: ProgramExecutor, program: Program): Promise<{ tensor: string; index: number; value: number } | undefined> {
  for (const id of [...program.params.flatMap((p) => [p.param, p.grad]), program.output]) {
    const v = await exec.read(id),
      index = v.findIndex((x) => !Number.isFinite(x));
    if (index >= 0) return { tensor: program.tensors[id].name, index, value: v[index] };
  }
  return undefined;
}

/** Parameter tensor j's initial values: N(0, std²) from Philox stream initLayer at counter j. */
function initialWeights(wasm: WasmKernels, heap: Heap, size: number, std: number, seed: number, j: number): Float32Array {
  const mark = heap.mark();
  const p = heap.allocF32(size);
  wasm.philox_normal(p, size, f(std), seed, 0, STREAM.initLayer, j);
  const w = heap.viewF32(p, size).slice();
  heap.release(mark);
  return w;
}

/** The sample indices of step t's mini-batch: batch b of epoch e's Philox order (the order is cached per epoch). */
export function batchOrder(n: number, batch: number, seed: number, wasm: WasmKernels, heap: Heap): (step: number) => Uint32Array {
  const perEpoch = Math.floor(n / batch);
  let epoch = -1,
    order: Uint32Array = new Uint32Array(0);
  return (step) => {
    const e = Math.floor(step / perEpoch),
      b = step % perEpoch;
    if (e !== epoch) {
      order = epochOrder(wasm, heap, n, seed, e);
      epoch = e;
    }
    return order.subarray(b * batch, (b + 1) * batch);
  };
}

/** Writes the batch of step t into the program's input and target tensors (once, for full batches). */
function batchFeeder(
  data: SampleSet,
  batch: number,
  spec: LayeredRunSpec,
  exec: ProgramExecutor,
  input: number,
  target: number,
  wasm: WasmKernels,
  heap: Heap,
): (step: number) => void {
  const xw = shapeSize(data.input),
    yw = data.y.length / data.n;
  if (batch === data.n) {
    exec.write(input, data.x);
    exec.write(target, data.y);
    return () => {};
  }
  const indices = batchOrder(data.n, batch, spec.seed, wasm, heap);
  return (step) => {
    const xv = new Float32Array(batch * xw),
      yv = new Float32Array(batch * yw);
    indices(step).forEach((i, r) => {
      xv.set(data.x.subarray(i * xw, (i + 1) * xw), r * xw);
      yv.set(data.y.subarray(i * yw, (i + 1) * yw), r * yw);
    });
    exec.write(input, xv);
    exec.write(target, yv);
  };
}
