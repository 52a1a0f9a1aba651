// A batch of two-layer runs on the GPU: its buffers, its compiled dispatch lists (the initial
// forward pass, one training step) and the operations the host needs between chunks of steps
// (submit, read the run states and loss history, restart a run, read a run's weights).
// R RunSpecs of one shape family (same data shape n × d, width m, activation, optimiser kind,
// dropout or not: shapeFamilies groups a batch's specs by it) share it; run r's tensors sit at
// r × (one run's size) in every buffer.
import type { WasmInstance } from '../wasm/load.js';
import type { RunSpec } from '../engine/spec.js';
import { makeDataset, type Dataset } from '../engine/data.js';
import { resolveScales, initialLr, type Scales } from '../engine/scales.js';
import { activationByName } from '../engine/activations.js';
import { drawInitialWeights } from '../engine/init.js';
import { stepObjective } from '../engine/twolayer-f32.js';
import type { GpuContext } from './device.js';
import { pipeline, storage, uniform, bindGroup, grid, encode, submit, readBuffers, type Dispatch } from './gpu.js';
import { RUN_BYTES, RUN_STATE_BYTES, RUN_STATE, encodeRun, encodeRunState } from './kernels/common.js';
import { gemvNWgsl, gemvVariant, gemvGroups } from './kernels/gemm.js';
import { MSE_RESIDUAL_WGSL, SAMPLE_WEIGHTS_WGSL, MUL_INPLACE_WGSL } from './kernels/elementwise.js';
import { STEP_BEGIN_WGSL, CONTROL_WGSL } from './kernels/control.js';
import { trainForwardWgsl, trainGradAWgsl, trainGradWWgsl, stepBlocks, stepThreads, type StepShape } from './kernels/train-step.js';
import { trainChunkWgsl, perRunFits } from './kernels/train-chunk.js';
import { trainWorkgroupWgsl, workgroupFits, workgroupInvocations } from './kernels/train-workgroup.js';
import { fusedGradWgsl, fusedUpdateWgsl } from './kernels/fused-grad.js';
import { fusedForwardWgsl } from './kernels/fused-forward.js';
import { fusedControlWgsl } from './kernels/fused-control.js';
import { fusedGroups, forwardTiles, hardwareFactors, parseFactors, updatesInGrad, WASM_ORDER, type FusedFactors } from './kernels/fused-tiles.js';

/** Most steps between two read-backs; the loss history ring holds one more. */
export const CHUNK = 64;
export const HIST_CAP = CHUNK + 1;
const f = Math.fround;

/**
 * How a step runs: `fused` (./kernels/fused-*.ts, the GPU path: 3 or 4 dispatches a step, tiled
 * GEMMs in workgroup memory with σ, σ′, the dropout mask and the output shares in the forward's
 * epilogue and the update in the weight gradient's, one workgroup per run for residuals, loss and
 * control), `small-blocks` and `large-blocks` (./kernels/train-step.ts, seven dispatches a
 * step, each thread of the GEMM-shaped kernels owning a register block of 2 × 4 or 8 × 8 outputs:
 * small for GPUs before the fused step, large for CPU adapters such as SwiftShader, where every load is a gather),
 * `per-run` (./kernels/train-chunk.ts, one dispatch a chunk, one invocation per run: on a CPU
 * adapter an invocation costs more than a small run's arithmetic) or `workgroup-per-run`
 * (./kernels/train-workgroup.ts, one dispatch a chunk, one workgroup per run sharing out its neurons
 * and samples). The per-run form evaluates σ and σ′ twice a step and draws dropout masks twice, and
 * its code grows with each inlined activation, so on SwiftShader it is taken for ReLU without dropout
 * and n·(d+1) ≤ 128 (the phase-grid sweep, where it is several times faster); the workgroup form
 * for the other shapes it takes (tanh-like activations and dropout: in Chromium 1.0–1.9× as fast as
 * large blocks on the suites' parts, whose seven dispatches a step cost more than a small network's
 * arithmetic); large blocks for the rest (figures: docs/webgpu.md). Runs with an R1 penalty or sgd
 * batches take the blocks forms only (small on GPUs, large on CPU adapters). CONDENSA_STEP_VARIANT
 * forces one (for comparisons).
 */
