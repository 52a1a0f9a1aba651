// Suite "phase-diagram": Luo, Xu, Ma, Zhang (JMLR 2021) Figs. 3–4, SCIENCE.md §3. ReLU on the 4-point
// data, ASI, GD with the luo2021 lr and halve-and-restart until R < 1e-5 (§3.5). The growth exponent
// S_w is the least-squares slope of log RD(θ_w*) against log m over the widths of a run family; it is
// negative in the linear regime, about 0 on the critical line and positive in the condensed regime.
// One part per width (width belongs to the shape family): a claim reads the runs of several parts.
//   T1.1 S_w(γ) at γ′ = 0 (Fig. 3 a–c); T1.2 the sign of S_w over a (γ, γ′) grid (Fig. 4); T1.3 the
//   same slopes for β1 = β2 = m^−q, q ∈ {0, ½, 1} (Fig. 3d); T1.5 exponential loss decay in the linear
//   regime (Thm 6b); T1.6 RD small in the linear and large in the condensed regime; T1.7 the signs of S_w on
//   MNIST digits (Figs. 5/7), runs "mnist …" of the width parts (header's end).
// ci: widths 250–2000 (the pilot's) for every claim, the 5×5 grid of T1.2 included (SCIENCE.md §3.6 asks
// for slopes fitted over at least four widths; until issue #12 the ci grid fitted two, 250 and 1000).
// full: widths 1000–40000 (Fig. 3) and a 9×9 grid with step 0.1 (Fig. 4), every cell on seeds 0–3 (the
// near cells below on 0–7): for a GPU, not run on CPUs.
// Three-layer phase diagram (issue #14, item 4; Zhou, Zhou, Jin, Luo, Zhang, Xu, NeurIPS 2022, arXiv
// 2205.12101): left out, because its setup could not be read. What `search` found is the abstract (each
// layer's regime from the relative change of its input weights as the width grows; layers can sit in
// different regimes) and fragments of figure captions (three-layer ReLU learning four points, γ3 from 0.9
// to 2.1 at γ2 = 0, RD(W[1]) against m = 100 … 10,000 on log–log axes, slopes growing with γ3). Missing: how
// γ2 and γ3 scale each layer's initialisation (the two quantities of its normalised gradient flow), the
// output scale, the learning rate and stop rule, and the regime boundaries they found, without which a
// per-layer claim would be our guess and not the paper's result. Searched again for issue #28 item 2, still
// left out: the authors' copy of the paper (xuzhiqin1990/understanding_dl, `code/fig source/A7/A7_9/
// 3layerexphase2205.12101.pdf`) is named in that repository's history but its content is not in the stored
// snapshot, and the new fragments (Fig. 2 at γ2 = 0: γ3 = 1.0 keeps W[1] near its initial scatter with a jagged,
// "NTK scaling" interpolant, 1.5 a smooth, "mean-field scaling" one, 2.0 condenses on a few orientations with a
// linear spline; full-batch GD; d = 784 on MNIST) name points of the diagram, not the definitions of γ2 and γ3.
//
// Measured on WASM (f32 training, f64 measures; WebGPU on SwiftShader gives the same bits); seeds 0–7
// unless noted. SCIENCE.md thresholds, tightened where f32 leaves a wide margin:
//   T1.1  S_w(0.5) −0.598 … −0.458 (SCIENCE < −0.3 → here < −0.4); S_w(1.0) −0.056 … +0.039
//         (|S_w| < 0.15 → < 0.1); S_w(1.75) +0.357 … +0.405 (> 0.25 → > 0.3). SCIENCE.md's "S_w increasing
//         in γ" follows from these three bounds, so it is no separate claim (T1.1d until issue #12).
//   T1.3  q-spread of S_w ≤ 0.002 at γ ∈ {0.5, 1.75} (γ = 1.0: ≤ 0.008) (SCIENCE < 0.05 → < 0.02).
//   T1.5  R² at m = 1000: γ = 0.5 0.9917–0.9986 (kept ≥ 0.98); γ = 1.75 0.736–0.761 (< 0.9 → < 0.85).
//   T1.6  RD(0.5, m = 2000) 0.0117–0.0134 (< 0.05 → < 0.02); RD(1.75, m ≥ 500) ≥ 7.79 (> 5 → > 7).
//   T1.2  SCIENCE.md's thresholds (±0.1 deep, 0.12 on the boundary; calibrated on one seed), S_w fitted
//         over 250–2000 and averaged over each cell's seeds. Single-seed slopes over seeds 0–15 (.cal data
//         of issue #12): most cells sit far from their threshold (one seed each), but five cross it on some
//         seeds: (0.8, −0.2) −0.346 … −0.088 (mean −0.181, sd 0.070), (1.0, −0.4) −0.047 … 0.157 (0.081,
//         0.051), (1.4, 0.4) −0.146 … 0.065 (−0.034, 0.061), (1.2, 0) 0.081 … 0.166 (0.120, 0.028) and
//         (1.4, 0.2) 0.081 … 0.172 (0.121, 0.030). These average seeds 0–7. The last two lie on the edge
//         γ′ = γ − 1.2 of SCIENCE's deep-condensed set, where the limit slope (γ − γ′ − 1)/2 is 0.1, the
//         threshold itself: "S_w > 0.1" there fails on a fair share of fresh seeds whatever the seed count,
//         so T1.2b claims > 0.1 off the edge (γ′ < γ − 1.2: ≥ 0.179 on every seed) and T1.2d claims the
//         condensed sign, S_w > 0, on the edge (≥ 0.081 on every seed). Over every window of 8 consecutive
//         seeds of 0–15 (the near cells take the window, the others its first seed) all four T1.2 claims
//         pass (9/9), worst margins 0.029 (T1.2a), 0.079 (T1.2b), 0.033 (T1.2c), 0.106 (T1.2d); without the
//         edge split T1.2b's worst margin was 0.006, and with 4 seeds per near cell it failed 1 window in 13.
// The pilot values of SCIENCE.md stand beside each verdict in the report.
// Fresh seeds (issue #12): every claim of this suite passes at seed offsets 0–5, 10, 20, 30, 40 on WASM
// (10/10 each; the values at each offset: docs/suites.md, "Fresh seeds").
// Sweep (issue #28): offsets N = 1000·k + 7, WASM, ci; k = 0…9 calibrate, k = 10…19 check, k = 20…39 held out
// after the restatements. Three claims took the worst seed or a single-seed cell and are restated:
//   T1.1a S_w(0.5) < −0.4 on the worst seed failed at offset 5007 (seed 5009: −0.297): now the mean over the
//         seeds (as T1.1b; the pilot's −0.532 ± 0.076 is a seed mean and sd).
//   T1.3  the largest per-seed q-spread reached 0.025 on one seed at offset 11007 (all other seeds ≤ 0.002):
//         now the spread over q of the seed-mean S_w (0.013 there).
//   T1.2a single-seed cells crossed −0.1 at calibration offsets ((0.8, −0.4) −0.067 at 1007, (0.8, 0) −0.074 at
//         5007) and, after those two joined NEAR_CELLS, at a held-out one ((1.2, 0.4) −0.005 and (1.0, 0.2) −0.030
//         on the same seed at 23007): now every deep-linear cell next to the critical line, γ = γc(γ′) − 0.2,
//         takes the mean over seeds 0–7.
// Per claim after the restatements, k = 0…19: value range (threshold; smallest margin; pass rate, the old form's
// where it differs), and k = 20…39:
//   T1.1a −0.625 … −0.427 (< −0.4; 0.027; 20/20, was 19/20)  T1.1b 0.0033 … 0.062 (< 0.1; 0.038; 20/20)
//   T1.1c 0.344 … 0.417 (> 0.3; 0.044; 20/20)                T1.2a −0.223 … −0.120 (< −0.1; 0.020; 20/20, was 18/20)
//   T1.2b 0.183 … 0.284 (> 0.1; 0.083; 20/20)                T1.2d 0.106 … 0.147 (> 0; 0.106; 20/20)
//   T1.2c 0.064 … 0.130 (< 0.12; −0.0096; 18/20): NOT restated. The boundary cell (1.0, −0.4) sits at
//         0.059–0.130 over the offsets (mean 0.09, eight seeds each), not near 0 at widths 250–2000, and fails at
//         1007, 5007 (and 22007); the other three boundary cells stay within ±0.07. More seeds would not move
//         its mean; which cells read as critical at ci widths is for issue #28 item 1. Its slope falls with width,
//         as a critical cell's should and the cells off the line do not (k = 0…39, eight-seed means, slope per
//         octave 250–500 / 500–1000 / 1000–2000): (1.0, −0.4) 0.129 / 0.091 / 0.065; (1.2, −0.4) 0.319 / 0.295 /
//         0.295; (0.8, −0.4) −0.208 / −0.265 / −0.294; (1.0, 0) 0.002 / −0.007 / 0.001. Neither the last octave
//         (sd over offsets 0.018 there, 0.032 at (1.4, 0.4)) nor the fall itself (sd ≈ 0.035 against 0.064) passes
//         on every offset, so T1.2c stays as SCIENCE.md states it, open.
//   T1.3  7.0e-5 … 0.0128 (< 0.02; 0.0072; 20/20, was 19/20)  T1.5a 0.9929 … 0.9982 (≥ 0.98; 0.013; 20/20)
//   T1.5b 0.741 … 0.780 (< 0.85; 0.070; 20/20)               T1.6a 0.0122 … 0.0135 (< 0.02; 0.0065; 20/20)
//   T1.6b 7.33 … 8.27 (> 7; 0.33; 20/20)
//   k = 20…39: every claim 20/20 but T1.2c 19/20 (22007: 0.123); smallest margins T1.2a 0.035, T1.6b 0.18.
// Flips (issue #28 item 1; test/phase-diagram.test.ts): γ 0.5 ↔ 1.75 on the curves and γ → 2 − γ on the grid
// fail every claim but T1.3, which reads the same q-runs under the other γ and holds (the q-invariance belongs
// to both regimes; its old flip, γ′ = 0.4·q for q > 0, changed γ′, not the property). T1.3's flip breaks the
// 1-homogeneity of σ that the normalized model rests on: z·tanh z (≈ z² at the β2 = m^−q of q > 0, so the
// effective γ is γ + q), the luo2021 lr times m^2q (the z² kernel is β2² times ReLU's), at most 20 000 steps. At
// γ = 0.5 every run converges, and the seed-mean S_w at q = 0, ½, 1 reads −0.52/−0.04/+0.10 (offset 0),
// −0.62/−0.10/+0.01 (7), −0.45/+0.01/+0.11 (1007), −0.45/+0.05/+0.15 (2007): a spread of 0.56–0.63 there; at
// γ = 1.75, q = 1 stays on its small-init plateau (R = R(0)) at m ≥ 500; T1.3 reads 1.82–2.08 (< 0.02 fails).
// T1.7 (issue #28 item 2): Luo et al.'s MNIST arm (Figs. 5/7; SCIENCE.md §3.3: 784 inputs, the label 0–9 as a scalar
// target, MSE, full-batch GD on the first 45 images, widths 1000–400 000) at the size a CPU trains in under a minute.
// Data (src/suite/digit-rows.ts, read from the installed `mnist` package when the parts are declared and put inline
// in each spec, so every engine trains the same bits; seed offsets move the weights, not the digits): the first 2
// images of each digit (n = 20), 4 × 4-averaged to 7 × 7 (d = 49), each row scaled to unit norm (the bias input 1
// beside it, as beside the 4 points' |x| ≤ ½), y = label/10. A scalar regression on the label, as Luo et al., not a
// ±1 two-class label: it is their target, and it keeps one output and the loss of the synthetic arm; /10 keeps y in
// [0, 0.9] and R(0) ≈ 0.14. Size: at n = 30 or 40 the critical and condensed runs halve their rate 5–8 times and stop
// short of R < 1e-5 (R ≈ 8e-4 … 6e-3 after 30 000–100 000 steps, up to 85 s a run at m = 1000), and 14 × 14 or 28 ×
// 28 would cost about 4 or 16 times as much a step (not tried); n = 20 at 7 × 7 converges in 1 400–15 000 steps with
// at most one restart. Protocol: phaseRun's (ReLU, ASI, GD, the luo2021 lr, halve-and-restart, R < 1e-5), widths
// 250–2000 (full: 1000–40 000 on the same digits; not run on CPUs), 16 runs "mnist …" at the end of each width part
// (a report keeps the weight snapshots of each part's first two runs, here synthetic ones: a part of digit runs would
// add 240 neurons × 50 weights × 4 snapshots, 0.36 MB, to a ci report of about 2.5 MB against its 3 MB budget, one
// per width 1.4 MB), seeds 0–3 at the γ′ = 0 points and 0–1 at the two off the axis (2–4 times the steps; their seeds
// scatter less than the margins). Claims, S_w the mean over the point's seeds, each with the synthetic arm's sign at
// that point:
//   T1.7a (0.5, 0) linear < −0.4 (as T1.1a)     T1.7b (0.7, 0.3) linear < −0.6 (Thm 6d's γ − γ′ − 1, up to log)
//   T1.7c (1, 0) critical |S_w| < 0.05         T1.7d (1.75, 0) condensed > 0.3 (as T1.1c)
//   T1.7e (1.3, −0.3) condensed > 0.2 (§3.5's limit slope min((γ − γ′ − 1)/2, γ − 1) = 0.3)
// Calibration, offsets 507, 1507, 2507 with seeds 0–3 at every point (12 single-seed slopes a point): (0.5, 0) −0.544
// … −0.438, (0.7, 0.3) −0.967 … −0.764, (1, 0) −0.021 … 0.029, (1.75, 0) 0.381 … 0.394, (1.3, −0.3) 0.305 … 0.323:
// single seeds spread over 0.1–0.2 at the linear points and 0.05 or less at the others, and the means sit where the
// synthetic arm's do (T1.1: −0.532, −0.016, 0.385). Check, offsets N = 1000·k + 7, k = 0…19 (WASM, ci): value range
// (threshold; smallest margin; pass rate):
//   T1.7a −0.565 … −0.495 (< −0.4; 0.095; 20/20)     T1.7b −0.938 … −0.782 (< −0.6; 0.182; 20/20)
//   T1.7c 0.0003 … 0.0177 (< 0.05; 0.032; 20/20)     T1.7d 0.382 … 0.393 (> 0.3; 0.082; 20/20)
//   T1.7e 0.306 … 0.407 (> 0.2; 0.106; 20/20)
// One run of the 1280 stopped short: (1.3, −0.3), m = 250, seed 16008 (offset 16007) cascades to 9 halvings and
// reaches 400 000 steps at R = 6.0e-3 with RD 0.87 (its seeds' 1.32–1.36); the smaller RD at the smallest width
// steepens its slope, so T1.7e reads 0.407 there, the top of its range, and holds. Cost: the 64 digit runs 34–82 s on
// one WASM thread, 44 s on average over the 20 offsets (82 s with the stalled run); the (1.3, −0.3) runs take about a
// third of it. Not marked for software adapters (a part's mark would cover its synthetic runs too): SwiftShader's
// bit-check trains the first run of each kernel configuration whole, so two runs of each width part now, the first
// 4-point run and the critical digit run, seed 0 (1 400–1 900 steps, the cheapest digit run); with --judge-all the
// digit runs train there as well (not measured).
// Flip (test/phase-diagram.test.ts): the linear points' runs trained at the condensed points and back ((0.5, 0) ↔
// (1.75, 0), (0.7, 0.3) ↔ (1.3, −0.3)), the critical point's at (1.75, 0): every T1.7 claim fails, at offset 0 T1.7a
// +0.391, T1.7b +0.311, T1.7c 0.391, T1.7d −0.493, T1.7e −0.834 (43 s on one thread).
import type { ClaimDef, Scale, SuiteDef, SuitePart, SuiteRun } from '../src/suite/define.js';
import { runKey } from '../src/suite/define.js';
import type { RunRecord, SuiteFigure } from '../src/report/schema.js';
import { worstSeed, acrossSeeds } from '../src/suite/over-seeds.js';
import { mean, median } from '../src/science/stats.js';
import { phaseGridSpecs } from '../src/sweeps/phase-grid.js';
import { logLogSlope } from '../src/science/slope.js';
import { criticalGamma, zeroCrossings } from '../src/science/phase-boundary.js';
import { digitRows } from '../src/suite/digit-rows.js';

