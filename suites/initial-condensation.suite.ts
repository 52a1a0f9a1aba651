// Suite "initial-condensation": Chen, Li, Luo, Zhou, Xu (arXiv 2303.06561; CSIAM-AM 2024), the phase
// diagram of initial condensation: with tanh (multiplicity 1), the input weights align with ±z,
// z = (1/n) Σ yᵢx̃ᵢ, by the end of the initial stage only in the condensed regime of Luo et al.
// (γ > 1, γ′ < γ − 1), and there more strongly the wider the network — claims T2.3 of SCIENCE.md
// §4.4, protocol §4.3: d = 5 data sin5d (resampled per seed, as the pilot), α = 1,
// β1 = m^−(γ+γ′)/2, β2 = m^−(γ−γ′)/2, full-batch GD with lr = min(0.02, 0.5/(1 + 40m(β1² + β2²))),
// stopped at R ≤ 0.99·R(0). Points: (2, 0) condensed; (0.5, 0) and (1.5, 1) linear.
//
// Thresholds: SCIENCE.md's, tightened where the f32 engines leave a wide margin. Measured on WASM
// (f32 training, f64 measures; WebGPU on SwiftShader agrees to 1e-8: at ci scale the m = 4000 batch
// takes the tree-reduced output sum, so not the same bits), seeds 0–9; f64 pilot: pilots/init_phase.py's
// run() over seeds 0–4 (SCIENCE.md §4.3 lists seed 0):
//   T2.3a (2, 0), m = 1000: 0.829–0.948 (pilot 0.906–0.957); kept > 0.8.
//   T2.3b/c (0.5, 0) and (1.5, 1), m = 1000, read after 2000 GD steps (part m=1000-trained; the loss
//         has fallen to 0.44–0.84·R(0)): 0.287–0.325 over seeds 0–5 (random baseline 0.309; at 0.99·R(0)
//         they were 0.293–0.323, pilot 0.286–0.309): < 0.4 → < 0.35. Read at the end of the initial stage,
//         as before issue #12, these runs stop after 1–14 steps and their median is the random initial one,
//         so the claim could not fail; after 2000 steps the weights have trained and still point anywhere
//         (the linear regime), while the flipped runs (γ = 2) read 0.10–0.61 (worst of seeds 0–2: 0.59).
//         (Reading them at R ≤ 0.5·R(0) instead takes 983–9744 steps: too slow for the suite budget.)
//   T2.3d (2, 0), increase of the median per step of m = 100 → 1000 → 4000: ≥ 0.037 on every seed
//         (pilot ≥ 0.025; m = 100: 0.489–0.708, m = 4000: 0.953–0.985; pilot 0.508–0.765 and
//         0.973–0.985); kept > 0.
//   T2.3e/f are not in SCIENCE.md (its "growth with m only in the condensed regime", made a claim). They
//         read the linear points at the condensed point's early time (issue #28): EARLY_STEPS = 25, 50, 60 GD
//         steps at m = 100, 1000, 4000, the median over seeds 0–9 of the steps (2, 0) takes to R ≤ 0.99·R(0)
//         there (5–40, 12–74, 17–93). Read at their own end of the initial stage, as before, the linear runs
//         stop after 1–14 steps (the pilot's 5–116: other data; its stop is relative to ½·mean y², not R(0))
//         and the claims read the random initial directions. For 25–60 steps the linear weights do move
//         (relative distance RD about 0.005–0.03 at (0.5, 0), ≤ 1e-3 at (1.5, 1), seeds 0–3) and stay at
//         the random baseline (the linear regime: they move little by nature), while runs of (2, 0) for the same
//         steps (the flip test) read 0.99 (T2.3e) and 0.34–0.39 (T2.3f), worst seed, offsets 0, 5007,
//         10007, 15007: the claims now fail when the regime condenses.
//   T2.3e linear points, every m: < 0.4 (SCIENCE's < 0.4 of m = 1000; pilot ≤ 0.358, at m = 100; not
//         tightened to 0.354: 5 of the 20 offsets below read 0.354–0.367).
//   T2.3f linear points, median(m = 4000) − median(m = 100): < 0.1 (the m = 100 median of 100 neurons
//         scatters ±0.05 by seed) while the condensed point gains ≥ 0.27 (pilot ≥ 0.22).
// Fresh seeds (issue #12): every claim of this suite passes at seed offsets 0–5, 10, 20, 30, 40 on WASM
// (10/10 each; the values at each offset: docs/suites.md, "Fresh seeds").
// Sweep (issue #28): offsets N = 1000·k + 7, k = 0…19, WASM, ci; per claim the value over the 20 offsets,
// threshold, smallest margin, pass rate:
//   T2.3a 0.873 … 0.931 (> 0.8, margin 0.073, 20/20)    T2.3b 0.305 … 0.332 (< 0.35, margin 0.018, 20/20)
//   T2.3c 0.308 … 0.329 (< 0.35, margin 0.021, 20/20)   T2.3d 0.0101 … 0.0657 (> 0, margin 0.0101, 20/20)
//   T2.3e 0.316 … 0.367 (< 0.4, margin 0.033, 20/20)   T2.3f −0.0143 … 0.0704 (< 0.1, margin 0.030, 20/20)
//         (T2.3e/f read after EARLY_STEPS; the earlier reading at 1–14 steps gave 0.316 … 0.363, −0.0145 … 0.0705)
//   T2.4a 0.99993 … 0.99999 (≥ 0.999, margin 9.3e-4, 20/20)  T2.4b 0.00086 … 0.0036 (≤ 0.03, margin 0.026, 20/20)
//
// T2.4, the onset of initial condensation (issue #14; Chen et al. estimate the time of initial condensation
// for p = 1, the body of the paper was not readable, so the prediction is SCIENCE.md §4.2's linear stage):
// tanh, m = 50, sin5d, a and w from N(0, s²), GD at lr 0.02 until R ≤ 0.99·R(0), s = 1e-2 … 1e-8. In the
// linear stage a + w·ẑ grows by 1 + lr‖z‖ a step and the output by its square, so the onset step is
// T(s) = ln(1/s)/ln(1 + lr‖z‖) + const. Measured on WASM, seeds 0–9 (calibration): onset 7–48 steps at
// 1e-2 and 66–305 at 1e-6 (the pilot: 13–73 and 100–353, other data draws), R² of the line
// 0.99993–1.00000, slope / (1/ln(1 + lr‖z‖)) 0.999–1.003 for ‖z‖ 1.8–8.4; fresh seeds 10–50: R² ≥ 0.99994,
// ratio 0.997–1.007. Claimed on the worst seed: T2.4a R² ≥ 0.999, T2.4b |ratio − 1| ≤ 0.03. Flip (x·tanh,
// p = 2, no linear stage): R² 0.78–0.80 and ratio 280–466 on seeds 0–2 (the onset grows like a power of 1/s;
// from s = 1e-5 on the runs stop at 20,000 steps). ReLU, not claimed, reads ratio 1.01–1.06.
import type { SuiteDef, SuiteRun, SeedsByScale } from '../src/suite/define.js';
import { runKey } from '../src/suite/define.js';
import { overSeeds, worstSeed } from '../src/suite/over-seeds.js';
import type { MeasureName } from '../src/suite/measures.js';
import { leastSquaresSlope } from '../src/science/slope.js';
import { polynomialFitR2 } from '../src/science/polynomial-fit.js';

