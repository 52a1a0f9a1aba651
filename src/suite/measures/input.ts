// What every measure receives: the finished trajectory (all snapshots and the loss curve), its
// dataset, the first and last snapshots, the weights per neuron D, and the WASM module (for its
// f64 kernels); and the guard for measures defined on 1-d inputs only.
import type { Trajectory } from '../../engine/trajectory.js';
import type { Dataset } from '../../engine/data.js';
import type { WasmInstance } from '../../wasm/load.js';

export interface MeasureInput {
  t: Trajectory;
  data: Dataset;
  first: Trajectory['snapshots'][number];
  last: Trajectory['snapshots'][number];
  D: number;
  wasm: WasmInstance;
}

export type MeasureFn = (s: MeasureInput) => number;

/** A measure defined for 1-d inputs only (2 weights per neuron: weight and bias). */
export const oneD =
  (name: string, f: MeasureFn): MeasureFn =>
  (s) => {
    if (s.D !== 2) throw new Error(`measure ${name} needs 1-d inputs (2 weights per neuron), this run has ${s.D}`);
    return f(s);
  };