export const STEP_VARIANTS = ['fused', 'small-blocks', 'large-blocks', 'per-run', 'workgroup-per-run'] as const;
type StepVariant = (typeof STEP_VARIANTS)[number];

const env = () => (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};

/** n·m·(d+1) up to which a run trains in one workgroup on a GPU (the phase grid's runs: 4 samples, 2 inputs) */
const SMALL_RUN = 2 ** 16;

/** The forms that train an R1 penalty or sgd batches (the seven-dispatch step: train_grad_a takes the
 * penalty, the forward weights the residual by the sampled batch); the other forms have neither. */
const OBJECTIVE_VARIANTS: readonly StepVariant[] = ['small-blocks', 'large-blocks'];

export function stepVariant(
  adapter: { software: boolean },
  shape: StepShape,
  activation: string,
  dropout: boolean,
  objective: Pick<RunSpec, 'r1Penalty' | 'sgd'> = {},
): StepVariant {
  const forced = env().CONDENSA_STEP_VARIANT;
  const needsBlocks = objective.r1Penalty !== undefined || objective.sgd !== undefined;
  if (forced !== undefined) {
    if (!(STEP_VARIANTS as readonly string[]).includes(forced))
      throw new Error(`CONDENSA_STEP_VARIANT must be one of ${STEP_VARIANTS.join(', ')}, got ${JSON.stringify(forced)}`);
    if (needsBlocks && !OBJECTIVE_VARIANTS.includes(forced as StepVariant))
      throw new Error(`CONDENSA_STEP_VARIANT ${forced} cannot train r1Penalty or sgd runs: use ${OBJECTIVE_VARIANTS.join(' or ')}`);
    return forced as StepVariant;
  }
  if (needsBlocks) return adapter.software ? 'large-blocks' : 'small-blocks';
  // on a GPU: runs too small to fill it (a sweep's) one workgroup each, a chunk a dispatch; the rest fused
  if (!adapter.software) return workgroupFits(shape, dropout) && shape.n * shape.m * shape.D <= SMALL_RUN ? 'workgroup-per-run' : 'fused';
  if (perRunFits(shape) && activation === 'relu' && !dropout) return 'per-run';
  return workgroupFits(shape, dropout) ? 'workgroup-per-run' : 'large-blocks';
}

/**
 * The fused step's reordering factors (./kernels/fused-tiles.ts): the WASM order on software adapters,
 * on GPUs trees of 256 and the gradient GEMMs split until they fill the GPU. CONDENSA_STEP_FACTORS
 * (`split=S,tree=T`) forces them, to check on SwiftShader that factors > 1 stay within their budgets.
 */
function stepFactors(adapter: { software: boolean }, R: number, shape: StepShape): FusedFactors {
  const forced = env().CONDENSA_STEP_FACTORS;
  if (forced !== undefined) return parseFactors(forced);
  return adapter.software ? WASM_ORDER : hardwareFactors(R, shape);
}

/** A range of a buffer to copy out (a source of readBuffers). */
export type BufferRead = { buffer: GPUBuffer; offset?: number; bytes: number };

/** Everything a run needs to continue in another program: its weights, moments, state and lr. */
export interface RunCarry {
  lr: number;
  w: Float32Array<ArrayBuffer>;
  a: Float32Array<ArrayBuffer>;
  /** Adam moments in the program's layout for one run: [mW, ma] and [vW, va] */
  mom?: Float32Array<ArrayBuffer>;
  vel?: Float32Array<ArrayBuffer>;
  /** the run's RunState record, RUN_STATE_BYTES */
  state: Uint8Array<ArrayBuffer>;
}

export interface BatchRun {
  spec: RunSpec;
  scales: Scales;
  /** the learning rate (f32) in the run's Run record: the run controller's base rate */
  lr: number;
  init: { a: Float32Array; w: Float32Array };
}