type Point = readonly [gamma: number, gammaPrime: number];
const CONDENSED: Point = [2, 0];
const LINEAR: readonly Point[] = [
  [0.5, 0],
  [1.5, 1],
];
const WIDTHS = [100, 1000, 4000];
const SEEDS: SeedsByScale = { ci: [0, 1, 2], full: [0, 1, 2, 3, 4] };

/** GD steps of the linear points' runs in the parts m = 100, 1000, 4000 (T2.3e/f): the median, over
 * seeds 0–9, of the steps the condensed point takes to R ≤ 0.99·R(0) at that width (5–40, 12–74, 17–93),
 * so that the linear points are read at the condensed point's early time, not after their own 1–14 steps. */
const EARLY_STEPS: Readonly<Record<number, number>> = { 100: 25, 1000: 50, 4000: 60 };

const label = ([gamma, gammaPrime]: Point, seed: number) => `gamma=${gamma} gamma'=${gammaPrime} seed=${seed}`;
const part = (m: number) => `m=${m}`;
/** the linear points at m = 1000, trained for TRAINED_STEPS */
const TRAINED_PART = 'm=1000-trained';

/** GD steps of the trained runs (T2.3b/c): far past the initial stage of the linear points. */
const TRAINED_STEPS = 2000;

/** SCIENCE.md §4.3: the run at (γ, γ′) and width m, to the end of the initial stage (R ≤ 0.99·R(0)),
 * or, given `steps`, for that many GD steps. */
