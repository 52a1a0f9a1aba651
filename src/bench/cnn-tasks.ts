// Benchmark tasks of layered models: one conv layer's training step (conv2d forward and backward on a
// 32×32×16 batch, 16 filters 3×3 or 5×5, a linear read-out, GD) and one training step of three networks
// of the model zoo (src/models/), the ones the suites train: the T3.3 CNN (conv 16@5×5 and 16@3×3 with
// tanh and max pooling, a ReLU dense head 64-10, softmax cross-entropy, Adam, its full batch of 500
// 14×14 digits), the resnet-digits network (nine 3×3 conv layers in three stages with residual blocks, a
// dense head 128-128-10, Adam, batch 64 of 14×14 images) and the anchor-function transformer (two post-LN
// blocks of causal single-head attention and a kernel-1 conv feed-forward, the last position read out to
// 201 classes, softmax CE, AdamW, batch 256 of 9 token ids), on the WASM program, the WebGPU program and
// the same networks in tfjs (tfjs-network.ts: tfjs-wasm, tfjs-cpu, and tfjs-webgpu on the same adapter).
// The suites' own sizes beside them, so that a ratio means what a suite feels: the resnet-digits and
// anchor steps at the mini-batch their suites train with (16 and 64), and the forward pass of every
// distinct conv layer of the T3.3 and resnet-digits networks at its suite's batch (wasm-simd against
// tfjs-wasm). Every timed call is one training step (or forward pass) that ends with the loss read
// back, as training does.
import type { WasmInstance } from '../wasm/load.js';
import type { GpuContext } from '../webgpu/device.js';
import { inputShape, validateLayeredSpec, type LayeredRunSpec } from '../model/spec.js';
import { buildProgram } from '../model/program.js';
import { CpuProgram } from '../model/cpu-program.js';
import type { ProgramExecutor } from '../model/executor.js';
import { GpuProgram } from '../webgpu/layered-program.js';
import { inferShapes, shapeSize, trainingStepFlops, type LayerSpec, type Shape } from '../model/layers.js';
import { uniformInputs } from '../wasm/inputs.js';
import { useTfjs, useTfjsWebgpu } from './tfjs.js';
import { tfjsStep, tokenIds, type Shaped } from './tfjs-network.js';
import type { BenchTask, TaskWork } from './tasks.js';
import { adapterDevice } from './webgpu-tasks.js';
import { threeLayerCnn } from '../models/three-layer-cnn.js';
import { resnetLayers, RESNET_SUITE_BATCH } from '../models/resnet-digits.js';
import { anchorLayers, ANCHOR_SUITE_BATCH } from '../models/anchor-transformer.js';

const CONV_BATCH = 8;
/** T3.3 trains full-batch on 50 digits of each class */
const T33_BATCH = 500;
const RESNET_BATCH = 64;
const TRANSFORMER_BATCH = 256;

/** One conv layer on n inputs of `input`'s shape (square images) and a linear read-out (GD, MSE). */
const convLayerSpec = (layer: LayerSpec, input: Shape, n: number): LayeredRunSpec =>
  validateLayeredSpec({
    data: { preset: 'gauss-images', n, channels: input.C, size: input.H }, // shapes only: the bench feeds its own batch
    model: { layers: [layer, { type: 'flatten' }, { type: 'dense', units: 1, bias: false, init: { std: 0.01 } }] },
    optimizer: { kind: 'gd' },
    lr: 1e-3,
    stop: { maxSteps: 1 },
    seed: 1,
  });

/** The bench's own conv layer: 16 filters k×k on 16×32×32 (C×H×W). */
const CONV_INPUT: Shape = { H: 32, W: 32, C: 16, flat: false };
const benchConv = (k: number): LayerSpec => ({ type: 'conv2d', filters: 16, kernel: k, padding: 'same', bias: true, init: { std: 0.1 } }) as LayerSpec;

/** The T3.3 network (its standard init, std d_in^−½), softmax CE, Adam. */
const t33Spec = (): LayeredRunSpec =>
  validateLayeredSpec({
    data: { preset: 'gauss-images', n: T33_BATCH, channels: 1, size: 14 },
    model: { layers: threeLayerCnn({ std: 'd_in^-gamma', gamma: 0.5 }), loss: 'softmax-ce' },
    optimizer: { kind: 'adam' },
    lr: 1e-3,
    stop: { maxSteps: 1 },
    seed: 1,
  });

