// Batched training of layered RunSpecs on WebGPU: every run keeps its own program (./layered-program.ts:
// tensors, uniforms, dispatches), and a chunk of steps of all live runs is one command buffer with no
// read-back inside. Between the phases of a step, tiny kernels keep each run's bookkeeping on the GPU:
// step_begin and control (./kernels/control.ts, shared with the two-layer batch: step count, Adam's
// β1ᵗ β2ᵗ, the stop rules, halve-and-restart and divergence flags, the loss history ring),
// layered_scalars (rate, bias corrections, clipping factor; rate 0 freezes a run that has stopped) and
// gather_batch (the step's Philox mini-batch). Buffer copies carry the scalars into the uniforms of the
// clipping and update calls and each run's loss into the control kernel's input. The host reads the
// run states and loss history once per chunk, fills the rings of rates and batch indices for the next
// chunk, restarts runs that asked for it with half the base rate, and drops finished runs. A run that
// stops inside a chunk idles (frozen) to the chunk's end, so chunks grow from 1 step, doubling up to
// LAYERED_CHUNK, and end exactly at snapshot steps and maxSteps. On a CPU adapter (SwiftShader) a
// read-back costs next to nothing against a step's arithmetic and idle steps cost as much as live
// ones (chunks of 64 doubled the digits part of cnn-condensation there), so there a chunk is one step; CONDENSA_LAYERED_CHUNK sets the largest chunk (tests, comparisons).
// Same calls in the same order as the CPU loop
// (src/model/train-layered.ts), so on SwiftShader the trajectories are the WASM bits.
import type { WasmInstance } from '../wasm/load.js';
import type { TrainOptions } from '../engine/train-loop.js';
import { TrainingDivergedError } from '../engine/train-loop.js';
import type { StopReason } from '../engine/run-outcome.js';
import type { LayeredRunSpec } from '../model/spec.js';
import type { LayeredSnapshot, LayeredTrajectory } from '../model/trajectory.js';
import type { StepScalar } from '../model/program.js';
import { setUpLayered, layoutOf, loopControl, batchOrder, type LayeredSetup } from '../model/train-layered.js';
import { shapeSize } from '../model/layers.js';
import type { GpuContext } from './device.js';
import { pipeline, storage, uniform, bindGroup, encode, grid, readBuffers, type Dispatch } from './gpu.js';
import { GpuProgram, type LateWord } from './layered-program.js';
import { RUN_BYTES, RUN_STATE, RUN_STATE_BYTES, encodeRun, encodeRunState } from './kernels/common.js';
import { STEP_BEGIN_WGSL, CONTROL_WGSL } from './kernels/control.js';
import { LAYERED_SCALARS_WGSL, GATHER_BATCH_WGSL, CLIP_BYTES } from './kernels/layered-control.js';

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
const CAP = LAYERED_CHUNK + 1;
const f = Math.fround;
const SCALAR_SLOT: Record<StepScalar, number> = { lr: 0, bc1: 1, bc2: 2, clipScale: 3 };
const STOP_OF: Record<number, StopReason> = { [RUN_STATE.doneTol]: 'loss-below', [RUN_STATE.doneRatio]: 'loss-ratio', [RUN_STATE.doneSteps]: 'max-steps' };

/** One run of the batch: its program and where its training stands on the host. */
interface BatchRun {
  spec: LayeredRunSpec;
  setup: LayeredSetup;
  gpu: GpuProgram;
  /** per-step scalars of the clipping and update calls */
  late: { clip: LateWord[]; update: LateWord[] };
  /** mini-batch gather (absent for full batches) and its index ring */
  gather?: { dispatch: Dispatch; ring: GPUBuffer; indices: (step: number) => Uint32Array };
  rateAt: (base: number, step: number) => number;
  base: number;
  restarts: number;
  loss: number[];
  snapshots: LayeredSnapshot[];
  want: number[];
  /** the step whose loss was last appended (−1 before R(0)) */
  seen: number;
  finished?: { reason: StopReason; steps: number; loss0: number; loss: number };
}

