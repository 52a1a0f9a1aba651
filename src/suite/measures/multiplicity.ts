// Measures of the multiplicity suite (Zhou et al., NeurIPS 2022; SCIENCE.md §6.3, T4.2–T4.4), on the
// last snapshot:
//   lines98:      (1-d) condensed lines among the neurons with ‖wₖ‖ > 0.2·max‖w‖, at |cos| > 0.98
//   majorLines98: the same lines, counting only those holding ≥ 5 % of the kept neurons (a lone
//                 straggler neuron is no line of the condensed network; it makes lines98 read p + 1 on
//                 one seed in seven for x·tanh). Over 180 calibration runs (x·tanh and x²·tanh, seed
//                 offsets 1000·k + 507, k = 0–9) the lines' shares of the kept neurons fall in two
//                 separate groups: stragglers of 1–3 neurons (≤ 3.1 %) and lines of ≥ 6.5 %; 5 % is in the gap
//   grownShare:   (1-d) the share of the m neurons kept by lines98 (‖wₖ‖ > 0.2·max‖w‖): the neurons that
//                 have grown out of the small initialisation. The multiplicity suite calls a run converged
//                 (its lines all grown) when it is ≥ 0.95: x²·tanh's slowest line can still sit below the
//                 norm cut at epoch 200 (seed 6511: 56 and 31 kept neurons on two lines, 13 on a third below)
//   outputR2degq: (1-d) R² of the least-squares degree-q polynomial fit of the network output
//                 f(x) = (1/α) Σₖ aₖ σ(wₖx + bₖ) on 200 grid points spanning the data's inputs
//   lines90, largestLine90: lines among all neurons at |cos| > 0.9, and the largest one's share of m
//   stableRootLines: (1-d) the stable root lines of §6.1's p-th order equation with the theory's initial
//                 residual e = −y, p the run's activation's multiplicity (src/science/direction-field.ts)
//   stableRootLines2, stableRootLines3: the same for p = 2 and p = 3 whatever the run's activation: how many
//                 lines the data allow an x·tanh or x²·tanh network (T4.2 claims exactly p lines on the seeds
//                 whose field has p; a flip that trains another activation on the same data keeps them)
//   rootLineShare10: (1-d, T4.5) the share of the kept neurons (as lines98) within 10° of one of those lines.
//                 e = −y, not the residual at the snapshot: on the suite's runs the lines sit near the roots of
//                 −y and away from those of the epoch-200 residual (suites/multiplicity.suite.ts, T4.5)
import { oneD, type MeasureFn, type MeasureInput } from './input.js';
import { countLines, lineGroups } from '../../science/lines.js';
import { networkOutput1d, linspace, polynomialFitR2 } from '../../science/polynomial-fit.js';
import { activationByName } from '../../engine/activations.js';
import { directionFieldLines, distanceToLines } from '../../science/direction-field.js';

const GRID_POINTS = 200;
/** a major line holds at least this share of the kept neurons */
const MAJOR_SHARE = 0.05;
/** the 1-d lines: |cos| > 0.98 among the neurons with ‖wₖ‖ > 0.2·max‖w‖ (SCIENCE.md §6.3 b) */
const LINES98 = { threshold: 0.98, normFraction: 0.2 };
/** T4.5: a neuron is on a root line when its direction is within this angle of it (SCIENCE.md §6.4) */
const ROOT_LINE_TOLERANCE = (10 * Math.PI) / 180;

/** the run's activation's multiplicity p */
function runMultiplicity(s: MeasureInput): number {
  const p = activationByName(s.t.spec.model.activation).multiplicity;
  if (p === null) throw new Error(`the direction field needs an activation with a multiplicity, not ${s.t.spec.model.activation}`);
  return p;
}

/** the angles of the stable root lines of the p-th order direction field at e = −y (1-d data: x is n × 2) */
function stableRootAngles(s: MeasureInput, p: number): number[] {
  const x = Array.from({ length: s.data.n }, (_, i) => s.data.x[i * s.D]);
  return directionFieldLines(
    x,
    Array.from(s.data.y, (y) => -y),
    p,
  )
    .filter((l) => l.stable)
    .map((l) => l.angle);
}

function outputR2(degree: number): MeasureFn {
  return oneD(`outputR2deg${degree}`, (s: MeasureInput) => {
    const xs = Array.from({ length: s.data.n }, (_, i) => s.data.x[i * s.D]);
    const grid = linspace(Math.min(...xs), Math.max(...xs), GRID_POINTS);
    const f = networkOutput1d(s.last.a, s.last.w, s.t.scales.alpha, activationByName(s.t.spec.model.activation).f64, grid);
    return polynomialFitR2(grid, f, degree);
  });
}

export const MULTIPLICITY_MEASURES = {
  lines98: oneD('lines98', (s) => countLines(s.last.w, s.D, LINES98)),
  majorLines98: oneD('majorLines98', (s) => {
    const groups = lineGroups(s.last.w, s.D, LINES98);
    const kept = groups.reduce((n, g) => n + g.length, 0);
    return groups.filter((g) => g.length >= MAJOR_SHARE * kept).length;
  }),
  grownShare: oneD('grownShare', (s) => {
    const kept = lineGroups(s.last.w, s.D, LINES98).reduce((n, g) => n + g.length, 0);
    return kept / s.t.shape.m;
  }),
  stableRootLines: oneD('stableRootLines', (s) => stableRootAngles(s, runMultiplicity(s)).length),
  stableRootLines2: oneD('stableRootLines2', (s) => stableRootAngles(s, 2).length),
  stableRootLines3: oneD('stableRootLines3', (s) => stableRootAngles(s, 3).length),
  rootLineShare10: oneD('rootLineShare10', (s) => {
    const roots = stableRootAngles(s, runMultiplicity(s));
    const kept = lineGroups(s.last.w, s.D, LINES98).flat();
    return kept.filter((k) => distanceToLines(s.last.w[2 * k], s.last.w[2 * k + 1], roots) <= ROOT_LINE_TOLERANCE).length / kept.length;
  }),
  outputR2deg1: outputR2(1),
  outputR2deg2: outputR2(2),
  outputR2deg3: outputR2(3),
  lines90: (s: MeasureInput) => countLines(s.last.w, s.D, { threshold: 0.9 }),
  largestLine90: (s: MeasureInput) => Math.max(...lineGroups(s.last.w, s.D, { threshold: 0.9 }).map((g) => g.length)) / s.t.shape.m,
} satisfies Record<string, MeasureFn>;
