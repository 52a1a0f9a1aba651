// The WebGPU executor of a layered model's training program (src/model/program.ts): every program
// call becomes one dispatch of the kernel's WGSL twin, in the program's order, so on an adapter that
// keeps the WASM order (SwiftShader) the bits are the WASM bits. Tensors are storage buffers and the
// uniforms are written once; the calls read the per-step scalars (lr, Adam's corrections, the clipping
// factor) from a step-scalar buffer (../kernels/define.ts `perStep`): the program's own, written once
// per submit that reads it, or the batch's, where a kernel writes every run's (./layered-batch.ts,
// which encodes the same phases itself, with no read-back between steps). The loss and the gradient
// norms are read back once per step.
import type { GpuContext } from './device.js';
import { pipeline, storage, uniform, bindGroup, encode, submit, readBuffers, type Dispatch } from './gpu.js';
import type { Call, Program } from '../model/program.js';
import type { ProgramExecutor, StepScalars } from '../model/executor.js';
import { isStepScalar, shapingFor, STEP_SCALARS, type Shaping, type Word } from '../kernels/define.js';
import { gpuCall } from './kernel-dispatch.js';

interface Prepared {
  dispatch: Dispatch;
  /** whether the dispatch reads the step scalars */
  readsScalars: boolean;
  /** the one-float buffer a call that returns a value (the loss, Σg²) writes */
  result?: GPUBuffer;
}

export type Phase = 'forward' | 'backward' | 'clip' | 'update' | 'norms';

/** Where a program's calls read their step scalars: four floats (STEP_SCALARS order) from float 4·slot
 * of `buffer`. */
export interface StepScalarSource {
  buffer: GPUBuffer;
  slot: number;
}

/** A uniform word's bits: a u32, an f32's bits, or a per-step scalar's index in the step-scalar buffer. */
const wordBits = (w: Word, slot: number): number => {
  if (typeof w === 'number') return w >>> 0;
  if (isStepScalar(w)) return slot * STEP_SCALARS.length + STEP_SCALARS.indexOf(w.scalar);
  return new Uint32Array(new Float32Array([w.f32]).buffer)[0];
};

export class GpuProgram implements ProgramExecutor {
  readonly scalars: StepScalars = { lr: 0, bc1: 1, bc2: 1, clipScale: 1 };
  private constructor(
    private readonly ctx: GpuContext,
    readonly program: Program,
    private readonly buffers: GPUBuffer[],
    private readonly phases: Record<Phase, Prepared[]>,
    private readonly source: StepScalarSource,
    /** the uniform and scratch buffers of the calls, and the step scalars unless the source is another's */
    private readonly owned: GPUBuffer[],
  ) {}

  /** Buffers, pipelines and bind groups of `program`; kernels shaped for the adapter unless `shaping` says
   * otherwise; the step scalars read from `source` (a batch's), else from a buffer of its own. */
  static async create(ctx: GpuContext, program: Program, shaping: Shaping = shapingFor(ctx.adapter), source?: StepScalarSource): Promise<GpuProgram> {
    const buffers = program.tensors.map((t) => storage(ctx, Math.max(4, t.size * 4), t.name));
    const owned: GPUBuffer[] = [];
    const scalars = source ?? { buffer: storage(ctx, STEP_SCALARS.length * 4, 'step scalars'), slot: 0 };
    if (!source) owned.push(scalars.buffer);
    const prepareCall = async (c: Call): Promise<Prepared[]> => {
      const call = gpuCall(c, shaping);
      const scratch = call.scratch > 0 ? storage(ctx, call.scratch * 4, `${c.kernel} scratch`) : undefined;
      if (scratch) owned.push(scratch);
      return Promise.all(
        call.dispatches.map(async (k) => {
          const p = await pipeline(ctx, k.code, k.entry);
          const u = uniform(
            ctx,
            k.words.map((w) => wordBits(w, scalars.slot)),
            `${c.kernel} dims`,
          );
          owned.push(u);
          const result = k.bindings.includes('result') ? storage(ctx, 4, `${c.kernel} result`) : undefined;
          const bound = k.bindings.map((b) => (b === 'result' ? result! : b === 'scratch' ? scratch! : b === 'scalars' ? scalars.buffer : buffers[b]));
          return { dispatch: { pipeline: p, bind: bindGroup(ctx, p, [u, ...bound]), groups: k.groups }, readsScalars: k.bindings.includes('scalars'), result };
        }),
      );
    };
    const prepare = async (calls: Call[]): Promise<Prepared[]> => (await Promise.all(calls.map(prepareCall))).flat();
    return new GpuProgram(
      ctx,
      program,
      buffers,
      {
        forward: await prepare(program.forward),
        backward: await prepare(program.backward),
        clip: await prepare(program.clipGrads),
        update: await prepare(program.update),
        norms: await prepare(program.gradNorms),
      },
      scalars,
      owned,
    );
  }

  /** Encode a phase's dispatches into a compute pass (the owner of the step-scalar source fills it). */
  encode(pass: GPUComputePassEncoder, phase: Phase): void {
    this.phases[phase].forEach((p) => encode(pass, p.dispatch));
  }

  /** The one-float buffers the phase's returning calls write, in call order. */
  results(phase: Phase): GPUBuffer[] {
    return this.phases[phase].flatMap((p) => (p.result ? [p.result] : []));
  }

  buffer(tensor: number): GPUBuffer {
    return this.buffers[tensor];
  }

  destroy(): void {
    for (const b of [...this.buffers, ...this.owned, ...Object.values(this.phases).flatMap((ps) => ps.flatMap((p) => (p.result ? [p.result] : [])))])
      b.destroy();
  }

  /** Encode phases in one command buffer and submit it, with the read-back of the values their returning
   * calls wrote (in order) when there are any: one write of the step scalars when the phases read them,
   * one submit and at most one read-back. */
  private async run(...phases: Phase[]): Promise<number[]> {
    const { device } = this.ctx,
      prepared = phases.flatMap((phase) => this.phases[phase]);
    if (prepared.some((p) => p.readsScalars))
      device.queue.writeBuffer(
        this.source.buffer,
        this.source.slot * STEP_SCALARS.length * 4,
        Float32Array.from(STEP_SCALARS, (s) => this.scalars[s]),
      );
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    prepared.forEach((p) => encode(pass, p.dispatch));
    pass.end();
    const results = prepared.flatMap((p) => (p.result ? [{ buffer: p.result, bytes: 4 }] : []));
    if (results.length === 0) {
      submit(this.ctx, enc.finish());
      return [];
    }
    return (await readBuffers(this.ctx, results, [enc.finish()])).map((b) => new Float32Array(b)[0]);
  }

  write(tensor: number, data: Float32Array): void {
    this.ctx.device.queue.writeBuffer(this.buffers[tensor], 0, data.buffer, data.byteOffset, data.byteLength);
  }
  async read(tensor: number): Promise<Float32Array> {
    const [bytes] = await readBuffers(this.ctx, [{ buffer: this.buffers[tensor], bytes: 4 * this.program.tensors[tensor].size }]);
    return new Float32Array(bytes);
  }
  async forward(): Promise<number> {
    const [loss] = await this.run('forward');
    return loss;
  }
  async backward(): Promise<void> {
    await this.run('backward');
  }
  async gradSquares(): Promise<number[]> {
    return this.run('norms');
  }
  async clip(): Promise<void> {
    await this.run('clip');
  }
  async update(): Promise<void> {
    await this.run('update');
  }
  async step(): Promise<number> {
    const [loss] = await this.run('forward', 'backward', 'update');
    return loss;
  }
}
