// Philox stream ids: each random tensor of a run draws from its own stream under the run's seed.
export const STREAM = {
  dataX: 1,
  initA: 2,
  initW: 3,
  dropout: 4,
  /** layered models: parameter tensor j of the model at counter ctr1 = j */
  initLayer: 5,
  /** mini-batch order: epoch e at counter ctr1 = e */
  shuffle: 6,
  /** the anchor-function task's sequences (src/engine/anchor-task.ts) */
  anchorTask: 7,
  /** two-layer sgd: the samples of step t at counter ctr1 = t */
  sgd: 8,
} as const;