export async function trainLayeredBatch(ctx: GpuContext, wasm: WasmInstance, specs: LayeredRunSpec[], opts: TrainOptions = {}): Promise<LayeredTrajectory[]> {
  if (specs.length === 0) return [];
  const started = performance.now();
  const { device } = ctx,
    heap = wasm.heap,
    R = specs.length;
  const mark = heap.mark();
  const owned: GPUBuffer[] = [];
  const own = (b: GPUBuffer) => (owned.push(b), b);
  const runs: BatchRun[] = [];
  try {
    for (const spec of specs) {
      const setup = await setUpLayered(spec, wasm.kernels, heap);
      const gpu = await GpuProgram.create(ctx, setup.program);
      const control = loopControl(spec, 'webgpu', wasm.kernels.sin64);
      runs.push({
        spec,
        setup,
        gpu,
        late: { clip: gpu.lateWords('clip'), update: gpu.lateWords('update') },
        rateAt: control.rateAt,
        base: f(spec.lr.value),
        restarts: 0,
        loss: [],
        snapshots: [],
        seen: -1,
        want: [...new Set(spec.snapshots ?? [])].filter((s) => s > 0).sort((x, y) => x - y),
      });
    }
    const maxParams = Math.max(...runs.map((r) => r.setup.program.params.length));
    const buf = {
      runs: own(storage(ctx, R * RUN_BYTES, 'runs')),
      states: own(storage(ctx, R * RUN_STATE_BYTES, 'run states')),
      loss: own(storage(ctx, R * 4, 'losses')),
      hist: own(storage(ctx, R * CAP * 4, 'loss history')),
      rates: own(storage(ctx, R * CAP * 4, 'rates')),
      clips: own(storage(ctx, R * CLIP_BYTES, 'clipping')),
      squares: own(storage(ctx, R * maxParams * 4, 'gradient squares')),
      now: own(storage(ctx, R * 16, 'step scalars')),
    };
    const records = new ArrayBuffer(R * RUN_BYTES),
      clips = new ArrayBuffer(R * CLIP_BYTES);
    runs.forEach(({ spec, setup }, r) => {
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
    device.queue.writeBuffer(buf.runs, 0, records);
    device.queue.writeBuffer(buf.clips, 0, clips);

    const dispatch = async (code: string, entry: string, buffers: GPUBuffer[], groups: [number, number, number]): Promise<Dispatch> => {
      const p = await pipeline(ctx, code, entry);
      return { pipeline: p, bind: bindGroup(ctx, p, buffers), groups };
    };
    const perRun: [number, number, number] = [Math.ceil(R / 64), 1, 1];
    const ctl = (mode: number) => own(uniform(ctx, [R, CAP, mode, 0], `control mode ${mode}`));
    const [ctl0, ctl1] = [ctl(0), ctl(1)];
    const stepBegin = await dispatch(STEP_BEGIN_WGSL, 'step_begin', [ctl0, buf.runs, buf.states], perRun);
    const judge = await dispatch(CONTROL_WGSL, 'control', [ctl0, buf.runs, buf.states, buf.loss, buf.hist], perRun);
    const judgeInit = await dispatch(CONTROL_WGSL, 'control', [ctl1, buf.runs, buf.states, buf.loss, buf.hist], perRun);
    const scalars = await dispatch(
      LAYERED_SCALARS_WGSL,
      'layered_scalars',
      [own(uniform(ctx, [R, CAP, maxParams, 0], 'scalar dims')), buf.states, buf.rates, buf.clips, buf.squares, buf.now],
      perRun,
    );

    for (const [r, run] of runs.entries()) {
      const { data, batch, program } = run.setup;
      if (batch === data.n) {
        run.gpu.write(program.input, data.x);
        run.gpu.write(program.target, data.y);
        continue;
      }
      const xw = shapeSize(data.input),
        yw = data.y.length / data.n;
      const ring = own(storage(ctx, CAP * batch * 4, `batch indices of run ${r}`));
      const gatherDims = own(uniform(ctx, [r, batch, xw, yw, CAP, 0, 0, 0], 'gather dims'));
      const buffers = [
        gatherDims,
        buf.states,
        ring,
        own(storage(ctx, data.x, `inputs of run ${r}`)),
        own(storage(ctx, data.y, `targets of run ${r}`)),
        run.gpu.buffer(program.input),
        run.gpu.buffer(program.target),
      ];
      run.gather = {
        dispatch: await dispatch(GATHER_BATCH_WGSL, 'gather_batch', buffers, [...grid(Math.ceil((batch * (xw + yw)) / 256)), 1]),
        ring,
        indices: batchOrder(data.n, batch, run.spec.seed, wasm.kernels, heap),
      };
    }

    /** Initial weights and zero moments in place, the run's state INIT (a restart begins from scratch). */
    const reset = (r: number) => {
      const { gpu, setup } = runs[r];
      setup.program.params.forEach((p, j) => {
        gpu.write(p.param, setup.init[j]);
        for (const m of p.moments ?? []) gpu.write(m, new Float32Array(setup.init[j].length));
      });
      device.queue.writeBuffer(buf.states, r * RUN_STATE_BYTES, encodeRunState(RUN_STATE.init));
    };
    /** Fill run r's rings for steps from..to: the batch indices of each step, the rate of the update that reaches it. */
    const fillRings = (r: number, from: number, to: number) => {
      const run = runs[r],
        rates = new Float32Array(CAP);
      for (let s = Math.max(from, 1); s <= to; s++) rates[s % CAP] = run.rateAt(run.base, s - 1);
      device.queue.writeBuffer(buf.rates, r * CAP * 4, rates);
      if (!run.gather) return;
      const batch = run.setup.batch,
        ring = new Uint32Array(CAP * batch);
      for (let s = from; s <= to; s++) ring.set(run.gather.indices(s), (s % CAP) * batch);
      device.queue.writeBuffer(run.gather.ring, 0, ring);
    };
    /** A phase of every listed run in one compute pass. */
    const pass = (enc: GPUCommandEncoder, rs: number[], body: (p: GPUComputePassEncoder, r: number) => void, after?: Dispatch) => {
      const p = enc.beginComputePass();
      rs.forEach((r) => body(p, r));
      if (after) encode(p, after);
      p.end();
    };
    const forwardPass = (enc: GPUCommandEncoder, rs: number[], judgeWith: Dispatch) => {
      pass(enc, rs, (p, r) => {
        if (runs[r].gather) encode(p, runs[r].gather!.dispatch);
        runs[r].gpu.encode(p, 'forward');
      });
      for (const r of rs) enc.copyBufferToBuffer(runs[r].gpu.results('forward')[0], 0, buf.loss, r * 4, 4);
      pass(enc, [], () => {}, judgeWith);
    };
    const step = (enc: GPUCommandEncoder, rs: number[]) => {
      pass(enc, [], () => {}, stepBegin);
      pass(enc, rs, (p, r) => {
        runs[r].gpu.encode(p, 'backward');
        if (runs[r].spec.clip) runs[r].gpu.encode(p, 'norms');
      });
      for (const r of rs)
        if (runs[r].spec.clip) runs[r].gpu.results('norms').forEach((b, j) => enc.copyBufferToBuffer(b, 0, buf.squares, (r * maxParams + j) * 4, 4));
      pass(enc, [], () => {}, scalars);
      for (const r of rs)
        for (const w of [...runs[r].late.clip, ...runs[r].late.update])
          enc.copyBufferToBuffer(buf.now, r * 16 + SCALAR_SLOT[w.scalar] * 4, w.buffer, w.word * 4, 4);
      pass(enc, rs, (p, r) => {
        if (runs[r].spec.clip) runs[r].gpu.encode(p, 'clip');
        runs[r].gpu.encode(p, 'update');
      });
      forwardPass(enc, rs, judge);
    };
    const readParams = async (r: number): Promise<Float32Array> => {
      const { program } = runs[r].setup,
        params = new Float32Array(program.paramCount);
      const parts = await readBuffers(
        ctx,
        program.params.map((p) => ({ buffer: runs[r].gpu.buffer(p.param), bytes: 4 * program.tensors[p.param].size })),
      );
      program.params.forEach((p, j) => params.set(new Float32Array(parts[j]), p.offset));
      return params;
    };
    const diverged = async (r: number, steps: number): Promise<never> => {
      const run = runs[r],
        { program } = run.setup;
      const where = `(lr ${run.rateAt(run.base, Math.max(steps - 1, 0))}, backend webgpu${R > 1 ? `, run ${r} of the batch` : ''})`;
      for (const id of [...program.params.flatMap((p) => [p.param, p.grad]), program.output]) {
        const [bytes] = await readBuffers(ctx, [{ buffer: run.gpu.buffer(id), bytes: 4 * program.tensors[id].size }]);
        const v = new Float32Array(bytes),
          index = v.findIndex((x) => !Number.isFinite(x));
        if (index >= 0) throw new TrainingDivergedError(steps, program.tensors[id].name, `holds ${v[index]} at index ${index} ${where}`);
      }
      throw new TrainingDivergedError(steps, 'R (loss)', `is not finite ${where}`);
    };

    runs.forEach((_, r) => reset(r));
    let init = runs.map((_, r) => r);
    const cap = largestChunk(ctx.adapter);
    let grow = 1;
    for (;;) {
      const enc = device.createCommandEncoder();
      let live: number[];
      if (init.length > 0) {
        init.forEach((r) => fillRings(r, 0, 0));
        forwardPass(enc, init, judgeInit);
        live = [];
      } else {
        live = runs.flatMap((run, r) => (run.finished ? [] : [r]));
        const k = Math.max(
          1,
          Math.min(
            grow,
            cap,
            ...live.map((r) => {
              const run = runs[r],
                next = run.want.find((s) => s > run.seen);
              return Math.min(next === undefined ? LAYERED_CHUNK : next - run.seen, run.spec.stop.maxSteps - run.seen);
            }),
          ),
        );
        grow = Math.min(2 * grow, LAYERED_CHUNK);
        live.forEach((r) => fillRings(r, runs[r].seen, runs[r].seen + k));
        for (let s = 0; s < k; s++) step(enc, live);
      }
      device.queue.submit([enc.finish()]);
      const [stateBytes, histBytes] = await readBuffers(ctx, [
        { buffer: buf.states, bytes: R * RUN_STATE_BYTES },
        { buffer: buf.hist, bytes: R * CAP * 4 },
      ]);
      const states = new Uint32Array(stateBytes),
        statesF = new Float32Array(stateBytes),
        hist = new Float32Array(histBytes);
      const judged = init.length > 0 ? init : live;
      init = [];
      for (const r of judged) {
        const run = runs[r],
          state = states[r * 8],
          steps = states[r * 8 + 1];
        if (state === RUN_STATE.diverged) await diverged(r, steps);
        if (state === RUN_STATE.restart) {
          run.restarts++;
          if (run.restarts > run.spec.lr.maxHalvings) {
            throw new Error(
              `learning rate halved ${run.spec.lr.maxHalvings} times and the loss still increased at step ${steps}${R > 1 ? ` (run ${r} of the WebGPU batch)` : ''}: lower lr or raise lr.maxHalvings`,
            );
          }
          run.base = f(run.base / 2);
          Object.assign(run, { loss: [], snapshots: [], seen: -1 });
          reset(r);
          init.push(r);
          continue;
        }
        const every = run.spec.lossEvery ?? 1;
        for (let s = run.seen + 1; s <= steps; s++) if (s % every === 0) run.loss.push(hist[r * CAP + (s % CAP)]);
        if (run.seen < 0) run.snapshots.push({ step: 0, params: initialParams(run.setup) });
        const done = STOP_OF[state];
        if ((done !== undefined || run.want.includes(steps)) && steps > Math.max(run.seen, 0)) run.snapshots.push({ step: steps, params: await readParams(r) });
        const pe = opts.progressEvery ?? 1000;
        if (opts.onProgress && Math.floor(steps / pe) > Math.floor(Math.max(run.seen, 0) / pe)) opts.onProgress(steps, hist[r * CAP + (steps % CAP)]);
        run.seen = steps;
        if (done !== undefined) run.finished = { reason: done, steps, loss0: statesF[r * 8 + 2], loss: hist[r * CAP + (steps % CAP)] };
      }
      if (init.length === 0 && runs.every((run) => run.finished)) break;
    }
    const wallMs = performance.now() - started;
    return runs.map(({ spec, setup, finished, base, restarts, loss, snapshots }) => ({
      kind: 'layered',
      backend: 'webgpu',
      spec,
      shape: { n: setup.data.n, batch: setup.batch, K: setup.K, input: setup.input },
      layout: layoutOf(setup.program),
      lossEvery: spec.lossEvery ?? 1,
      loss: Float32Array.from(loss),
      initialLoss: finished!.loss0,
      finalLoss: finished!.loss,
      steps: finished!.steps,
      stopReason: finished!.reason,
      lr: base,
      restarts,
      snapshots,
      wallMs,
    }));
  } finally {
    for (const run of runs) run.gpu.destroy();
    for (const b of owned) b.destroy();
    heap.release(mark);
  }
}

/** The flat parameter vector of the initial weights (the step-0 snapshot). */
function initialParams(setup: LayeredSetup): Float32Array {
  const params = new Float32Array(setup.program.paramCount);
  setup.program.params.forEach((p, j) => params.set(setup.init[j], p.offset));
  return params;
}