type Measures = Record<string, number>[];
type Cell = [gamma: number, gammaPrime: number];

const steps = (from: number, to: number, step: number) =>
  Array.from({ length: Math.round((to - from) / step) + 1 }, (_, i) => Number((from + i * step).toFixed(2)));

const WIDTHS: Record<Scale, number[]> = { ci: [250, 500, 1000, 2000], full: [1000, 5000, 10000, 20000, 40000] };
/** T1.2 fits each cell's slope over every width (SCIENCE.md §3.6 asks for at least four) */
const GRID_WIDTHS: Record<Scale, number[]> = WIDTHS;
const GRID: Record<Scale, { gammas: number[]; gammaPrimes: number[] }> = {
  ci: { gammas: steps(0.6, 1.4, 0.2), gammaPrimes: steps(-0.4, 0.4, 0.2) },
  full: { gammas: steps(0.6, 1.4, 0.1), gammaPrimes: steps(-0.4, 0.4, 0.1) },
};
/** seeds 0–3, as T1.1 was calibrated (SCIENCE.md §3.6) */
const SEEDS = [0, 1, 2, 3];
/** T1.1 (γ′ = 0), T1.5, T1.6 */
const CURVE_GAMMAS = [0.5, 1.0, 1.75];
/** T1.3: β1 = β2 = m^−q */
const QS = [0, 0.5, 1];
const Q_GAMMAS = [0.5, 1.75];
const Q_SEEDS: Record<Scale, number[]> = { ci: [0, 1], full: SEEDS };
/** T1.2: the cells whose single-seed S_w crosses its threshold in the calibration, and the deep-linear cells next to the
 * critical line (γ = γc(γ′) − 0.2, issue #28; see header), averaged over NEAR_SEEDS */
