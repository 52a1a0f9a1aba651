// Batched training on WebGPU: R RunSpecs of one shape family train together (./batch-program.ts).
// Each run keeps its own data, scales, learning rate, stop rule and halve-and-restart state on the
// GPU (kernels/control.ts); finished runs freeze and the rest go on. The host reads back only every
// few steps (at most CHUNK, and exactly at snapshot steps), and each run's controller
// (src/engine/run-controller.ts) settles its read-back state: it records the losses of the GPU
// history ring, restarts the run with the halved rate or ends it; the batch stops when no run is
// left. Once half of the runs have finished, the live ones move to a smaller program (finished runs
// drop out, so a long tail of slow runs does not pay for the whole batch).
import type { WasmInstance } from '../wasm/load.js';
import type { RunSpec } from '../engine/spec.js';
import type { Snapshot, Trajectory } from '../engine/trajectory.js';
import { RunController } from '../engine/run-controller.js';
import { runRules } from '../engine/train.js';
import type { GpuContext } from './device.js';
import { decodeRunState } from './kernels/common.js';
import { GpuBatchProgram, CHUNK, HIST_CAP } from './batch-program.js';

export async function trainBatch(ctx: GpuContext, wasm: WasmInstance, specs: RunSpec[]): Promise<Trajectory[]> {
  if (specs.length === 0) return [];
  const started = performance.now();
  let program = await GpuBatchProgram.create(ctx, wasm, specs);
  const first = program.runs;
  const control = first.map(
    (run, g) =>
      new RunController<Snapshot>(runRules(run.spec, run.lr), {
        diverged: (lr) => `(run ${g} of the WebGPU batch, lr ${lr})`,
        increasedAt: (step) => `${step} (run ${g} of the WebGPU batch)`,
      }),
  );
  /** global run index of each run of the current program */
  let index = specs.map((_, r) => r);
  try {
    let pendingInit = true;
    for (;;) {
      let work: GPUCommandEncoder;
      if (pendingInit) {
        work = program.encodeWork('init');
      } else {
        const live = index.map((g) => control[g]).filter((run) => run.started && !run.stopped);
        const k = Math.max(1, Math.min(CHUNK, ...live.map((run) => run.stepsToSnapshot())));
        work = program.encodeWork({ steps: k });
      }
      // the chunk and the status read-back in one submit
      const status = await program.readStatus(work.finish());
      pendingInit = false;
      for (let r = 0; r < index.length; r++) {
        const run = control[index[r]];
        if (run.stopped) continue;
        const verdict = run.settle(decodeRunState(status.states, r), (s) => status.hist[r * HIST_CAP + (s % HIST_CAP)]);
        if (verdict.kind === 'diverged') {
          const { w, a } = await program.readWeights(r);
          const bad = (
            [
              ['W (input weights)', w],
              ['a (output weights)', a],
            ] as const
          ).find(([, v]) => v.some((x) => !Number.isFinite(x)));
          throw run.divergedError(verdict.step, bad && { tensor: bad[0] });
        }
        if (verdict.kind === 'restart') {
          program.restart(r, verdict.lr);
          pendingInit = true;
          continue;
        }
        for (const s of verdict.snapshots) {
          const { init } = program.runs[r];
          run.keep(s === 0 ? { step: 0, a: init.a.slice(), w: init.w.slice() } : { step: s, ...(await program.readWeights(r)) });
        }
      }
      if (!pendingInit && control.every((run) => run.stopped)) break;
      const keep = index.map((_, r) => r).filter((r) => !control[index[r]].stopped);
      if (index.length >= 4 && keep.length <= index.length / 2) {
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
      }
    }
    const wallMs = performance.now() - started;
    return first.map(({ spec, scales }, r) => {
      const { loss, ...outcome } = control[r].result();
      return { backend: 'webgpu', spec, shape: program.shape, scales, loss, lossEvery: spec.lossEvery ?? 1, ...outcome, wallMs };
    });
  } finally {
    program.destroy();
  }
}
