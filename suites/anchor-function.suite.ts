// Suite "anchor-function": does small initialisation make a transformer reason? (SCIENCE.md §9.2–9.3;
// Zhang, Lin, Wang, Zhang, Xu, NeurIPS 2024: "Initialization is critical to whether transformers fit composite
// functions by reasoning or memorizing"). A decoder-only post-LN transformer learns the anchor task
// (src/engine/anchor-task.ts): 14 anchor pairs taught their composite shift, (3, 4) taught x − 6, (4, 3)
// held out; answered x − 10 the held-out pair was inferred, x − 6 it copies (3, 4) (symmetric).
//
// Model (src/models/anchor-transformer.ts; the authors' GPT_specific.py in miniature): token embedding
// (201 × 32) + learned positions → 2 × [causal single-head attention (d_k = d_v = 16, no biases) +
// residual → LayerNorm → feed-forward 32 → 64 → ReLU → 32 (no biases) + residual → LayerNorm] → the last
// position → dense 201 (with bias); every weight matrix from N(0, (d_in^−γ)²) with d_in its input width
// (the embedding's: d_model, as PyTorch's weight.shape[1]); softmax cross-entropy on the last position.
// Training: 3,000 sequences per trained pair (45,000; the paper's split of key items by x mod 7 against
// their position), batches of 64, AdamW (weight decay 0.01), lr 2e-3 with 100 warm-up steps and cosine
// decay to 0 over 6,000 steps (about 8.5 epochs), gradients clipped to norm 1. The authors train d_model
// 400 for 77,700 steps of batch 2,048 at peak lr 2e-4; at ci the model is 1/12 as wide and is shown about
// 1/500 as many sequences.
//
// Three initialisations per seed (seed moves the weights, the data and the batch order):
//   γ = 0.2 (std 0.50: too large), γ = 0.4 (std 0.25: large), γ = 0.8 (std 0.063: small).
//
// Calibration on WASM (f32 training, f64 measures), seeds 0–3, then fresh seeds 4–9 (γ = 0.2: seeds 0–7),
// per seed (docs/anchor-task.md has every run):
//   W_Q^(1) clusters at cos > 0.7, of 16 rows: γ = 0.8: 2–8 (seeds 0–3: 2–7); γ = 0.4: 14–16 (0–3: 16);
//       fewer from γ = 0.8 than from γ = 0.4 on every seed (10/10)
//   seen pairs' test accuracy: γ = 0.8: 0.876–1.0 (0–3: 0.969–1.0); γ = 0.4: 0.985–0.999; γ = 0.2:
//       0.025–0.209 (the authors' log at std rate 0.1: 0.315)
//   the held-out pair (4, 3), shares answered x − 10 / x − 6: γ = 0.8: 0–0.46 / 0–1.0, symmetric above
//       inferential on 9 of 10 seeds (medians 0.008 / 0.82); γ = 0.4: 0–0.67 / 0.06–1.0, inferential above
//       symmetric on 4 of 10 seeds (medians 0.20 / 0.67); smaller inits with twice the steps (γ = 1.0, 1.2,
//       1.4; seeds 0–1) answer symmetrically too (x − 6: 0.44–1.0, x − 10: at most 0.15)
// So the miniature reproduces the condensation of W_Q^(1) under small initialisation, the seen pairs'
// generalisation and the failure of too large an init; it does NOT reproduce the paper's headline: small
// init here memorises the mirror pair (x − 6) rather than inferring x − 10, and the inferential answers
// come, on some seeds, from the larger init. Along training (7 snapshots, the report's curves) the answer is
// set by about step 4,000, when (3, 4)'s exception is learnt, and 48,000 steps or width 64 do not change it;
// at γ = 0.8 the x − 10 answers come where the pair sits at the last two positions (the read-out token is the
// second anchor: 0.92–0.94 on 3 of 10 seeds), almost never where attention must carry it (1 of 10 seeds).
// The held-out answers are reported (figures and table), not asserted. The authors' width (d_model 400) on
// the γ × depth grid is hours of GPU time (about 2.5 PFLOP a run to their epoch 23: docs/anchor-task.md);
// scripts/gpu-figures.sh runs this miniature's full scale and its γ × depth grid.
// Every claim passes on the eight ci seed offsets 0–7 that these seeds cover.
// Sweep (issue #28; WASM, ci, one worker): offsets N = 1000·k + 7, k = 0…19, per claim the value range,
// threshold, smallest margin, pass rate:
//   T7.2a 4 … 10 (≤ 10, margin 0, 20/20)   T7.2b 13 … 16 (≥ 14, 19/20: 13 at 5007)   T7.2c 1 … 1 (≥ 0.8, 20/20)
//   T7.2d 0.581 … 1 (≥ 0.9, 19/20: 0.581 at 1007)   T7.2e 0.985 … 0.997 (≥ 0.9, 20/20)   T7.2f 0.021 … 0.347
//   (≤ 0.5, 20/20). Per seed (60 seeds): W_Q^(1) clusters from γ = 0.8 2–10, from γ = 0.4 11–16 (below 14 on 6
//   of 60, two of them at 5007: the median of three seeds fails on about 3 % of offsets); γ = 0.8 seen accuracy
//   0.52–1.0, below 0.9 on 10 of 60 seeds (two of 1007 at 0.52 and 0.58: small init still on its way at step
//   6,000). NOT restated: a median of three seeds fails wherever two seeds fall short, and the contrast T7.2c
//   holds on every seed. Left open in issue #28. Tried in session 14 and not adopted: the γ = 0.8 arm trained
//   9,000 steps (lr decaying over them) on the 120 seeds of k = 0…39 reaches seen accuracy 0.65–1.0 (below 0.9
//   on 3 of 120; T7.2d's median 0.948 … 1, 40/40), with W_Q clusters 2–11 (its median 3 … 8). But the too-large
//   init learns too when given those steps: γ = 0.2 for 9,000 steps reads 0.898, 0.287, 0.466 on seeds 0–2
//   (0.02–0.35 at 6,000). Training only the small arm longer would compare the arms at unequal budgets, and
//   training every arm longer would fail T7.2f: at this size "too large an init fails" is "too large an init
//   is slower", read at one budget, and so is T7.2d's shortfall. The γ = 0.4 arm on held-out offsets k = 20…39
//   (the suite's runs): T7.2b 13 … 16, 19/20 (13 at 36007); over the 120 seeds of k = 0…39 it keeps 11–16
//   clusters, fewer than 14 on 16 of them, so a median of three falls below 14 on about 5 % of offsets.
// Flips (test/anchor-function.test.ts, seed 0): γ = 0.8 and 0.4 swapped fail the cluster claims T7.2a–c; the
// learning inits (γ = 0.8, 0.4) from γ = 0.2's std and the γ = 0.2 run from γ = 0.8's fail the accuracy claims
// (issue #28: they held under the first flip): T7.2d 0.209, T7.2e 0.209, T7.2f 0.969.
import type { RunRecord, SuiteFigure } from '../src/report/schema.js';
import type { ClaimDef, SuiteDef, SeedsByScale } from '../src/suite/define.js';
import { runKey } from '../src/suite/define.js';
import { medianOverSeeds, overSeeds, acrossSeeds } from '../src/suite/over-seeds.js';
import { anchorLayers, ANCHOR_SUITE_BATCH, DK } from '../src/models/anchor-transformer.js';
import { median } from '../src/science/stats.js';

