// Run one part of a suite on one project and turn its trajectories into a PartRecord: each run's record
// (./run-record.ts: measures, thinned loss curve, snapshots for plots), taken on Node's worker threads
// (./record-pool.ts); on a WASM worker pool as each run comes back, while the others still train.
// Training happens wherever `runner` puts it (a browser page, or the engine in Node); everything after
// the trajectories come back runs in Node, the same for every runner.
import { offsetSeeds } from '../engine/seed-offset.js';
import type { WasmInstance } from '../wasm/load.js';
import { toPlain, trajectoryHash } from '../engine/trajectory.js';
import type { Engine } from '../engine/index.js';
import type { PartRecord } from '../report/schema.js';
import { checkSuite, type Scale, type SuiteDef, type SuitePart } from './define.js';
import type { ProjectDef } from './projects.js';
import type { TrainedRun } from './run-record.js';
import { recordTaker } from './record-pool.js';

export interface BatchRunner {
  /** parts may train at the same time (a WASM worker pool queues all their runs at once) */
  concurrent?: boolean;
  /** WASM runs handed over one per call still share one worker pool, so a part takes each run's record as the run comes back */
  wasmPool?: boolean;
  /** Train the specs of one shape family on `backend`; the trajectories come back with their hashes. */
  runBatch(backend: string, specs: unknown[]): Promise<TrainedRun[]>;
}

/** An engine of this process as a BatchRunner (the Node runner, tests). */
export function engineRunner(engine: Engine): BatchRunner {
  return {
    concurrent: engine.workers > 1,
    wasmPool: engine.workers > 1,
    runBatch: async (_backend, specs) =>
      Promise.all((await engine.runBatch(specs)).map(async (t) => ({ hash: await trajectoryHash(t), trajectory: toPlain(t) }))),
  };
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
    const specs = part.runs.map((r) => offsetSeeds(r.spec, seedOffset)),
      labels = part.runs.map((r) => r.label),
      record = recordTaker(part, specs.length, wasm);
    const runs =
      project.engine === 'wasm' && runner.wasmPool
        ? await Promise.all(specs.map(async (spec, i) => record(labels[i], (await runner.runBatch(project.engine, [spec]))[0])))
        : await Promise.all((await runner.runBatch(project.engine, specs)).map((run, i) => record(labels[i], run)));
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
