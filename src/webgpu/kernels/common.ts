// WGSL declarations shared by the batched training kernels, and their host-side encoders and decoder:
// the fixed parameters of each run (Run), its mutable state (RunState) and the state codes. Run r's
// tensors sit at r × (size of one run's tensor) in every buffer of a batch (src/webgpu/batch-program.ts).
import type { JudgedRun, RunJudgement } from '../../engine/run-controller.js';

export const RUN_STATE = { running: 0, doneTol: 1, doneRatio: 2, doneSteps: 3, restart: 4, diverged: 5, init: 6 } as const;

/** What each state code says to the host's run controller (src/engine/run-controller.ts). */
const JUDGEMENT_OF: Record<number, RunJudgement> = {
  [RUN_STATE.running]: 'running',
  [RUN_STATE.doneTol]: 'loss-below',
  [RUN_STATE.doneRatio]: 'loss-ratio',
  [RUN_STATE.doneSteps]: 'max-steps',
  [RUN_STATE.restart]: 'increased',
  [RUN_STATE.diverged]: 'diverged',
  [RUN_STATE.init]: 'unjudged',
};

/** Size in bytes of Run and RunState (16 and 8 four-byte fields). */
export const RUN_BYTES = 64;
export const RUN_STATE_BYTES = 32;

const wgslName = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

export const COMMON_WGSL = /* wgsl */ `
struct Run {
  invAlpha: f32, gradScale: f32, lr: f32, keep: f32,
  seed: u32, lossTol: f32, lossRatio: f32, maxSteps: u32,
  halve: u32, b1: f32, b2: f32, eps: f32,
  invKeep: f32, r1: f32, batch: u32, batchScale: f32,
};
struct RunState {
  state: u32, steps: u32, loss0: f32, prev: f32,
  b1t: f32, b2t: f32, pad0: u32, pad1: u32,
};
${Object.entries(RUN_STATE)
  .map(([k, v]) => `const ${wgslName(k)}: u32 = ${v}u;`)
  .join('\n')}
`;

export interface RunFields {
  invAlpha: number;
  gradScale: number;
  lr: number;
  /** dropout keep probability (1 without dropout) */
  keep: number;
  seed: number;
  /** 0 disables the rule */
  lossTol: number;
  /** 0 disables the rule */
  lossRatio: number;
  maxSteps: number;
  halve: boolean;
  b1: number;
  b2: number;
  eps: number;
  /** the R1 penalty's coefficient (1 − p)/(p·α); absent: none */
  r1?: number;
  /** sgd samples a step and their weight n/batch; absent: full batch */
  sgd?: { batch: number; scale: number };
}

/** Write one Run record at byte `offset` of `into`. */
export function encodeRun(r: RunFields, into: ArrayBuffer = new ArrayBuffer(RUN_BYTES), offset = 0): ArrayBuffer {
  const fv = new Float32Array(into, offset, 16),
    uv = new Uint32Array(into, offset, 16);
  fv[0] = r.invAlpha;
  fv[1] = r.gradScale;
  fv[2] = r.lr;
  fv[3] = r.keep;
  uv[4] = r.seed;
  fv[5] = r.lossTol;
  fv[6] = r.lossRatio;
  uv[7] = r.maxSteps;
  uv[8] = r.halve ? 1 : 0;
  fv[9] = r.b1;
  fv[10] = r.b2;
  fv[11] = r.eps;
  fv[12] = Math.fround(1 / Math.fround(r.keep));
  fv[13] = r.r1 ?? 0;
  uv[14] = r.sgd?.batch ?? 0;
  fv[15] = r.sgd?.scale ?? 0;
  return into;
}

/** One RunState record: `state`, `steps` and the Adam products β1ᵗ, β2ᵗ (loss fields zero). */
export function encodeRunState(state: number, steps = 0, b1t = 1, b2t = 1): Uint8Array<ArrayBuffer> {
  const b = new ArrayBuffer(RUN_STATE_BYTES),
    uv = new Uint32Array(b),
    fv = new Float32Array(b);
  uv[0] = state;
  uv[1] = steps;
  fv[4] = b1t;
  fv[5] = b2t;
  return new Uint8Array(b);
}

/** Run r's RunState record in a read-back of the states buffer: how the control kernels judged it, and its step count. */
export function decodeRunState(states: ArrayBuffer, r: number): JudgedRun {
  const [state, steps] = new Uint32Array(states, r * RUN_STATE_BYTES, 2);
  return { judged: JUDGEMENT_OF[state], steps };
}