const NEAR_CELLS: Cell[] = [
  [1.0, -0.4],
  [0.8, -0.4],
  [0.8, -0.2],
  [0.8, 0],
  [1.0, 0.2],
  [1.2, 0.4],
  [1.2, 0],
  [1.4, 0.2],
  [1.4, 0.4],
  [1.0, 0],
  [1.2, 0.2],
];
const NEAR_SEEDS = [0, 1, 2, 3, 4, 5, 6, 7];
/** T1.2 boundary points of SCIENCE.md §3.6 */
const BOUNDARY_CELLS: Cell[] = [
  [1.0, -0.4],
  [1.0, 0],
  [1.2, 0.2],
  [1.4, 0.4],
];
const EPS = 1e-9;

/** T1.7 (Luo et al. Figs. 5/7 on digits): 2 images of each digit, 4 × 4-pooled to 7 × 7, unit rows, y = label/10 */
const DIGITS = { perDigit: 2, pool: 4, targetScale: 0.1 };
const MNIST_WIDTHS: Record<Scale, number[]> = WIDTHS;
/** seeds 0–3 on γ′ = 0; 0–1 off the axis, where runs take 2–4 times the steps */
const mnistSeeds = ([, gp]: Cell) => (gp === 0 ? SEEDS : SEEDS.slice(0, 2));
/** T1.7's (γ, γ′) points: one claim each */
const MNIST_POINTS: Record<'linear' | 'linearOff' | 'critical' | 'condensed' | 'condensedOff', Cell> = {
  linear: [0.5, 0],
  linearOff: [0.7, 0.3],
  critical: [1.0, 0],
  condensed: [1.75, 0],
  condensedOff: [1.3, -0.3],
};

