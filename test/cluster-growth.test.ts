// The suite "cluster-growth" (T7.3): the plateau finder and where a plateau is read, the plateau
// measures and the figure on a synthetic trajectory (a count that falls fails T7.3a), and the suite on
// the WASM engine in Node: every claim fails from a large initialisation. That the claims hold at ci
// scale is checked where the suite runs in CI (`condensa suite` in npm test), not a second time here.
import { describe, it, expect, beforeAll } from 'vitest';
import { loadWasm } from '../src/wasm/node.js';
import { runSuiteOnWasm, withSpecs } from './support.js';
import type { WasmInstance } from '../src/wasm/load.js';
import { type Trajectory } from '../src/engine/trajectory.js';
import { judgeClaims } from '../src/suite/claims.js';
import { takeMeasures } from '../src/suite/measures.js';
import { findPlateaus, largestDecrease, logStepGrid, plateauReading } from '../src/science/plateaus.js';
import { clusterGrowth } from '../suites/cluster-growth.suite.js';
import type { PartRecord, RunRecord } from '../src/report/schema.js';

let wasm: WasmInstance;
beforeAll(async () => {
  wasm = await loadWasm();
});

/** A staircase loss: flat at 1, 0.1, 0.01, falling geometrically over [100, 150] and [1000, 1500]. */
const staircase = (t: number) => {
  const fall = (from: number, to: number) => Math.min(1, Math.max(0, (t - from) / (to - from)));
  return 10 ** -(fall(100, 150) + fall(1000, 1500));
};

