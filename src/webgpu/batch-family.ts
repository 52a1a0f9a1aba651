// One shape family's runs in a WebGPU batch (./batch.ts trains the families of a batch in lockstep):
// its program (./batch-program.ts) and a controller per run (src/engine/run-controller.ts). Each round
// it encodes its work, the initial forward pass (at the start and after a restart) or a chunk of steps
// (at most CHUNK, and exactly up to the next snapshot step), names the status buffers to copy after it,
// and settles their copies: each controller records the losses of the GPU history ring, restarts its
// run with the halved rate or ends it, and the family names the weights of the snapshots now due. Once
// half of the family's runs have finished, the live ones move to a smaller program (finished runs drop
// out, so a long tail of slow runs does not pay for the whole family).
import type { WasmInstance } from '../wasm/load.js';
import type { RunSpec } from '../engine/spec.js';
import type { Snapshot, Trajectory } from '../engine/trajectory.js';
import { RunController } from '../engine/run-controller.js';
import { runRules } from '../engine/train.js';
import type { GpuContext } from './device.js';
import { decodeRunState } from './kernels/common.js';
import { GpuBatchProgram, CHUNK, HIST_CAP, type BatchRun, type BufferRead } from './batch-program.js';

/** `flat` cut into consecutive lists as long as those of `like` (the copies of flattened reads, per reader). */
export function unflatten<T>(flat: T[], like: { length: number }[]): T[][] {
  let at = 0;
  return like.map(({ length }) => flat.slice(at, (at += length)));
}

/** A family's settled round: the weights to read for its snapshots now due, and what to do with their copies. */
export interface SettledRound {
  reads: BufferRead[];
  keep: (copies: ArrayBuffer[]) => Promise<void>;
}

export class FamilyBatch {
  private pendingInit = true;
  /** the family's run (its controller, its place in `first`) of each run of the current program */
  private index: number[];
  private constructor(
    private readonly ctx: GpuContext,
    private readonly wasm: WasmInstance,
    private program: GpuBatchProgram,
    /** the family's runs as the first program set them up (their scales, θ(0)) */
    private readonly first: BatchRun[],
    private readonly control: RunController<Snapshot>[],
  ) {
    this.index = first.map((_, r) => r);
  }

  /** The family of the batch's runs `members` (indices into `batch`, which name the runs in errors). */
  static async create(ctx: GpuContext, wasm: WasmInstance, batch: RunSpec[], members: number[]): Promise<FamilyBatch> {
    const program = await GpuBatchProgram.create(
      ctx,
      wasm,
      members.map((g) => batch[g]),
    );
    const control = program.runs.map(
      (run, r) =>
        new RunController<Snapshot>(runRules(run.spec, run.lr), {
          diverged: (lr) => `(run ${members[r]} of the WebGPU batch, lr ${lr})`,
          increasedAt: (step) => `${step} (run ${members[r]} of the WebGPU batch)`,
        }),
    );
    return new FamilyBatch(ctx, wasm, program, program.runs, control);
  }

  /** Every run has ended (and no restart awaits its initial pass). */
  get done(): boolean {
    return !this.pendingInit && this.control.every((run) => run.stopped);
  }

  /** This round's work: the initial pass, or the live runs' next chunk of steps. */
  encodeRound(): GPUCommandBuffer {
    if (this.pendingInit) return this.program.encodeWork('init').finish();
    const live = this.index.map((g) => this.control[g]).filter((run) => run.started && !run.stopped);
    const k = Math.max(1, Math.min(CHUNK, ...live.map((run) => run.stepsToSnapshot())));
    return this.program.encodeWork({ steps: k }).finish();
  }

  /** The buffers whose copies `settle` reads, copied in the round's submit after its work. */
  statusReads(): BufferRead[] {
    return this.program.statusReads();
  }

  /** Settle the round's status copies: record, restart or end each run. Gives back the weights to read
   * for the snapshots now due and what follows their copies: keep the snapshots, then move the live runs
   * to a smaller program when half of the program's runs have ended. */
  async settle(copies: ArrayBuffer[]): Promise<SettledRound> {
    const program = this.program;
    const status = program.decodeStatus(copies);
    this.pendingInit = false;
    const due: { run: RunController<Snapshot>; step: number; r: number }[] = [];
    for (let r = 0; r < this.index.length; r++) {
      const run = this.control[this.index[r]];
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
        this.pendingInit = true;
        continue;
      }
      for (const step of verdict.snapshots) {
        const { init } = program.runs[r];
        // step 0 is θ(0), on the host; a later step's weights come with the round's snapshot read-back
        if (step === 0) run.keep({ step, a: init.a.slice(), w: init.w.slice() });
        else due.push({ run, step, r });
      }
    }
    const reads = due.map(({ r }) => program.weightReads(r));
    return {
      reads: reads.flat(),
      keep: async (got) => {
        unflatten(got, reads).forEach((copies, i) => due[i].run.keep({ step: due[i].step, ...program.decodeWeights(copies) }));
        if (!this.done) await this.shrinkWhenHalfDone();
      },
    };
  }

  private async shrinkWhenHalfDone(): Promise<void> {
    const program = this.program;
    const keep = this.index.map((_, r) => r).filter((r) => !this.control[this.index[r]].stopped);
    if (this.index.length < 4 || keep.length > this.index.length / 2) return;
    const carried = await program.carry(keep);
    this.program = await GpuBatchProgram.create(
      this.ctx,
      this.wasm,
      keep.map((r) => program.runs[r].spec),
      carried,
    );
    program.destroy();
    this.index = keep.map((r) => this.index[r]);
  }

  /** The family's trajectories, in the order of its specs. */
  results(wallMs: number): Trajectory[] {
    return this.first.map(({ spec, scales }, r) => {
      const { loss, ...outcome } = this.control[r].result();
      return { backend: 'webgpu', spec, shape: this.program.shape, scales, loss, lossEvery: spec.lossEvery ?? 1, ...outcome, wallMs };
    });
  }

  destroy(): void {
    this.program.destroy();
  }
}