export function initialStageRun(point: Point, m: number, seed: number, steps?: number): SuiteRun {
  const [gamma, gammaPrime] = point;
  const beta1 = m ** (-(gamma + gammaPrime) / 2),
    beta2 = m ** (-(gamma - gammaPrime) / 2);
  const lr = Math.min(0.02, 0.5 / (1 + 40 * m * (beta1 ** 2 + beta2 ** 2)));
  return {
    label: label(point, seed),
    spec: {
      data: { preset: 'sin5d', seed },
      model: { width: m, activation: 'tanh' },
      init: { alpha: 1, beta1, beta2 },
      optimizer: { kind: 'gd' },
      lr,
      stop: steps === undefined ? { maxSteps: 10_000, lossRatioBelow: 0.99 } : { maxSteps: steps },
      seed,
    },
  };
}

/** Onset of initial condensation (T2.4): init stds s, GD rate, width. */
const ONSET_STDS = [1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8];
const ONSET_LR = 0.02;
const ONSET_PART = 'onset';
const onsetLabel = (std: number, seed: number) => `std=${std} seed=${seed}`;

/** tanh, m = 50, a and w from N(0, s²), full-batch GD at ONSET_LR until R ≤ 0.99·R(0): the onset step. */
function onsetRun(std: number, seed: number, activation = 'tanh'): SuiteRun {
  return {
    label: onsetLabel(std, seed),
    spec: {
      data: { preset: 'sin5d', seed },
      model: { width: 50, activation },
      init: { alpha: 1, beta1: std, beta2: std },
      optimizer: { kind: 'gd' },
      lr: ONSET_LR,
      stop: { maxSteps: 20_000, lossRatioBelow: 0.99 },
      seed,
    },
  };
}

/**
 * One seed's onset steps against ln(1/s): the least-squares slope, its R², and the slope the linear
 * stage predicts, 1/ln(1 + lr‖z‖): a + w·ẑ grows by 1 + lr‖z‖ a step, the output by its square, from
 * s² to the 1 % loss drop (SCIENCE.md §4.2).
 */
function onsetFit(ms: Record<string, number>[]): { slope: number; r2: number; predicted: number } {
  const x = ONSET_STDS.map((s) => Math.log(1 / s)),
    steps = ms.map((m) => m.steps);
  return { slope: leastSquaresSlope(x, steps), r2: polynomialFitR2(x, steps, 1), predicted: 1 / Math.log(1 + ONSET_LR * ms[0].zNorm) };
}

/** Per seed, the runs of one point at every width, smallest first. */
const acrossWidths = (point: Point, seeds: readonly number[]) => seeds.map((s) => WIDTHS.map((m) => runKey(part(m), label(point, s))));
const steps = (xs: number[]) => xs.slice(1).map((x, i) => x - xs[i]);

