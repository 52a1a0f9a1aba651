// WGSL declarations shared by the batched training kernels: the batch shape (uniform), the fixed
// parameters of each run and its mutable state. The host mirrors these layouts in src/webgpu/batch.ts.
// A batch holds R runs of one shape family (same n, D, m, activation); run r's tensors sit at
// r × (size of one run's tensor) in every buffer.
export const COMMON_WGSL = /* wgsl */ `
struct Dims {
  R: u32, n: u32, D: u32, m: u32,
  act: u32, histCap: u32, mode: u32, pad: u32,
};
struct Run {
  invAlpha: f32, gradScale: f32, lr: f32, keep: f32,
  seed: u32, lossTol: f32, lossRatio: f32, maxSteps: u32,
  halve: u32, b1: f32, b2: f32, eps: f32,
  invKeep: f32, pad0: u32, pad1: u32, pad2: u32,
};
struct RunState {
  state: u32, steps: u32, loss0: f32, prev: f32,
  b1t: f32, b2t: f32, pad0: u32, pad1: u32,
};
const RUNNING: u32 = 0u;
const DONE_TOL: u32 = 1u;
const DONE_RATIO: u32 = 2u;
const DONE_STEPS: u32 = 3u;
const RESTART: u32 = 4u;
const DIVERGED: u32 = 5u;
const INIT: u32 = 6u;
`;

/** Size in bytes of Run and RunState (16 and 8 four-byte fields). */
export const RUN_BYTES = 64;
export const RUN_STATE_BYTES = 32;

export const RUN_STATE = { running: 0, doneTol: 1, doneRatio: 2, doneSteps: 3, restart: 4, diverged: 5, init: 6 } as const;
