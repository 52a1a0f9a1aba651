// WebGPU benchmark tasks: tiled GEMM, the fused two-layer training step (16 steps per timed call,
// as the engine submits them in chunks), and the same in tfjs-webgpu on the same adapter. Every
// timed call ends with onSubmittedWorkDone (or a read-back for tfjs). Where the adapter has
// timestamp-query, the GPU time of each call goes to tinybench as its sample (overriddenDuration)
// and the wall time is kept beside it. Each task names the kernel variant it runs.
import type { WasmInstance } from '../wasm/load.js';
import { adapterModel, adapterName, type GpuContext } from '../webgpu/device.js';
import { pipeline, storage, uniform, bindGroup, encode, submit } from '../webgpu/gpu.js';
import { passTimer, type PassTimer } from '../webgpu/pass-timer.js';
import { gemmWgsl, gemmGroups, gemmWords } from '../kernels/gemm.js';
import { GpuBatchProgram, stepVariant } from '../webgpu/batch-program.js';
import { validateRunSpec } from '../engine/spec.js';
import type { BenchTask, TaskWork } from './tasks.js';
import { stepData, stepFlops, STEP_INPUT_DIM } from './tasks.js';
import { useTfjsWebgpu, tfjsMatMul, tfjsTrainStep } from './tfjs.js';

const GPU_GEMM_SIZES = [256, 512, 1024, 2048];
const GPU_STEP_WIDTHS = [1000, 4000, 16000];
const GPU_STEP_SAMPLES = [100, 1000];
/** On a software adapter the large sizes take minutes per call: they are left out (and said so). */
const SOFTWARE_MAX = { gemm: 512, stepSamples: 100, stepWidth: 4000 };
const STEPS_PER_CALL = 16;
const STEP_ACTIVATION = 'tanh';
const GEMM_VARIANT = 'tiled';

/** Submit one encoder per call, wait for it, and record GPU time when the adapter has timestamps
 * (the timer's read-back comes after the call's wall time). */
function timedSubmit(ctx: GpuContext, build: (timer?: PassTimer) => GPUCommandEncoder): TaskWork {
  const wallMs: number[] = [];
  const timer = ctx.hasTimestamps ? passTimer(ctx.device) : undefined;
  return {
    wallMs: timer ? wallMs : undefined,
    run: async () => {
      const t0 = performance.now();
      const enc = build(timer);
      timer?.resolve(enc);
      submit(ctx, enc.finish());
      await ctx.device.queue.onSubmittedWorkDone();
      wallMs.push(performance.now() - t0);
      if (!timer) return;
      const [begin, end] = await timer.read();
      return { overriddenDuration: Number(end - begin) / 1e6 };
    },
    dispose: () => timer?.destroy(),
  };
}

async function webgpuGemm(ctx: GpuContext, w: WasmInstance, n: number): Promise<TaskWork> {
  const mark = w.heap.mark();
  const p = w.heap.allocF32(2 * n * n);
  w.kernels.philox_uniform(p, 2 * n * n, 1, 0, 0, 0);
  const ab = w.heap.viewF32(p, 2 * n * n).slice();
  w.heap.release(mark);
  const bufs = [
    uniform(ctx, gemmWords({ M: n, N: n, K: n, batch: 1, lda: n, ldb: n, ldc: n, strideA: 0, strideB: 0, strideC: 0 }), 'gemm dims'),
    storage(ctx, ab.subarray(0, n * n), 'A'),
    storage(ctx, ab.subarray(n * n), 'B'),
    storage(ctx, n * n * 4, 'C'),
  ];
  const pl = await pipeline(ctx, gemmWgsl('nn', GEMM_VARIANT), 'gemm_nn');
  const d = { pipeline: pl, bind: bindGroup(ctx, pl, bufs), groups: gemmGroups(GEMM_VARIANT, n, n, 1) };
  const work = timedSubmit(ctx, (timer) => {
    const enc = ctx.device.createCommandEncoder();
    const pass = enc.beginComputePass(timer ? { timestampWrites: timer.writes } : {});
    encode(pass, d);
    pass.end();
    return enc;
  });
  return {
    ...work,
    dispose: () => {
      work.dispose();
      bufs.forEach((b) => b.destroy());
    },
  };
}

