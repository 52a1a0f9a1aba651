// Suite "dropout": Zhang & Xu, "Implicit regularization of dropout" (TPAMI 2024), SCIENCE.md §8.
// T6.1 (Lemma 1): for inverted dropout with keep probability p, E_η R_S^drop = R_S + R1 with
// R1 = ((1−p)/(2np))·Σᵢ Σₖ (aₖσ(wₖ·x̃ᵢ))². A dropout run with lr 1e-30 never moves θ in f32 (the measure
// checks it), so its recorded losses are K Monte-Carlo samples of R_S^drop(θ, η) drawn by the engine's
// own masks (Philox stream 'dropout'); their mean must sit within 3 standard errors of R_S + R1 and far
// from R_S alone. T6.2 (Fig. 4, pilot §8.3 a): tanh on y = tanh(x−6) + tanh(x+6), 20 points of
// [−10, 10], all parameters ~ N(0, m^−0.2), Adam lr 1e-3 for 30 000 steps: keep 0.9 condenses (C4) and
// oscillates less (total variation) than no dropout. T6.3 (Fig. 7 a,b, pilot §8.3 b): teacher
// y = tanh(w*·x), x ~ N(0, I₁₀), n = 200 (ci 100); student m neurons, W ~ N(0, m^−0.2/11), a ~ N(0, m^−0.2),
// Adam lr 1e-3 for 20 000 steps: keep 0.5 condenses (effective ratio), aligns with w* and generalises.
// "No dropout" runs carry no dropout field; they train in parts of their own (T6.x-none), which on
// SwiftShader cost half as much per step as a dropout batch, whose Philox masks dominate.
//
// Scales. full: the pilots' sizes (T6.2 m = 1000; T6.3 m = 200, n = 200) and 2·10⁵ masks. ci: the
// smallest sizes that still calibrate, kept in ci with large part timeouts and marked slowOnSoftware:
// `npm run suite` judges them on WASM and bit-checks their first steps on SwiftShader (BIT_CHECK_STEPS);
// with --judge-all they are judged there only with --slow. T6.2 needs the full 30 000 steps: at m = 500 and 20 000 steps C4(0.9)/C4(1)
// is 2.6, and at m = 400 (300) C4 without dropout reaches 0.215 (0.248) > 0.2; Adam lr 2e-3–1e-2 with
// fewer steps condenses less and leaves TV(1) − TV(0.9) < 1.5. T6.3 at m = 50, n = 100 needs
// 20 000 steps (12 000: effective ratio 0.32 on seed 2). What the parts cost per engine: docs/suites.md.
//
// Thresholds: SCIENCE.md's (T6.1b is this suite's own), two restated after fresh seeds (issue #12).
// Measured on WASM (f32 training, f64 measures; WebGPU on SwiftShader gives the same bits), seeds 0–2,
// ci scale:
//   T6.1  z(R_S + R1) 0.17–2.26 (≤ 3); z(R_S alone) 35–136 (T6.1b ≥ 10), 3000 masks, keep 0.5 and 0.9.
//         Over 81 fresh (keep, seed, data) tests |z| reached 3.05 once (seed offset 1, keep 0.5, seed 1):
//         SCIENCE's 3 s.e. is a per-test bound, and the claim takes the largest of 6 tests, so 3 s.e.
//         would raise a false alarm on 1.6 % of offsets even if Lemma 1 held exactly. T6.1a now bounds the
//         largest |z| by 3.8 (Bonferroni for 6 tests at a family-wise 0.1 %); T6.1b keeps the power.
//   T6.2  m = 500: C4(0.9) 0.675–0.731 (≥ 0.35); C4(0.9)/C4(1) 3.50–4.66 (≥ 3); TV(1) − TV(0.9)
//         2.74–3.34 (≥ 1.5); C4(1) 0.157–0.193 (≤ 0.2: the tightest margin of the suite). Over 27 fresh
//         seeds C4(1) reached 0.2026 once (seed 7), so the worst of three seeds crossed 0.2 on about one
//         offset in nine: T6.2d takes the median over the seeds (0.157–0.166 over the offsets, threshold
//         unchanged). The TV gap (T6.2c) was 1.75–2.74 over the fresh offsets (kept ≥ 1.5), but issue #28's
//         sweep (below) found it under 1.5 on 7 of 60 fresh seeds (0.87–1.41: runs without dropout whose
//         output oscillates less, TV(1) 5.3–5.7 against 6.1–8.2; TV(0.9) stays at 4.24–4.45), so the
//         worst of three seeds failed at 6 of 20 offsets. SCIENCE's TV(0.9) ≤ TV(1) − 1.5 is a statement
//         on the expected gap (pilot 2.24–2.86, mean 2.65), so T6.2c takes the mean over the seeds (same
//         threshold). Calibration offsets (k = 0–9, 30 seeds: gap 0.95–3.80, mean 2.75, sd 0.68): a
//         bootstrap of three of those seeds puts the mean under 1.5 in 0.2 % of draws (the worst seed in
//         19 %, the median in 1.3 %); check offsets (k = 10–19): mean ≥ 1.5 on 10/10 (1.73–3.18).
//         m = 1000 (full): C4(0.9) 0.484–0.547, C4(1) 0.108–0.137, ratio 3.56–5.06, TV gap 2.98–3.45.
//   T6.3  m = 50, n = 100: effective ratio 0.04–0.08 with dropout (≤ 0.3), 1.000 without (≥ 0.8);
//         median |cos(wₖ, w*)| 0.9987–0.9992 (≥ 0.95); test loss ratio 157–241 (> 10).
//         m = 200, n = 200 (full), seed 0: 0.06 / 1.000, median 0.997, ratio 360.
//   T6.4  (issue #28; SCIENCE §8.4 T6.4, Zhang & Xu Figs. 2/5): T6.2's task and Adam run trained on
//         R_S + R1 at keep 0.9 (r1Penalty: R1's gradient, no masks). Calibration, seeds 0–9: C4 0.90–0.94 (dropout 0.64–0.73,
//         none 0.15–0.20): the explicit regulariser alone condenses, more than the masks do (they add R1 and
//         noise). T6.4a takes T6.2a's bar (≥ 0.35), T6.4b T6.2b's (C4(R1)/C4(none) ≥ 3, same seed).
//   T6.5  (issue #28; Fig. 6): the same run without dropout, each step's gradient from 2 of the 20 points drawn
//         with replacement (sgd, batch 2; same Adam, lr, steps). Seeds 0–9: C4 0.12–0.16, below no dropout's
//         0.15–0.20; dropout over batch-2 SGD 4.1–5.7 on the same seed. T6.5a takes T6.2d's bar (median C4
//         ≤ 0.2), T6.5b T6.2b's (C4(keep 0.9)/C4(sgd) ≥ 3): the condensation is dropout's, not any
//         gradient noise's.
//   Sweep, offsets 1000·k + 7 (k = 0…19), and held out (k = 20…29):
//     T6.4a 0.896 … 0.933 (≥ 0.35, margin 0.546, 20/20)   T6.4b 4.63 … 6.48 (≥ 3, margin 1.63, 20/20)
//     T6.5a 0.121 … 0.154 (≤ 0.2, margin 0.046, 20/20)    T6.5b 4.04 … 5.13 (≥ 3, margin 1.04, 20/20)
//     held out: T6.4a 0.901 … 0.928, T6.4b 4.72 … 6.15, T6.5a 0.124 … 0.144, T6.5b 4.19 … 5.12 (10/10 each)
//   Flips (test/dropout.test.ts): the R1 arm with keep 1 (no penalty: the run without dropout, bit for bit)
//   reads C4 0.16–0.19 at offset 0 (T6.4a fails; T6.4b against the flipped none arm, now with dropout:
//   0.21–0.29); the SGD arm with dropout (keep 0.9) added reads C4 0.26–0.35 (T6.5a: median 0.27, fails)
//   and the flipped T6.2 arm (no dropout) over it 0.55–0.61 (T6.5b fails).
// The pilot values of SCIENCE.md stand beside each verdict in the report.
// Fresh seeds (issue #12): every claim of this suite passes at seed offsets 0–5, 10, 20, 30, 40 on WASM
// (10/10 each; the values at each offset: docs/suites.md, "Fresh seeds").
// Sweep (issue #28): offsets N = 1000·k + 7, k = 0…19 (seeds N…N+2), WASM, ci; per claim the value over the
// 20 offsets, threshold, smallest margin, pass rate (before the restatement where it differs):
//   T6.1a 0.788 … 2.69 (≤ 3.8, margin 1.11, 20/20)    T6.1b 15.9 … 58.6 (≥ 10, margin 5.94, 20/20)
//   T6.2a 0.574 … 0.701 (≥ 0.35, margin 0.224, 20/20)  T6.2b 3.23 … 4.69 (≥ 3, margin 0.234, 20/20)
//   T6.2c 1.73 … 3.18 (≥ 1.5, margin 0.232, 20/20; standard error over the seeds 0.07–0.83; worst seed:
//         0.867 … 3.11, 14/20)
//   T6.2d 0.140 … 0.173 (≤ 0.2, margin 0.027, 20/20)   T6.3a 0.04 … 0.12 (≤ 0.3, margin 0.18, 20/20)
//   T6.3b 1 … 1 (≥ 0.8, margin 0.2, 20/20)             T6.3c 0.994 … 0.999 (≥ 0.95, margin 0.044, 20/20)
//   T6.3d 64.5 … 243 (> 10, margin 54.5, 20/20)
import type { Scale, SuiteDef, SuitePart, SuiteRun } from '../src/suite/define.js';
import { seedLabel } from '../src/suite/define.js';
import type { MeasureName } from '../src/suite/measures.js';
import { acrossSeeds, overSeeds, worstSeed, medianOverSeeds } from '../src/suite/over-seeds.js';
import { mean } from '../src/science/stats.js';

