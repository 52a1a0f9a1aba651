// Batched training on WebGPU: R RunSpecs of one shape family (same data shape n × d, width m,
// activation, optimiser kind, dropout or not) train together, the run index being one more
// dimension of every buffer and kernel. Each run keeps its own data, scales, learning rate, stop
// rule and halve-and-restart state on the GPU (kernels/control.ts); finished runs freeze and the
// rest go on. The host reads back only every few steps (at most CHUNK, and exactly at snapshot
// steps), appends each run's losses from the GPU history ring, halves and restarts the runs that
// asked for it, and stops when no run is left.
import type { WasmInstance } from '../wasm/load.js';
import type { RunSpec } from '../engine/spec.js';
import type { Snapshot, StopReason, Trajectory } from '../engine/trajectory.js';
import { TrainingDivergedError } from '../engine/train.js';
import { makeDataset, type Dataset } from '../engine/data.js';
import { resolveScales, initialLr, type Scales } from '../engine/scales.js';
import { activationByName } from '../engine/activations.js';
import { drawInitialWeights } from '../engine/init.js';
import type { GpuContext } from './device.js';
import { pipeline, storage, uniform, bindGroup, grid, encode, readBuffers, type Dispatch } from './gpu.js';
import { RUN_BYTES, RUN_STATE_BYTES, RUN_STATE } from './kernels/common.js';
import { gemvNWgsl, gemvVariant, gemvGroups } from './kernels/gemm.js';
import { MSE_RESIDUAL_WGSL } from './kernels/elementwise.js';
import { STEP_BEGIN_WGSL, CONTROL_WGSL } from './kernels/control.js';
import { trainForwardWgsl, trainBackwardWgsl } from './kernels/train-step.js';

/** Most steps between two read-backs; also the size of each run's loss history ring minus one. */
const CHUNK = 64;
const HIST_CAP = CHUNK + 1;
const f = Math.fround;

interface HostRun {
  spec: RunSpec;
  scales: Scales;
  lr: number;
  restarts: number;
  init: { a: Float32Array; w: Float32Array };
  loss: number[];
  snapshots: Snapshot[];
  want: number[];
  /** last step whose loss was appended (−1 before R(0)) */
  seen: number;
  finished?: { reason: StopReason; steps: number; loss0: number; loss: number };
}

const STOP_OF: Record<number, StopReason> = { [RUN_STATE.doneTol]: 'loss-below', [RUN_STATE.doneRatio]: 'loss-ratio', [RUN_STATE.doneSteps]: 'max-steps' };

/** Check that specs share a shape family and say which field differs. */
function shapeFamily(specs: RunSpec[], data: Dataset[]): void {
  const first = specs[0];
  specs.forEach((s, r) => {
    const why =
      data[r].n !== data[0].n || data[r].d !== data[0].d ? `data shape ${data[r].n}×${data[r].d} ≠ ${data[0].n}×${data[0].d}`
      : s.model.width !== first.model.width ? `model.width ${s.model.width} ≠ ${first.model.width}`
      : s.model.activation !== first.model.activation ? `model.activation ${s.model.activation} ≠ ${first.model.activation}`
      : s.optimizer.kind !== first.optimizer.kind ? `optimizer.kind ${s.optimizer.kind} ≠ ${first.optimizer.kind}`
      : Boolean(s.dropout) !== Boolean(first.dropout) ? 'dropout on some runs and off on others'
      : '';
    if (why) throw new Error(`run ${r} cannot share a WebGPU batch with run 0: ${why} (one batch = one shape family)`);
  });
}

