// The messages between a worker pool (./worker-pool.ts) and its training workers (./pool-worker.ts):
// the compiled module once, then one RunSpec per request; a trajectory or an error per answer. With
// splitting (./gemm-split.ts) the module is condensa-shared.wasm, every worker gets every worker's
// memory and the control block, and an idle worker may be asked to help another one's run.
import type { AnyTrajectory } from './trajectory.js';
import type { SplitTuning } from './gemm-split.js';

/** What a worker of a splitting pool is handed at start: its own memory is memories[index]. */
export interface SplitInit {
  /** condensa-shared-helper.wasm: the instances over other workers' memories */
  helperModule: WebAssembly.Module;
  memories: WebAssembly.Memory[];
  control: Int32Array<SharedArrayBuffer>;
  index: number;
  tuning: SplitTuning;
}

export type PoolRequest =
  | { kind: 'init'; module: WebAssembly.Module; split?: SplitInit }
  | { kind: 'run'; id: number; spec: unknown }
  /** serve the GEMM pieces of the worker the control block names until asked to leave */
  | { kind: 'help' };
/** id -1 answers `init`: the worker is ready (or, with an error, could not instantiate the module);
 * id -2 says a helper is back from helping. */
export type PoolReply =
  { id: number; trajectory: AnyTrajectory } | { id: number; error: { name: string; message: string } } | { id: -1; ready: true } | { id: -2; left: true };
