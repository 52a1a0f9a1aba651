// The training loop every CPU model shares: stop rules, Luo et al.'s halve-and-restart rule, loss
// thinning, snapshots, progress, and a clear error naming the step and tensor when training produces
// a NaN or Inf. The model (two-layer or layered) supplies forward, backward, update and snapshots.
import type { StopSpec } from './spec.js';
import type { Trajectory } from './trajectory.js';
import type { StopReason } from './run-outcome.js';

/** Relative slack before a loss counts as increased (as in the authors' code path of the pilot). */
const INCREASE_SLACK = 1e-7;

export class TrainingDivergedError extends Error {
  constructor(
    readonly step: number,
    readonly tensor: string,
    detail: string,
  ) {
    super(`training diverged at step ${step}: ${tensor} ${detail}`);
    this.name = 'TrainingDivergedError';
  }
}

export interface TrainOptions {
  /** called every `progressEvery` steps */
  onProgress?: (step: number, loss: number) => void;
  progressEvery?: number;
}

type MaybeAsync<T> = T | Promise<T>;

/** What the loop drives: one model with its optimiser state over some memory (CPU: synchronous;
 * a GPU answers through promises). */
export interface SteppedModel<S> {
  /** initial weights back in place, optimiser state zeroed (a restart begins from scratch) */
  reset(): MaybeAsync<void>;
  /** the loss R at step `step` (before that step's update) */
  forward(step: number): MaybeAsync<number>;
  backward(): MaybeAsync<void>;
  /** apply the gradients of the last backward with rate lr (f32); `step` counts from 1 */
  update(lr: number, step: number): MaybeAsync<void>;
  snapshot(step: number): MaybeAsync<S>;
  findNonFinite(): MaybeAsync<{ tensor: string; index: number; value: number } | undefined>;
}

export interface LoopControl {
  stop: StopSpec;
  /** the f32 rate of step t (0-based) for a base rate; halving halves the base */
  rateAt: (base: number, step: number) => number;
  baseLr: number;
  halveOnIncrease: boolean;
  maxHalvings: number;
  lossEvery: number;
  snapshots: number[];
  backend: string;
}

/** What the loop hands back: the parts of a trajectory that every model shares, with its own snapshots. */
export type LoopResult<S> = Pick<Trajectory, 'loss' | 'initialLoss' | 'finalLoss' | 'steps' | 'stopReason' | 'lr' | 'restarts'> & { snapshots: S[] };

export async function runTrainingLoop<S extends { step: number }>(net: SteppedModel<S>, c: LoopControl, opts: TrainOptions = {}): Promise<LoopResult<S>> {
  const want = new Set(c.snapshots);
  const { maxSteps, lossBelow, lossRatioBelow } = c.stop;
  let base = Math.fround(c.baseLr);
  let restarts = 0;
  for (;;) {
    const diverged = async (step: number): Promise<never> => {
      const bad = await net.findNonFinite();
      const where = `(lr ${c.rateAt(base, Math.max(step - 1, 0))}, backend ${c.backend})`;
      throw bad
        ? new TrainingDivergedError(step, bad.tensor, `holds ${bad.value} at index ${bad.index} ${where}`)
        : new TrainingDivergedError(step, 'R (loss)', `is not finite ${where}`);
    };
    await net.reset();
    const loss0 = await net.forward(0);
    if (!Number.isFinite(loss0)) await diverged(0);
    const losses: number[] = [loss0];
    const snapshots: S[] = [await net.snapshot(0)];
    let loss = loss0,
      step = 0,
      restarted = false;
    let stopReason: StopReason;
    for (;;) {
      if (lossBelow !== undefined && loss < lossBelow) {
        stopReason = 'loss-below';
        break;
      }
      if (lossRatioBelow !== undefined && loss <= lossRatioBelow * loss0) {
        stopReason = 'loss-ratio';
        break;
      }
      if (step >= maxSteps) {
        stopReason = 'max-steps';
        break;
      }
      await net.backward();
      await net.update(c.rateAt(base, step), step + 1);
      step++;
      const next = await net.forward(step);
      if (!Number.isFinite(next)) await diverged(step);
      if (c.halveOnIncrease && next > loss * (1 + INCREASE_SLACK)) {
        restarts++;
        if (restarts > c.maxHalvings) {
          throw new Error(`learning rate halved ${c.maxHalvings} times and the loss still increased at step ${step}: lower lr or raise lr.maxHalvings`);
        }
        base = Math.fround(base / 2);
        restarted = true;
        break;
      }
      loss = next;
      if (step % c.lossEvery === 0) losses.push(loss);
      if (want.has(step)) snapshots.push(await net.snapshot(step));
      if (opts.onProgress && step % (opts.progressEvery ?? 1000) === 0) opts.onProgress(step, loss);
    }
    if (restarted) continue;
    if (snapshots[snapshots.length - 1].step !== step) snapshots.push(await net.snapshot(step));
    return { loss: Float32Array.from(losses), initialLoss: loss0, finalLoss: loss, steps: step, stopReason: stopReason!, lr: base, restarts, snapshots };
  }
}