const DEPTH = 2;
const STEPS = 6000;
const GAMMAS = { tooLarge: 0.2, large: 0.4, small: 0.8 } as const;
type Init = keyof typeof GAMMAS;
const SEEDS: SeedsByScale = { ci: [0, 1, 2], full: [0, 1, 2, 3, 4, 5, 6, 7] };
/** Per-seed ranges of the calibration (seeds 0–9), written beside each threshold. */
const CALIBRATION = {
  smallClusters: '2–8 of 16',
  largeClusters: '14–16 of 16',
  fewerClusters: '10/10 seeds',
  seen: { small: '0.876–1.0', large: '0.985–0.999', tooLarge: '0.025–0.209' },
};
const RATE = '8/8 seed offsets 0–7';
/** the too-large init runs on one seed at ci (it fails on every seed tried) */
const TOO_LARGE_SEEDS: SeedsByScale = { ci: [0], full: [0, 1, 2, 3] };

/** Snapshots for the answers along training, denser early (each adds about 2 s to the ci part: its weights come back from the runner and 1,900 sequences per run are answered). */
const SNAPSHOTS = [500, 1000, 1500, 2000, 3000, 4000, STEPS];

/** Path of the first block's attention layer (its W_Q rows are the condensation the paper shows). */
const ATTENTION_PATH = 'model.layers[2].layers[0]';

