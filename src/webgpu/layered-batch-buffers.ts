// The GPU memory of a batch of layered runs (./layered-batch.ts) and its layout. Beside each run's own
// program (./layered-program.ts: its tensors), the batch holds per run r: its Run record and RunState
// (kernels/common.ts), its loss, a ring of `cap` loss-history slots and one of rates, its clipping
// record and its Σg² values (maxParams slots); a run with mini-batches also has its samples and a ring
// of batch indices. The uniforms the control kernels read live here too, and `now`, the step scalars
// (lr, bc1, bc2, clipScale: slot r for run r) that layered_scalars writes and the runs' programs read,
// which the caller allocates before the programs that bind it. The host writes records, rings and
// resets through it and reads the run states and the loss history back.
import type { WasmInstance } from '../wasm/load.js';
import type { LayeredRunSpec } from '../model/spec.js';
import { batchOrder, type LayeredSetup } from '../model/train-layered.js';
import { shapeSize } from '../model/layers.js';
import type { GpuContext } from './device.js';
import { storage, uniform, readBuffers } from './gpu.js';
import type { GpuProgram } from './layered-program.js';
import { RUN_BYTES, RUN_STATE, RUN_STATE_BYTES, encodeRun, encodeRunState } from './kernels/common.js';
import { CLIP_BYTES } from './kernels/layered-control.js';

const f = Math.fround;

/** One run of a layered batch: its spec, its samples, program and initial weights, and the program on the GPU. */
export interface LayeredMember {
  spec: LayeredRunSpec;
  setup: LayeredSetup;
  gpu: GpuProgram;
}

/** The mini-batch source of a run: its samples, the ring of batch indices and the uniform of gather_batch. */
interface GatherBuffers {
  dims: GPUBuffer;
  ring: GPUBuffer;
  xs: GPUBuffer;
  ys: GPUBuffer;
  /** elements the gather writes: batch × (input width + target width) */
  elements: number;
  /** the sample indices of step t's mini-batch */
  indices: (step: number) => Uint32Array;
}

export class LayeredBatchBuffers {
  private readonly owned: GPUBuffer[] = [];
  readonly R: number;
  /** Σg² slots per run: the largest number of parameter tensors */
  readonly maxParams: number;
  readonly runs: GPUBuffer;
  readonly states: GPUBuffer;
  readonly loss: GPUBuffer;
  readonly hist: GPUBuffer;
  readonly rates: GPUBuffer;
  readonly clips: GPUBuffer;
  readonly squares: GPUBuffer;
  /** the uniforms of step_begin and control (mode 0: a step, mode 1: R(0)) and of layered_scalars */
  readonly controlDims: [GPUBuffer, GPUBuffer];
  readonly scalarDims: GPUBuffer;
  /** per run: its mini-batch source, absent for full batches */
  readonly gathers: (GatherBuffers | undefined)[];

  constructor(
    private readonly ctx: GpuContext,
    private readonly members: LayeredMember[],
    /** slots of each ring: the most steps between two read-backs, plus one */
    readonly cap: number,
    wasm: WasmInstance,
    /** the step scalars, four floats per run (not owned: the programs were created on it) */
    readonly now: GPUBuffer,
  ) {
    try {
      const R = (this.R = members.length);
      const own = (b: GPUBuffer) => (this.owned.push(b), b);
      this.maxParams = Math.max(...members.map((m) => m.setup.program.params.length));
      this.runs = own(storage(ctx, R * RUN_BYTES, 'runs'));
      this.states = own(storage(ctx, R * RUN_STATE_BYTES, 'run states'));
      this.loss = own(storage(ctx, R * 4, 'losses'));
      this.hist = own(storage(ctx, R * cap * 4, 'loss history'));
      this.rates = own(storage(ctx, R * cap * 4, 'rates'));
      this.clips = own(storage(ctx, R * CLIP_BYTES, 'clipping'));
      this.squares = own(storage(ctx, R * this.maxParams * 4, 'gradient squares'));
      this.writeRecords();
      this.controlDims = [own(uniform(ctx, [R, cap, 0, 0], 'control mode 0')), own(uniform(ctx, [R, cap, 1, 0], 'control mode 1'))];
      this.scalarDims = own(uniform(ctx, [R, cap, this.maxParams, 0], 'scalar dims'));
      this.gathers = members.map(({ spec, setup, gpu }, r) => {
        const { data, batch, program } = setup;
        if (batch === data.n) {
          gpu.write(program.input, data.x);
          gpu.write(program.target, data.y);
          return undefined;
        }
        const xw = shapeSize(data.input),
          yw = data.y.length / data.n;
        return {
          ring: own(storage(ctx, cap * batch * 4, `batch indices of run ${r}`)),
          dims: own(uniform(ctx, [r, batch, xw, yw, cap, 0, 0, 0], 'gather dims')),
          xs: own(storage(ctx, data.x, `inputs of run ${r}`)),
          ys: own(storage(ctx, data.y, `targets of run ${r}`)),
          elements: batch * (xw + yw),
          indices: batchOrder(data.n, batch, spec.seed, wasm.kernels, wasm.heap),
        };
      });
    } catch (e) {
      this.destroy(); // what was allocated before the failure
      throw e;
    }
  }