const isCell = (list: Cell[], [g, gp]: Cell) => list.some(([a, b]) => Math.abs(a - g) < EPS && Math.abs(b - gp) < EPS);
const cellSeeds = (scale: Scale, cell: Cell) => (isCell(NEAR_CELLS, cell) ? NEAR_SEEDS : scale === 'full' ? SEEDS : [0]);
const gridCells = (scale: Scale): Cell[] => GRID[scale].gammaPrimes.flatMap((gp) => GRID[scale].gammas.map((g): Cell => [g, gp]));
const deepLinear = ([g, gp]: Cell) => g <= 0.8 + EPS || gp >= g - 0.8 - EPS;
/** deep condensed off its edge γ′ = γ − 1.2, where the limit slope (γ − γ′ − 1)/2 is SCIENCE's threshold 0.1 itself */
const deepCondensed = ([g, gp]: Cell) => g >= 1.2 - EPS && gp < g - 1.2 - EPS;
const condensedEdge = ([g, gp]: Cell) => g >= 1.2 - EPS && Math.abs(gp - (g - 1.2)) < EPS;

const part = (m: number) => `width=${m}`;
const label = (gamma: number, gammaPrime: number, q: number, seed: number) => `gamma=${gamma} gp=${gammaPrime} q=${q} seed=${seed}`;
/** T1.7's runs sit in the width parts beside the synthetic ones, labelled "mnist …" */
const mnistLabel = (gamma: number, gammaPrime: number, seed: number) => `mnist ${label(gamma, gammaPrime, 0, seed)}`;
const mnistKey = (m: number, gamma: number, gammaPrime: number, seed: number) => runKey(part(m), mnistLabel(gamma, gammaPrime, seed));
/** the run keys of one slope fit: one run per width */
const fitKeys = (widths: number[], gamma: number, gammaPrime: number, q: number, seed: number) =>
  widths.map((m) => runKey(part(m), label(gamma, gammaPrime, q, seed)));
