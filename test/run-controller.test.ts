// The run controller (src/engine/run-controller.ts) on scripted losses, without a model: each stop rule
// fires on the first step that satisfies it, an increase restarts with the halved f32 rate and a fresh
// record, too many halvings and a non-finite loss end the run with the messages the engines print, and
// a GPU read-back (a chunk of steps, judged in-kernel) is settled as the same steps judged one by one.
import { describe, it, expect } from 'vitest';
import { RunController, TrainingDivergedError, type RunRules, type TrainOptions, type Verdict } from '../src/engine/run-controller.js';
import { runTrainingLoop, type SteppedModel } from '../src/engine/train-loop.js';
import { RUN_STATE, decodeRunState, encodeRunState } from '../src/webgpu/kernels/common.js';

type Snap = { step: number };
const LABELS = { diverged: (lr: number) => `(lr ${lr}, backend test)`, increasedAt: (step: number) => `${step}` };

function controller(rules: Partial<RunRules> = {}, opts: TrainOptions = {}): RunController<Snap> {
  return new RunController<Snap>(
    { stop: { maxSteps: 100 }, rateAt: (base) => base, baseLr: 0.1, halveOnIncrease: false, maxHalvings: 30, lossEvery: 1, snapshots: [], ...rules },
    LABELS,
    opts,
  );
}

/** Feed R(0), R(1), … until the controller answers something other than continue; the verdicts in order. */
function feed(run: RunController<Snap>, losses: number[]): Verdict[] {
  const out: Verdict[] = [];
  for (const [step, loss] of losses.entries()) {
    const v = run.observe(step, loss);
    out.push(v);
    if (v.kind === 'continue') for (const s of v.snapshots) run.keep({ step: s });
    else {
      if (v.kind === 'stop') for (const s of v.snapshots) run.keep({ step: s });
      break;
    }
  }
  return out;
}

describe('stop rules', () => {
  it('loss-below fires on the first loss under the bound, not at equality', () => {
    const run = controller({ stop: { maxSteps: 100, lossBelow: 0.5 } });
    const v = feed(run, [1, 0.8, 0.5, 0.49, 0.1]);
    expect(v.map((x) => x.kind)).toEqual(['continue', 'continue', 'continue', 'stop']);
    expect(v[3]).toMatchObject({ reason: 'loss-below' });
    expect(run.result()).toMatchObject({ steps: 3, stopReason: 'loss-below', initialLoss: 1, finalLoss: 0.49, restarts: 0 });
  });

  it('loss-ratio fires at R ≤ ratio·R(0), equality included', () => {
    const run = controller({ stop: { maxSteps: 100, lossRatioBelow: 0.5 } });
    const v = feed(run, [2, 1.5, 1, 0.5]);
    expect(v.at(-1)).toMatchObject({ kind: 'stop', reason: 'loss-ratio' });
    expect(run.result().steps).toBe(2);
  });

  it('max-steps fires at step maxSteps, and at step 0 when maxSteps is 0', () => {
    const run = controller({ stop: { maxSteps: 3 } });
    expect(feed(run, [4, 3, 2, 1, 0]).map((x) => x.kind)).toEqual(['continue', 'continue', 'continue', 'stop']);
    expect(run.result()).toMatchObject({ steps: 3, stopReason: 'max-steps' });
    const none = controller({ stop: { maxSteps: 0 } });
    expect(none.observe(0, 1)).toEqual({ kind: 'stop', reason: 'max-steps', snapshots: [0] });
  });

  it('checks loss-below, then loss-ratio, then max-steps', () => {
    expect(controller({ stop: { maxSteps: 0, lossBelow: 2, lossRatioBelow: 1 } }).observe(0, 1)).toMatchObject({ reason: 'loss-below' });
    expect(controller({ stop: { maxSteps: 0, lossRatioBelow: 1 } }).observe(0, 1)).toMatchObject({ reason: 'loss-ratio' });
  });
});

