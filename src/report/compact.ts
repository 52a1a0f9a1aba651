// What a written report keeps of each run, so a ci-scale report stays a few megabytes: the weight
// snapshots of every run (`all`), of the first SNAPSHOT_RUNS runs of each part, whose cards the page
// draws, but for a run whose plots hold over SNAPSHOT_RUN_NUMBERS numbers (`figures`, the default), or of none; plot numbers (snapshot weights, loss curve values) to
// PLOT_DIGITS significant digits and loss curves thinned to REPORT_LOSS_POINTS points (enough for a log-scale curve; the claims read the full curve before the report is written). Claims,
// measures, losses at start and end and hashes keep every digit.
import type { SuiteResult, RunRecord, PlotSnapshot } from './schema.js';

export const SNAPSHOT_POLICIES = ['all', 'figures', 'none'] as const;
export type SnapshotPolicy = (typeof SNAPSHOT_POLICIES)[number];

/** runs per part whose snapshots `figures` keeps */
export const SNAPSHOT_RUNS = 2;
/** the most plot numbers (snapshot weights and amplitudes) `figures` keeps of one run: a layer of 784
 * inputs (multiplicity's MNIST net: 47,000 a run) would outweigh every other part of a report */
export const SNAPSHOT_RUN_NUMBERS = 40_000;
export const PLOT_DIGITS = 3;
export const REPORT_LOSS_POINTS = 40;

/** Plot numbers of a run's snapshots. */
const plotNumbers = (r: RunRecord): number =>
  [r.initial, r.final, ...(r.deeper ?? []).flatMap((d) => [d.initial, d.final])].reduce((n, s) => n + (s ? s.w.length + s.a.length : 0), 0);

const round = (x: number): number => (Number.isFinite(x) && x !== 0 ? Number(x.toPrecision(PLOT_DIGITS)) : x);

function roundSnapshot(s: PlotSnapshot): PlotSnapshot {
  return { ...s, a: s.a.map(round), w: s.w.map(round) };
}

function thin(loss: RunRecord['loss']): RunRecord['loss'] {
  const n = loss.step.length,
    stride = Math.max(1, Math.ceil(n / REPORT_LOSS_POINTS));
  const idx: number[] = [];
  for (let i = 0; i < n; i += stride) idx.push(i);
  if (n && idx[idx.length - 1] !== n - 1) idx.push(n - 1);
  return { step: idx.map((i) => loss.step[i]), value: idx.map((i) => round(loss.value[i])) };
}

function compactRun(r: RunRecord, keepSnapshots: boolean): RunRecord {
  const { initial, final, deeper, ...rest } = r;
  const run: RunRecord = { ...rest, loss: thin(r.loss) };
  if (keepSnapshots && initial && final) {
    run.initial = roundSnapshot(initial);
    run.final = roundSnapshot(final);
    if (deeper) run.deeper = deeper.map((d) => ({ layer: d.layer, initial: roundSnapshot(d.initial), final: roundSnapshot(d.final) }));
  }
  return run;
}

export function compactResult(result: SuiteResult, policy: SnapshotPolicy): SuiteResult {
  return {
    ...result,
    run: { ...result.run, snapshots: policy },
    suites: result.suites.map((s) => ({
      ...s,
      parts: s.parts.map((p) => ({
        ...p,
        runs: p.runs.map((r, i) => compactRun(r, policy === 'all' || (policy === 'figures' && i < SNAPSHOT_RUNS && plotNumbers(r) <= SNAPSHOT_RUN_NUMBERS))),
      })),
    })),
  };
}
