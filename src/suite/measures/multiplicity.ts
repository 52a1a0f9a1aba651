// Measures of the multiplicity suite(s) (to be filled by the suite's author).
import type { MeasureFn } from './input.js';

export const MULTIPLICITY_MEASURES = {} satisfies Record<string, MeasureFn>;
