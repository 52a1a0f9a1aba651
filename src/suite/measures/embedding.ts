// Measures of the embedding suite(s) (to be filled by the suite's author).
import type { MeasureFn } from './input.js';

export const EMBEDDING_MEASURES = {} satisfies Record<string, MeasureFn>;
