// Suite "multiplicity": Zhou, Zhou, Luo, Zhang, Xu (NeurIPS 2022) Fig. 5/6: in the initial stage,
// an activation of multiplicity p condenses the input weights of a 1-d input network on at most p
// lines, and the network output is then a polynomial of degree p. Protocol SCIENCE.md §6.3 (b): data
// sin1d (n = 40, x ~ U[−1, 1.5], y = sin 3x + ½ sin 6x, resampled per seed as in the pilot), m = 100,
// all parameters ~ N(0, 0.005²), α = 1, full-batch Adam lr 5e-4, measured at epoch (= step) 200 —
// claims T4.2 and T4.3 of SCIENCE.md §6.4. And Fig. 2a (T4.4): tanh on sin5d (d = 5, n = 80), m = 50,
// std 0.005, Adam lr 1e-3, epoch 50: one line. The 5-d counts for p ≥ 2 are not asserted (§11.3).
// Both scales run these sizes (the paper's) and seeds 0–8 (0–4 until issue #12; x·tanh and x²·tanh 0–26, for T4.2).
//
// Thresholds: SCIENCE.md's, tightened where the f32 engines leave a wide margin. Measured on WASM
// (f32 training, f64 measures; WebGPU on SwiftShader gives the same bits), seeds 0–9 unless noted:
//   T4.2  exact line counts (issue #28 item 1; were upper bounds, which one line passed): the paper's Fig. 6
//         shows exactly p lines (x·tanh 2, x²·tanh 3). Lines: |cos| > 0.98 among the kept neurons
//         (‖w‖ > 0.2·max), counting those holding ≥ 5 % of the kept neurons (majorLines98). The 5 % filter:
//         over 540 runs (x·tanh and x²·tanh, offsets 1000·k + 507 and 1000·k + 7, k = 0–9 and 0–19, nine
//         seeds each) every line holds either 1–4 neurons (≤ 4.5 %, stragglers: x·tanh lines98 reads 3 on
//         about one seed in seven through them) or ≥ 5.1 % (usually ≥ 6.5 %); 5 % sits in that gap.
//         Converged: grownShare ≥ 0.95, ≥ 95 % of the m neurons past 0.2·max‖w‖. At epoch 200 x²·tanh's
//         third line is often still growing below the norm cut (seed 6511: 56 and 31 kept neurons on two
//         lines, 13 more on a third under it): 558 of 810 x²·tanh runs and all but 1 of 810 x·tanh runs
//         are converged. On converged runs the f32 engine gives exactly p lines on most seeds, not all:
//         x·tanh 742/809 = 92 % (else 1 line: the second holds 1–4 neurons; 3 on 2 seeds), x²·tanh
//         473/558 = 85 % (else 2 lines with no third below the cut; presumably the data's cubic has fewer stable
//         roots). So T4.2a/b claim the share of converged seeds with exactly p lines: ≥ 0.75 (x·tanh) and
//         ≥ 0.66 (x²·tanh, two thirds), thresholds set on the calibration offsets 1000·k + 507 (k = 0–9:
//         88/90 and 63/66) before any check. Over 27 seeds (T42_SEEDS; nine gave 19/20 at the check
//         offsets for T4.2b, 0.6 at 7007, and a fail probability of 1.6 % / 5 % an offset at the pooled
//         rates; 27 give 0.1 % / 0.5 %); thresholds never moved. Pass rates (WASM, ci):
//           offsets 1000·k + 7, k = 0–19:  T4.2a 0.778 … 1 (margin 0.028) 20/20; T4.2b 0.80 … 1 (margin 0.14) 20/20
//           held out, k = 20–39:           T4.2a 0.815 … 1 (margin 0.065) 20/20; T4.2b 0.60 … 1 19/20
//         OPEN: T4.2b missed at 28007 (12 of 20 converged seeds with 3 lines); the held-out rate there is
//         306/369 = 83 %, at which a two-thirds share over ~18 converged seeds fails on ~2 % of offsets.
//         Flip (test/multiplicity.test.ts): tanh (p = 1) for x·tanh gives 0.56 < 0.75 and x·tanh (p = 2) for
//         x²·tanh 0 < 0.66, every run converged (so they fail on the count); from std 0.5 no run converges
//         (grownShare 0.61–0.92, 5–10 lines), so both are NaN, failed.
//   T4.3  R² of the degree-p fit: tanh deg 1 ≥ 0.999995, x·tanh deg 2 ≥ 0.99996, x²·tanh deg 3
//         ≥ 0.99995 (SCIENCE ≥ 0.999 → here ≥ 0.9999). x·tanh deg 1 ("not linear", T4.3d) over 29 seeds
//         (0–28): 0.41–0.96, median 0.79, q90 0.93; seeds 5 and 7 give 0.95 and 0.96 (their data make the
//         quadratic nearly linear), so the worst of five seeds crossed SCIENCE's 0.95 on fresh seed offsets.
//         T4.3d is claimed on the median over the five seeds (≤ 0.95, threshold unchanged): it fails only
//         if three of five seeds exceed 0.95 (about 1 in 29 does).
//   T4.4  lines at |cos| > 0.9: 1 on 9/10 seeds, 2 on seed 8 (SCIENCE ≤ 2; at most 2 on all 65 seeds 0–64);
//         largest line's share ≥ 0.98 on seeds 0–9 (SCIENCE ≥ 0.8 → here ≥ 0.95), but 0.68 on seed 44 (of
//         65: two lines of 68 % and 32 %), so T4.4b takes the median over the nine seeds. Issue #28's sweep:
//         3–4 lines on 5 of 180 fresh seeds (1012, 4013, 9012, 10014, 15014; the worst seed failed ≤ 2 at 5 of
//         20 offsets), while the paper's Fig. 2a shows one line: T4.4a now claims that, one line on the median
//         seed. Calibration offsets (k = 0–9): 1 line on 82/90 seeds, so a median of nine above 1 (≥ 5
//         seeds with 2+) has probability 5e-4 (6e-3 at the 95 % upper bound of the 8/90 rate); check
//         offsets (k = 10–19): 1 line on 78/90 seeds, median 1 on 10/10.
// The grid of the polynomial fit spans the data's inputs (the pilot's is [−1, 1.5]: the R² differ by
// < 0.05 on deg 1 and < 1e-5 on the degree-p fits).
// Fresh seeds (issue #12): every claim of this suite passes at seed offsets 0–5, 10, 20, 30, 40 on WASM
// (10/10 each; the values at each offset: docs/suites.md, "Fresh seeds").
// Sweep (issue #28): offsets N = 1000·k + 7, k = 0…19 (seeds N…N+8), WASM, ci; per claim the value over the
// 20 offsets, threshold, smallest margin, pass rate (before the restatement where it differs):
//   (T4.2a/b as upper bounds then: 2 … 2 median (18/20 on the worst seed), 3 … 3 (20/20); now exact, above)
//   T4.3a 0.999985 … 0.999999 (≥ 0.9999, margin 8.5e-5, 20/20)   T4.3b 0.999963 … 0.999972 (margin 6.3e-5, 20/20)
//   T4.3c 0.999941 … 0.999975 (≥ 0.9999, margin 4.1e-5, 20/20)
//   T4.3d 0.690 … 0.914 (≤ 0.95, margin 0.036, 20/20)
//   T4.4a 1 … 1 (≤ 1, margin 0, 20/20; worst seed ≤ 2: 15/20)   T4.4b 1 … 1 (≥ 0.95, margin 0.05, 20/20)
// Ten more offsets held out after the restatement (k = 20…29): every claim 10/10 (T4.3b's margin 6.1e-5).
import type { SuiteDef, SuitePart } from '../src/suite/define.js';
import { seedLabel } from '../src/suite/define.js';
import type { ActivationName } from '../src/engine/activations.js';
import { overSeeds, medianOverSeeds, acrossSeeds } from '../src/suite/over-seeds.js';
import type { ClaimDef } from '../src/suite/define.js';

