// Engines: one interface, several backends. `wasm` trains with the WASM SIMD kernels (the ground
// truth); `reference` with their scalar TypeScript twins (bit-identical, slow: for checks).
import type { WasmInstance } from '../wasm/load.js';
import type { F32Kernels } from '../wasm/kernels.js';
import { createReferenceKernels } from '../reference/index.js';
import { validateRunSpec } from './spec.js';
import { train, type TrainOptions } from './train.js';
import type { Trajectory } from './trajectory.js';

export const BACKENDS = ['wasm', 'reference'] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface Engine {
  readonly backend: BackendName;
  /** Validate `spec` (any parsed JSON) and train it. */
  run(spec: unknown, opts?: TrainOptions): Trajectory;
}

export function createEngine(backend: string, wasm: WasmInstance): Engine {
  if (!(BACKENDS as readonly string[]).includes(backend)) {
    throw new Error(`unknown backend "${backend}" (available: ${BACKENDS.join(', ')})`);
  }
  const name = backend as BackendName;
  const kernels: F32Kernels = name === 'wasm' ? wasm.kernels : createReferenceKernels(wasm.heap);
  return {
    backend: name,
    run: (spec, opts) => train(validateRunSpec(spec), name, kernels, wasm.kernels, wasm.heap, opts),
  };
}
