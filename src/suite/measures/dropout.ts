// Measures of the dropout suite (Zhang & Xu, TPAMI 2024; SCIENCE.md §8): Lemma 1 on a frozen network
// (the recorded losses of a dropout run whose weights do not move are Monte-Carlo samples of
// R_S^drop(θ, η)), the oscillation of a 1-d interpolant, the effective ratio, and the teacher–student
// losses and alignment. All in f64 on the final (or frozen) weights.
import { activationByName } from '../../engine/activations.js';
import { teacherDirection, teacherStudentSet } from '../../engine/data.js';
import { dropoutLossTerms, effectiveRatio, squareLoss, standardScore, totalVariation1d, type Network64 } from '../../science/dropout.js';
import { alignmentWithDirection, summarizeAlignment } from '../../science/condensation-direction.js';
import { oneD, type MeasureFn, type MeasureInput } from './input.js';

/** Held-out points of the teacher–student test loss (SCIENCE.md §8.3 b: 2000). */
const TEST_POINTS = 2000;

/** Relative rounding of an f32 loss R = (1/2n)·Σeᵢ² over n ≤ a few hundred terms, far above its true size. */
const F32_LOSS_RTOL = 1e-5;

const network = (s: MeasureInput, x: ArrayLike<number> = s.data.x): Network64 => ({
  x,
  D: s.D,
  a: s.last.a,
  w: s.last.w,
  sigma: activationByName(s.t.spec.model.activation).f64,
  alpha: s.t.scales.alpha,
});

/** The Monte-Carlo samples of R_S^drop at one θ, and Lemma 1's terms there; refuses runs that do not give them. */
function frozenDropoutRun(s: MeasureInput): { samples: Float32Array; RS: number; R1: number } {
  const keep = s.t.spec.dropout?.keep;
  if (keep === undefined) throw new Error('Lemma 1 measures need a dropout run');
  if (s.t.lossEvery !== 1) throw new Error(`Lemma 1 measures need every step's loss (lossEvery 1, got ${s.t.lossEvery})`);
  const moved = s.first.a.some((v, k) => v !== s.last.a[k]) || s.first.w.some((v, k) => v !== s.last.w[k]);
  if (moved) throw new Error('Lemma 1 measures need frozen weights (a learning rate too small to move θ in f32), but θ moved');
  return { samples: s.t.loss, ...dropoutLossTerms(network(s), s.data.y, keep) };
}

/** The teacher10d preset's seed, or an error naming the measure. */
function teacherSeed(name: string, s: MeasureInput): number {
  const data = s.t.spec.data;
  if (!('preset' in data) || data.preset !== 'teacher10d') throw new Error(`measure ${name} needs data.preset teacher10d`);
  return data.seed ?? 0;
}

export const DROPOUT_MEASURES = {
  /** |mean R_S^drop − (R_S + R1)| in standard errors over the masks of a frozen run (Lemma 1, T6.1) */
  lemma1Z: (s: MeasureInput) => {
    const { samples, RS, R1 } = frozenDropoutRun(s);
    return standardScore(samples, RS + R1, F32_LOSS_RTOL);
  },
  /** |mean R_S^drop − R_S| in standard errors: how clearly the samples resolve R1 (T6.1) */
  lemma1ZWithoutR1: (s: MeasureInput) => {
    const { samples, RS } = frozenDropoutRun(s);
    return standardScore(samples, RS, F32_LOSS_RTOL);
  },
  /** R_S without masks at the final weights (the recorded loss of a dropout run is the masked one) */
  trainLoss: (s: MeasureInput) => squareLoss(network(s), s.data.y),
  /** total variation of the output on 400 even points spanning the training inputs (§8.3 a, T6.2) */
  outputTV: oneD('outputTV', (s) => {
    const xs = Array.from({ length: s.data.n }, (_, i) => s.data.x[2 * i]);
    return totalVariation1d(network(s), Math.min(...xs), Math.max(...xs));
  }),
  /** m_eff/m at cos > 0.95 over the final input weights (§2, T6.3) */
  effectiveRatio: (s: MeasureInput) => effectiveRatio(s.last.w, s.D),
  /** teacher–student loss on 2000 held-out points (teacher10d, §8.3 b, T6.3) */
  testLoss: (s: MeasureInput) => {
    const test = teacherStudentSet(s.wasm.heap, s.wasm.kernels, TEST_POINTS, teacherSeed('testLoss', s), 'test');
    return squareLoss(network(s, test.x), test.y);
  },
  /** median over neurons of |cos(wₖ, (w*, 0))| (teacher10d, §8.3 b, T6.3) */
  medianCosTeacher: (s: MeasureInput) => {
    const teacher = [...teacherDirection(s.wasm.heap, s.wasm.kernels, teacherSeed('medianCosTeacher', s)), 0];
    return summarizeAlignment(alignmentWithDirection(s.last.w, s.D, teacher)).median;
  },
} satisfies Record<string, MeasureFn>;
