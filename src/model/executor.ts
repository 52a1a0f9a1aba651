// What runs a training program: the CPU executor over the Heap (WASM or the reference twins) and
// the WebGPU executor implement the same operations, so one training routine drives both.
import type { StepScalar } from './program.js';

export type StepScalars = Record<StepScalar, number>;

export interface ProgramExecutor {
  /** per-step values the update and clipping calls read (set before the phase that reads them) */
  readonly scalars: StepScalars;
  write(tensor: number, data: Float32Array): void;
  read(tensor: number): Promise<Float32Array>;
  /** the forward calls; resolves to the loss R */
  forward(): Promise<number>;
  backward(): Promise<void>;
  /** Σg² of every gradient tensor, in parameter order (sum_squares) */
  gradSquares(): Promise<number[]>;
  /** scale every gradient by scalars.clipScale */
  clip(): Promise<void>;
  update(): Promise<void>;
  /** a step without clipping (which needs Σg² on the host): forward, backward and update; resolves to the
   * loss (on WebGPU one submit and one read-back) */
  step(): Promise<number>;
}
