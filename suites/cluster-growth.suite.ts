// Suite "cluster-growth": Xu, Zhang, Zhou, "An overview of condensation phenomenon in deep learning"
// (arXiv 2504.09484): "the number of condensed clusters … typically increases monotonically as
// training progresses" — claim T7.3 of SCIENCE.md §9.3 on the 1-d ReLU example of §9.1: target
// −σ(x) + σ(2(x+0.3)) − σ(1.5(x−0.4)) + σ(0.5(x−0.8)) on linspace(−1, 1, 40) (preset overview1d;
// n is not stated, 40 as elsewhere), m = 100, every parameter ~ N(0, 1/m⁴) (std 1e-4), α = 1, GD lr
// 0.1 (R = (1/2n)Σ eᵢ²), 10⁵ steps as the paper's last snapshot.
//
// Plateaus (src/science/plateaus.ts): the loss is sampled at snapshots on a logarithmic grid of 20
// per decade (each snapshot 12 % later than the one before: the plateaus of small-init GD lengthen
// from ~10² to ~10⁴ steps, so flatness is judged relative to the time already trained). A plateau is
// a stretch where the loss changes by < 5 % between consecutive snapshots, spanning ≥ 1.5× in steps.
// Why 5 %: in a drop the loss falls by 20–65 % per snapshot (≈ 9 % at its edges), on a plateau by
// ≤ 3 %; 2 % loses the short third plateau (R ≈ 2.6e-3, steps 1.1–1.6·10⁴) on 6/10 seeds. The cluster count (the T1.4
// count: active neurons Aₖ = |aₖ|·‖wₖ‖ > 0.1·max, new cluster at an orientation gap ≥ 0.05 rad; §9.1
// takes the same orientation atan2(bₖ, wₖ)) is read at each plateau's geometric middle, and at the
// end of the initial plateau (it starts from random orientations). Read at the plateaus' ends, the
// count catches the next stage's neurons splitting off before the loss moves (seeds 0–9: 2–6 at the
// end of the second plateau, then 2–4 at the next) and is not monotone; read in the middle it is.
//
// Scales: full is the §9.1 protocol (lr 0.1, 10⁵ steps, seeds 0–9). ci runs lr 0.4 for 8·10³ steps
// (seeds 0–4): WebGPU on SwiftShader takes ~6 ms a step for the batch, so 10⁵ steps do not fit the
// 60 s budget. GD from small init follows the gradient flow in time lr·steps, so lr 0.4 meets the
// same plateaus (R ≈ 1.35e-2, 2.6e-3, 4.04e-4) 4× sooner: 8·10³ steps at lr 0.4 ≈ 3.2·10⁴ at lr 0.1,
// three plateaus. lr 0.45 already breaks the fourth stage on 6/10 seeds (final R 1.0e-3, not 4.0e-4),
// and lr 0.5 loses the third plateau on 5/10 seeds, so 0.4 is the largest safe multiple.
//
// Calibration, WASM, f32 training, f64 measures (WebGPU on SwiftShader gives the same bits). Plateaus
// as [first–last step] @ reading step: count; SCIENCE.md gives no pilot ("expect 1–2 early, more later"):
//   full, lr 0.1, 10⁵ steps, seeds 0–9:
//     seeds 0, 1, 3, 7, 8, 9: [0–112]@112: 1, [224/251–5012]@1122: 1, [10000–17783]@14125: 3, [25119–10⁵]@50119: 4
//     seed 2: 1, 1, [12589–10⁵]@35481: 2;  seed 4: 1, 1, [15849–10⁵]@39811: 4
//     seed 5: 1, 1, [15849–70795]@35481: 3;  seed 6: 1, 1, [14125–10⁵]@35481: 3
//     → never falls on 10/10 seeds; gain (last − first) 1–3; 3–4 plateaus; first count 1 on 10/10.
//   ci, lr 0.4, 8·10³ steps, seeds 0–9: [0–28/32]@28/32: 1, [63–1259]@282: 1, then
//     seeds 0, 3, 5, 7, 8, 9: [2512–4467]@3548: 3;  seeds 1, 6: [3548–8000]@5623: 3;  seed 2: [3162–8000]@5012: 2;
//     seed 4: [3548–8000]@5623: 4
//     → never falls on 10/10; gain 1–3 (seeds 0–4: 2, 2, 1, 2, 3); 3 plateaus on 10/10; first count 1.
// f64 cross-check (numpy, its own RNG so other initial weights, the same plateau rule and count;
// SCIENCE.md has no pilot for T7.3), seeds 0–9: full: fall 0 on 10/10, gain 1–4, 3–4 plateaus,
// first count 1 on 10/10; ci (lr 0.4, 8·10³): fall 0 on 10/10, gain 1–4, 3 plateaus, first count 1.
// Claims (worst seed): T7.3a largest fall ≤ 0; T7.3c the largest count at any plateau ≤ 5; T7.3d count at
// the first plateau ≤ 2 (SCIENCE's "1–2 early"; measured 1). T7.3b, the gain (last − first), was ≥ 1 on
// the worst seed until issue #28's sweep (below) met seed 12008 (counts 1, 1, 1: gain 0); the overview
// claims the count "typically" grows, so T7.3b is now the share of seeds whose count grows (gain ≥ 1),
// ≥ 0.8 (at most one of five ci seeds without growth). Calibration offsets (k = 0–9): gain ≥ 1 on 50/50
// seeds (95 % upper bound of the per-seed miss rate 6 %: two misses of five ≤ 3 %); check offsets
// (k = 10–19): 49/50, share ≥ 0.8 on 10/10. The integer counts leave no room to tighten T7.3a; T7.3d
// keeps SCIENCE's bound.
// Why the counts are read in each plateau's middle, and what makes the reading falsifiable (issue #28
// item 1): on a plateau the network rests near a critical point of a narrower network (the embedding
// principle, T5), whose width is the cluster count; the escape from it begins before the loss moves, so
// the end of a plateau already holds the next stage's neurons, and a fixed step grid (the overview's
// epochs) mixes both (seeds 0–4 at the lr-scaled epochs 25, 251, 1259, 2512, 8000 fall on 3 of 5, e.g.
// seed 2: 1, 1, 5, 2, 2).
// Read in the middle, the counts are 1, 1, 2–5 on all 150 seeds of offsets k = 0…29 (below). T7.3c was
// "≥ 3 loss plateaus" until issue #28, a property of the loss, not of the clusters, which held from std
// 1e-2 on the median seed too; it now asserts what makes the counts the overview's "condensed clusters":
// at every plateau the active neurons of m = 100 lie on at most 5 orientations (one per kink of the
// target, 4, plus one splitting off). The threshold is the target's, not the data's: calibration offsets
// k = 0–9 give 3–4. The plateau count stays in the report (measure "plateaus").
// Flipped regime (test/cluster-growth.test.ts): from std 1e-2 the initial stage ends before the neurons
// condense and every claim fails (ci, seeds 0–4: fall 2–8, share with gain ≥ 1 0.2, first count 3–9,
// largest count 4–9; at offsets k = 0…5 the worst seed's largest count 7–11); from std 1e-1 the network
// has no staircase (1–2 plateaus) and 14–32 clusters.
// Fresh seeds (issue #12): every claim of this suite passes at seed offsets 0–5, 10, 20, 30, 40 on WASM
// (10/10 each; the values at each offset: docs/suites.md, "Fresh seeds").
// Sweep (issue #28): offsets N = 1000·k + 7, k = 0…19 (seeds N…N+4), WASM, ci; per claim the value over the
// 20 offsets, threshold, smallest margin, pass rate (per seed: gain 0 on 1, 1 on 11, 2 on 69, 3 on 19):
//   T7.3a 0 … 0 (≤ 0, margin 0, 20/20)   T7.3b 0.8 … 1 (≥ 0.8, margin 0, 20/20; worst-seed gain ≥ 1: 19/20)
//   T7.3c 3 … 4 (≤ 5, margin 1, 20/20)   T7.3d 1 … 1 (≤ 2, margin 1, 20/20)
//   (the old T7.3c, plateaus ≥ 3: 3 … 3, 20/20)
// Ten more offsets held out (k = 20…29): T7.3a, b, d 10/10 (T7.3b 0.8 at 20007 and 25007: seeds 20009 and
// 25007 grow 0, each with only 2 plateaus); T7.3c 3 … 5, 10/10 (5 on seed 27011, the one seed of 150 at
// the bound; the old T7.3c failed 2 of 10: 2 plateaus on those two seeds).
import type { SuiteDef, Scale } from '../src/suite/define.js';
import { seedLabel, runKey } from '../src/suite/define.js';
import type { RunRecord, SuiteFigure } from '../src/report/schema.js';
import { acrossSeeds, overSeeds } from '../src/suite/over-seeds.js';
import { mean } from '../src/science/stats.js';
import { logStepGrid } from '../src/science/plateaus.js';
import { PLATEAU_SLOTS } from '../src/suite/measures/growth.js';