describe('halve and restart', () => {
  it('an increase beyond the slack restarts with the halved f32 rate and a fresh record', () => {
    const run = controller({ baseLr: 0.1, halveOnIncrease: true, stop: { maxSteps: 3 } });
    expect(feed(run, [1, 0.9, 0.95])).toEqual([
      { kind: 'continue', snapshots: [0] },
      { kind: 'continue', snapshots: [] },
      { kind: 'restart', lr: Math.fround(Math.fround(0.1) / 2) },
    ]);
    expect(run.rate(0)).toBe(Math.fround(Math.fround(0.1) / 2));
    expect([run.started, run.step]).toEqual([false, -1]);
    feed(run, [1, 0.9, 0.8, 0.7]);
    const done = run.result();
    expect(done).toMatchObject({ steps: 3, restarts: 1, lr: Math.fround(0.05), initialLoss: 1, finalLoss: 0.7 });
    expect(Array.from(done.loss)).toEqual([1, 0.9, 0.8, 0.7].map(Math.fround));
    expect(done.snapshots.map((s) => s.step)).toEqual([0, 3]);
  });

  it('an increase within the slack, or with halving off, does not restart', () => {
    const within = controller({ halveOnIncrease: true });
    expect(within.observe(0, 1).kind).toBe('continue');
    expect(within.observe(1, 1 + 5e-8).kind).toBe('continue');
    const off = controller();
    off.observe(0, 1);
    expect(off.observe(1, 2).kind).toBe('continue');
  });

  it('gives up after maxHalvings restarts, naming the step', () => {
    const run = controller({ halveOnIncrease: true, maxHalvings: 2 });
    for (let attempt = 0; attempt < 2; attempt++) expect(feed(run, [1, 2]).at(-1)!.kind).toBe('restart');
    expect(() => feed(run, [1, 0.5, 2])).toThrow('learning rate halved 2 times and the loss still increased at step 2: lower lr or raise lr.maxHalvings');
  });
});

describe('divergence', () => {
  it('a non-finite loss answers diverged at its step, before the increase rule', () => {
    const run = controller({ halveOnIncrease: true });
    expect(run.observe(0, 1).kind).toBe('continue');
    expect(run.observe(1, Infinity)).toEqual({ kind: 'diverged', step: 1 });
    expect(controller().observe(0, NaN)).toEqual({ kind: 'diverged', step: 0 });
  });

  it('the error names the step, the tensor (with its first bad entry when known) and the rate of the update', () => {
    const run = controller({ baseLr: 0.25, rateAt: (base, step) => base * (step + 1) });
    const e = run.divergedError(3, { tensor: 'W', index: 7, value: NaN });
    expect(e).toBeInstanceOf(TrainingDivergedError);
    expect([e.step, e.tensor, e.message]).toEqual([3, 'W', 'training diverged at step 3: W holds NaN at index 7 (lr 0.75, backend test)']);
    expect(run.divergedError(3, { tensor: 'a' }).message).toBe('training diverged at step 3: a is not finite (lr 0.75, backend test)');
    expect(run.divergedError(0, undefined).message).toBe('training diverged at step 0: R (loss) is not finite (lr 0.25, backend test)');
  });
});

describe('the record', () => {
  it('keeps every lossEvery-th loss, snapshots at 0, the requested steps and the last, and reports progress', () => {
    const progress: number[][] = [];
    const run = controller(
      { stop: { maxSteps: 7 }, lossEvery: 3, snapshots: [0, 2, 2, 5, 9] },
      { progressEvery: 4, onProgress: (s, l) => progress.push([s, l]) },
    );
    expect(run.stepsToSnapshot()).toBe(3);
    const v = feed(run, [8, 7, 6, 5, 4, 3, 2, 1]);
    expect(v.flatMap((x) => ('snapshots' in x ? x.snapshots : []))).toEqual([0, 2, 5, 7]);
    expect(Array.from(run.result().loss)).toEqual([8, 5, 2]);
    expect(progress).toEqual([[4, 4]]);
    expect([run.stepsToSnapshot(), run.stepsLeft()]).toEqual([2, 0]); // step 9 is still asked for
  });
});

