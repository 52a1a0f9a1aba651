// Engines: one interface, several backends. `wasm` trains with the WASM SIMD kernels (the ground
// truth); `reference` with their scalar TypeScript twins (bit-identical, slow: for checks);
// `webgpu` with the WGSL kernels on a WebGPU device (Dawn in Node, navigator.gpu in a page),
// a batch of runs at a time (two-layer runs of any mix of shape families in lockstep, or layered
// runs). `wasm` hands a batch to a pool of workers when it is given one (src/engine/worker-pool.ts:
// the same bits as here); `reference` loops over a batch.
import type { WasmInstance } from '../wasm/load.js';
import type { F32Kernels } from '../wasm/kernels.js';
import type { GpuContext } from '../webgpu/device.js';
import { createReferenceKernels } from '../reference/index.js';
import { trainBatch } from '../webgpu/batch.js';
import type { RunSpec } from './spec.js';
import { trainLayeredBatch } from '../webgpu/layered-batch.js';
import { train, type TrainOptions } from './train.js';
import type { AnyTrajectory } from './trajectory.js';
import { validateAnySpec, isLayeredSpec } from '../model/spec.js';
import { trainLayered, cpuExecutor } from '../model/train-layered.js';
import type { WorkerPool } from './worker-pool.js';

const BACKENDS = ['wasm', 'reference', 'webgpu'] as const;
type BackendName = (typeof BACKENDS)[number];

export interface Engine {
  readonly backend: BackendName;
  /** runs of a batch trained at once: the worker pool's size, else 1 (webgpu batches in its own way) */
  readonly workers: number;
  /** Validate `spec` (any parsed JSON) and train it. */
  run(spec: unknown, opts?: TrainOptions): Promise<AnyTrajectory>;
  /** Train several specs; on webgpu they train together: two-layer runs of any shape families, or layered runs (not both).
   * On a worker pool every run trains on a worker, so batches handed over at the same time share the pool (one heap here would not). */
  runBatch(specs: unknown[], opts?: TrainOptions): Promise<AnyTrajectory[]>;
}

/** `pool` (wasm only) trains the runs of a batch on its workers. */
export function createEngine(backend: string, wasm: WasmInstance, gpu?: GpuContext, pool?: WorkerPool): Engine {
  if (!(BACKENDS as readonly string[]).includes(backend)) {
    throw new Error(`unknown backend "${backend}" (available: ${BACKENDS.join(', ')})`);
  }
  const name = backend as BackendName;
  if (name === 'webgpu') {
    if (!gpu) throw new Error('backend webgpu needs a WebGPU device: open one with openNodeDevice() in Node or openDevice(navigator.gpu) in a page');
    const runBatch = async (specs: unknown[], opts?: TrainOptions): Promise<AnyTrajectory[]> => {
      const valid = specs.map(validateAnySpec);
      const layered = valid.filter(isLayeredSpec);
      if (layered.length === 0) return trainBatch(gpu, wasm, valid as RunSpec[]);
      if (layered.length !== valid.length) throw new Error('a WebGPU batch holds two-layer runs or layered runs, not both');
      return trainLayeredBatch(gpu, wasm, layered, opts);
    };
    return { backend: name, workers: 1, runBatch, run: async (spec, opts) => (await runBatch([spec], opts))[0] };
  }
  const kernels: F32Kernels = name === 'wasm' ? wasm.kernels : createReferenceKernels(wasm.heap);
  const run = async (spec: unknown, opts?: TrainOptions) => {
    const valid = validateAnySpec(spec);
    return isLayeredSpec(valid)
      ? trainLayered(valid, name, cpuExecutor(wasm.heap, kernels), wasm.kernels, wasm.heap, opts)
      : train(valid, name, kernels, wasm.kernels, wasm.heap, opts);
  };
  const pooled = name === 'wasm' && pool !== undefined && pool.size > 1;
  return {
    backend: name,
    workers: pooled ? pool.size : 1,
    run,
    runBatch: async (specs, opts) => {
      if (pooled && !opts?.onProgress) {
        specs.forEach(validateAnySpec); // a malformed spec stops here, before any worker starts on the batch
        return pool.runBatch(specs);
      }
      const out: AnyTrajectory[] = [];
      for (const s of specs) out.push(await run(s, opts));
      return out;
    },
  };
}
