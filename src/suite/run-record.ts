// One run's record from its trajectory: the part's measures (and curves) in f64, the thinned loss curve,
// and the first and last snapshots prepared for plots. A pure function of the trajectory and the part's
// measure names, so it gives the same record on the main thread and in a record worker (./record-pool.ts).
import type { WasmInstance } from '../wasm/load.js';
import { fromPlain, isLayered, type PlainAnyTrajectory } from '../engine/trajectory.js';
import { makeDataset } from '../engine/data.js';
import { LOSS_POINTS, type RunRecord } from '../report/schema.js';
import type { SuitePart } from './define.js';
import { takeMeasures, takeLayeredMeasures, takeLayeredCurves, layeredInput } from './measures.js';
import { plotSnapshots, plotLayeredSnapshots } from './plot-data.js';

/** What a record reads of its part: measure and curve names, the layers whose snapshots are plotted. */
export type RecordPart = Pick<SuitePart, 'measures' | 'curves' | 'plotLayers'>;

/** A trained run as a runner returns it. */
export interface TrainedRun {
  hash: string;
  trajectory: PlainAnyTrajectory;
}

/** At most LOSS_POINTS points of the loss curve, evenly spaced in steps, the last one kept. */
function thinLoss(loss: ArrayLike<number>, every: number): RunRecord['loss'] {
  const stride = Math.max(1, Math.ceil(loss.length / LOSS_POINTS));
  const idx: number[] = [];
  for (let i = 0; i < loss.length; i += stride) idx.push(i);
  if (idx[idx.length - 1] !== loss.length - 1) idx.push(loss.length - 1);
  return { step: idx.map((i) => i * every), value: idx.map((i) => loss[i]) };
}

/** The record of the run labelled `label`: what the suite's report and claims read of it. */
export async function runRecord(part: RecordPart, label: string, { hash, trajectory }: TrainedRun, wasm: WasmInstance): Promise<RunRecord> {
  const t = fromPlain(trajectory);
  const common = {
    label,
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
}