/** SCIENCE.md §6.3 (b): 1-d Adam protocol, stopped at epoch 200. */
const oneDRun = (activation: ActivationName, seed: number) => ({
  label: seedLabel(seed),
  spec: {
    data: { preset: 'sin1d', seed },
    model: { width: 100, activation },
    init: { alpha: 1, beta1: 0.005, beta2: 0.005 },
    optimizer: { kind: 'adam' },
    lr: 5e-4,
    stop: { maxSteps: 200 },
    seed,
  },
});

/** SCIENCE.md §6.3 (a), Fig. 2a: tanh, d = 5, m = 50, Adam lr 1e-3, stopped at epoch 50. */
const fiveDRun = (seed: number) => ({
  label: seedLabel(seed),
  spec: {
    data: { preset: 'sin5d', seed },
    model: { width: 50, activation: 'tanh' },
    init: { alpha: 1, beta1: 0.005, beta2: 0.005 },
    optimizer: { kind: 'adam' },
    lr: 1e-3,
    stop: { maxSteps: 50 },
    seed,
  },
});

/** nine seeds, so that the median claims (T4.2a, T4.3d) hold on fresh seeds with high probability */
const SEEDS = [0, 1, 2, 3, 4, 5, 6, 7, 8];
const ACTIVATIONS: ActivationName[] = ['tanh', 'xtanh', 'x2tanh'];
/** 27 seeds for the parts of T4.2a/b (x·tanh, x²·tanh), whose share claims need the larger sample; T4.3 reads SEEDS */
const T42_SEEDS = Array.from({ length: 27 }, (_, s) => s);

/** a run has converged when this share of its m neurons has grown past 0.2·max‖w‖ (grownShare) */
const CONVERGED = 0.95;

/**
 * T4.2a/b: per seed 1 when the run has exactly p major lines (majorLines98), 0 when it has another count,
 * no value when it has not converged (grownShare < CONVERGED); the claim is the share over the converged
 * seeds (NaN, so failed, when none has converged).
 */