interface Sizes {
  seeds: number[];
  /** Monte-Carlo masks of T6.1 (steps of a frozen run) */
  masks: number;
  /** width of the 1-d network of T6.2 */
  oneDWidth: number;
  /** width, samples and Adam steps of the teacher–student task of T6.3 */
  teacher: { width: number; n: number; steps: number };
}

const SIZES: Record<Scale, Sizes> = {
  ci: { seeds: [0, 1, 2], masks: 3000, oneDWidth: 500, teacher: { width: 50, n: 100, steps: 20_000 } },
  full: { seeds: [0, 1, 2], masks: 200_000, oneDWidth: 1000, teacher: { width: 200, n: 200, steps: 20_000 } },
};

const LEMMA_KEEPS = [0.5, 0.9];
/** T6.1a's bound on the largest of its 6 z-scores: Φ⁻¹(1 − 0.001/12) = 3.76, so the family of tests
 * raises a false alarm with probability 0.1 % if Lemma 1 holds (3 s.e. on each of 6 tests: 1.6 %) */
const LEMMA_Z = 3.8;
/** keep probability of the dropout arm of T6.2 and of T6.3 (SCIENCE.md §8.3) */
const ONE_D_KEEP = 0.9;
/** Steps of a sampled run that a software adapter trains for its bit-check against WASM (the whole runs take
 * 10–34 s there). T6.2's seed 0 with dropout leaves the WASM bits at step 13,500 on SwiftShader (losses
 * within 1e-3, every verdict the same: docs/suites.md), so the check stops well before. */