  /** Each run's Run record (its stop rules and Adam's β1, β2, ε) and clipping record. */
  private writeRecords(): void {
    const records = new ArrayBuffer(this.R * RUN_BYTES),
      clips = new ArrayBuffer(this.R * CLIP_BYTES);
    this.members.forEach(({ spec, setup }, r) => {
      const o = spec.optimizer,
        adam = o.kind !== 'gd';
      encodeRun(
        {
          invAlpha: 1,
          gradScale: 1,
          lr: 0,
          keep: 1,
          seed: spec.seed,
          lossTol: spec.stop.lossBelow ?? 0,
          lossRatio: spec.stop.lossRatioBelow ?? 0,
          maxSteps: spec.stop.maxSteps,
          halve: spec.lr.halveOnIncrease,
          b1: adam ? f(o.beta1) : 1,
          b2: adam ? f(o.beta2) : 1,
          eps: adam ? f(o.eps) : 0,
        },
        records,
        r * RUN_BYTES,
      );
      new Float32Array(clips, r * CLIP_BYTES, 1)[0] = spec.clip ? f(spec.clip.maxNorm) : 0;
      new Uint32Array(clips, r * CLIP_BYTES + 4, 1)[0] = spec.clip ? setup.program.params.length : 0;
    });
    this.ctx.device.queue.writeBuffer(this.runs, 0, records);
    this.ctx.device.queue.writeBuffer(this.clips, 0, clips);
  }

  /** Run r's initial weights and zero moments in place, its state INIT (a restart begins from scratch). */
  reset(r: number): void {
    const { gpu, setup } = this.members[r];
    setup.program.params.forEach((p, j) => {
      gpu.write(p.param, setup.init[j]);
      for (const m of p.moments ?? []) gpu.write(m, new Float32Array(setup.init[j].length));
    });
    this.ctx.device.queue.writeBuffer(this.states, r * RUN_STATE_BYTES, encodeRunState(RUN_STATE.init));
  }

  /** Fill run r's rings for steps from..to: the batch indices of each step, the rate of the update that reaches it. */
  fillRings(r: number, from: number, to: number, rate: (step: number) => number): void {
    const cap = this.cap,
      rates = new Float32Array(cap);
    for (let s = Math.max(from, 1); s <= to; s++) rates[s % cap] = rate(s - 1);
    this.ctx.device.queue.writeBuffer(this.rates, r * cap * 4, rates);
    const gather = this.gathers[r];
    if (!gather) return;
    const batch = this.members[r].setup.batch,
      ring = new Uint32Array(cap * batch);
    for (let s = from; s <= to; s++) ring.set(gather.indices(s), (s % cap) * batch);
    this.ctx.device.queue.writeBuffer(gather.ring, 0, ring);
  }

  /** The run states (kernels/common.ts decodes them) and the loss history, with run r's loss at step s. */
  async readStatus(work: GPUCommandBuffer): Promise<{ states: ArrayBuffer; lossAt: (r: number, step: number) => number }> {
    const [states, histBytes] = await readBuffers(
      this.ctx,
      [
        { buffer: this.states, bytes: this.R * RUN_STATE_BYTES },
        { buffer: this.hist, bytes: this.R * this.cap * 4 },
      ],
      [work],
    );
    const hist = new Float32Array(histBytes);
    return { states, lossAt: (r, step) => hist[r * this.cap + (step % this.cap)] };
  }

  destroy(): void {
    for (const b of this.owned) b.destroy();
  }
}
