// The controller of one training run, shared by every training loop (the CPU loop of ./train-loop.ts,
// the WebGPU batches of src/webgpu/batch.ts and layered-batch.ts): the stop rules, Luo et al.'s
// halve-and-restart rule, the divergence error, and the record of the current attempt (thinned losses,
// snapshots, progress). A small state machine: it is told how each step (or chunk of steps) was judged
// and answers continue, stop (reason), restart (with the halved rate) or diverged. The CPU loop has it
// judge each loss (`observe`); on the GPU the control kernels judge in-kernel with the same rules
// (src/webgpu/kernels/control.ts) and the host settles the read-back RunState (`settle`).
import type { StopSpec } from './spec.js';
import type { RunOutcome, StopReason } from './run-outcome.js';

/** Relative slack before a loss counts as increased (as in the authors' code path of the pilot); the WGSL rules use it too. */
export const INCREASE_SLACK = 1e-7;

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
  /** called every `progressEvery` steps (once per read-back that passes a multiple, on the GPU) */
  onProgress?: (step: number, loss: number) => void;
  progressEvery?: number;
}

/** The rules of one run, from its spec. */
export interface RunRules {
  stop: StopSpec;
  /** the f32 rate of step t (0-based) for a base rate; halving halves the base */
  rateAt: (base: number, step: number) => number;
  baseLr: number;
  halveOnIncrease: boolean;
  maxHalvings: number;
  lossEvery: number;
  snapshots: number[];
}

/** How the controller's errors name where the run trains. */
export interface RunLabels {
  /** the end of a divergence message, given the rate of the update that diverged: `(lr …, backend …)` */
  diverged: (lr: number) => string;
  /** what follows "increased at step" in the too-many-halvings message: the step of the increase (and
   * which run of a batch) */
  increasedAt: (step: number) => string;
}

/** How a run stands after its latest judged step (on the GPU: its RunState's code, src/webgpu/kernels/common.ts). */
export type RunJudgement = 'unjudged' | 'running' | 'increased' | 'diverged' | StopReason;

/** A run as judged: the judgement and the step the run stands at. */
export interface JudgedRun {
  judged: RunJudgement;
  steps: number;
}

/** What the loop does next. `snapshots`: the steps whose weights are due now (0: the initial weights). */
export type Verdict =
  | { kind: 'continue'; snapshots: number[] }
  | { kind: 'stop'; reason: StopReason; snapshots: number[] }
  | { kind: 'restart'; lr: number }
  | { kind: 'diverged'; step: number };

/** Where a non-finite value was found: a tensor, with its first bad entry when the search looks that far. */
type NonFinite = { tensor: string } | { tensor: string; index: number; value: number };

/** What a finished run hands back, beside its model's fields. */
export type RunRecord<S> = Pick<RunOutcome, 'loss' | 'initialLoss' | 'finalLoss' | 'steps' | 'stopReason' | 'lr' | 'restarts'> & { snapshots: S[] };

/** The record of one attempt (a restart begins a new one). */
interface Attempt<S> {
  /** losses at the steps that are multiples of lossEvery */
  loss: number[];
  loss0: number;
  last: number;
  /** the last step recorded (−1 before R(0)) */
  seen: number;
  snapshots: S[];
  stopped?: StopReason;
}

const freshAttempt = <S>(): Attempt<S> => ({ loss: [], loss0: NaN, last: NaN, seen: -1, snapshots: [] });

export class RunController<S extends { step: number }> {
  /** the base rate (f32) of the current attempt, halved at each restart */
  private base: number;
  private restarts = 0;
  private attempt: Attempt<S> = freshAttempt();
  /** the requested snapshot steps after 0, ascending */
  private readonly want: number[];

  constructor(
    private readonly rules: RunRules,
    private readonly labels: RunLabels,
    private readonly opts: TrainOptions = {},
  ) {
    this.base = Math.fround(rules.baseLr);
    this.want = [...new Set(rules.snapshots)].filter((s) => s > 0).sort((x, y) => x - y);
  }

  /** The rate of the update from step `step` to step + 1. */
  rate(step: number): number {
    return this.rules.rateAt(this.base, step);
  }

  /** The last step recorded (−1 before R(0)). */
  get step(): number {
    return this.attempt.seen;
  }

  /** R(0) of the current attempt has been recorded. */
  get started(): boolean {
    return this.attempt.seen >= 0;
  }

  get stopped(): boolean {
    return this.attempt.stopped !== undefined;
  }

