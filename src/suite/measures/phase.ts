// Measures of the phase suite(s) (to be filled by the suite's author).
import type { MeasureFn } from './input.js';

export const PHASE_MEASURES = {} satisfies Record<string, MeasureFn>;