/** What the runs of one program share (its buffers' strides and its kernels), as [field, value] pairs. */
function familyTraits(s: RunSpec, data: Dataset): [string, string][] {
  return [
    ['data shape', `${data.n}×${data.d}`],
    ['model.width', String(s.model.width)],
    ['model.activation', s.model.activation],
    ['optimizer.kind', s.optimizer.kind],
    ['dropout', s.dropout ? 'on' : 'off'],
    ['r1Penalty', s.r1Penalty ? 'on' : 'off'],
    ['sgd', s.sgd ? 'on' : 'off'],
  ];
}

/** Check that specs share a shape family and say which field differs. */
function shapeFamily(specs: RunSpec[], data: Dataset[]): void {
  const first = familyTraits(specs[0], data[0]);
  specs.forEach((s, r) => {
    const differ = familyTraits(s, data[r]).find(([, v], i) => v !== first[i][1]);
    if (differ) {
      const [field, v] = differ;
      const v0 = first.find(([f]) => f === field)![1];
      throw new Error(`run ${r} cannot share a WebGPU batch with run 0: ${field} ${v} ≠ ${v0} (one batch = one shape family)`);
    }
  });
}

/** The specs' indices grouped by shape family (one program each), families in order of their first run. */
export function shapeFamilies(specs: RunSpec[], wasm: WasmInstance): number[][] {
  const groups = new Map<string, number[]>();
  specs.forEach((s, r) => {
    const key = JSON.stringify(familyTraits(s, makeDataset(s.data, wasm.heap, wasm.kernels)));
    groups.set(key, [...(groups.get(key) ?? []), r]);
  });
  return [...groups.values()];
}