describe('plateaus', () => {
  it('logStepGrid: 0, then distinct rounded powers of 10^(1/perDecade) up to maxSteps', () => {
    const g = logStepGrid(10_000, 20);
    expect(g.slice(0, 12)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(g.slice(-3)).toEqual([7943, 8913, 10_000]);
    expect(g.every((s, i) => i === 0 || s > g[i - 1])).toBe(true);
  });

  it('findPlateaus: the flat stretches of a staircase, not its falls; a stretch short of minSpan is dropped (one from step 0 never)', () => {
    const steps = logStepGrid(10_000, 20);
    const loss = steps.map(staircase);
    const found = findPlateaus(steps, loss, { tol: 0.05, minSpan: 1.5 }).map((p) => [steps[p.first], steps[p.last]]);
    expect(found).toEqual([
      [0, 100],
      [158, 1000],
      [1585, 10_000],
    ]);
    expect(findPlateaus(steps, loss, { tol: 0.05, minSpan: 7 }).map((p) => [steps[p.first], steps[p.last]])).toEqual([[0, 100]]);
  });

  it('plateauReading: the initial plateau at its end, the others at their geometric middle', () => {
    const steps = [0, 10, 100, 200, 400, 800, 1600];
    expect(plateauReading(steps, { first: 0, last: 2 })).toBe(2);
    expect(steps[plateauReading(steps, { first: 2, last: 6 })]).toBe(400);
  });

  it('largestDecrease: 0 for a non-decreasing sequence, the largest fall otherwise, NaN below 2 values', () => {
    expect(largestDecrease([1, 1, 3, 4])).toBe(0);
    expect(largestDecrease([1, 4, 3, 5, 2])).toBe(3);
    expect(largestDecrease([2])).toBeNaN();
  });
});

/** A 1-d trajectory on the staircase loss whose snapshots hold `clusters(step)` orientation clusters. */
function syntheticTrajectory(clusters: (step: number) => number): Trajectory {
  const m = 6,
    steps = logStepGrid(10_000, 20);
  const snapshot = (step: number) => {
    const k = clusters(step);
    const phi = Array.from({ length: m }, (_, j) => (j < k ? j * 0.5 : 0));
    return { step, a: new Float32Array(m).fill(1), w: Float32Array.from(phi.flatMap((p) => [Math.cos(p), Math.sin(p)])) };
  };
  const loss = Float32Array.from({ length: 10_001 }, (_, t) => staircase(t));
  return {
    backend: 'wasm',
    spec: {} as Trajectory['spec'],
    shape: { n: 1, D: 2, m },
    scales: { alpha: 1, beta1: 1, beta2: 1 },
    loss,
    lossEvery: 1,
    initialLoss: 1,
    finalLoss: loss[10_000],
    steps: 10_000,
    stopReason: 'max-steps',
    lr: 0.1,
    restarts: 0,
    snapshots: steps.map(snapshot),
    wallMs: 0,
  };
}

const stage = (a: number, b: number, c: number) => (step: number) => (step <= 100 ? a : step <= 1000 ? b : c);
const noData = { n: 1, d: 1, x: new Float32Array(2), y: new Float32Array(1), name: 'none' };
const measure = (t: Trajectory) =>
  takeMeasures(
    [
      'plateaus',
      'plateauClusterDrop',
      'plateauClusterGain',
      'plateauClusterMax',
      'plateauStep1',
      'plateauClusters1',
      'plateauStep2',
      'plateauStep3',
      'plateauClusters4',
    ],
    t,
    noData,
    wasm,
  );
const [overview1d] = clusterGrowth.parts('ci');
/** The suite's part with the same measures on every seed. */
const everySeed = (measures: Record<string, number>): PartRecord => ({
  suite: clusterGrowth.id,
  part: overview1d.id,
  project: 'wasm',
  status: 'passed',
  wallMs: 0,
  runs: overview1d.runs.map((r) => ({ label: r.label, seed: 0, measures }) as unknown as RunRecord),
});

describe('plateau measures on a synthetic trajectory', () => {
  it('a count growing 1, 2, 4 over three plateaus: no fall, gain 3, read at 100, √(158·1000), √(1585·10⁴)', () => {
    expect(measure(syntheticTrajectory(stage(1, 2, 4)))).toEqual({
      plateaus: 3,
      plateauClusterDrop: 0,
      plateauClusterGain: 3,
      plateauClusterMax: 4,
      plateauStep1: 100,
      plateauClusters1: 1,
      plateauStep2: 398,
      plateauStep3: 3981,
      plateauClusters4: NaN,
    });
  });

  it('a count falling 1, 3, 2 fails T7.3a (largest fall ≤ 0) and still passes T7.3b–d', () => {
    const m = measure(syntheticTrajectory(stage(1, 3, 2)));
    expect([m.plateauClusterDrop, m.plateauClusterGain]).toEqual([1, 1]);
    const verdicts = judgeClaims(clusterGrowth, 'ci', [everySeed(m)], 'wasm', 'wasm').verdicts;
    expect(verdicts.filter((v) => !v.pass).map((v) => v.id)).toEqual(['T7.3a']);
  });

  it('the figure has one series per seed, a point (reading step, cluster count) per plateau', () => {
    const part = everySeed(takeMeasures(overview1d.measures, syntheticTrajectory(stage(1, 2, 4)), noData, wasm));
    const [figure] = clusterGrowth.figures!('ci', (key) => part.runs.find((r) => `${overview1d.id}/${r.label}` === key), 'wasm');
    if (figure.kind !== 'lines') throw new Error('expected a lines figure');
    const readings = [
      [100, 1],
      [398, 2],
      [3981, 4],
    ];
    expect(figure.series.map((s) => [s.label, s.points])).toEqual(overview1d.runs.map((r) => [r.label, readings]));
  });
});

/** The suite from std 1e-2 instead of 1e-4 (a large init where a small one is claimed), same labels. */
const largeInit = withSpecs(clusterGrowth, (spec) => ({ ...spec, init: { alpha: 1, beta1: 1e-2, beta2: 1e-2 } }));

describe('the cluster-growth suite on WASM (Node)', () => {
  it('every claim fails from a large initialisation (std 1e-2: the initial stage ends before the neurons condense)', async () => {
    const { verdicts } = judgeClaims(largeInit, 'ci', await runSuiteOnWasm(largeInit, wasm), 'wasm', 'wasm');
    expect(verdicts.length).toBe(clusterGrowth.claims('ci').length);
    expect(verdicts.filter((v) => v.pass).map((v) => `${v.id} ${v.measured}`)).toEqual([]);
  });
});