const BIT_CHECK_STEPS = { oneD: 3000, teacher: 4000 };
const TEACHER_KEEP = 0.5;

const withDropout = (keep: number | undefined) => (keep === undefined ? {} : { dropout: { keep } });

/** What a 1-d run trains on besides R_S: dropout masks, the R1 penalty alone (T6.4) or batch-2 sgd (T6.5). */
type OneDArm = { dropout?: { keep: number }; r1Penalty?: { keep: number }; sgd?: { batch: number } };
/** T6.5's batch: Zhang & Xu's SGD control (Fig. 6), the noisiest mini-batch of the 20 points but one. */
const SGD_BATCH = 2;

/** T6.1: a small random tanh network on 20 points of sin1d, frozen (lr 1e-30), every step's masked loss kept. */
const lemmaLabel = (keep: number, seed: number) => `keep=${keep} seed=${seed}`;
const lemmaRun = (keep: number, seed: number, masks: number) => ({
  label: lemmaLabel(keep, seed),
  spec: {
    data: { preset: 'sin1d', n: 20 },
    model: { width: 50, activation: 'tanh' },
    init: { alpha: 1, beta1: 0.5, beta2: 0.5 },
    optimizer: { kind: 'gd' },
    lr: 1e-30,
    dropout: { keep },
    stop: { maxSteps: masks },
    seed,
  },
});