const cat = (parts: Float32Array[]) => {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

export class GpuBatchProgram {
  readonly R: number;
  readonly shape: { n: number; D: number; m: number };
  readonly runs: BatchRun[];
  private readonly runBytes: ArrayBuffer;
  /** runs restarted since the program's last submit: their θ(0) copies go in the next one */
  private readonly restarting: number[] = [];
  private constructor(
    private readonly ctx: GpuContext,
    runs: BatchRun[],
    shape: { n: number; D: number; m: number },
    private readonly adam: boolean,
    private readonly buf: Record<string, GPUBuffer>,
    private readonly init: Dispatch[],
    /** blocks: the dispatches of one step, encoded once per step; per-run: one dispatch a chunk
     * and the uniform that holds the chunk's step count */
    private readonly step: { each: Dispatch[] } | { chunk: Dispatch; steps: GPUBuffer },
  ) {
    this.runs = runs;
    this.R = runs.length;
    this.shape = shape;
    this.runBytes = new ArrayBuffer(this.R * RUN_BYTES);
  }

  /** Build a program for `specs`; with `carry`, each run continues from where another program left it. */
  static async create(ctx: GpuContext, wasm: WasmInstance, specs: RunSpec[], carry?: RunCarry[]): Promise<GpuBatchProgram> {
    const data = specs.map((s) => makeDataset(s.data, wasm.heap, wasm.kernels));
    shapeFamily(specs, data);
    const R = specs.length,
      n = data[0].n,
      D = data[0].d + 1,
      m = specs[0].model.width;
    const act = activationByName(specs[0].model.activation);
    const adam = specs[0].optimizer.kind === 'adam';
    const dropout = Boolean(specs[0].dropout);
    // which terms the family's step has (one shape family: every run has them, or none)
    const { r1Penalty, sgd } = specs[0];
    const runs: BatchRun[] = specs.map((spec) => {
      const scales = resolveScales(spec.init, m, wasm.kernels.pow64);
      return { spec, scales, lr: f(initialLr(spec.lr, scales, m)), init: drawInitialWeights(wasm.kernels, wasm.heap, spec, D, scales.beta1, scales.beta2) };
    });
    const nm = n * m,
      params = R * m * D + R * m;
    const shape = { n, D, m };
    const variant = stepVariant(ctx.adapter, shape, act.name, dropout, { r1Penalty, sgd });
    const fused = variant === 'fused';
    const factors = stepFactors(ctx.adapter, R, shape);
    const gradUpdates = updatesInGrad(factors, adam, ctx.device.limits.maxStorageBuffersPerShaderStage);
    const X = cat(data.map((d) => d.x)),
      y = cat(data.map((d) => d.y)),
      a = cat(runs.map((h) => h.init.a));
    const buf = {
      X: storage(ctx, X, 'X'),
      y: storage(ctx, y, 'y'),
      W: storage(ctx, cat(runs.map((h) => h.init.w)), 'W'),
      // the fused step writes a step's new a after the current one (other workgroups still read it)
      a: storage(ctx, fused ? cat([a, a]) : a, 'a'),
      W0: storage(ctx, cat(runs.map((h) => h.init.w)), 'W0'),
      a0: storage(ctx, cat(runs.map((h) => h.init.a)), 'a0'),
      H: storage(ctx, R * nm * 4, 'H'),
      S: storage(ctx, R * nm * 4, 'S'),
      f: storage(ctx, R * n * 4, 'f'),
      e: storage(ctx, R * n * 4, 'e'),
      loss: storage(ctx, R * 4, 'loss'),
      mom: storage(ctx, adam ? params * 4 : 16, 'Adam m'),
      vel: storage(ctx, adam ? params * 4 : 16, 'Adam v'),
      runs: storage(ctx, R * RUN_BYTES, 'runs'),
      states: storage(ctx, R * RUN_STATE_BYTES, 'states'),
      hist: storage(ctx, R * HIST_CAP * 4, 'loss history'),
      ...(sgd ? { batch: storage(ctx, R * n * 4, 'sgd sample weights') } : {}),
      // the workgroup kernel reads inputs and targets through one binding
      ...(variant === 'workgroup-per-run' ? { XY: storage(ctx, cat([X, y]), 'X and y') } : {}),
      // the fused step's gradient chunk sums and the forward tiles' output shares
      ...(fused && !gradUpdates ? { P: storage(ctx, factors.split * params * 4, 'gradient chunk sums') } : {}),
      ...(fused && factors.tree > 1 ? { F: storage(ctx, R * forwardTiles(shape).neurons * n * 4, 'output shares') } : {}),
    };
    const d = async (code: string, entry: string, bufs: GPUBuffer[], groups: [number, number, number]): Promise<Dispatch> => {
      const p = await pipeline(ctx, code, entry);
      return { pipeline: p, bind: bindGroup(ctx, p, bufs), groups };
    };
    const g64 = (count: number): [number, number, number] => [...grid(Math.ceil(count / 64)), 1];
    const perRun = g64(R);
    const g256 = (count: number): [number, number, number] => [...grid(Math.ceil(count / 256)), 1];
    const stepDims = (mode: number) => uniform(ctx, [R, dropout ? 1 : 0, mode, 0], 'step dims');
    const blocks = stepBlocks(variant === 'small-blocks' ? 'small' : 'large', shape);
    const threads = stepThreads(R, shape, blocks);
    const fVariant = gemvVariant(ctx.adapter, R * n, m);
    const forward = (mode: number): Promise<Dispatch>[] => [
      d(trainForwardWgsl(act.kind, shape, blocks), 'train_forward', [stepDims(mode), buf.runs, buf.states, buf.X, buf.W, buf.H, buf.S], g64(threads.forward)),
      d(gemvNWgsl(fVariant), 'gemv_n', [uniform(ctx, [R, n, m, 0], 'gemv_n dims'), buf.runs, buf.H, buf.a, buf.f], gemvGroups(fVariant, R * n)),
      d(MSE_RESIDUAL_WGSL, 'mse_residual', [uniform(ctx, [R, n, 0, 0], 'mse dims'), buf.f, buf.y, buf.e, buf.loss], perRun),
      ...(sgd
        ? [
            d(SAMPLE_WEIGHTS_WGSL, 'sample_weights', [uniform(ctx, [R * n, n], 'sgd dims'), buf.runs, buf.states, buf.batch!], g256(R * n)),
            d(MUL_INPLACE_WGSL, 'mul_inplace', [uniform(ctx, [R * n, n], 'sgd residual dims'), buf.e, buf.batch!], g256(R * n)),
          ]
        : []),
    ];
    const ctl = (mode: number) => uniform(ctx, [R, HIST_CAP, mode, 0], 'control dims');
    const moments = adam ? [buf.mom, buf.vel] : [];
    const groups = fusedGroups(R, shape, factors);
    const fusedPass = (mode: number): Promise<Dispatch>[] => [
      d(
        fusedForwardWgsl(act.kind, shape, factors),
        'fused_forward',
        [stepDims(mode), buf.runs, buf.states, buf.X, buf.W, buf.H, buf.S, ...(factors.tree > 1 ? [buf.a, buf.F!] : [])],
        [...grid(groups.forward), 1],
      ),
      d(
        fusedControlWgsl(shape, factors, HIST_CAP),
        'fused_control',
        [uniform(ctx, [R, n, mode, 0], 'fused control dims'), buf.runs, buf.states, buf.a, buf.y, buf.e, buf.hist, factors.tree > 1 ? buf.F! : buf.H],
        [...grid(groups.control), 1],
      ),
    ];
    const init = await Promise.all(
      fused ? fusedPass(1) : [...forward(1), d(CONTROL_WGSL, 'control', [ctl(1), buf.runs, buf.states, buf.loss, buf.hist], perRun)],
    );
    const perRunStep = async () => {
      // a workgroup of 4 fills a SwiftShader SIMD group; with few runs, 1 spreads them over the cores
      const wgSize = R >= 16 ? 4 : 1;
      const steps = uniform(ctx, [R, CHUNK, n, 0], 'chunk dims');
      const code = trainChunkWgsl({ kind: act.kind, adam, dropout, shape, histCap: HIST_CAP, workgroupSize: wgSize });
      const chunk = await d(
        code,
        'train_chunk',
        [steps, buf.runs, buf.states, buf.X, buf.y, buf.W, buf.a, buf.e, buf.hist, ...moments],
        [...grid(Math.ceil(R / wgSize)), 1],
      );
      return { chunk, steps };
    };
    const workgroupStep = async () => {
      const steps = uniform(ctx, [R, CHUNK, n, X.length], 'chunk dims');
      const code = trainWorkgroupWgsl({ kind: act.kind, adam, dropout, shape, histCap: HIST_CAP, invocations: workgroupInvocations(ctx.adapter) });
      const chunk = await d(code, 'train_workgroup', [steps, buf.runs, buf.states, buf.XY!, buf.W, buf.a, buf.hist, buf.H, buf.S, ...moments], [...grid(R), 1]);
      return { chunk, steps };
    };
    const blockStep = async () => ({
      each: await Promise.all([
        d(STEP_BEGIN_WGSL, 'step_begin', [ctl(0), buf.runs, buf.states], perRun),
        // train_grad_a writes the hidden gradient over S (σ′ is not needed again before the next forward)
        d(
          trainGradAWgsl(adam, shape, r1Penalty !== undefined),
          'train_grad_a',
          [stepDims(0), buf.runs, buf.states, buf.a, buf.H, buf.S, buf.e, ...moments],
          g64(R * m),
        ),
        d(trainGradWWgsl(adam, shape, blocks), 'train_grad_w', [stepDims(0), buf.runs, buf.states, buf.X, buf.W, buf.S, ...moments], g64(threads.gradW)),
        ...forward(0),
        d(CONTROL_WGSL, 'control', [ctl(0), buf.runs, buf.states, buf.loss, buf.hist], perRun),
      ]),
    });
    const fusedStep = async () => ({
      each: await Promise.all([
        d(
          fusedGradWgsl(adam, shape, factors, gradUpdates),
          'fused_grad',
          [stepDims(0), buf.runs, buf.states, buf.X, buf.e, buf.H, buf.S, buf.a, ...(gradUpdates ? [buf.W, ...moments] : [buf.P!])],
          [...grid(groups.grad), 1],
        ),
        ...(!gradUpdates
          ? [
              d(
                fusedUpdateWgsl(adam, shape, factors),
                'fused_update',
                [stepDims(0), buf.runs, buf.states, buf.P!, buf.W, buf.a, ...moments],
                [...grid(groups.update), 1],
              ),
            ]
          : []),
        ...fusedPass(0),
      ]),
    });
    const step =
      variant === 'fused'
        ? await fusedStep()
        : variant === 'per-run'
          ? await perRunStep()
          : variant === 'workgroup-per-run'
            ? await workgroupStep()
            : await blockStep();
    // the fused form's initial pass refreshes too: it starts INIT runs as the init submit that follows would
    const refresh = fused ? init : await Promise.all(forward(0));
    const program = new GpuBatchProgram(ctx, runs, shape, adam, buf, init, step);
    if (carry) carry.forEach((c, r) => program.load(r, c));
    runs.forEach((_, r) => program.writeRun(r));
    if (carry) {
      // the activations and residuals of the carried runs' current weights, for their next step
      const enc = ctx.device.createCommandEncoder();
      const pass = enc.beginComputePass();
      refresh.forEach((x) => encode(pass, x));
      pass.end();
      submit(ctx, enc.finish());
    } else {
      for (let r = 0; r < R; r++) ctx.device.queue.writeBuffer(buf.states, r * RUN_STATE_BYTES, encodeRunState(RUN_STATE.init));
    }
    return program;
  }

  /** Read runs `rs` out of the program (to continue them in a smaller one), in one read-back. */
  async carry(rs: number[]): Promise<RunCarry[]> {
    const { m, D } = this.shape,
      R = this.R,
      buf = this.buf;
    const partsOf = (r: number): BufferRead[] => [
      ...this.weightReads(r),
      { buffer: buf.states, offset: r * RUN_STATE_BYTES, bytes: RUN_STATE_BYTES },
      ...(this.adam
        ? [buf.mom, buf.vel].flatMap((b) => [
            { buffer: b, offset: r * m * D * 4, bytes: m * D * 4 },
            { buffer: b, offset: (R * m * D + r * m) * 4, bytes: m * 4 },
          ])
        : []),
    ];
    const each = partsOf(0).length;
    const all = await readBuffers(this.ctx, rs.flatMap(partsOf), this.restartWork());
    return rs.map((r, i) => {
      const got = all.slice(i * each, (i + 1) * each);
      const joined = (j: number) => {
        const o = new Float32Array(m * D + m);
        o.set(new Float32Array(got[j]));
        o.set(new Float32Array(got[j + 1]), m * D);
        return o;
      };
      return {
        lr: this.runs[r].lr,
        w: new Float32Array(got[0]),
        a: new Float32Array(got[1]),
        state: new Uint8Array(got[2]),
        ...(this.adam ? { mom: joined(3), vel: joined(5) } : {}),
      };
    });
  }

  private load(r: number, c: RunCarry): void {
    const { m, D } = this.shape,
      R = this.R,
      buf = this.buf,
      q = this.ctx.device.queue;
    this.runs[r].lr = c.lr;
    q.writeBuffer(buf.W, r * m * D * 4, c.w);
    q.writeBuffer(buf.a, r * m * 4, c.a);
    q.writeBuffer(buf.states, r * RUN_STATE_BYTES, c.state);
    (
      [
        [buf.mom, c.mom],
        [buf.vel, c.vel],
      ] as const
    ).forEach(([b, v]) => {
      if (!v) return;
      q.writeBuffer(b, r * m * D * 4, v, 0, m * D);
      q.writeBuffer(b, (R * m * D + r * m) * 4, v, m * D, m);
    });
  }

  /** Upload run r's parameters (layout of Run in kernels/common.ts). */
  private writeRun(r: number): void {
    const h = this.runs[r],
      s = h.spec;
    const adam: { beta1?: number; beta2?: number; eps?: number } = s.optimizer.kind === 'adam' ? s.optimizer : {};
    encodeRun(
      {
        invAlpha: 1 / h.scales.alpha,
        gradScale: 1 / (h.scales.alpha * this.shape.n),
        lr: h.lr,
        keep: s.dropout?.keep ?? 1,
        seed: s.seed,
        lossTol: s.stop.lossBelow ?? 0,
        lossRatio: s.stop.lossRatioBelow ?? 0,
        maxSteps: s.stop.maxSteps,
        halve: s.lr.halveOnIncrease ?? false,
        b1: adam.beta1 ?? 0.9,
        b2: adam.beta2 ?? 0.999,
        eps: adam.eps ?? 1e-8,
        ...stepObjective(s, h.scales.alpha, this.shape.n),
      },
      this.runBytes,
      r * RUN_BYTES,
    );
    this.ctx.device.queue.writeBuffer(this.buf.runs, r * RUN_BYTES, this.runBytes, r * RUN_BYTES, RUN_BYTES);
  }

  /** Encode the initial forward pass (runs in INIT) or `steps` training steps in one pass; the caller submits. */
  encodeWork(what: 'init' | { steps: number }, timestampWrites?: GPUComputePassTimestampWrites): GPUCommandEncoder {
    const enc = this.ctx.device.createCommandEncoder();
    this.encodeRestarts(enc);
    const pass = enc.beginComputePass(timestampWrites ? { timestampWrites } : {});
    if (what === 'init') this.init.forEach((x) => encode(pass, x));
    else if ('each' in this.step) for (let k = 0; k < what.steps; k++) this.step.each.forEach((x) => encode(pass, x));
    else {
      // the chunk's step count goes into the queue now, before this encoder: submit it before encoding another
      this.ctx.device.queue.writeBuffer(this.step.steps, 4, Uint32Array.of(what.steps));
      encode(pass, this.step.chunk);
    }
    pass.end();
    return enc;
  }

  /** The buffers a status read-back copies after a chunk (in the chunk's submit): the run states and the
   * loss history rings; `decodeStatus` reads the copies. */
  statusReads(): BufferRead[] {
    return [
      { buffer: this.buf.states, bytes: this.R * RUN_STATE_BYTES },
      { buffer: this.buf.hist, bytes: this.R * HIST_CAP * 4 },
    ];
  }

  /** The run states (RUN_STATE_BYTES each: kernels/common.ts decodes them) and the loss history rings
   * (HIST_CAP each) from the copies of `statusReads`. */
  decodeStatus([states, hist]: ArrayBuffer[]): { states: ArrayBuffer; hist: Float32Array } {
    return { states, hist: new Float32Array(hist) };
  }

  /** Run r's weights W and a, as reads; `decodeWeights` reads their copies. */
  weightReads(r: number): BufferRead[] {
    const { m, D } = this.shape;
    return [
      { buffer: this.buf.W, offset: r * m * D * 4, bytes: m * D * 4 },
      { buffer: this.buf.a, offset: r * m * 4, bytes: m * 4 },
    ];
  }

  decodeWeights([w, a]: ArrayBuffer[]): { a: Float32Array; w: Float32Array } {
    return { w: new Float32Array(w), a: new Float32Array(a) };
  }

  async readWeights(r: number): Promise<{ a: Float32Array; w: Float32Array }> {
    return this.decodeWeights(await readBuffers(this.ctx, this.weightReads(r), this.restartWork()));
  }

  /** Give run r the learning rate `lr` (its controller's halved one) and put it back to θ(0) with fresh
   * Adam moments, in state INIT. The copies go in the program's next submit (its work or a read). */
  restart(r: number, lr: number): void {
    this.runs[r].lr = lr;
    this.writeRun(r);
    this.restarting.push(r);
    this.ctx.device.queue.writeBuffer(this.buf.states, r * RUN_STATE_BYTES, encodeRunState(RUN_STATE.init));
  }

  /** Encode the pending restarts' copies of θ(0) and clears of the Adam moments. */
  private encodeRestarts(enc: GPUCommandEncoder): void {
    const { m, D } = this.shape,
      R = this.R,
      buf = this.buf;
    for (const r of this.restarting.splice(0)) {
      enc.copyBufferToBuffer(buf.W0, r * m * D * 4, buf.W, r * m * D * 4, m * D * 4);
      enc.copyBufferToBuffer(buf.a0, r * m * 4, buf.a, r * m * 4, m * 4);
      if (this.adam) {
        for (const moment of [buf.mom, buf.vel]) {
          enc.clearBuffer(moment, r * m * D * 4, m * D * 4);
          enc.clearBuffer(moment, (R * m * D + r * m) * 4, m * 4);
        }
      }
    }
  }

  /** The pending restarts as work to submit before a read ([] when none). */
  private restartWork(): GPUCommandBuffer[] {
    if (this.restarting.length === 0) return [];
    const enc = this.ctx.device.createCommandEncoder();
    this.encodeRestarts(enc);
    return [enc.finish()];
  }

  destroy(): void {
    Object.values(this.buf).forEach((b) => b.destroy());
  }
}