const slopeOf = (ms: Measures) =>
  logLogSlope(
    ms.map((m) => m.width),
    ms.map((m) => m.RD),
  );

/** SCIENCE.md §3.5's protocol (src/sweeps/phase-grid.ts) with β2 = m^−q; enough halvings for q = 1 at m = 40000. */
function phaseRun(m: number, gamma: number, gammaPrime: number, q: number, seed: number): SuiteRun {
  const [spec] = phaseGridSpecs({ widths: [m], gammas: [gamma], gammaPrimes: [gammaPrime], seeds: [seed] })[0].specs as Record<string, any>[];
  return { label: label(gamma, gammaPrime, q, seed), spec: { ...spec, init: { ...spec.init, q }, lr: { ...spec.lr, maxHalvings: 60 } } };
}

let digits: ReturnType<typeof digitRows> | undefined;
/** T1.7's runs at width m: the protocol of phaseRun on the digit rows (inline, the same bits on every engine); the
 * critical point's first, the cheapest, which a software adapter's bit-check trains (the first run of each kernel
 * configuration) */
function mnistRuns(m: number): SuiteRun[] {
  digits ??= digitRows(DIGITS);
  const data = digits;
  const { critical, ...others } = MNIST_POINTS;
  return [critical, ...Object.values(others)].flatMap(([g, gp]) =>
    mnistSeeds([g, gp]).map((s) => ({ label: mnistLabel(g, gp, s), spec: { ...phaseRun(m, g, gp, 0, s).spec, data } })),
  );
}

function parts(scale: Scale): SuitePart[] {
  return WIDTHS[scale].map((m) => {
    const runs = new Map<string, SuiteRun>();
    const add = (r: SuiteRun) => runs.set(r.label, r);
    for (const g of CURVE_GAMMAS) for (const s of SEEDS) add(phaseRun(m, g, 0, 0, s));
    for (const g of Q_GAMMAS) for (const q of QS) for (const s of Q_SEEDS[scale]) add(phaseRun(m, g, 0, q, s));
    if (GRID_WIDTHS[scale].includes(m)) for (const cell of gridCells(scale)) for (const s of cellSeeds(scale, cell)) add(phaseRun(m, cell[0], cell[1], 0, s));
    if (MNIST_WIDTHS[scale].includes(m)) mnistRuns(m).forEach(add);
    return { id: part(m), runs: [...runs.values()], measures: ['RD', 'width', 'lossDecayR2', 'steps', 'restarts', 'finalLoss'], timeoutSeconds: 420 };
  });
}