/** SCIENCE.md §8.3 a: x = linspace(−10, 10, 20), y = tanh(x − 6) + tanh(x + 6). */
const ONE_D_X = Array.from({ length: 20 }, (_, i) => -10 + (20 * i) / 19);
const ONE_D_DATA = { x: ONE_D_X.map((v) => [v]), y: ONE_D_X.map((v) => Math.tanh(v - 6) + Math.tanh(v + 6)) };

const oneDRun = (arm: OneDArm, seed: number, m: number) => ({
  label: seedLabel(seed),
  spec: {
    data: ONE_D_DATA,
    model: { width: m, activation: 'tanh' },
    init: { alpha: 1, beta1: m ** -0.1, beta2: m ** -0.1 },
    optimizer: { kind: 'adam' },
    lr: 1e-3,
    ...arm,
    stop: { maxSteps: 30_000 },
    lossEvery: 100,
    seed,
  },
});

const teacherRun = (keep: number | undefined, seed: number, t: Sizes['teacher']) => ({
  label: seedLabel(seed),
  spec: {
    data: { preset: 'teacher10d', n: t.n, seed },
    model: { width: t.width, activation: 'tanh' },
    init: { alpha: 1, beta1: t.width ** -0.1, beta2: t.width ** -0.1 / Math.sqrt(11) },
    optimizer: { kind: 'adam' },
    lr: 1e-3,
    ...withDropout(keep),
    stop: { maxSteps: t.steps },
    lossEvery: 100,
    seed,
  },
});

const ONE_D_MEASURES: MeasureName[] = ['C4', 'outputTV', 'trainLoss', 'finalLoss'];
const TEACHER_MEASURES: MeasureName[] = ['effectiveRatio', 'medianCosTeacher', 'testLoss', 'trainLoss'];

/** A part slow on a software adapter: judged on WASM (and on a GPU), its first `bitCheckSteps` bit-checked there. */
const slowPart = (id: string, runs: SuiteRun[], measures: MeasureName[], timeoutSeconds: number, bitCheckSteps: number): SuitePart => ({
  id,
  runs,
  measures,
  timeoutSeconds,
  slowOnSoftware: true,
  bitCheck: { steps: bitCheckSteps },
});