describe('settling a GPU read-back', () => {
  it('records a chunk of steps from the loss history as the same steps observed one by one', () => {
    const losses = [5, 4, 3, 2.5, 2, 1.5];
    const hist = (s: number) => losses[s];
    const gpu = controller({ stop: { maxSteps: 5 }, lossEvery: 2, snapshots: [3] });
    expect(gpu.settle({ judged: 'running', steps: 0 }, hist)).toEqual({ kind: 'continue', snapshots: [0] });
    expect(gpu.settle({ judged: 'unjudged', steps: 0 }, hist)).toEqual({ kind: 'continue', snapshots: [] });
    expect(gpu.stepsToSnapshot()).toBe(3);
    expect(gpu.settle({ judged: 'running', steps: 3 }, hist)).toEqual({ kind: 'continue', snapshots: [3] });
    expect(gpu.settle({ judged: 'max-steps', steps: 5 }, hist)).toEqual({ kind: 'stop', reason: 'max-steps', snapshots: [5] });
    const cpu = controller({ stop: { maxSteps: 5 }, lossEvery: 2, snapshots: [3] });
    feed(cpu, losses);
    const { snapshots: _, ...got } = gpu.result();
    const { snapshots: __, ...want } = cpu.result();
    expect(got).toEqual(want);
  });

  it('an increase judged in-kernel past the last halving names the step the kernel judged', () => {
    const run = new RunController<Snap>(
      { stop: { maxSteps: 100 }, rateAt: (b) => b, baseLr: 1, halveOnIncrease: true, maxHalvings: 0, lossEvery: 1, snapshots: [] },
      { ...LABELS, increasedAt: (step) => `${step} (run 2 of the WebGPU batch)` },
    );
    run.settle({ judged: 'running', steps: 0 }, () => 1);
    expect(() => run.settle({ judged: 'increased', steps: 40 }, () => 1)).toThrow(/increased at step 40 \(run 2 of the WebGPU batch\)/);
  });

  it('decodeRunState reads each state code of a RunState record as the controller judgement', () => {
    const codes = [RUN_STATE.running, RUN_STATE.doneTol, RUN_STATE.doneRatio, RUN_STATE.doneSteps, RUN_STATE.restart, RUN_STATE.diverged, RUN_STATE.init];
    const bytes = new Uint8Array(codes.length * 32);
    codes.forEach((c, r) => bytes.set(encodeRunState(c, 10 + r), r * 32));
    expect(codes.map((_, r) => decodeRunState(bytes.buffer, r))).toEqual(
      ['running', 'loss-below', 'loss-ratio', 'max-steps', 'increased', 'diverged', 'unjudged'].map((judged, r) => ({ judged, steps: 10 + r })),
    );
  });
});

describe('the CPU training loop', () => {
  it('restarts the model from scratch with the halved rate after an increase', async () => {
    // losses per attempt: the first rises at step 2, the second falls to the stop bound
    const script = [
      [1, 0.5, 0.9],
      [1, 0.6, 0.3, 0.05],
    ];
    const calls: string[] = [];
    let attempt = -1;
    const model: SteppedModel<Snap> = {
      reset: () => void (attempt++, calls.push('reset')),
      forward: (step) => script[attempt][step],
      backward: () => {},
      update: (lr, step) => void calls.push(`update ${lr} ${step}`),
      snapshot: (step) => ({ step }),
      findNonFinite: () => undefined,
    };
    const rules: RunRules = {
      stop: { maxSteps: 10, lossBelow: 0.1 },
      rateAt: (b) => b,
      baseLr: 0.5,
      halveOnIncrease: true,
      maxHalvings: 3,
      lossEvery: 1,
      snapshots: [],
    };
    const out = await runTrainingLoop(model, rules, 'test');
    expect(calls).toEqual(['reset', 'update 0.5 1', 'update 0.5 2', 'reset', 'update 0.25 1', 'update 0.25 2', 'update 0.25 3']);
    expect(out).toMatchObject({ steps: 3, stopReason: 'loss-below', restarts: 1, lr: 0.25, initialLoss: 1, finalLoss: 0.05 });
    expect(out.snapshots).toEqual([{ step: 0 }, { step: 3 }]);
  });

  it('throws the divergence error with the tensor the model names', async () => {
    const model: SteppedModel<Snap> = {
      reset: () => {},
      forward: (step) => (step === 2 ? NaN : 1),
      backward: () => {},
      update: () => {},
      snapshot: (step) => ({ step }),
      findNonFinite: () => ({ tensor: 'W', index: 4, value: Infinity }),
    };
    const rules: RunRules = { stop: { maxSteps: 10 }, rateAt: (b) => b, baseLr: 2, halveOnIncrease: false, maxHalvings: 0, lossEvery: 1, snapshots: [] };
    await expect(runTrainingLoop(model, rules, 'test')).rejects.toThrow('training diverged at step 2: W holds Infinity at index 4 (lr 2, backend test)');
  });
});
