// The three engines a kernel runs on, behind one interface: the WASM module, its scalar TypeScript
// reference (both through the CPU program executor over a Heap) and WebGPU (the program executor that
// training uses). A parity case runs the same one-call program on two of them (./parity-cases.ts).
import type { Heap } from '../wasm/heap.js';
import type { F32Kernels } from '../wasm/kernels.js';
import type { GpuContext } from '../webgpu/device.js';
import type { Call } from './index.js';
import type { Shaping } from './define.js';
import type { Program } from '../model/program.js';
import type { ProgramExecutor, StepScalars } from '../model/executor.js';
import { CpuProgram } from '../model/cpu-program.js';
import { GpuProgram } from '../webgpu/layered-program.js';

export interface Backend {
  name: string;
  /** Run `call` once over tensors holding `inputs`, its per-step scalar arguments (a rate, Adam's
   * corrections, the clipping factor) read from `scalars`; resolves to every tensor after the call and
   * the value the call returned (a loss, Σx²; 0 for kernels that return none). */
  run(call: Call, inputs: Float32Array[], scalars?: StepScalars): Promise<{ tensors: Float32Array[]; returned: number }>;
}

function oneCall(sizes: number[], call: Call): Program {
  return {
    tensors: sizes.map((size, i) => ({ name: `t${i}`, size, role: 'activation' })),
    forward: [call],
    backward: [],
    gradNorms: [],
    clipGrads: [],
    update: [],
    params: [],
    input: 0,
    target: 0,
    output: 0,
    n: 1,
    K: 1,
    paramCount: 0,
  };
}

async function runOn(executor: ProgramExecutor, inputs: Float32Array[], scalars: StepScalars | undefined) {
  if (scalars) Object.assign(executor.scalars, scalars);
  inputs.forEach((v, i) => executor.write(i, v));
  const returned = await executor.forward();
  return { tensors: await Promise.all(inputs.map((_, i) => executor.read(i))), returned };
}

/** A CPU backend: the WASM kernels or their reference twins over `heap`. */
export function cpuBackend(name: string, heap: Heap, kernels: F32Kernels): Backend {
  return {
    name,
    async run(call, inputs, scalars) {
      const mark = heap.mark();
      try {
        return await runOn(
          new CpuProgram(
            heap,
            kernels,
            oneCall(
              inputs.map((v) => v.length),
              call,
            ),
          ),
          inputs,
          scalars,
        );
      } finally {
        heap.release(mark);
      }
    },
  };
}

/** WebGPU through the program executor; kernels shaped for the adapter unless `shaping` forces a form. */
export function webgpuBackend(ctx: GpuContext, shaping?: Shaping): Backend {
  return {
    name: `webgpu (${ctx.adapter.description})`,
    async run(call, inputs, scalars) {
      const gpu = await GpuProgram.create(
        ctx,
        oneCall(
          inputs.map((v) => v.length),
          call,
        ),
        shaping,
      );
      try {
        return await runOn(gpu, inputs, scalars);
      } finally {
        gpu.destroy();
      }
    },
  };
}
