// Measures of the phase-diagram suite (Luo et al. 2021, SCIENCE.md §3.6). RD and width are core
// measures (the growth exponent S_w is fitted across runs, in the claims); here: how exponential the
// loss decay is (T1.5).
import { logLossLinearR2 } from '../../science/loss-decay.js';
import type { MeasureFn, MeasureInput } from './input.js';

export const PHASE_MEASURES = {
  /** R² of the straight line through (step, log R) over the first 90 % of the loss curve (T1.5) */
  lossDecayR2: (s: MeasureInput) => logLossLinearR2(s.t.loss, s.t.lossEvery),
} satisfies Record<string, MeasureFn>;
