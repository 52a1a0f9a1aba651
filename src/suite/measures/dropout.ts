// Measures of the dropout suite(s) (to be filled by the suite's author).
import type { MeasureFn } from './input.js';

export const DROPOUT_MEASURES = {} satisfies Record<string, MeasureFn>;
