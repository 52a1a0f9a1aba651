// The training loop every CPU model shares: one step at a time, each loss judged by the run's
// controller (./run-controller.ts: stop rules, Luo et al.'s halve-and-restart rule, the record of
// losses and snapshots, a clear error naming the step and tensor when training produces a NaN or Inf).
// The model (two-layer or layered) supplies forward, backward, update and snapshots.
import { RunController, type RunRecord, type RunRules, type TrainOptions } from './run-controller.js';

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

export async function runTrainingLoop<S extends { step: number }>(
  net: SteppedModel<S>,
  rules: RunRules,
  backend: string,
  opts: TrainOptions = {},
): Promise<RunRecord<S>> {
  const run = new RunController<S>(rules, { diverged: (lr) => `(lr ${lr}, backend ${backend})`, increasedAt: (step) => `${step}` }, opts);
  for (;;) {
    await net.reset();
    let step = 0;
    let verdict = run.observe(0, await net.forward(0));
    while (verdict.kind !== 'restart') {
      if (verdict.kind === 'diverged') throw run.divergedError(verdict.step, await net.findNonFinite());
      for (const s of verdict.snapshots) run.keep(await net.snapshot(s));
      if (verdict.kind === 'stop') return run.result();
      await net.backward();
      await net.update(run.rate(step), step + 1);
      step++;
      verdict = run.observe(step, await net.forward(step));
    }
  }
}
