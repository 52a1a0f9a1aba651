// Run one part of a suite on one project and turn its trajectories into a PartRecord: the suite's
// measures per run, the thinned loss curve, and the first and last snapshots prepared for plots.
// Training happens wherever `runner` puts it (a browser page, or the engine in Node); everything
// after the trajectories comes back runs here in Node, the same for every runner.
import { offsetSeeds } from '../engine/seed-offset.js';
import type { WasmInstance } from '../wasm/load.js';
import { fromPlain, isLayered, toPlain, trajectoryHash, type PlainAnyTrajectory } from '../engine/trajectory.js';
import type { Engine } from '../engine/index.js';
import { makeDataset } from '../engine/data.js';
import { LOSS_POINTS, type PartRecord, type RunRecord } from '../report/schema.js';
import { checkSuite, type Scale, type SuiteDef, type SuitePart } from './define.js';
import type { ProjectDef } from './projects.js';
import { takeMeasures, takeLayeredMeasures, takeLayeredCurves, layeredInput } from './measures.js';
import { plotSnapshots, plotLayeredSnapshots } from './plot-data.js';

export interface BatchRunner {
  /** parts may train at the same time (a WASM worker pool queues all their runs at once) */
  concurrent?: boolean;
  /** Train the specs of one shape family on `backend`; the trajectories come back with their hashes. */
  runBatch(backend: string, specs: unknown[]): Promise<{ hash: string; trajectory: PlainAnyTrajectory }[]>;
}

/** An engine of this process as a BatchRunner (the Node runner, tests). */
export function engineRunner(engine: Engine): BatchRunner {
  return {
    concurrent: engine.workers > 1,
    runBatch: async (_backend, specs) =>
      Promise.all((await engine.runBatch(specs)).map(async (t) => ({ hash: await trajectoryHash(t), trajectory: toPlain(t) }))),
  };
}

/** At most LOSS_POINTS points of the loss curve, evenly spaced in steps, the last one kept. */
function thinLoss(loss: ArrayLike<number>, every: number): RunRecord['loss'] {
  const stride = Math.max(1, Math.ceil(loss.length / LOSS_POINTS));
  const idx: number[] = [];
  for (let i = 0; i < loss.length; i += stride) idx.push(i);
  if (idx[idx.length - 1] !== loss.length - 1) idx.push(loss.length - 1);
  return { step: idx.map((i) => i * every), value: idx.map((i) => loss[i]) };
}

/** Train a part's runs (every seed moved by seedOffset) and take its measures. */
export async function runPart(
  suite: SuiteDef,
  part: SuitePart,
  project: ProjectDef,
  runner: BatchRunner,
  wasm: WasmInstance,
  seedOffset = 0,
): Promise<PartRecord> {
  const started = performance.now();
  const base = { suite: suite.id, part: part.id, project: project.name };
  try {
    const results = await runner.runBatch(
      project.engine,
      part.runs.map((r) => offsetSeeds(r.spec, seedOffset)),
    );
    const runs = await Promise.all(
      results.map(async ({ hash, trajectory }, i): Promise<RunRecord> => {
        const t = fromPlain(trajectory);
        const common = {
          label: part.runs[i].label,
          seed: t.spec.seed,
          steps: t.steps,
          stopReason: t.stopReason,
          restarts: t.restarts,
          lr: t.lr,
          initialLoss: t.initialLoss,
          finalLoss: t.finalLoss,
          hash,
          loss: thinLoss(t.loss, t.lossEvery),
        };
        if (isLayered(t)) {
          const act = t.spec.model.layers.find((l) => l.type === 'activation');
          const input = await layeredInput(t, wasm);
          return {
            ...common,
            width: t.layout[0].shape[0],
            activation: act?.type === 'activation' ? act.fn : 'identity',
            measures: takeLayeredMeasures(part.measures, input),
            ...(part.curves ? { curves: takeLayeredCurves(part.curves, input) } : {}),
            ...plotLayeredSnapshots(t, part.plotLayers),
          };
        }
        const data = makeDataset(t.spec.data, wasm.heap, wasm.kernels);
        return { ...common, width: t.shape.m, activation: t.spec.model.activation, measures: takeMeasures(part.measures, t, data, wasm), ...plotSnapshots(t) };
      }),
    );
    return { ...base, status: 'passed', wallMs: performance.now() - started, runs };
  } catch (err) {
    return { ...base, status: 'error', error: (err as Error).message, wallMs: performance.now() - started, runs: [] };
  }
}

/** Every part of a suite at one scale on one project: one after another, or all at once on a concurrent runner. */
export function runSuiteParts(
  suite: SuiteDef,
  scale: Scale,
  project: ProjectDef,
  runner: BatchRunner,
  wasm: WasmInstance,
  seedOffset = 0,
): Promise<PartRecord[]> {
  return inTurnOrTogether(
    checkSuite(suite, scale).map((part) => () => runPart(suite, part, project, runner, wasm, seedOffset)),
    runner.concurrent ?? false,
  );
}

/** Run jobs one after another, or all at once; results in job order. */
export async function inTurnOrTogether<T>(jobs: (() => Promise<T>)[], together: boolean): Promise<T[]> {
  if (together) return Promise.all(jobs.map((job) => job()));
  const out: T[] = [];
  for (const job of jobs) out.push(await job());
  return out;
}