export const initialCondensation: SuiteDef = {
  id: 'initial-condensation',
  title: 'Initial condensation only in the condensed regime',
  paper: 'Chen, Li, Luo, Zhou, Xu, arXiv 2303.06561 (CSIAM-AM 2024)',
  figure: 'phase diagram of initial condensation (tanh, d = 5, m = 100, 1000, 4000)',
  parts: (scale) => [
    ...WIDTHS.map((m) => ({
      id: part(m),
      runs: SEEDS[scale].flatMap((s) => [initialStageRun(CONDENSED, m, s), ...LINEAR.map((p) => initialStageRun(p, m, s, EARLY_STEPS[m]))]),
      measures: ['medianCosZ', 'RD', 'steps'] as MeasureName[],
      timeoutSeconds: 300,
    })),
    {
      id: ONSET_PART,
      runs: SEEDS[scale].flatMap((s) => ONSET_STDS.map((std) => onsetRun(std, s))),
      measures: ['steps', 'zNorm'] as MeasureName[],
      timeoutSeconds: 300,
    },
    {
      id: TRAINED_PART,
      runs: SEEDS[scale].flatMap((s) => LINEAR.map((p) => initialStageRun(p, 1000, s, TRAINED_STEPS))),
      measures: ['medianCosZ', 'RD', 'finalLoss'],
      timeoutSeconds: 300,
      // 2000 steps of m = 1000 take about 110 s on SwiftShader (judged there with --judge-all --slow); a bit-check trains 500
      slowOnSoftware: true,
      bitCheck: { steps: 500 },
    },
  ],
  claims: (scale) => {
    const seeds = SEEDS[scale];
    const at1000 = (p: Point) => seeds.map((s) => label(p, s));
    const src = 'SCIENCE.md §4.4 T2.3';
    const median = (ms: Record<string, number>[]) => ms.map((m) => m.medianCosZ);
    const linear = LINEAR.flatMap((p) => acrossWidths(p, seeds));
    const onset = seeds.map((s) => ONSET_STDS.map((std) => runKey(ONSET_PART, onsetLabel(std, s))));
    const onsetSrc = 'Chen et al. 2023 (time of initial condensation, p = 1); SCIENCE.md §4.2 (linear stage)';
    return [
      worstSeed(
        {
          id: 'T2.4a',
          statement: 'onset step (R ≤ 0.99·R(0)) linear in ln(1/s), s = 1e-2 … 1e-8: R² of the line, tanh, m = 50',
          source: onsetSrc,
          pilot: 'issue #14: 13–73 steps at 1e-2, 100–353 at 1e-6',
          op: '>=',
          threshold: 0.999,
        },
        onset,
        (ms) => onsetFit(ms).r2,
      ),
      worstSeed(
        {
          id: 'T2.4b',
          statement: "onset slope over ln(1/s) against the linear stage's 1/ln(1 + lr‖z‖): |ratio − 1|",
          source: onsetSrc,
          pilot: '0 (derived)',
          op: '<=',
          threshold: 0.03,
        },
        onset,
        (ms) => Math.abs(onsetFit(ms).slope / onsetFit(ms).predicted - 1),
      ),
      overSeeds(
        { id: 'T2.3a', statement: 'median |cos(wₖ, z)| at (γ, γ′) = (2, 0) (condensed), m = 1000', source: src, pilot: '0.906–0.957', op: '>', threshold: 0.8 },
        part(1000),
        at1000(CONDENSED),
        'medianCosZ',
      ),
      overSeeds(
        {
          id: 'T2.3b',
          statement: `median |cos(wₖ, z)| at (0.5, 0) (linear), m = 1000, after ${TRAINED_STEPS} GD steps`,
          source: src,
          pilot: '0.286–0.309 (at 0.99·R(0))',
          op: '<',
          threshold: 0.35,
        },
        TRAINED_PART,
        at1000(LINEAR[0]),
        'medianCosZ',
      ),
      overSeeds(
        {
          id: 'T2.3c',
          statement: `median |cos(wₖ, z)| at (1.5, 1) (linear), m = 1000, after ${TRAINED_STEPS} GD steps`,
          source: src,
          pilot: '0.288–0.308 (at 0.99·R(0))',
          op: '<',
          threshold: 0.35,
        },
        TRAINED_PART,
        at1000(LINEAR[1]),
        'medianCosZ',
      ),
      worstSeed(
        {
          id: 'T2.3d',
          statement: 'at (2, 0) the median grows with m: smallest increase over m = 100 → 1000 → 4000',
          source: src,
          pilot: '≥ 0.025 (seed 0: 0.647 → 0.941 → 0.985)',
          op: '>',
          threshold: 0,
        },
        acrossWidths(CONDENSED, seeds),
        (ms) => Math.min(...steps(median(ms))),
      ),
      worstSeed(
        {
          id: 'T2.3e',
          statement: `linear points after ${Object.values(EARLY_STEPS).join('/')} GD steps at m = ${WIDTHS.join('/')}: median at every m (random baseline 0.309)`,
          source: `${src} (growth only when condensed)`,
          pilot: '0.264–0.358',
          op: '<',
          threshold: 0.4,
        },
        linear,
        (ms) => Math.max(...median(ms)),
      ),
      worstSeed(
        {
          id: 'T2.3f',
          statement: `linear points after ${Object.values(EARLY_STEPS).join('/')} GD steps: median(m = 4000) − median(m = 100)`,
          source: `${src} (growth only when condensed)`,
          pilot: '≤ 0.033',
          op: '<',
          threshold: 0.1,
        },
        linear,
        (ms) => median(ms)[ms.length - 1] - median(ms)[0],
      ),
    ];
  },
  figures: (scale, run, project) => [
    {
      id: 'onset-steps',
      title: "onset of initial condensation: steps to R ≤ 0.99·R(0) against ln(1/s), with the linear stage's slope",
      project,
      kind: 'lines',
      xLabel: 'ln(1/s), s the init std',
      yLabel: 'onset step',
      series: SEEDS[scale].flatMap((s) => {
        const runs = ONSET_STDS.map((std) => run(runKey(ONSET_PART, onsetLabel(std, s))));
        if (runs.some((r) => !r)) return [];
        const x = ONSET_STDS.map((std) => Math.log(1 / std)),
          steps = runs.map((r) => r!.measures.steps);
        const { predicted } = onsetFit(runs.map((r) => r!.measures));
        const [mx, my] = [x.reduce((a, b) => a + b) / x.length, steps.reduce((a, b) => a + b) / x.length];
        return [
          { label: `seed ${s}`, points: x.map((v, i): [number, number] => [v, steps[i]]) },
          { label: `seed ${s}: slope 1/ln(1 + lr‖z‖)`, points: [x[0], x[x.length - 1]].map((v): [number, number] => [v, my + predicted * (v - mx)]) },
        ];
      }),
    },
    {
      id: 'median-vs-width',
      title: 'median |cos(wₖ, z)| against the width: (2, 0) at the end of its initial stage, the linear points after EARLY_STEPS',
      project,
      kind: 'lines',
      xLabel: 'width m',
      yLabel: 'median |cos(wₖ, z)|',
      logX: true,
      series: [CONDENSED, ...LINEAR].flatMap((p) =>
        SEEDS[scale].map((s) => ({
          label: `(γ, γ′) = (${p.join(', ')}) seed ${s}`,
          points: WIDTHS.flatMap((m): [number, number][] => {
            const r = run(runKey(part(m), label(p, s)));
            return r ? [[m, r.measures.medianCosZ]] : [];
          }),
        })),
      ),
    },
  ],
};
