// The bit-check of a part on a software WebGPU adapter. Such an adapter keeps the WASM reduction order,
// so its trajectories are the WASM bits and judging the claims again there proves nothing that one hash
// does not: a deterministic sample of the part's runs (one per kernel configuration, or every run where
// the part says bitCheck.runs 'all') trains on both engines and each pair of trajectory hashes must
// match. A mismatch fails the part, naming the run and the first step whose loss differs.
import { offsetSeeds } from '../engine/seed-offset.js';
import type { PlainAnyTrajectory } from '../engine/trajectory.js';
import type { BitCheckRun, PartRecord } from '../report/schema.js';
import type { SuiteDef, SuitePart } from './define.js';
import type { ProjectDef } from './projects.js';
import type { BatchRunner } from './run-part.js';

type Json = Record<string, unknown>;

/** A copy of `v` without the keys named (at any depth). */
function without(v: unknown, keys: readonly string[]): unknown {
  if (Array.isArray(v)) return v.map((x) => without(x, keys));
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([k]) => !keys.includes(k))
      .map(([k, x]) => [k, without(x, keys)]),
  );
}

/** What selects and sizes a run's kernels: its data's shape, the model's layers and sizes, the
 * optimiser's kind, dropout, the R1 penalty and sgd on or off, the batch size and clipping on or off. Left out are the numbers
 * the same kernels only read (seeds and which items of a data set, initial scales, learning rates and
 * schedules, stop rules, snapshot steps, keep rates, optimiser constants), so two runs with one key run
 * the same kernels at one size. */
export function kernelConfig(spec: Json): string {
  const data = spec.data as Json;
  const model = spec.model as Json;
  const shape = 'x' in data ? { n: (data.x as unknown[]).length, d: ((data.x as unknown[][])[0] ?? []).length } : without(data, ['seed', 'offset']);
  return JSON.stringify({
    data: shape,
    model: 'layers' in model ? { layers: without(model.layers, ['init']), loss: model.loss } : { width: model.width, activation: model.activation },
    optimizer: (spec.optimizer as Json).kind,
    dropout: spec.dropout !== undefined,
    r1Penalty: spec.r1Penalty !== undefined,
    sgd: spec.sgd !== undefined,
    batch: (spec.batch as Json | undefined)?.size ?? null,
    clip: spec.clip !== undefined,
  });
}

/** The indices of the runs a software adapter checks: every run, or the first of each kernel configuration. */
export function bitCheckSample(part: SuitePart): number[] {
  if (part.bitCheck?.runs === 'all') return part.runs.map((_, i) => i);
  const seen = new Set<string>();
  const picked: number[] = [];
  part.runs.forEach((r, i) => {
    const key = kernelConfig(r.spec);
    if (!seen.has(key)) picked.push(i);
    seen.add(key);
  });
  return picked;
}

/** The spec trained for only its first `steps` steps (learning-rate schedules keep their own lengths,
 * so those steps are the whole run's first steps). */
export function firstSteps(spec: Json, steps: number): Json {
  const stop = spec.stop as Json;
  const out: Json = { ...spec, stop: { ...stop, maxSteps: Math.min(stop.maxSteps as number, steps) } };
  if (Array.isArray(spec.snapshots)) out.snapshots = (spec.snapshots as number[]).filter((s) => s <= steps);
  return out;
}

const sameBits = (a: number, b: number): boolean => Object.is(Math.fround(a), Math.fround(b)) || (Number.isNaN(a) && Number.isNaN(b));

function firstIndexDiffering(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (!sameBits(a[i], b[i])) return i;
  return a.length === b.length ? -1 : n;
}

/** Where two trajectories of one spec first part: the first recorded step whose loss differs, else how
 * they ended, else the first snapshot whose weights differ. */
export function firstDifference(wasm: PlainAnyTrajectory, webgpu: PlainAnyTrajectory): string {
  const i = firstIndexDiffering(wasm.loss, webgpu.loss);
  const every = wasm.lossEvery;
  if (i >= 0 && i < Math.min(wasm.loss.length, webgpu.loss.length))
    return `the loss first differs at step ${i * every}${every > 1 ? ` (losses recorded every ${every} steps)` : ''}: WASM ${wasm.loss[i]}, WebGPU ${webgpu.loss[i]}`;
  if (wasm.steps !== webgpu.steps || wasm.stopReason !== webgpu.stopReason || wasm.restarts !== webgpu.restarts || !sameBits(wasm.lr, webgpu.lr))
    return `the losses agree where both were recorded, but WASM ended after ${wasm.steps} steps (${wasm.stopReason}, ${wasm.restarts} restarts, lr ${wasm.lr}) and WebGPU after ${webgpu.steps} (${webgpu.stopReason}, ${webgpu.restarts} restarts, lr ${webgpu.lr})`;
  const snaps = wasm.snapshots as { step: number }[];
  for (let s = 0; s < snaps.length; s++) {
    const [a, b] = [snaps[s], (webgpu.snapshots as { step: number }[])[s]];
    for (const key of Object.keys(a).filter((k) => k !== 'step')) {
      const j = firstIndexDiffering((a as unknown as Record<string, number[]>)[key], (b as unknown as Record<string, number[]>)[key] ?? []);
      if (j >= 0) return `the losses agree at every recorded step; the weights first differ in the snapshot of step ${a.step} (${key}[${j}])`;
    }
  }
  return 'the trajectories agree value for value but hash differently';
}

/** Train the part's sample on WASM (`truth`) and on the project's WebGPU adapter (`checked`), and compare. */
export async function bitCheckPart(
  suite: SuiteDef,
  part: SuitePart,
  project: ProjectDef,
  runners: { truth: BatchRunner; checked: BatchRunner },
  seedOffset = 0,
): Promise<PartRecord> {
  const started = performance.now();
  const base = { suite: suite.id, part: part.id, project: project.name, runs: [] };
  const picked = bitCheckSample(part);
  const steps = part.bitCheck?.steps;
  const specs = picked.map((i) => {
    const spec = offsetSeeds(part.runs[i].spec, seedOffset);
    return steps === undefined ? spec : firstSteps(spec, steps);
  });
  try {
    const [truth, checked] = await Promise.all([runners.truth.runBatch('wasm', specs), runners.checked.runBatch(project.engine, specs)]);
    const runs: BitCheckRun[] = picked.map((i, k) => ({
      label: part.runs[i].label,
      steps: checked[k].trajectory.steps,
      wasm: truth[k].hash,
      webgpu: checked[k].hash,
      ...(truth[k].hash === checked[k].hash ? {} : { firstDifference: firstDifference(truth[k].trajectory, checked[k].trajectory) }),
    }));
    const bitCheck = { checked: picked.length, of: part.runs.length, ...(steps === undefined ? {} : { steps }), runs };
    const bad = runs.filter((r) => r.firstDifference);
    const wallMs = performance.now() - started;
    if (bad.length === 0) return { ...base, status: 'passed', wallMs, bitCheck };
    const error = `bit-check failed: ${bad.map((r) => `run "${r.label}": ${r.firstDifference}`).join('; ')}`;
    return { ...base, status: 'failed', error, wallMs, bitCheck };
  } catch (err) {
    return { ...base, status: 'error', error: (err as Error).message, wallMs: performance.now() - started };
  }
}
