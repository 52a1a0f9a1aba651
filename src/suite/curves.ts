// Measures along training (`SuitePart.curves`): one value per weight snapshot of a layered run, for
// the report's curves (test accuracy against steps). Each value is an f32 forward pass with the WASM
// kernels through the program that trained the run (src/model/predict.ts).
import type { WasmInstance } from '../wasm/load.js';
import type { LayeredTrajectory } from '../model/trajectory.js';
import { snapshotAccuracy } from '../model/predict.js';
import { loadDigits } from '../engine/digits.js';
import { digitsOf } from '../engine/images.js';

const SPLITS = { testAccuracy: 'test', trainAccuracy: 'train' } as const;

export type CurveName = keyof typeof SPLITS;

export type Curve = { step: number[]; value: number[] };

/** Accuracy on the test or training samples at every snapshot of `t`. */
export async function takeCurves(names: CurveName[], t: LayeredTrajectory, wasm: WasmInstance): Promise<Record<string, Curve>> {
  await loadDigits(digitsOf(t.spec.data));
  return Object.fromEntries(
    names.map((name) => [name, { step: t.snapshots.map((s) => s.step), value: t.snapshots.map((s) => snapshotAccuracy(t, s.params, SPLITS[name], wasm)) }]),
  );
}