function exactLinesShare(c: Omit<ClaimDef, 'value' | 'uses'>, part: string, labels: string[], p: number): ClaimDef {
  return acrossSeeds(
    c,
    labels.map((l) => [`${part}/${l}`]),
    ([m]) => (m.grownShare >= CONVERGED ? (m.majorLines98 === p ? 1 : 0) : NaN),
    (...xs) => {
      const converged = xs.filter((x) => !Number.isNaN(x));
      return converged.length ? converged.reduce((a, b) => a + b, 0) / converged.length : NaN;
    },
  );
}

export const multiplicity: SuiteDef = {
  id: 'multiplicity',
  title: 'Multiplicity p: at most p lines, a degree-p output',
  paper: 'Zhou, Zhou, Luo, Zhang, Xu, NeurIPS 2022 (arXiv 2105.11686)',
  figure: 'Fig. 5 and 6 (1-d input, m = 100, Adam, epoch 200); Fig. 2a (tanh, d = 5, m = 50, epoch 50)',
  smoke: true,
  parts: (): SuitePart[] => [
    ...ACTIVATIONS.map((act): SuitePart => ({
      id: act,
      runs: (act === 'tanh' ? SEEDS : T42_SEEDS).map((s) => oneDRun(act, s)),
      measures: ['majorLines98', 'lines98', 'grownShare', 'outputR2deg1', 'outputR2deg2', 'outputR2deg3', 'finalLoss'],
      timeoutSeconds: 120,
    })),
    { id: 'tanh-5d', runs: SEEDS.map(fiveDRun), measures: ['lines90', 'largestLine90', 'medianCosZ', 'finalLoss'], timeoutSeconds: 120 },
  ],
  claims: () => {
    const labels = SEEDS.map(seedLabel),
      t42Labels = T42_SEEDS.map(seedLabel);
    const t42 = 'SCIENCE.md §6.4 T4.2',
      t43 = 'SCIENCE.md §6.4 T4.3',
      t44 = 'SCIENCE.md §6.4 T4.4';
    return [
      exactLinesShare(
        {
          id: 'T4.2a',
          statement:
            'x·tanh (p = 2), epoch 200: share of the converged seeds (≥ 95 % of the neurons past 0.2·max‖w‖) with exactly 2 lines at |cos| > 0.98 holding ≥ 5 % of those neurons',
          source: t42,
          pilot: '2 (5/5)',
          op: '>=',
          threshold: 0.75,
        },
        'xtanh',
        t42Labels,
        2,
      ),
      exactLinesShare(
        {
          id: 'T4.2b',
          statement:
            'x²·tanh (p = 3), epoch 200: share of the converged seeds (≥ 95 % of the neurons past 0.2·max‖w‖) with exactly 3 lines at |cos| > 0.98 holding ≥ 5 % of those neurons',
          source: t42,
          pilot: '2–3 (5/5)',
          op: '>=',
          threshold: 0.66,
        },
        'x2tanh',
        t42Labels,
        3,
      ),
      overSeeds(
        { id: 'T4.3a', statement: 'R² of the linear fit of the output, tanh (p = 1)', source: t43, pilot: '1.0000', op: '>=', threshold: 0.9999 },
        'tanh',
        labels,
        'outputR2deg1',
      ),
      overSeeds(
        { id: 'T4.3b', statement: 'R² of the quadratic fit of the output, x·tanh (p = 2)', source: t43, pilot: '1.0000', op: '>=', threshold: 0.9999 },
        'xtanh',
        labels,
        'outputR2deg2',
      ),
      overSeeds(
        { id: 'T4.3c', statement: 'R² of the cubic fit of the output, x²·tanh (p = 3)', source: t43, pilot: '1.0000', op: '>=', threshold: 0.9999 },
        'x2tanh',
        labels,
        'outputR2deg3',
      ),
      medianOverSeeds(
        {
          id: 'T4.3d',
          statement: 'R² of the linear fit of the output, x·tanh: not linear (median over seeds)',
          source: t43,
          pilot: '0.51–0.92',
          op: '<=',
          threshold: 0.95,
        },
        'xtanh',
        labels,
        'outputR2deg1',
      ),
      medianOverSeeds(
        {
          id: 'T4.4a',
          statement: 'lines at |cos| > 0.9, tanh, d = 5, m = 50, Adam, epoch 50: one line (median over seeds)',
          source: t44,
          pilot: '1 (seeds 0–1)',
          op: '<=',
          threshold: 1,
        },
        'tanh-5d',
        labels,
        'lines90',
      ),
      medianOverSeeds(
        {
          id: 'T4.4b',
          statement: 'share of the neurons in the largest line, tanh, d = 5, epoch 50 (median over seeds)',
          source: t44,
          pilot: '50/50 (seeds 0–1)',
          op: '>=',
          threshold: 0.95,
        },
        'tanh-5d',
        labels,
        'largestLine90',
      ),
    ];
  },
};