/** One run: initialisation rate γ, `depth` blocks, one seed for weights, data and batches. */
export const anchorRun = (gamma: number, seed: number, depth = DEPTH) => ({
  label: `γ=${gamma} depth=${depth} seed=${seed}`,
  spec: {
    data: { preset: 'anchor', perPair: 3000, split: 'paper', seed },
    model: { layers: anchorLayers(gamma, depth), loss: 'softmax-ce' },
    optimizer: { kind: 'adamw', weightDecay: 0.01 },
    lr: { value: 2e-3, warmupSteps: 100, decay: 'cosine', decaySteps: STEPS },
    batch: { size: ANCHOR_SUITE_BATCH },
    clip: { maxNorm: 1 },
    stop: { maxSteps: STEPS },
    snapshots: SNAPSHOTS,
    seed,
  },
});

const MEASURES = [
  'seenAccuracy',
  'heldOutInferential',
  'heldOutSymmetric',
  'heldOutOther',
  'heldOutInferentialPairLast',
  'heldOutInferentialPairInside',
  'wqClusters',
  'wqLargestCluster',
  'finalLoss',
] as const;
/** measures along training (the report's curves) */
const CURVES = ['seenAccuracy', 'heldOutInferential', 'heldOutSymmetric'] as const;
const NOT_ON_SOFTWARE =
  'the WebGPU program takes 1.2 s a step of batch 256 on SwiftShader (bench), so a run of 6,000 steps takes tens of minutes; it runs on WASM and on a GPU (WebGPU = WASM bits: test/webgpu-layered.test.ts)';
/** steps of a run that a software adapter trains for its bit-check against WASM (every kernel of a step runs in each) */
const BIT_CHECK_STEPS = 6;
const PART = 'T7.2';

/** The seeds of one scale: of the small and large arms (paired by seed), and of the too-large arm. */
type RunSeeds = { pairs: readonly number[]; tooLarge: readonly number[] };
const labels = (seeds: RunSeeds, init: Init) => (init === 'tooLarge' ? seeds.tooLarge : seeds.pairs).map((s) => anchorRun(GAMMAS[init], s).label);
const keys = (seeds: RunSeeds, init: Init) => labels(seeds, init).map((l) => runKey(PART, l));
const INITS: Init[] = ['small', 'large', 'tooLarge'];

/** The γ × depth phase grid (full scale only, for a GPU; reported, not asserted): a run per cell and seed. */
const PHASE = { part: 'T7.2-phase', gammas: [0.2, 0.4, 0.6, 0.8, 1.0, 1.2], depths: [2, 3, 4], seeds: [0, 1] };
const phaseRuns = () => PHASE.depths.flatMap((d) => PHASE.gammas.flatMap((g) => PHASE.seeds.map((s) => anchorRun(g, s, d))));

/** Medians over seeds of the phase grid's cells, one heat map per measure. */
function phaseFigures(get: (key: string) => RunRecord | undefined, project: string): SuiteFigure[] {
  const cell = (g: number, d: number, measure: string) => {
    const values = PHASE.seeds.flatMap((s) => {
      const r = get(runKey(PHASE.part, anchorRun(g, s, d).label));
      return r ? [r.measures[measure]] : [];
    });
    return values.length ? median(values) : null;
  };
  const grid = (measure: string, what: string): SuiteFigure => ({
    id: `phase-${measure}`,
    kind: 'grid',
    project,
    xLabel: 'γ',
    yLabel: 'depth (blocks)',
    valueLabel: what,
    x: PHASE.gammas,
    y: PHASE.depths,
    values: PHASE.depths.map((d) => PHASE.gammas.map((g) => cell(g, d, measure))),
    title: `γ × depth: ${what} (median over seeds ${PHASE.seeds.join(', ')})`,
  });
  if (!get(runKey(PHASE.part, phaseRuns()[0].label))) return [];
  return [
    grid('heldOutInferential', 'held-out pair answered x − 10'),
    grid('heldOutSymmetric', 'held-out pair answered x − 6'),
    grid('seenAccuracy', 'seen pairs’ test accuracy'),
  ];
}

const CURVE_LABELS: Record<(typeof CURVES)[number], string> = {
  seenAccuracy: 'seen pairs, test accuracy',
  heldOutInferential: 'held-out x − 10',
  heldOutSymmetric: 'held-out x − 6',
};

/** The median over runs at each snapshot step of one measure's curve (the runs share the snapshot steps). */
function medianCurve(curves: (NonNullable<RunRecord['curves']>[string] | undefined)[]): [number, number][] {
  const known = curves.filter((c) => c !== undefined);
  if (known.length === 0) return [];
  return known[0].step.map((step, i): [number, number] => [step, median(known.map((c) => c.value[i]))]);
}

