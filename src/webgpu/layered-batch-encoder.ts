// The command buffers of a batch of layered runs (./layered-batch.ts): R(0) of the runs that start,
// and k training steps of the live runs, with no read-back inside. Each phase of a step is one compute
// pass over the listed runs' programs (./layered-program.ts), with the batch's small kernels between
// them: step_begin and control (./kernels/control.ts: step count, β1ᵗ β2ᵗ, the stop rules,
// halve-and-restart and divergence flags, the loss history), layered_scalars and gather_batch
// (./kernels/layered-control.ts). Buffer copies carry each run's loss into the control kernel's input
// and its Σg² into layered_scalars; its clipping and update calls read the step scalars layered_scalars
// writes straight from the batch's buffer (run r's slot, ./layered-program.ts `StepScalarSource`).
// Same calls in the same order as the CPU loop (src/model/train-layered.ts).
import type { GpuContext } from './device.js';
import { pipeline, bindGroup, encode, grid, type Dispatch } from './gpu.js';
import type { LayeredBatchBuffers, LayeredMember } from './layered-batch-buffers.js';
import { STEP_BEGIN_WGSL, CONTROL_WGSL } from './kernels/control.js';
import { LAYERED_SCALARS_WGSL, GATHER_BATCH_WGSL } from './kernels/layered-control.js';

export class LayeredBatchEncoder {
  private constructor(
    private readonly ctx: GpuContext,
    private readonly members: LayeredMember[],
    private readonly buf: LayeredBatchBuffers,
    /** per run: the gather of its mini-batch, absent for full batches */
    private readonly gathers: (Dispatch | undefined)[],
    private readonly kernels: { stepBegin: Dispatch; judge: Dispatch; judgeInit: Dispatch; scalars: Dispatch },
  ) {}

  static async create(ctx: GpuContext, members: LayeredMember[], buf: LayeredBatchBuffers): Promise<LayeredBatchEncoder> {
    const dispatch = async (code: string, entry: string, buffers: GPUBuffer[], groups: [number, number, number]): Promise<Dispatch> => {
      const p = await pipeline(ctx, code, entry);
      return { pipeline: p, bind: bindGroup(ctx, p, buffers), groups };
    };
    const perRun: [number, number, number] = [Math.ceil(buf.R / 64), 1, 1];
    const [ctl0, ctl1] = buf.controlDims;
    const kernels = {
      stepBegin: await dispatch(STEP_BEGIN_WGSL, 'step_begin', [ctl0, buf.runs, buf.states], perRun),
      judge: await dispatch(CONTROL_WGSL, 'control', [ctl0, buf.runs, buf.states, buf.loss, buf.hist], perRun),
      judgeInit: await dispatch(CONTROL_WGSL, 'control', [ctl1, buf.runs, buf.states, buf.loss, buf.hist], perRun),
      scalars: await dispatch(LAYERED_SCALARS_WGSL, 'layered_scalars', [buf.scalarDims, buf.states, buf.rates, buf.clips, buf.squares, buf.now], perRun),
    };
    const gathers: (Dispatch | undefined)[] = [];
    for (const [r, { gpu, setup }] of members.entries()) {
      const g = buf.gathers[r];
      gathers.push(
        g
          ? await dispatch(
              GATHER_BATCH_WGSL,
              'gather_batch',
              [g.dims, buf.states, g.ring, g.xs, g.ys, gpu.buffer(setup.program.input), gpu.buffer(setup.program.target)],
              [...grid(Math.ceil(g.elements / 256)), 1],
            )
          : undefined,
      );
    }
    return new LayeredBatchEncoder(ctx, members, buf, gathers, kernels);
  }

  /** R(0) of runs `rs` (in state INIT): their mini-batch, forward pass and the control kernel in init mode. */
  init(rs: number[]): GPUCommandBuffer {
    const enc = this.ctx.device.createCommandEncoder();
    this.forward(enc, rs, this.kernels.judgeInit);
    return enc.finish();
  }

  /** `k` training steps of runs `rs`. */
  steps(rs: number[], k: number): GPUCommandBuffer {
    const enc = this.ctx.device.createCommandEncoder();
    for (let s = 0; s < k; s++) this.step(enc, rs);
    return enc.finish();
  }

  /** A phase of every listed run in one compute pass, then `after` (a batch kernel) in the same pass. */
  private pass(enc: GPUCommandEncoder, rs: number[], body: (p: GPUComputePassEncoder, r: number) => void, after?: Dispatch): void {
    const p = enc.beginComputePass();
    rs.forEach((r) => body(p, r));
    if (after) encode(p, after);
    p.end();
  }

  private kernel(enc: GPUCommandEncoder, d: Dispatch): void {
    this.pass(enc, [], () => {}, d);
  }

  private forward(enc: GPUCommandEncoder, rs: number[], judgeWith: Dispatch): void {
    const { members, gathers } = this;
    this.pass(enc, rs, (p, r) => {
      if (gathers[r]) encode(p, gathers[r]);
      members[r].gpu.encode(p, 'forward');
    });
    for (const r of rs) enc.copyBufferToBuffer(members[r].gpu.results('forward')[0], 0, this.buf.loss, r * 4, 4);
    this.kernel(enc, judgeWith);
  }

  private step(enc: GPUCommandEncoder, rs: number[]): void {
    const { members, buf } = this;
    this.kernel(enc, this.kernels.stepBegin);
    this.pass(enc, rs, (p, r) => {
      members[r].gpu.encode(p, 'backward');
      if (members[r].spec.clip) members[r].gpu.encode(p, 'norms');
    });
    for (const r of rs)
      if (members[r].spec.clip) members[r].gpu.results('norms').forEach((b, j) => enc.copyBufferToBuffer(b, 0, buf.squares, (r * buf.maxParams + j) * 4, 4));
    this.kernel(enc, this.kernels.scalars);
    this.pass(enc, rs, (p, r) => {
      if (members[r].spec.clip) members[r].gpu.encode(p, 'clip');
      members[r].gpu.encode(p, 'update');
    });
    this.forward(enc, rs, this.kernels.judge);
  }
}
