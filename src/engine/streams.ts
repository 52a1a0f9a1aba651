// Philox stream ids: each random tensor of a run draws from its own stream under the run's seed.
export const STREAM = {
  dataX: 1,
  initA: 2,
  initW: 3,
  dropout: 4,
} as const;
