// What every training run hands back, whatever its model: the loss curve and how the run ended. The
// two-layer trajectory (./trajectory.ts) and the layered one (../model/trajectory.ts) each add their
// spec, shapes and weight snapshots.

export type StopReason = 'loss-below' | 'loss-ratio' | 'max-steps';

export interface RunOutcome {
  backend: string;
  /** loss R at steps 0, lossEvery, 2·lossEvery, … */
  loss: Float32Array;
  lossEvery: number;
  initialLoss: number;
  finalLoss: number;
  /** updates taken by the run that finished (after the last restart) */
  steps: number;
  stopReason: StopReason;
  /** learning rate of the finished run, and how many times it was halved */
  lr: number;
  restarts: number;
  wallMs: number;
}