/** Split the flat measures of a claim back into consecutive groups of the given sizes. */
function splitInto<T>(xs: T[], sizes: number[]): T[][] {
  let at = 0;
  return sizes.map((n) => xs.slice(at, (at += n)));
}

/** S_w of a grid cell: the mean over its seeds of the slope fitted over the grid widths. */
const cellSlopeKeys = (scale: Scale, [g, gp]: Cell) => cellSeeds(scale, [g, gp]).map((s) => fitKeys(GRID_WIDTHS[scale], g, gp, 0, s));
const meanSlope = (perSeed: Measures[]) => perSeed.reduce((sum, ms) => sum + slopeOf(ms), 0) / perSeed.length;

/** A T1.2 claim over grid cells: `reduce` of the cells' S_w (each read as `map`). */
function overCells(c: Omit<ClaimDef, 'value' | 'uses'>, scale: Scale, cells: Cell[], reduce: (...xs: number[]) => number, map = (s: number) => s): ClaimDef {
  const keys = cells.map((cell) => cellSlopeKeys(scale, cell));
  const sizes = keys.flatMap((perSeed) => perSeed.map((k) => k.length));
  const seedsPerCell = keys.map((perSeed) => perSeed.length);
  return {
    ...c,
    uses: keys.flat(2),
    value: (ms) => reduce(...splitInto(splitInto(ms, sizes), seedsPerCell).map((perSeed) => map(meanSlope(perSeed)))),
  };
}

function claims(scale: Scale): ClaimDef[] {
  const W = WIDTHS[scale];
  const src = 'SCIENCE.md §3.6';
  const slopeAt = (gamma: number) => SEEDS.map((s) => fitKeys(W, gamma, 0, 0, s));
  const at = (gamma: number, widths: number[], seeds: number[]) => seeds.map((s) => widths.map((m) => runKey(part(m), label(gamma, 0, 0, s))));
  const cells = gridCells(scale);
  return [
    acrossSeeds(
      {
        id: 'T1.1a',
        statement: 'S_w at γ = 0.5, γ′ = 0 (linear): slope of log RD vs log m, the mean over seeds',
        source: `${src} T1.1`,
        pilot: '−0.532 ± 0.076 (Fig. 3a: −0.506)',
        op: '<',
        threshold: -0.4,
      },
      slopeAt(0.5),
      slopeOf,
      (...xs) => mean(xs),
    ),
    acrossSeeds(
      {
        id: 'T1.1b',
        statement: '|S_w| at γ = 1.0, γ′ = 0 (critical), S_w the mean over seeds',
        source: `${src} T1.1`,
        pilot: '−0.016 ± 0.042 (Fig. 3b: 0.007)',
        op: '<',
        threshold: 0.1,
      },
      slopeAt(1.0),
      slopeOf,
      (...xs) => Math.abs(mean(xs)),
    ),
    worstSeed(
      {
        id: 'T1.1c',
        statement: 'S_w at γ = 1.75, γ′ = 0 (condensed)',
        source: `${src} T1.1`,
        pilot: '0.385 ± 0.027 (Fig. 3c: 0.372)',
        op: '>',
        threshold: 0.3,
      },
      slopeAt(1.75),
      slopeOf,
    ),
    overCells(
      {
        id: 'T1.2a',
        statement: 'largest S_w over the deep-linear cells (γ ≤ 0.8 or γ′ ≥ γ − 0.8)',
        source: `${src} T1.2`,
        pilot: '≤ −0.21 (seed 0)',
        op: '<',
        threshold: -0.1,
      },
      scale,
      cells.filter(deepLinear),
      Math.max,
    ),
    overCells(
      {
        id: 'T1.2b',
        statement: 'smallest S_w over the deep-condensed cells (γ ≥ 1.2 and γ′ < γ − 1.2)',
        source: `${src} T1.2`,
        pilot: '≥ 0.12 (seed 0)',
        op: '>',
        threshold: 0.1,
      },
      scale,
      cells.filter(deepCondensed),
      Math.min,
    ),
    overCells(
      {
        id: 'T1.2d',
        statement: 'smallest S_w on the condensed edge γ′ = γ − 1.2 (limit slope 0.1): condensed sign',
        source: `${src} T1.2 (its S_w > 0.1 there, restated)`,
        pilot: '0.12–0.13 (seed 0)',
        op: '>',
        threshold: 0,
      },
      scale,
      cells.filter(condensedEdge),
      Math.min,
    ),
    overCells(
      {
        id: 'T1.2c',
        statement: 'largest |S_w| on the boundary (1.0, −0.4), (1.0, 0), (1.2, 0.2), (1.4, 0.4)',
        source: `${src} T1.2`,
        pilot: '≤ 0.04 (seed 0)',
        op: '<',
        threshold: 0.12,
      },
      scale,
      BOUNDARY_CELLS,
      Math.max,
      Math.abs,
    ),
    {
      id: 'T1.3',
      statement: 'largest spread of S_w (the mean over seeds) over β1 = β2 = m^−q, q ∈ {0, ½, 1}, at γ = 0.5 and 1.75',
      source: `${src} T1.3`,
      pilot: '±0.01',
      op: '<',
      threshold: 0.02,
      uses: Q_GAMMAS.flatMap((g) => QS.flatMap((q) => Q_SEEDS[scale].flatMap((s) => fitKeys(W, g, 0, q, s)))),
      value: (ms) => {
        const seeds = Q_SEEDS[scale].length;
        const perRun = splitInto(
          ms,
          Q_GAMMAS.flatMap(() => QS.flatMap(() => Q_SEEDS[scale].map(() => W.length))),
        ).map(slopeOf);
        const perQ = splitInto(
          perRun,
          Q_GAMMAS.flatMap(() => QS.map(() => seeds)),
        ).map((xs) => mean(xs));
        return Math.max(
          ...splitInto(
            perQ,
            Q_GAMMAS.map(() => QS.length),
          ).map((sw) => Math.max(...sw) - Math.min(...sw)),
        );
      },
    },
    acrossSeeds(
      {
        id: 'T1.5a',
        statement: 'R² of log R linear in steps (first 90 %), γ = 0.5, m = 1000, median over seeds',
        source: `${src} T1.5`,
        pilot: 0.996,
        op: '>=',
        threshold: 0.98,
      },
      at(0.5, [1000], SEEDS),
      ([m]) => m.lossDecayR2,
      (...xs) => median(xs),
    ),
    worstSeed(
      { id: 'T1.5b', statement: 'R² of log R linear in steps, γ = 1.75, m = 1000 (plateaus)', source: `${src} T1.5`, pilot: 0.754, op: '<', threshold: 0.85 },
      at(1.75, [1000], SEEDS),
      ([m]) => m.lossDecayR2,
    ),
    worstSeed(
      { id: 'T1.6a', statement: 'largest RD at γ = 0.5, m ≥ 2000', source: `${src} T1.6`, pilot: 0.0122, op: '<', threshold: 0.02 },
      at(
        0.5,
        W.filter((m) => m >= 2000),
        SEEDS,
      ),
      (ms) => Math.max(...ms.map((m) => m.RD)),
    ),
    worstSeed(
      { id: 'T1.6b', statement: 'smallest RD at γ = 1.75, m ≥ 500', source: `${src} T1.6`, pilot: 7.88, op: '>', threshold: 7 },
      at(
        1.75,
        W.filter((m) => m >= 500),
        SEEDS,
      ),
      (ms) => Math.min(...ms.map((m) => m.RD)),
    ),
    ...mnistClaims(scale),
  ];
}