/** Steps, learning rate, seeds and the part's time budget on a software adapter, per scale (see above). */
const SCALE = {
  ci: { maxSteps: 8_000, lr: 0.4, seeds: [0, 1, 2, 3, 4], timeoutSeconds: 180 },
  full: { maxSteps: 100_000, lr: 0.1, seeds: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], timeoutSeconds: 1800 },
} satisfies Record<Scale, { maxSteps: number; lr: number; seeds: number[]; timeoutSeconds: number }>;

/** snapshots per decade of steps: the grid the plateaus are found on */
const PER_DECADE = 20;

/** The §9.1 protocol: 1-d ReLU, m = 100, all parameters ~ N(0, std²), GD, snapshots on the log grid. */
const growthRun = (scale: Scale, seed: number, std = 1e-4) => {
  const { maxSteps, lr } = SCALE[scale];
  return {
    label: seedLabel(seed),
    spec: {
      data: { preset: 'overview1d', n: 40 },
      model: { width: 100, activation: 'relu' },
      init: { alpha: 1, beta1: std, beta2: std },
      optimizer: { kind: 'gd' },
      lr,
      stop: { maxSteps },
      snapshots: logStepGrid(maxSteps, PER_DECADE),
      seed,
    },
  };
};

const PART = 'overview1d';
const labels = (scale: Scale) => SCALE[scale].seeds.map(seedLabel);