export async function trainBatch(ctx: GpuContext, wasm: WasmInstance, specs: RunSpec[]): Promise<Trajectory[]> {
  if (specs.length === 0) return [];
  const started = performance.now();
  const data = specs.map((s) => makeDataset(s.data, wasm.heap, wasm.kernels));
  shapeFamily(specs, data);
  const R = specs.length, n = data[0].n, D = data[0].d + 1, m = specs[0].model.width;
  const act = activationByName(specs[0].model.activation);
  const adam = specs[0].optimizer.kind === 'adam';
  const dropout = Boolean(specs[0].dropout);

  const runs: HostRun[] = specs.map((spec) => {
    const scales = resolveScales(spec.init, m, wasm.kernels.pow64);
    return {
      spec, scales, lr: f(initialLr(spec.lr, scales, m)), restarts: 0,
      init: drawInitialWeights(wasm.kernels, wasm.heap, spec, D, scales.beta1, scales.beta2),
      loss: [], snapshots: [], want: [...new Set(spec.snapshots ?? [])].filter((s) => s > 0).sort((x, y) => x - y), seen: -1,
    };
  });

  // Per-run parameters (layout of Run in kernels/common.ts).
  const runBytes = new ArrayBuffer(R * RUN_BYTES);
  const writeRun = (r: number) => {
    const h = runs[r], s = h.spec, fv = new Float32Array(runBytes, r * RUN_BYTES, 16), uv = new Uint32Array(runBytes, r * RUN_BYTES, 16);
    const keep = s.dropout?.keep ?? 1;
    fv[0] = 1 / h.scales.alpha; fv[1] = 1 / (h.scales.alpha * n); fv[2] = h.lr; fv[3] = keep;
    uv[4] = s.seed; fv[5] = s.stop.lossBelow ?? 0; fv[6] = s.stop.lossRatioBelow ?? 0; uv[7] = s.stop.maxSteps;
    uv[8] = s.lr.halveOnIncrease ? 1 : 0;
    fv[9] = s.optimizer.kind === 'adam' ? (s.optimizer.beta1 ?? 0.9) : 0.9;
    fv[10] = s.optimizer.kind === 'adam' ? (s.optimizer.beta2 ?? 0.999) : 0.999;
    fv[11] = s.optimizer.kind === 'adam' ? (s.optimizer.eps ?? 1e-8) : 1e-8;
    fv[12] = f(1 / f(keep));
  };
  runs.forEach((_, r) => writeRun(r));

  const cat = (parts: Float32Array[]) => {
    const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
    let o = 0;
    for (const p of parts) { out.set(p, o); o += p.length; }
    return out;
  };
  const nm = n * m, params = R * m * D + R * m;
  const buf = {
    X: storage(ctx, cat(data.map((d) => d.x)), 'X'), y: storage(ctx, cat(data.map((d) => d.y)), 'y'),
    W: storage(ctx, cat(runs.map((h) => h.init.w)), 'W'), a: storage(ctx, cat(runs.map((h) => h.init.a)), 'a'),
    W0: storage(ctx, cat(runs.map((h) => h.init.w)), 'W0'), a0: storage(ctx, cat(runs.map((h) => h.init.a)), 'a0'),
    H: storage(ctx, R * nm * 4, 'H'), S: storage(ctx, R * nm * 4, 'S'),
    f: storage(ctx, R * n * 4, 'f'), e: storage(ctx, R * n * 4, 'e'), loss: storage(ctx, R * 4, 'loss'),
    mom: storage(ctx, adam ? params * 4 : 16, 'Adam m'), vel: storage(ctx, adam ? params * 4 : 16, 'Adam v'),
    runs: storage(ctx, new Uint8Array(runBytes), 'runs'), states: storage(ctx, R * RUN_STATE_BYTES, 'states'),
    hist: storage(ctx, R * HIST_CAP * 4, 'loss history'),
  };

  const d = async (code: string, entry: string, bufs: GPUBuffer[], groups: [number, number, number]): Promise<Dispatch> => {
    const p = await pipeline(ctx, code, entry);
    return { pipeline: p, bind: bindGroup(ctx, p, bufs), groups };
  };
  const g64 = (count: number): [number, number, number] => [...grid(Math.ceil(count / 64)), 1];
  const perRun = g64(R);
  const stepDims = (mode: number) => uniform(ctx, [R, dropout ? 1 : 0, mode, 0], 'step dims');
  const shape = { n, D, m };
  const fVariant = gemvVariant(R * n, m);
  const forward = (mode: number): Promise<Dispatch>[] => [
    d(trainForwardWgsl(act.kind, shape), 'train_forward', [stepDims(mode), buf.runs, buf.states, buf.X, buf.W, buf.H, buf.S], g64(R * n * Math.ceil(m / 4))),
    d(gemvNWgsl(fVariant), 'gemv_n', [uniform(ctx, [R, n, m, 0], 'gemv_n dims'), buf.runs, buf.H, buf.a, buf.f], gemvGroups(fVariant, R * n)),
    d(MSE_RESIDUAL_WGSL, 'mse_residual', [uniform(ctx, [R, n, 0, 0], 'mse dims'), buf.f, buf.y, buf.e, buf.loss], perRun),
  ];
  const ctl = (mode: number) => uniform(ctx, [R, HIST_CAP, mode, 0], 'control dims');
  const init = await Promise.all([...forward(1), d(CONTROL_WGSL, 'control', [ctl(1), buf.runs, buf.states, buf.loss, buf.hist], perRun)]);
  const step = await Promise.all([
    d(STEP_BEGIN_WGSL, 'step_begin', [ctl(0), buf.runs, buf.states], perRun),
    d(trainBackwardWgsl(adam, shape), 'train_backward', [stepDims(0), buf.runs, buf.states, buf.X, buf.W, buf.a, buf.H, buf.S, buf.e, ...(adam ? [buf.mom, buf.vel] : [])], g64(R * m)),
    ...forward(0),
    d(CONTROL_WGSL, 'control', [ctl(0), buf.runs, buf.states, buf.loss, buf.hist], perRun),
  ]);

  const states = new Uint32Array(R * 8);
  for (let r = 0; r < R; r++) states[r * 8] = RUN_STATE.init;
  ctx.device.queue.writeBuffer(buf.states, 0, states);
  const submit = (lists: Dispatch[][]) => {
    const enc = ctx.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    for (const list of lists) list.forEach((x) => encode(pass, x));
    pass.end();
    ctx.device.queue.submit([enc.finish()]);
  };
  const readWeights = async (r: number) => {
    const [wb, ab] = await readBuffers(ctx, [{ buffer: buf.W, offset: r * m * D * 4, bytes: m * D * 4 }, { buffer: buf.a, offset: r * m * 4, bytes: m * 4 }]);
    return { w: new Float32Array(wb), a: new Float32Array(ab) };
  };

  let pendingInit = true;
  for (;;) {
    if (pendingInit) {
      submit([init]);
    } else {
      const live = runs.filter((_, r) => states[r * 8] === RUN_STATE.running);
      const k = Math.max(1, Math.min(CHUNK, ...live.map((h) => { const next = h.want.find((s) => s > h.seen); return next === undefined ? CHUNK : next - h.seen; })));
      submit(Array.from({ length: k }, () => step));
    }
    const [sb, hb] = await readBuffers(ctx, [{ buffer: buf.states, bytes: R * RUN_STATE_BYTES }, { buffer: buf.hist, bytes: R * HIST_CAP * 4 }]);
    states.set(new Uint32Array(sb));
    const stF = new Float32Array(sb), hist = new Float32Array(hb);
    pendingInit = false;
    for (let r = 0; r < R; r++) {
      const h = runs[r];
      const state = states[r * 8], steps = states[r * 8 + 1];
      if (h.finished || state === RUN_STATE.init) continue;
      if (state === RUN_STATE.diverged) {
        const at = h.seen + 1;
        const { w, a } = await readWeights(r);
        const bad = [['W (input weights)', w], ['a (output weights)', a]].find(([, v]) => (v as Float32Array).some((x) => !Number.isFinite(x)));
        throw new TrainingDivergedError(at, bad ? (bad[0] as string) : 'R (loss)', `is not finite (run ${r} of the WebGPU batch, lr ${h.lr})`);
      }
      if (state === RUN_STATE.restart) {
        h.restarts++;
        const maxH = h.spec.lr.maxHalvings ?? 30;
        if (h.restarts > maxH) throw new Error(`learning rate halved ${maxH} times and the loss still increased at step ${h.seen + 1} (run ${r} of the WebGPU batch): lower lr or raise lr.maxHalvings`);
        h.lr = f(h.lr / 2);
        writeRun(r);
        ctx.device.queue.writeBuffer(buf.runs, r * RUN_BYTES, runBytes, r * RUN_BYTES, RUN_BYTES);
        const enc = ctx.device.createCommandEncoder();
        enc.copyBufferToBuffer(buf.W0, r * m * D * 4, buf.W, r * m * D * 4, m * D * 4);
        enc.copyBufferToBuffer(buf.a0, r * m * 4, buf.a, r * m * 4, m * 4);
        if (adam) {
          for (const moment of [buf.mom, buf.vel]) {
            enc.clearBuffer(moment, r * m * D * 4, m * D * 4);
            enc.clearBuffer(moment, (R * m * D + r * m) * 4, m * 4);
          }
        }
        ctx.device.queue.submit([enc.finish()]);
        states[r * 8] = RUN_STATE.init;
        states[r * 8 + 1] = 0;
        ctx.device.queue.writeBuffer(buf.states, r * RUN_STATE_BYTES, states, r * 8, 8);
        Object.assign(h, { loss: [], snapshots: [], seen: -1 });
        pendingInit = true;
        continue;
      }
      for (let s = h.seen + 1; s <= steps; s++) if (s % (h.spec.lossEvery ?? 1) === 0) h.loss.push(hist[r * HIST_CAP + (s % HIST_CAP)]);
      if (h.seen < 0) h.snapshots.push({ step: 0, a: h.init.a.slice(), w: h.init.w.slice() });
      const done = STOP_OF[state];
      if ((done !== undefined || h.want.includes(steps)) && steps > Math.max(h.seen, 0)) h.snapshots.push({ step: steps, ...(await readWeights(r)) });
      h.seen = steps;
      if (done !== undefined) h.finished = { reason: done, steps, loss0: stF[r * 8 + 2], loss: hist[r * HIST_CAP + (steps % HIST_CAP)] };
    }
    if (!pendingInit && runs.every((h) => h.finished)) break;
  }
  Object.values(buf).forEach((b) => b.destroy());
  const wallMs = performance.now() - started;
  return runs.map((h) => ({
    backend: 'webgpu', spec: h.spec, shape: { n, D, m }, scales: h.scales,
    loss: Float32Array.from(h.loss), lossEvery: h.spec.lossEvery ?? 1,
    initialLoss: h.finished!.loss0, finalLoss: h.finished!.loss, steps: h.finished!.steps, stopReason: h.finished!.reason,
    lr: h.lr, restarts: h.restarts, snapshots: h.snapshots, wallMs,
  }));
}