/** T1.7: S_w on digits at each point, the mean over seeds, with the synthetic arm's sign. */
function mnistClaims(scale: Scale): ClaimDef[] {
  const src = 'issue #28 item 2 (Luo et al. 2021 Figs. 5/7)';
  const slopeAt = ([g, gp]: Cell) => mnistSeeds([g, gp]).map((s) => MNIST_WIDTHS[scale].map((m) => mnistKey(m, g, gp, s)));
  const meanSw = (c: Omit<ClaimDef, 'value' | 'uses'>, cell: Cell, map = (s: number) => s) => acrossSeeds(c, slopeAt(cell), slopeOf, (...xs) => map(mean(xs)));
  const { linear, linearOff, critical, condensed, condensedOff } = MNIST_POINTS;
  return [
    meanSw(
      {
        id: 'T1.7a',
        statement: 'digits: S_w at γ = 0.5, γ′ = 0 (linear), the mean over seeds',
        source: src,
        pilot: 'synthetic T1.1a: −0.532',
        op: '<',
        threshold: -0.4,
      },
      linear,
    ),
    meanSw(
      {
        id: 'T1.7b',
        statement: 'digits: S_w at γ = 0.7, γ′ = 0.3 (linear), the mean over seeds',
        source: src,
        pilot: 'synthetic (0.6, 0.2): −0.65',
        op: '<',
        threshold: -0.6,
      },
      linearOff,
    ),
    meanSw(
      {
        id: 'T1.7c',
        statement: 'digits: |S_w| at γ = 1, γ′ = 0 (critical), S_w the mean over seeds',
        source: src,
        pilot: 'synthetic T1.1b: −0.016',
        op: '<',
        threshold: 0.05,
      },
      critical,
      Math.abs,
    ),
    meanSw(
      {
        id: 'T1.7d',
        statement: 'digits: S_w at γ = 1.75, γ′ = 0 (condensed), the mean over seeds',
        source: src,
        pilot: 'synthetic T1.1c: 0.385',
        op: '>',
        threshold: 0.3,
      },
      condensed,
    ),
    meanSw(
      {
        id: 'T1.7e',
        statement: 'digits: S_w at γ = 1.3, γ′ = −0.3 (condensed), the mean over seeds',
        source: src,
        pilot: 'synthetic (1.4, −0.2): 0.33',
        op: '>',
        threshold: 0.2,
      },
      condensedOff,
    ),
  ];
}

