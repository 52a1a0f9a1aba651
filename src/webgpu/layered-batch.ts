// Batched training of layered RunSpecs on WebGPU: every run keeps its own program (./layered-program.ts:
// tensors, uniforms, dispatches; it reads its step scalars from run r's slot of the batch's buffer of
// them) beside the batch's buffers (./layered-batch-buffers.ts), and a chunk of steps of all live runs
// is one command buffer with no read-back inside (./layered-batch-encoder.ts);
// the control kernels keep each run's bookkeeping on the GPU, and a run that stops has rate 0 and
// freezes. The host reads the run states and loss history once per chunk, in the chunk's own submit; each run's controller
// (src/engine/run-controller.ts) settles its state (records the losses, restarts the run with half the
// base rate, or ends it); the host fills the rings of rates and batch indices for the next chunk. A run
// that stops inside a chunk idles (frozen) to the chunk's end, so chunks grow from 1 step, doubling up
// to LAYERED_CHUNK, and end exactly at snapshot steps and maxSteps. On a CPU adapter (SwiftShader) a
// read-back costs next to nothing against a step's arithmetic and idle steps cost as much as live
// ones (chunks of 64 doubled the digits part of cnn-condensation there), so there a chunk is one step;
// CONDENSA_LAYERED_CHUNK sets the largest chunk (tests, comparisons). Same calls in the same order as
// the CPU loop (src/model/train-layered.ts), so on SwiftShader the trajectories are the WASM bits.
import type { WasmInstance } from '../wasm/load.js';
import { RunController, type TrainOptions } from '../engine/run-controller.js';
import type { LayeredRunSpec } from '../model/spec.js';
import type { LayeredSnapshot, LayeredTrajectory } from '../model/trajectory.js';
import { setUpLayered, layoutOf, layeredRunRules, readParams, findNonFinite, type LayeredSetup } from '../model/train-layered.js';
import type { GpuContext } from './device.js';
import { storage } from './gpu.js';
import { shapingFor, STEP_SCALARS } from '../kernels/define.js';
import { GpuProgram } from './layered-program.js';
import { decodeRunState } from './kernels/common.js';
import { LayeredBatchBuffers, type LayeredMember } from './layered-batch-buffers.js';
import { LayeredBatchEncoder } from './layered-batch-encoder.js';

/** Most steps between two read-backs; the rings (loss history, rates, batch indices) hold one more. */
export const LAYERED_CHUNK = 64;

/** The largest chunk on this adapter: CONDENSA_LAYERED_CHUNK if set, else 1 on a CPU adapter, LAYERED_CHUNK on a GPU. */
export function largestChunk(adapter: { software: boolean }): number {
  const forced = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.CONDENSA_LAYERED_CHUNK;
  if (forced === undefined) return adapter.software ? 1 : LAYERED_CHUNK;
  const k = Number(forced);
  if (!Number.isInteger(k) || k < 1 || k > LAYERED_CHUNK)
    throw new Error(`CONDENSA_LAYERED_CHUNK must be an integer from 1 to ${LAYERED_CHUNK}, got ${JSON.stringify(forced)}`);
  return k;
}

export async function trainLayeredBatch(ctx: GpuContext, wasm: WasmInstance, specs: LayeredRunSpec[], opts: TrainOptions = {}): Promise<LayeredTrajectory[]> {
  if (specs.length === 0) return [];
  const started = performance.now();
  const R = specs.length,
    mark = wasm.heap.mark();
  const members: LayeredMember[] = [];
  let buffers: LayeredBatchBuffers | undefined;
  const stepScalars = storage(ctx, R * STEP_SCALARS.length * 4, 'step scalars');
  try {
    for (const [r, spec] of specs.entries()) {
      const setup = await setUpLayered(spec, wasm.kernels, wasm.heap);
      members.push({ spec, setup, gpu: await GpuProgram.create(ctx, setup.program, shapingFor(ctx.adapter), { buffer: stepScalars, slot: r }) });
    }
    const control = specs.map(
      (spec, r) =>
        new RunController<LayeredSnapshot>(
          layeredRunRules(spec, wasm.kernels.sin64),
          {
            diverged: (lr) => `(lr ${lr}, backend webgpu${R > 1 ? `, run ${r} of the batch` : ''})`,
            increasedAt: (step) => `${step}${R > 1 ? ` (run ${r} of the WebGPU batch)` : ''}`,
          },
          opts,
        ),
    );
    const buf = (buffers = new LayeredBatchBuffers(ctx, members, LAYERED_CHUNK + 1, wasm, stepScalars));
    const encoder = await LayeredBatchEncoder.create(ctx, members, buf);

    members.forEach((_, r) => buf.reset(r));
    let init = members.map((_, r) => r);
    const cap = largestChunk(ctx.adapter);
    let grow = 1;
    for (;;) {
      let live: number[] = [];
      let work: GPUCommandBuffer;
      if (init.length > 0) {
        init.forEach((r) => buf.fillRings(r, 0, 0, (s) => control[r].rate(s)));
        work = encoder.init(init);
      } else {
        live = control.flatMap((run, r) => (run.stopped ? [] : [r]));
        const k = Math.max(1, Math.min(grow, cap, ...live.map((r) => Math.min(control[r].stepsToSnapshot(), control[r].stepsLeft()))));
        grow = Math.min(2 * grow, LAYERED_CHUNK);
        live.forEach((r) => buf.fillRings(r, control[r].step, control[r].step + k, (s) => control[r].rate(s)));
        work = encoder.steps(live, k);
      }
      // the chunk and the status read-back in one submit
      const status = await buf.readStatus(work);
      const judged = init.length > 0 ? init : live;
      init = [];
      for (const r of judged) {
        const run = control[r];
        const verdict = run.settle(decodeRunState(status.states, r), (s) => status.lossAt(r, s));
        if (verdict.kind === 'diverged') throw run.divergedError(verdict.step, await findNonFinite(members[r].gpu, members[r].setup.program));
        if (verdict.kind === 'restart') {
          buf.reset(r);
          init.push(r);
          continue;
        }
        for (const s of verdict.snapshots)
          run.keep({ step: s, params: s === 0 ? initialParams(members[r].setup) : await readParams(members[r].gpu, members[r].setup.program) });
      }
      if (init.length === 0 && control.every((run) => run.stopped)) break;
    }
    const wallMs = performance.now() - started;
    return members.map(({ spec, setup }, r) => ({
      kind: 'layered',
      backend: 'webgpu',
      spec,
      shape: { n: setup.data.n, batch: setup.batch, K: setup.K, input: setup.input },
      layout: layoutOf(setup.program),
      lossEvery: spec.lossEvery ?? 1,
      ...control[r].result(),
      wallMs,
    }));
  } finally {
    for (const { gpu } of members) gpu.destroy();
    buffers?.destroy();
    stepScalars.destroy();
    wasm.heap.release(mark);
  }
}

/** The flat parameter vector of the initial weights (the step-0 snapshot). */
function initialParams(setup: LayeredSetup): Float32Array {
  const params = new Float32Array(setup.program.paramCount);
  setup.program.params.forEach((p, j) => params.set(setup.init[j], p.offset));
  return params;
}
