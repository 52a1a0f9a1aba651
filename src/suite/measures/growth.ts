// Measures of the growth suite(s) (to be filled by the suite's author).
import type { MeasureFn } from './input.js';

export const GROWTH_MEASURES = {} satisfies Record<string, MeasureFn>;