/** S_w over the grid (mean over each cell's seeds; null where a run is missing), the critical line, and the measured zero crossings. */
function phaseFigure(scale: Scale, run: (key: string) => RunRecord | undefined, project: string): SuiteFigure {
  const { gammas, gammaPrimes } = GRID[scale];
  const cellValue = (cell: Cell): number | null => {
    const perSeed = cellSlopeKeys(scale, cell).map((keys) => keys.map(run));
    return perSeed.every((rs) => rs.every((r) => r)) ? meanSlope(perSeed.map((rs) => rs.map((r) => r!.measures))) : null;
  };
  const values = gammaPrimes.map((gp) => gammas.map((g) => cellValue([g, gp])));
  const lo = gammaPrimes[0],
    hi = gammaPrimes[gammaPrimes.length - 1];
  const crossings = gammaPrimes.flatMap((gp, i) => {
    const row = gammas.flatMap((g, j) => (values[i][j] === null ? [] : [[g, values[i][j]!] as const]));
    return zeroCrossings(
      row.map(([g]) => g),
      row.map(([, v]) => v),
    ).map((g): [number, number] => [g, gp]);
  });
  return {
    id: 'phase-diagram',
    title: 'growth exponent S_w over (γ, γ′)',
    project,
    kind: 'grid',
    caption: `slope of log RD vs log m over m ∈ {${GRID_WIDTHS[scale].join(', ')}}, mean over each cell's seeds; Luo et al. 2021 Fig. 4`,
    xLabel: 'γ',
    yLabel: 'γ′',
    valueLabel: 'S_w',
    x: gammas,
    y: gammaPrimes,
    values,
    center: 0,
    lines: [
      {
        label: 'critical line (theory)',
        points: [
          [criticalGamma(lo), lo],
          [criticalGamma(0), 0],
          [criticalGamma(hi), hi],
        ],
      },
    ],
    markers: [{ label: 'S_w = 0 (measured, interpolated in γ)', points: crossings }],
  };
}

/** An RD-against-width figure: one series per label, each point the geometric mean of the RDs present. */
function rdLines(id: string, title: string, project: string, series: { label: string; rds: (m: number) => number[] }[], widths: number[]): SuiteFigure {
  const geoMean = (xs: number[]) => Math.exp(xs.reduce((sum, x) => sum + Math.log(x), 0) / xs.length);
  return {
    id,
    title,
    project,
    kind: 'lines',
    xLabel: 'width m',
    yLabel: 'RD',
    logX: true,
    logY: true,
    series: series
      .map(({ label, rds }) => ({ label, points: widths.flatMap((m): [number, number][] => (rds(m).length ? [[m, geoMean(rds(m))]] : [])) }))
      .filter((s) => s.points.length > 0),
  };
}

/** RD against m at γ′ = 0, one series per γ (geometric mean over the seeds present). */
function rdFigure(scale: Scale, run: (key: string) => RunRecord | undefined, project: string): SuiteFigure {
  const gammas = [...new Set([...CURVE_GAMMAS, ...GRID[scale].gammas])].sort((a, b) => a - b);
  const series = gammas.map((g) => ({
    label: `γ = ${g}`,
    rds: (m: number) => SEEDS.flatMap((s) => run(runKey(part(m), label(g, 0, 0, s)))?.measures.RD ?? []),
  }));
  return rdLines('rd-vs-width', 'RD(θ_w*) against the width m at γ′ = 0', project, series, WIDTHS[scale]);
}

/** T1.7: RD against m on the digits, one series per (γ, γ′) point (geometric mean over the seeds present). */
function digitsRdFigure(scale: Scale, run: (key: string) => RunRecord | undefined, project: string): SuiteFigure {
  const series = Object.values(MNIST_POINTS).map(([g, gp]) => ({
    label: `γ = ${g}, γ′ = ${gp}`,
    rds: (m: number) => mnistSeeds([g, gp]).flatMap((s) => run(mnistKey(m, g, gp, s))?.measures.RD ?? []),
  }));
  return rdLines('rd-vs-width-digits', 'RD(θ_w*) against the width m on MNIST digits (T1.7)', project, series, MNIST_WIDTHS[scale]);
}

export const phaseDiagram: SuiteDef = {
  id: 'phase-diagram',
  title: 'Phase diagram of two-layer ReLU networks',
  paper: 'Luo, Xu, Ma, Zhang, JMLR 22(71) 2021',
  figure: 'JMLR Fig. 3 (RD vs m, S_w(γ), q-invariance), Fig. 4 (S_w over (γ, γ′)) and Figs. 5/7 (the same slopes on MNIST)',
  parts,
  claims,
  figures: (scale, run, project) => [phaseFigure(scale, run, project), rdFigure(scale, run, project), digitsRdFigure(scale, run, project)],
};
