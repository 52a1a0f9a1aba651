// The messages between a worker pool (./worker-pool.ts) and its training workers (./pool-worker.ts):
// the compiled module once, then one RunSpec per request; a trajectory or an error per answer.
import type { AnyTrajectory } from './trajectory.js';

export type PoolRequest = { kind: 'init'; module: WebAssembly.Module } | { kind: 'run'; id: number; spec: unknown };
/** id -1 answers `init`: the worker is ready (or, with an error, could not instantiate the module). */
export type PoolReply = { id: number; trajectory: AnyTrajectory } | { id: number; error: { name: string; message: string } } | { id: -1; ready: true };
