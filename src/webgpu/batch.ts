// Batched training on WebGPU: R RunSpecs of one shape family train together (./batch-program.ts).
// Each run keeps its own data, scales, learning rate, stop rule and halve-and-restart state on the
// GPU (kernels/control.ts); finished runs freeze and the rest go on. The host reads back only every
// few steps (at most CHUNK, and exactly at snapshot steps), appends each run's losses from the GPU
// history ring, restarts the runs that asked for it, and stops when no run is left. Once half of
// the runs have finished, the live ones move to a smaller program (finished runs drop out, so a
// long tail of slow runs does not pay for the whole batch).
import type { WasmInstance } from '../wasm/load.js';
import type { RunSpec } from '../engine/spec.js';
import type { Snapshot, Trajectory } from '../engine/trajectory.js';
import type { StopReason } from '../engine/run-outcome.js';
import { TrainingDivergedError } from '../engine/train.js';
import type { GpuContext } from './device.js';
import { RUN_STATE } from './kernels/common.js';
import { GpuBatchProgram, CHUNK, HIST_CAP } from './batch-program.js';

interface Progress {
  restarts: number;
  loss: number[];
  snapshots: Snapshot[];
  want: number[];
  /** last step whose loss was appended (−1 before R(0)) */
  seen: number;
  finished?: { reason: StopReason; steps: number; loss0: number; loss: number };
}

const STOP_OF: Record<number, StopReason> = { [RUN_STATE.doneTol]: 'loss-below', [RUN_STATE.doneRatio]: 'loss-ratio', [RUN_STATE.doneSteps]: 'max-steps' };

export async function trainBatch(ctx: GpuContext, wasm: WasmInstance, specs: RunSpec[]): Promise<Trajectory[]> {
  if (specs.length === 0) return [];
  const started = performance.now();
  let program = await GpuBatchProgram.create(ctx, wasm, specs);
  /** global run index of each run of the current program */
  let index = specs.map((_, r) => r);
  const runs = [...program.runs];
  /** take the current program's run records (learning rates) as the final ones */
  const adopt = () => index.forEach((g, r) => (runs[g] = program.runs[r]));
  try {
    const prog: Progress[] = specs.map((spec) => ({
      restarts: 0,
      loss: [],
      snapshots: [],
      seen: -1,
      want: [...new Set(spec.snapshots ?? [])].filter((s) => s > 0).sort((x, y) => x - y),
    }));
    let states: Uint32Array = new Uint32Array(specs.length * 8);
    let pendingInit = true;
    for (;;) {
      if (pendingInit) {
        ctx.device.queue.submit([program.submit('init').finish()]);
      } else {
        const live = index.filter((_, r) => states[r * 8] === RUN_STATE.running).map((g) => prog[g]);
        const k = Math.max(
          1,
          Math.min(
            CHUNK,
            ...live.map((h) => {
              const next = h.want.find((s) => s > h.seen);
              return next === undefined ? CHUNK : next - h.seen;
            }),
          ),
        );
        ctx.device.queue.submit([program.submit({ steps: k }).finish()]);
      }
      const status = await program.readStatus();
      states = status.states;
      pendingInit = false;
      for (let r = 0; r < index.length; r++) {
        const g = index[r],
          h = prog[g],
          run = program.runs[r];
        const state = states[r * 8],
          steps = states[r * 8 + 1];
        if (h.finished || state === RUN_STATE.init) continue;
        if (state === RUN_STATE.diverged) {
          const { w, a } = await program.readWeights(r);
          const bad = (
            [
              ['W (input weights)', w],
              ['a (output weights)', a],
            ] as const
          ).find(([, v]) => v.some((x) => !Number.isFinite(x)));
          throw new TrainingDivergedError(steps, bad ? bad[0] : 'R (loss)', `is not finite (run ${g} of the WebGPU batch, lr ${run.lr})`);
        }
        if (state === RUN_STATE.restart) {
          h.restarts++;
          const maxH = run.spec.lr.maxHalvings ?? 30;
          if (h.restarts > maxH)
            throw new Error(
              `learning rate halved ${maxH} times and the loss still increased at step ${h.seen + 1} (run ${g} of the WebGPU batch): lower lr or raise lr.maxHalvings`,
            );
          program.restart(r);
          states[r * 8] = RUN_STATE.init;
          Object.assign(h, { loss: [], snapshots: [], seen: -1 });
          pendingInit = true;
          continue;
        }
        for (let s = h.seen + 1; s <= steps; s++) if (s % (run.spec.lossEvery ?? 1) === 0) h.loss.push(status.hist[r * HIST_CAP + (s % HIST_CAP)]);
        if (h.seen < 0) h.snapshots.push({ step: 0, a: run.init.a.slice(), w: run.init.w.slice() });
        const done = STOP_OF[state];
        if ((done !== undefined || h.want.includes(steps)) && steps > Math.max(h.seen, 0)) h.snapshots.push({ step: steps, ...(await program.readWeights(r)) });
        h.seen = steps;
        if (done !== undefined) h.finished = { reason: done, steps, loss0: status.statesF[r * 8 + 2], loss: status.hist[r * HIST_CAP + (steps % HIST_CAP)] };
      }
      if (!pendingInit && prog.every((h) => h.finished)) break;
      const keep = index.map((_, r) => r).filter((r) => !prog[index[r]].finished);
      if (index.length >= 4 && keep.length <= index.length / 2) {
        adopt();
        const carried = await Promise.all(keep.map((r) => program.carry(r)));
        const next = await GpuBatchProgram.create(
          ctx,
          wasm,
          keep.map((r) => program.runs[r].spec),
          carried,
        );
        program.destroy();
        program = next;
        index = keep.map((r) => index[r]);
        states = Uint32Array.from(keep.flatMap((r) => Array.from(states.subarray(r * 8, r * 8 + 8))));
      }
    }
    const wallMs = performance.now() - started;
    adopt();
    return prog.map((h, r) => ({
      backend: 'webgpu',
      spec: runs[r].spec,
      shape: program.shape,
      scales: runs[r].scales,
      loss: Float32Array.from(h.loss),
      lossEvery: runs[r].spec.lossEvery ?? 1,
      initialLoss: h.finished!.loss0,
      finalLoss: h.finished!.loss,
      steps: h.finished!.steps,
      stopReason: h.finished!.reason,
      lr: runs[r].lr,
      restarts: h.restarts,
      snapshots: h.snapshots,
      wallMs,
    }));
  } finally {
    program.destroy();
  }
}
