// Measures of the cluster-growth suite (SCIENCE.md §9.1, T7.3): the orientation clusters of the
// active neurons (the T1.4 count, orientationClusters1d) counted at the loss plateaus of a 1-d run.
// The plateaus are found on the loss sampled at the run's snapshot steps (the suite asks for a
// logarithmic grid), and each plateau's count is read at its geometric middle (plateauReading): deep
// inside it, not at its end, where the clusters of the next stage already split off before the loss
// visibly falls. The initial plateau, which starts from random weights, is read at its end.
import type { Trajectory } from '../../engine/trajectory.js';
import { orientationClusters1d } from '../../science/measures.js';
import { findPlateaus, largestDecrease, plateauReading, type PlateauRule } from '../../science/plateaus.js';
import { oneD, type MeasureFn, type MeasureInput } from './input.js';

/** On a plateau the loss changes by < 5 % between snapshots, over a stretch of ≥ 1.5× in steps (see suites/cluster-growth.suite.ts). */
const PLATEAU_RULE: PlateauRule = { tol: 0.05, minSpan: 1.5 };
/** the plateaus reported one by one (for the figure); the claims read all of them */
export const PLATEAU_SLOTS = [1, 2, 3, 4, 5, 6] as const;
type Slot = (typeof PLATEAU_SLOTS)[number];

interface PlateauCount {
  step: number;
  clusters: number;
}

const cache = new WeakMap<Trajectory, PlateauCount[]>();

/** Step and cluster count at the reading of every loss plateau, in order. */
function plateauCounts(s: MeasureInput): PlateauCount[] {
  const hit = cache.get(s.t);
  if (hit) return hit;
  const snaps = s.t.snapshots;
  const loss = snaps.map((p) => {
    if (p.step % s.t.lossEvery !== 0)
      throw new Error(`plateau measures need snapshot steps on the loss curve (lossEvery ${s.t.lossEvery}), got step ${p.step}`);
    return s.t.loss[p.step / s.t.lossEvery];
  });
  const steps = snaps.map((p) => p.step);
  const counts = findPlateaus(steps, loss, PLATEAU_RULE).map((p) => {
    const at = snaps[plateauReading(steps, p)];
    return { step: at.step, clusters: orientationClusters1d(at.a, at.w) };
  });
  cache.set(s.t, counts);
  return counts;
}

const clusterSeq = (s: MeasureInput) => plateauCounts(s).map((p) => p.clusters);

const PLATEAU_MEASURES = {
  /** loss plateaus found on the snapshot grid */
  plateaus: oneD('plateaus', (s) => plateauCounts(s).length),
  /** largest fall of the cluster count from one plateau to the next; 0 when it never falls (T7.3) */
  plateauClusterDrop: oneD('plateauClusterDrop', (s) => largestDecrease(clusterSeq(s))),
  /** cluster count at the last plateau minus at the first (T7.3); NaN with fewer than 2 plateaus */
  plateauClusterGain: oneD('plateauClusterGain', (s) => {
    const c = clusterSeq(s);
    return c.length < 2 ? NaN : c[c.length - 1] - c[0];
  }),
  /** largest cluster count at any plateau: how condensed the network is where it rests (T7.3c); NaN without plateaus */
  plateauClusterMax: oneD('plateauClusterMax', (s) => {
    const c = clusterSeq(s);
    return c.length ? Math.max(...c) : NaN;
  }),
} satisfies Record<string, MeasureFn>;

/** plateauStep{i} and plateauClusters{i}: step and cluster count at the reading of the i-th plateau (NaN when there are fewer) */
const SLOT_MEASURES = Object.fromEntries(
  PLATEAU_SLOTS.flatMap((i) => [
    [`plateauStep${i}`, oneD(`plateauStep${i}`, (s) => plateauCounts(s)[i - 1]?.step ?? NaN)],
    [`plateauClusters${i}`, oneD(`plateauClusters${i}`, (s) => plateauCounts(s)[i - 1]?.clusters ?? NaN)],
  ]),
) as Record<`plateauStep${Slot}` | `plateauClusters${Slot}`, MeasureFn>;

export const GROWTH_MEASURES = { ...PLATEAU_MEASURES, ...SLOT_MEASURES } satisfies Record<string, MeasureFn>;