  /** Steps from the last recorded one to the next requested snapshot (Infinity when none is left). */
  stepsToSnapshot(): number {
    const next = this.want.find((s) => s > this.attempt.seen);
    return next === undefined ? Infinity : next - this.attempt.seen;
  }

  /** Steps from the last recorded one to maxSteps. */
  stepsLeft(): number {
    return this.rules.stop.maxSteps - this.attempt.seen;
  }

  /** Judge the loss R(step) on the host (the rules of the WGSL judge_loss and apply_stop_rules, in f64 here), and settle it. */
  observe(step: number, loss: number): Verdict {
    return this.settle({ judged: this.judge(step, loss), steps: step }, () => loss);
  }

  private judge(step: number, loss: number): RunJudgement {
    if (!Number.isFinite(loss)) return 'diverged';
    if (step > 0 && this.rules.halveOnIncrease && loss > this.attempt.last * (1 + INCREASE_SLACK)) return 'increased';
    const { lossBelow, lossRatioBelow, maxSteps } = this.rules.stop;
    const loss0 = step === 0 ? loss : this.attempt.loss0;
    if (lossBelow !== undefined && loss < lossBelow) return 'loss-below';
    if (lossRatioBelow !== undefined && loss <= lossRatioBelow * loss0) return 'loss-ratio';
    if (step >= maxSteps) return 'max-steps';
    return 'running';
  }

  /** Act on a judged run: steps after the last recorded one up to `run.steps` are recorded with their losses `lossAt(step)`. */
  settle(run: JudgedRun, lossAt: (step: number) => number): Verdict {
    switch (run.judged) {
      case 'unjudged':
        return { kind: 'continue', snapshots: [] };
      case 'diverged':
        return { kind: 'diverged', step: run.steps };
      case 'increased':
        return this.restart(run.steps);
      case 'running':
        return { kind: 'continue', snapshots: this.record(run.steps, lossAt, false) };
      default:
        this.attempt.stopped = run.judged;
        return { kind: 'stop', reason: run.judged, snapshots: this.record(run.steps, lossAt, true) };
    }
  }

  /** Record steps seen+1 … steps; the snapshot steps now due: 0 at the first record, then a requested step or the last. */
  private record(steps: number, lossAt: (step: number) => number, last: boolean): number[] {
    const a = this.attempt,
      before = a.seen;
    for (let s = before + 1; s <= steps; s++) if (s % this.rules.lossEvery === 0) a.loss.push(lossAt(s));
    if (before < 0) a.loss0 = lossAt(0);
    a.last = lossAt(steps);
    a.seen = steps;
    const every = this.opts.progressEvery ?? 1000;
    if (this.opts.onProgress && Math.floor(steps / every) > Math.floor(Math.max(before, 0) / every)) this.opts.onProgress(steps, a.last);
    const due = before < 0 ? [0] : [];
    if ((last || this.want.includes(steps)) && steps > Math.max(before, 0)) due.push(steps);
    return due;
  }

  private restart(step: number): Verdict {
    this.restarts++;
    const max = this.rules.maxHalvings;
    if (this.restarts > max) {
      const at = this.labels.increasedAt(step);
      throw new Error(`learning rate halved ${max} times and the loss still increased at step ${at}: lower lr or raise lr.maxHalvings`);
    }
    this.base = Math.fround(this.base / 2);
    this.attempt = freshAttempt();
    return { kind: 'restart', lr: this.base };
  }

  /** Keep the weights of a due snapshot step. */
  keep(snapshot: S): void {
    this.attempt.snapshots.push(snapshot);
  }

  /** The error a diverged step ends the run with, naming where the search found a non-finite value (else the loss). */
  divergedError(step: number, found: NonFinite | undefined): TrainingDivergedError {
    const where = this.labels.diverged(this.rate(Math.max(step - 1, 0)));
    if (!found) return new TrainingDivergedError(step, 'R (loss)', `is not finite ${where}`);
    return new TrainingDivergedError(step, found.tensor, 'index' in found ? `holds ${found.value} at index ${found.index} ${where}` : `is not finite ${where}`);
  }

  /** The record of the finished run. */
  result(): RunRecord<S> {
    const a = this.attempt;
    if (a.stopped === undefined) throw new Error('the run has not stopped');
    return {
      loss: Float32Array.from(a.loss),
      initialLoss: a.loss0,
      finalLoss: a.last,
      steps: a.seen,
      stopReason: a.stopped,
      lr: this.base,
      restarts: this.restarts,
      snapshots: a.snapshots,
    };
  }
}