/** Answers to the held-out pair by mapping against γ (medians over seeds), a per-run table and, at full scale, the phase grid. */
function figures(seeds: RunSeeds, get: (key: string) => RunRecord | undefined, project: string): SuiteFigure[] {
  const runs = INITS.flatMap((init) => keys(seeds, init).flatMap((k) => (get(k) ? [{ init, r: get(k)! }] : [])));
  if (runs.length === 0) return phaseFigures(get, project);
  const byGamma = [...new Set(runs.map(({ init }) => GAMMAS[init]))].sort((a, b) => a - b);
  const medianAt = (gamma: number, measure: string) => median(runs.filter(({ init }) => GAMMAS[init] === gamma).map(({ r }) => r.measures[measure]));
  const series = (label: string, measure: string) => ({ label, points: byGamma.map((g): [number, number] => [g, medianAt(g, measure)]) });
  const m = (r: RunRecord, k: string) => r.measures[k];
  return [
    {
      id: 'mapping-by-gamma',
      kind: 'lines',
      project,
      xLabel: 'γ (std = d_in^−γ; larger γ is a smaller init)',
      yLabel: 'share of answers (median over seeds)',
      title: 'The held-out pair (4, 3) answered inferentially (x − 10), symmetrically (x − 6) or otherwise, and the seen pairs’ test accuracy',
      series: [
        series('held-out: inferential', 'heldOutInferential'),
        series('held-out: symmetric', 'heldOutSymmetric'),
        series('held-out: other', 'heldOutOther'),
        series('seen pairs: test accuracy', 'seenAccuracy'),
      ],
      caption:
        'The paper (d_model 400): γ = 0.5 symmetric, γ = 0.8 inferential, γ = 0.1 fails on seen pairs. This miniature (d_model 32) answers x − 6 from γ = 0.8 on 9 of 10 calibration seeds: the paper’s inferential regime is not reproduced here (docs/anchor-task.md).',
    },
    {
      id: 'answers-over-training',
      kind: 'lines',
      project,
      xLabel: 'step',
      yLabel: 'share of answers (median over seeds)',
      title: `Along training: the held-out pair answered x − 10 or x − 6, and the seen pairs’ test accuracy, at γ = ${GAMMAS.large} and ${GAMMAS.small}`,
      series: [GAMMAS.large, GAMMAS.small].flatMap((g) =>
        CURVES.map((measure) => ({
          label: `γ = ${g}: ${CURVE_LABELS[measure]}`,
          points: medianCurve(runs.filter(({ init }) => GAMMAS[init] === g).map(({ r }) => r.curves?.[measure])),
        })),
      ),
      caption:
        'The authors’ log at γ = 0.8 (d_model 400): the held-out pair’s x − 10 share follows the seen pairs up from epoch 3 and stays (0.28 at epoch 11, 0.73 at 17, 0.96 at 23, 0.968 at 209); at γ = 0.5 the seen pairs are learnt by epoch 5 with x − 10 at 0. Here, at γ = 0.8, x − 6 comes last, as (3, 4)’s exception is learnt (steps 3,000–6,000), and 8× longer training does not change the answer (docs/anchor-task.md).',
    },
    {
      id: 'anchor-table',
      kind: 'table',
      project,
      title: 'Per run: seen-pair accuracy, the held-out pair’s answers, W_Q^(1) clusters',
      columns: [
        'γ',
        'seed',
        'seen acc.',
        'held-out x − 10',
        'x − 6',
        'other',
        'x − 10, pair last',
        'x − 10, pair inside',
        'W_Q clusters (cos > 0.7)',
        'largest',
        'final loss',
      ],
      rows: runs.map(({ init, r }) => [
        GAMMAS[init],
        r.seed,
        m(r, 'seenAccuracy'),
        m(r, 'heldOutInferential'),
        m(r, 'heldOutSymmetric'),
        m(r, 'heldOutOther'),
        m(r, 'heldOutInferentialPairLast'),
        m(r, 'heldOutInferentialPairInside'),
        m(r, 'wqClusters'),
        m(r, 'wqLargestCluster'),
        m(r, 'finalLoss'),
      ]),
    },
    ...phaseFigures(get, project),
  ];
}