/** The bench network as a RunSpec: tanh, α = m, a and W ~ N(0, 0.1²), GD lr 1e-3, never stopping. */
function stepSpec(w: WasmInstance, n: number, m: number) {
  const data = stepData(w, n, STEP_INPUT_DIM);
  const D = STEP_INPUT_DIM + 1;
  const x = Array.from({ length: n }, (_, i) => Array.from(data.x.subarray(i * D, i * D + STEP_INPUT_DIM)));
  return validateRunSpec({
    data: { x, y: Array.from(data.y) },
    model: { width: m, activation: STEP_ACTIVATION },
    init: { alpha: m, beta1: 0.1, beta2: 0.1 },
    optimizer: { kind: 'gd' },
    lr: 1e-3,
    stop: { maxSteps: 1e9 },
    seed: 1,
  });
}

async function webgpuStep(ctx: GpuContext, w: WasmInstance, n: number, m: number): Promise<TaskWork> {
  const program = await GpuBatchProgram.create(ctx, w, [stepSpec(w, n, m)]);
  submit(ctx, program.encodeWork('init').finish());
  const work = timedSubmit(ctx, (timer) => program.encodeWork({ steps: STEPS_PER_CALL }, timer?.writes));
  return {
    ...work,
    dispose: () => {
      work.dispose();
      program.destroy();
    },
  };
}

/** Where WebGPU rows run: a software adapter's figures are CPU figures and say so. */
export function adapterDevice(ctx: GpuContext): string {
  return ctx.adapter.software ? `cpu (SwiftShader WebGPU: ${ctx.adapter.description || adapterModel(ctx.adapter)})` : `gpu (${adapterName(ctx.adapter)})`;
}

export function webgpuTasks(ctx: GpuContext, w: WasmInstance, log: (line: string) => void): BenchTask[] {
  const soft = ctx.adapter.software;
  const device = adapterDevice(ctx);
  if (soft)
    log(
      `software adapter: WebGPU rows limited to GEMM n ≤ ${SOFTWARE_MAX.gemm} and steps n = ${SOFTWARE_MAX.stepSamples}, m ≤ ${SOFTWARE_MAX.stepWidth}; the larger sizes need a GPU`,
    );
  const tasks: BenchTask[] = [];
  for (const n of GPU_GEMM_SIZES.filter((x) => !soft || x <= SOFTWARE_MAX.gemm)) {
    const flops = 2 * n ** 3,
      size = `n=${n}`;
    tasks.push(
      { task: 'gemm', impl: 'webgpu', variant: GEMM_VARIANT, device, size, flops, prepare: () => webgpuGemm(ctx, w, n) },
      { task: 'gemm', impl: 'tfjs-webgpu', device, size, flops, prepare: async () => (await useTfjsWebgpu(ctx), tfjsMatMul(n)) },
    );
  }
  for (const n of GPU_STEP_SAMPLES.filter((x) => !soft || x <= SOFTWARE_MAX.stepSamples)) {
    for (const m of GPU_STEP_WIDTHS.filter((x) => !soft || x <= SOFTWARE_MAX.stepWidth)) {
      const size = `m=${m},n=${n},d=${STEP_INPUT_DIM}`,
        flops = STEPS_PER_CALL * stepFlops(n, STEP_INPUT_DIM + 1, m);
      tasks.push(
        {
          task: 'train-step',
          impl: 'webgpu',
          variant: stepVariant(ctx.adapter, { n, D: STEP_INPUT_DIM + 1, m }, STEP_ACTIVATION, false),
          device,
          size,
          flops,
          stepsPerCall: STEPS_PER_CALL,
          prepare: () => webgpuStep(ctx, w, n, m),
        },
        {
          task: 'train-step',
          impl: 'tfjs-webgpu',
          device,
          size,
          flops,
          stepsPerCall: STEPS_PER_CALL,
          prepare: async () => {
            await useTfjsWebgpu(ctx);
            const data = stepData(w, n, STEP_INPUT_DIM);
            return tfjsTrainStep(data.x, data.y, n, STEP_INPUT_DIM + 1, m, m, 1e-3, STEPS_PER_CALL);
          },
        },
      );
    }
  }
  return tasks;
}