export const dropout: SuiteDef = {
  id: 'dropout',
  title: 'Implicit regularisation of dropout: Lemma 1 and condensation',
  paper: 'Zhang & Xu, Implicit regularization of dropout, IEEE TPAMI 2024 (arXiv 2207.05952)',
  figure: 'Lemma 1; Fig. 4 (1-d tanh, keep 0.9); Fig. 7 a,b (10-d teacher–student)',
  parts: (scale): SuitePart[] => {
    const z = SIZES[scale];
    return [
      {
        id: 'T6.1',
        runs: LEMMA_KEEPS.flatMap((p) => z.seeds.map((s) => lemmaRun(p, s, z.masks))),
        measures: ['lemma1Z', 'lemma1ZWithoutR1', 'trainLoss'],
        timeoutSeconds: 120,
      },
      slowPart(
        'T6.2-dropout',
        z.seeds.map((s) => oneDRun(withDropout(ONE_D_KEEP), s, z.oneDWidth)),
        ONE_D_MEASURES,
        1800,
        BIT_CHECK_STEPS.oneD,
      ),
      slowPart(
        'T6.2-none',
        z.seeds.map((s) => oneDRun({}, s, z.oneDWidth)),
        ONE_D_MEASURES,
        900,
        BIT_CHECK_STEPS.oneD,
      ),
      slowPart(
        'T6.4-r1',
        z.seeds.map((s) => oneDRun({ r1Penalty: { keep: ONE_D_KEEP } }, s, z.oneDWidth)),
        ONE_D_MEASURES,
        900,
        BIT_CHECK_STEPS.oneD,
      ),
      slowPart(
        'T6.5-sgd',
        z.seeds.map((s) => oneDRun({ sgd: { batch: SGD_BATCH } }, s, z.oneDWidth)),
        ONE_D_MEASURES,
        900,
        BIT_CHECK_STEPS.oneD,
      ),
      slowPart(
        'T6.3-dropout',
        z.seeds.map((s) => teacherRun(TEACHER_KEEP, s, z.teacher)),
        TEACHER_MEASURES,
        600,
        BIT_CHECK_STEPS.teacher,
      ),
      slowPart(
        'T6.3-none',
        z.seeds.map((s) => teacherRun(undefined, s, z.teacher)),
        TEACHER_MEASURES,
        600,
        BIT_CHECK_STEPS.teacher,
      ),
    ];
  },
  claims: (scale) => {
    const { seeds } = SIZES[scale];
    const lemma = LEMMA_KEEPS.flatMap((p) => seeds.map((s) => lemmaLabel(p, s)));
    const labels = seeds.map(seedLabel);
    /** per seed: [the dropout run, the run without dropout] */
    const pairs = (task: string) => labels.map((l) => [`${task}-dropout/${l}`, `${task}-none/${l}`]);
    /** per seed: the run of arm `a` and the run of arm `b` of the 1-d task */
    const armPairs = (a: string, b: string) => labels.map((l) => [`${a}/${l}`, `${b}/${l}`]);
    const t61 = 'SCIENCE.md §8.4 T6.1',
      t62 = 'SCIENCE.md §8.4 T6.2',
      t63 = 'SCIENCE.md §8.4 T6.3',
      t64 = 'SCIENCE.md §8.4 T6.4; Zhang & Xu 2024, Figs. 2/5',
      t65 = 'Zhang & Xu 2024, Fig. 6 (issue #28)';
    return [
      overSeeds(
        {
          id: 'T6.1a',
          statement: 'Lemma 1: largest |mean R_S^drop − (R_S + R1)| in standard errors over the keep × seed tests (Bonferroni)',
          source: `${t61} (3 s.e. per test → ${LEMMA_Z} over the family)`,
          pilot: '< 3 (exact identity)',
          op: '<=',
          threshold: LEMMA_Z,
        },
        'T6.1',
        lemma,
        'lemma1Z',
      ),
      overSeeds(
        {
          id: 'T6.1b',
          statement: 'the masks resolve R1: |mean R_S^drop − R_S| in standard errors',
          source: 'this suite (R1 must be visible to T6.1a)',
          pilot: '—',
          op: '>=',
          threshold: 10,
        },
        'T6.1',
        lemma,
        'lemma1ZWithoutR1',
      ),
      overSeeds(
        { id: 'T6.2a', statement: 'C4 with dropout (keep 0.9), 1-d tanh', source: t62, pilot: '0.497–0.540', op: '>=', threshold: 0.35 },
        'T6.2-dropout',
        labels,
        'C4',
      ),
      worstSeed(
        { id: 'T6.2b', statement: 'C4(keep 0.9) / C4(no dropout), same seed', source: t62, pilot: '3.8–4.8', op: '>=', threshold: 3 },
        pairs('T6.2'),
        ([d, n]) => d.C4 / n.C4,
      ),
      acrossSeeds(
        {
          id: 'T6.2c',
          statement: 'TV(no dropout) − TV(keep 0.9), same seed: less oscillation with dropout (mean over seeds)',
          source: t62,
          pilot: '2.24–2.86 (mean 2.65)',
          op: '>=',
          threshold: 1.5,
        },
        pairs('T6.2'),
        ([d, n]) => n.outputTV - d.outputTV,
        (...xs) => mean(xs),
      ),
      medianOverSeeds(
        {
          id: 'T6.2d',
          statement: 'C4 without dropout (linear regime: no condensation), median over seeds',
          source: t62,
          pilot: '0.113–0.136',
          op: '<=',
          threshold: 0.2,
        },
        'T6.2-none',
        labels,
        'C4',
      ),
      overSeeds(
        {
          id: 'T6.4a',
          statement: 'C4 trained on R_S + R1 (keep 0.9, no masks), 1-d tanh: the explicit regulariser alone condenses',
          source: t64,
          pilot: '0.90–0.94 (seeds 0–9); 0.896–0.933 over 20 offsets',
          op: '>=',
          threshold: 0.35,
        },
        'T6.4-r1',
        labels,
        'C4',
      ),
      worstSeed(
        { id: 'T6.4b', statement: 'C4(R_S + R1) / C4(no dropout), same seed', source: t64, pilot: '4.6–6.2 (seeds 0–9)', op: '>=', threshold: 3 },
        armPairs('T6.4-r1', 'T6.2-none'),
        ([r, n]) => r.C4 / n.C4,
      ),
      medianOverSeeds(
        {
          id: 'T6.5a',
          statement: 'C4 with batch-2 SGD noise and no dropout (Adam, same steps), median over seeds: noise alone does not condense',
          source: t65,
          pilot: '0.12–0.16 (seeds 0–9)',
          op: '<=',
          threshold: 0.2,
        },
        'T6.5-sgd',
        labels,
        'C4',
      ),
      worstSeed(
        { id: 'T6.5b', statement: 'C4(keep 0.9) / C4(batch-2 SGD), same seed', source: t65, pilot: '4.3–5.5 (seeds 0–9)', op: '>=', threshold: 3 },
        armPairs('T6.2-dropout', 'T6.5-sgd'),
        ([d, g]) => d.C4 / g.C4,
      ),
      overSeeds(
        {
          id: 'T6.3a',
          statement: 'effective ratio with dropout (keep 0.5), 10-d teacher–student',
          source: t63,
          pilot: '0.060–0.195',
          op: '<=',
          threshold: 0.3,
        },
        'T6.3-dropout',
        labels,
        'effectiveRatio',
      ),
      overSeeds(
        { id: 'T6.3b', statement: 'effective ratio without dropout', source: t63, pilot: '1.000', op: '>=', threshold: 0.8 },
        'T6.3-none',
        labels,
        'effectiveRatio',
      ),
      overSeeds(
        { id: 'T6.3c', statement: 'median |cos(wₖ, w*)| with dropout', source: t63, pilot: '0.993–0.998', op: '>=', threshold: 0.95 },
        'T6.3-dropout',
        labels,
        'medianCosTeacher',
      ),
      worstSeed(
        { id: 'T6.3d', statement: 'test loss without dropout / with dropout (keep 0.5), same seed', source: t63, pilot: '129–222', op: '>', threshold: 10 },
        pairs('T6.3'),
        ([d, n]) => n.testLoss / d.testLoss,
      ),
    ];
  },
};