/** Cluster count against step at the plateau readings, one series per seed. */
function countsFigure(scale: Scale, run: (key: string) => RunRecord | undefined, project: string): SuiteFigure[] {
  const series = labels(scale).flatMap((label) => {
    const r = run(runKey(PART, label));
    if (!r) return [];
    const points = PLATEAU_SLOTS.map((i): [number, number] => [r.measures[`plateauStep${i}`], r.measures[`plateauClusters${i}`]]).filter(([x]) =>
      Number.isFinite(x),
    );
    return [{ label, points }];
  });
  if (!series.length) return [];
  return [
    {
      id: 'clusters-at-plateaus',
      title: 'Orientation clusters at the loss plateaus',
      project,
      kind: 'lines',
      xLabel: 'step',
      yLabel: 'orientation clusters',
      logX: true,
      series,
      caption: `Each point is one loss plateau, read at its geometric middle (the initial plateau at its end); §9.1 example, m = 100, std 1e-4, GD lr ${SCALE[scale].lr}.`,
    },
  ];
}

export const clusterGrowth: SuiteDef = {
  id: 'cluster-growth',
  title: 'The number of condensed clusters grows over training',
  paper: 'Xu, Zhang, Zhou, arXiv 2504.09484 (2025)',
  figure: '§9.1 1-d ReLU example (group site condense.md; lecture note A7-0 Fig. 1.6–1.7)',
  parts: (scale) => [
    {
      id: PART,
      runs: SCALE[scale].seeds.map((s) => growthRun(scale, s)),
      measures: [
        'plateaus',
        'plateauClusterDrop',
        'plateauClusterGain',
        'plateauClusterMax',
        ...PLATEAU_SLOTS.flatMap((i) => [`plateauStep${i}` as const, `plateauClusters${i}` as const]),
        'finalLoss',
      ],
      timeoutSeconds: SCALE[scale].timeoutSeconds,
    },
  ],
  claims: (scale) => {
    const src = 'SCIENCE.md §9.1, §9.3 T7.3';
    const f64 = 'f64 numpy, seeds 0–9:';
    return [
      overSeeds(
        {
          id: 'T7.3a',
          statement: 'largest fall of the cluster count from one loss plateau to the next',
          source: src,
          pilot: `${f64} 0 (10/10)`,
          op: '<=',
          threshold: 0,
        },
        PART,
        labels(scale),
        'plateauClusterDrop',
      ),
      acrossSeeds(
        {
          id: 'T7.3b',
          statement: 'share of seeds whose cluster count is higher at the last plateau than at the first',
          source: src,
          pilot: `${f64} gain 1–4 (10/10)`,
          op: '>=',
          threshold: 0.8,
        },
        labels(scale).map((l) => [runKey(PART, l)]),
        ([m]) => (m.plateauClusterGain >= 1 ? 1 : 0),
        (...xs) => mean(xs),
      ),
      overSeeds(
        {
          id: 'T7.3c',
          statement: 'largest cluster count at any loss plateau (m = 100: condensed where the network rests)',
          source: src,
          pilot: 'no pilot; calibration offsets 0–9007 (ci): 3–4; the target has 4 kinks',
          op: '<=',
          threshold: 5,
        },
        PART,
        labels(scale),
        'plateauClusterMax',
      ),
      overSeeds(
        {
          id: 'T7.3d',
          statement: 'cluster count at the first plateau (end of the initial stage)',
          source: src,
          pilot: `${f64} 1 (10/10); SCIENCE.md 1–2`,
          op: '<=',
          threshold: 2,
        },
        PART,
        labels(scale),
        'plateauClusters1',
      ),
    ];
  },
  figures: countsFigure,
};