/** The resnet-digits network (its Glorot arm), softmax CE, Adam, on batches of n. */
const resnetSpec = (n: number): LayeredRunSpec =>
  validateLayeredSpec({
    data: { preset: 'gauss-images', n, channels: 1, size: 14 },
    model: { layers: resnetLayers('glorot'), loss: 'softmax-ce' },
    optimizer: { kind: 'adam' },
    lr: 1e-3,
    stop: { maxSteps: 1 },
    seed: 1,
  });

/** The anchor-function transformer (γ = 0.8, two blocks), softmax CE on the last position, AdamW. */
const transformerSpec = (): LayeredRunSpec =>
  validateLayeredSpec({
    data: { preset: 'anchor' },
    model: { layers: anchorLayers(0.8, 2), loss: 'softmax-ce' },
    optimizer: { kind: 'adamw' },
    lr: 1e-3,
    stop: { maxSteps: 1 },
    seed: 1,
  });

/** A program's training step (or its forward pass alone) on an executor, with a random batch and random weights. */
async function programStep(
  w: WasmInstance,
  s: Shaped,
  make: (p: ReturnType<typeof buildProgram>) => ProgramExecutor | Promise<ProgramExecutor>,
  forwardOnly = false,
): Promise<TaskWork> {
  const mark = w.heap.mark();
  const program = buildProgram(s.spec.model, s.spec.optimizer, s.input, s.n, w.kernels.pow64);
  const exec = await make(program);
  const first = s.spec.model.layers[0];
  exec.write(program.input, first.type === 'embedding' ? Float32Array.from(tokenIds(s, first.vocab)) : uniformInputs(w, s.n * shapeSize(s.input), 41));
  exec.write(
    program.target,
    Float32Array.from({ length: program.tensors[program.target].size }, (_, i) => (s.spec.model.loss === 'mse' ? (i % 2 ? 1 : -1) : i % program.K)),
  );
  program.params.forEach((p, j) => {
    const size = program.tensors[p.param].size;
    exec.write(p.param, p.fill === undefined ? uniformInputs(w, size, 50 + j, -p.std, p.std) : new Float32Array(size).fill(p.fill));
  });
  Object.assign(exec.scalars, { lr: 1e-3, bc1: 0.1, bc2: 0.001 });
  const work: TaskWork = {
    run: async () => {
      work.loss = forwardOnly ? await exec.forward() : await exec.step();
    },
    dispose: () => w.heap.release(mark),
  };
  return work;
}

function rows(w: WasmInstance, task: BenchTask['task'], size: string, s: Shaped, ctx: GpuContext | undefined, gpuDevice: string): BenchTask[] {
  const flops = trainingStepFlops(s.spec.model.layers, s.input, s.n);
  const out: BenchTask[] = [
    { task, impl: 'wasm-simd', device: 'cpu', size, flops, prepare: () => programStep(w, s, (p) => new CpuProgram(w.heap, w.kernels, p)) },
    { task, impl: 'tfjs-wasm', device: 'cpu', size, flops, prepare: async () => (await useTfjs('wasm'), tfjsStep(s)) },
    { task, impl: 'tfjs-cpu', device: 'cpu', size, flops, prepare: async () => (await useTfjs('cpu'), tfjsStep(s)) },
  ];
  if (ctx) {
    out.push(
      { task, impl: 'webgpu', device: gpuDevice, size, flops, prepare: () => programStep(w, s, (p) => GpuProgram.create(ctx, p)) },
      { task, impl: 'tfjs-webgpu', device: gpuDevice, size, flops, prepare: async () => (await useTfjsWebgpu(ctx), tfjsStep(s)) },
    );
  }
  return out;
}

/** Conv2d forward against tfjs-wasm, conv2d forward+backward (k = 3, 5), the T3.3, the resnet-digits and the anchor transformer
 * training steps, on the CPU rows and, given a device, the WebGPU rows. */
const conv = (k: number): Shaped => ({ spec: convLayerSpec(benchConv(k), CONV_INPUT, CONV_BATCH), input: CONV_INPUT, n: CONV_BATCH });

/** Every conv2d layer of `layers` (residual blocks included) with its input shape, once per distinct layer and shape. */
function convLayers(layers: LayerSpec[], input: Shape): { layer: Extract<LayerSpec, { type: 'conv2d' }>; input: Shape }[] {
  const found = new Map<string, { layer: Extract<LayerSpec, { type: 'conv2d' }>; input: Shape }>();
  const walk = (list: LayerSpec[], s: Shape) => {
    const shapes = inferShapes(list, s);
    list.forEach((l, i) => {
      const at = i === 0 ? s : shapes[i - 1];
      if (l.type === 'conv2d') found.set(JSON.stringify([l, at]), { layer: l, input: at });
      if (l.type === 'residual') walk(l.layers, at);
    });
  };
  walk(layers, input);
  return [...found.values()];
}