function claims(seeds: RunSeeds): ClaimDef[] {
  const src = 'SCIENCE.md §9.2 (NeurIPS 2024, Fig. 5: W_Q^(1) rows condense with small init, not with large)',
    srcSeen = 'SCIENCE.md §9.2 (the authors’ logs: seen-pair accuracy 1.0 at std rates 0.5 and 0.8, 0.315 at 0.1)';
  const worst = (init: Init, c: Omit<ClaimDef, 'value' | 'uses'>, measure: string) => overSeeds(c, PART, labels(seeds, init), measure);
  const mid = (init: Init, c: Omit<ClaimDef, 'value' | 'uses'>, measure: string) => medianOverSeeds(c, PART, labels(seeds, init), measure);
  return [
    worst(
      'small',
      {
        id: 'T7.2a',
        statement: `γ = ${GAMMAS.small}: clusters of the first layer’s W_Q rows at cos > 0.7 (of ${DK} rows; worst seed)`,
        source: src,
        pilot: `${CALIBRATION.smallClusters} per seed, ${RATE}`,
        op: '<=',
        threshold: 10,
      },
      'wqClusters',
    ),
    mid(
      'large',
      {
        id: 'T7.2b',
        statement: `γ = ${GAMMAS.large}: clusters of the first layer’s W_Q rows at cos > 0.7 (of ${DK} rows; median over seeds: no condensation)`,
        source: src,
        pilot: `${CALIBRATION.largeClusters} per seed, ${RATE}`,
        op: '>=',
        threshold: 14,
      },
      'wqClusters',
    ),
    acrossSeeds(
      {
        id: 'T7.2c',
        statement: `share of seeds on which W_Q^(1) forms fewer clusters from γ = ${GAMMAS.small} than from γ = ${GAMMAS.large} (same seed)`,
        source: src,
        pilot: `${CALIBRATION.fewerClusters}, ${RATE}`,
        op: '>=',
        threshold: 0.8,
      },
      seeds.pairs.map((_, i) => [keys(seeds, 'small')[i], keys(seeds, 'large')[i]]),
      ([s, l]) => (s.wqClusters < l.wqClusters ? 1 : 0),
      (...xs) => xs.reduce((x, y) => x + y, 0) / xs.length,
    ),
    ...(['small', 'large'] as const).map((init, i) =>
      mid(
        init,
        {
          id: `T7.2${'de'[i]}`,
          statement: `γ = ${GAMMAS[init]}: test accuracy on the seen pairs (key items never trained on; median over seeds)`,
          source: srcSeen,
          pilot: `${CALIBRATION.seen[init]} per seed, ${RATE}`,
          op: '>=',
          threshold: 0.9,
        },
        'seenAccuracy',
      ),
    ),
    worst(
      'tooLarge',
      {
        id: 'T7.2f',
        statement: `γ = ${GAMMAS.tooLarge} (too large an init): test accuracy on the seen pairs (worst seed: it fails to learn them)`,
        source: srcSeen,
        pilot: `${CALIBRATION.seen.tooLarge} per seed, ${RATE}`,
        op: '<=',
        threshold: 0.5,
      },
      'seenAccuracy',
    ),
  ];
}

/** The suite on the given seeds per scale of the paired arms and of the too-large arm (the flip test trains one). */
export const anchorFunctionOn = (pairs: SeedsByScale, tooLarge: SeedsByScale): SuiteDef => ({
  id: 'anchor-function',
  title: 'Anchor functions: small initialisation condenses a transformer’s queries',
  paper: 'Zhang, Lin, Wang, Zhang, Xu, NeurIPS 2024 (arXiv 2405.05409); Xu, Zhang, Zhou, arXiv 2504.09484',
  figure: 'Fig. 2 (phase diagram of the held-out pair’s solution over γ × depth), Fig. 5 (W_Q^(1) cosine maps)',
  figures: (scale, get, project) => figures({ pairs: pairs[scale], tooLarge: tooLarge[scale] }, get, project),
  parts: (scale) => [
    {
      id: PART,
      // seed by seed, small then large: the report keeps the first two runs' heat maps, one of each
      runs: [
        ...pairs[scale].flatMap((s) => [anchorRun(GAMMAS.small, s), anchorRun(GAMMAS.large, s)]),
        ...tooLarge[scale].map((s) => anchorRun(GAMMAS.tooLarge, s)),
      ],
      measures: [...MEASURES],
      curves: [...CURVES],
      plotLayers: [ATTENTION_PATH],
      timeoutSeconds: 900,
      notOnSoftware: NOT_ON_SOFTWARE,
      bitCheck: { steps: BIT_CHECK_STEPS },
    },
    ...(scale === 'full'
      ? [
          {
            id: PHASE.part,
            runs: phaseRuns(),
            measures: [...MEASURES],
            timeoutSeconds: 3600,
            notOnSoftware: NOT_ON_SOFTWARE,
            bitCheck: { steps: BIT_CHECK_STEPS },
          },
        ]
      : []),
  ],
  claims: (scale) => claims({ pairs: pairs[scale], tooLarge: tooLarge[scale] }),
});

export const anchorFunction = anchorFunctionOn(SEEDS, TOO_LARGE_SEEDS);