/** A conv layer's label: input H×W×C → filters@k×k (stride). */
const convLabel = (l: Extract<LayerSpec, { type: 'conv2d' }>, s: Shape) =>
  `${s.H}×${s.W}×${s.C}→${l.filters}@${l.kernel}×${l.kernel}${l.stride > 1 ? ` stride ${l.stride}` : ''}`;

/** Forward pass of one conv layer on wasm-simd and tfjs-wasm (the conv-forward rows). */
function convForwardRows(w: WasmInstance, size: string, sh: Shaped): BenchTask[] {
  const [l] = sh.spec.model.layers;
  if (l.type !== 'conv2d') throw new Error(`conv-forward rows need a conv2d layer first, got ${l.type}`);
  const out = inferShapes([l], sh.input)[0];
  const flops = 2 * sh.n * out.H * out.W * out.C * sh.input.C * l.kernel * l.kernel;
  return [
    {
      task: 'conv-forward',
      impl: 'wasm-simd',
      device: 'cpu',
      size,
      flops,
      prepare: () => programStep(w, sh, (p) => new CpuProgram(w.heap, w.kernels, p), true),
    },
    { task: 'conv-forward', impl: 'tfjs-wasm', device: 'cpu', size, flops, prepare: async () => (await useTfjs('wasm'), tfjsStep(sh, true)) },
  ];
}

/** The conv-forward rows of every distinct conv layer of a network at its suite's batch. */
function suiteConvRows(w: WasmInstance, net: string, layers: LayerSpec[], input: Shape, n: number): BenchTask[] {
  return convLayers(layers, input).flatMap(({ layer, input: s }) =>
    convForwardRows(w, `${net} conv ${convLabel(layer, s)}, n=${n}`, { spec: convLayerSpec(layer, s, n), input: s, n }),
  );
}

const DIGIT_INPUT: Shape = { H: 14, W: 14, C: 1, flat: false };

/** The networks whose training steps the bench times, at the bench's shapes and batch sizes. */
export function benchNetworks(): { conv3: Shaped; conv5: Shaped; t33: Shaped; resnet: Shaped; transformer: Shaped } {
  const anchorSpec = transformerSpec();
  return {
    conv3: conv(3),
    conv5: conv(5),
    t33: { spec: t33Spec(), input: DIGIT_INPUT, n: T33_BATCH },
    resnet: { spec: resnetSpec(RESNET_BATCH), input: DIGIT_INPUT, n: RESNET_BATCH },
    transformer: { spec: anchorSpec, input: inputShape(anchorSpec.data), n: TRANSFORMER_BATCH },
  };
}

export function cnnTasks(w: WasmInstance, ctx: GpuContext | undefined): BenchTask[] {
  const gpuDevice = ctx ? adapterDevice(ctx) : '';
  const { t33, resnet, transformer } = benchNetworks();
  const suiteResnet: Shaped = { spec: resnetSpec(RESNET_SUITE_BATCH), input: DIGIT_INPUT, n: RESNET_SUITE_BATCH };
  const suiteTransformer: Shaped = { ...transformer, n: ANCHOR_SUITE_BATCH };
  return [
    ...[3, 5].flatMap((k) => convForwardRows(w, `n=${CONV_BATCH},32×32×16→16@${k}×${k}`, conv(k))),
    ...[3, 5].flatMap((k) => rows(w, 'conv', `n=${CONV_BATCH},32×32×16→16@${k}×${k}`, conv(k), ctx, gpuDevice)),
    ...rows(w, 'cnn-step', `T3.3 net, n=${T33_BATCH},14×14`, t33, ctx, gpuDevice),
    ...rows(w, 'cnn-step', `resnet-digits net, n=${RESNET_BATCH},14×14`, resnet, ctx, gpuDevice),
    ...rows(w, 'cnn-step', `resnet-digits net, suite batch n=${RESNET_SUITE_BATCH},14×14`, suiteResnet, ctx, gpuDevice),
    ...rows(w, 'transformer-step', `anchor 2-block net, n=${TRANSFORMER_BATCH}, L=${transformer.input.C}`, transformer, ctx, gpuDevice),
    ...rows(w, 'transformer-step', `anchor 2-block net, suite batch n=${ANCHOR_SUITE_BATCH}, L=${transformer.input.C}`, suiteTransformer, ctx, gpuDevice),
    ...suiteConvRows(w, 'T3.3', t33.spec.model.layers, DIGIT_INPUT, T33_BATCH),
    ...suiteConvRows(w, 'resnet-digits', resnet.spec.model.layers, DIGIT_INPUT, RESNET_SUITE_BATCH),
  ];
}
