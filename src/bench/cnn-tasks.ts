// Benchmark tasks of layered models: one conv layer's training step (conv2d forward and backward on a
// 32×32×16 batch, 16 filters 3×3 or 5×5, a linear read-out, GD), one step of the T3.3 network (two
// tanh conv layers 5×5 with max pooling, a ReLU dense head, softmax cross-entropy, Adam, batch 64 of
// 28×28 images) and one step of the resnet-digits network (nine 3×3 conv layers in three stages with
// residual blocks, a dense head 128-128-10, Adam, batch 64 of 14×14 images), on the WASM program, the
// WebGPU program and the same networks in tfjs (tfjs-wasm, tfjs-cpu, and tfjs-webgpu on the same
// adapter). tfjs-wasm registers no Conv2DBackpropFilter kernel, so there a conv layer's filter gradient
// is itself a conv2d (conv2dWithFilterGrad). Every timed call is one training step that ends with the
// loss read back, as training does.
import * as tf from '@tensorflow/tfjs-core';
import type { WasmInstance } from '../wasm/load.js';
import type { GpuContext } from '../webgpu/device.js';
import { validateLayeredSpec, type LayeredRunSpec } from '../model/spec.js';
import { buildProgram } from '../model/program.js';
import { CpuProgram } from '../model/cpu-program.js';
import type { ProgramExecutor } from '../model/executor.js';
import { GpuProgram } from '../webgpu/layered-program.js';
import { inferShapes, layerOutput, shapeSize, type LayerSpec, type Shape } from '../model/layers.js';
import { uniformInputs } from '../wasm/inputs.js';
import { useTfjs, useTfjsWebgpu } from './tfjs.js';
import type { BenchTask, TaskWork } from './tasks.js';
import { adapterDevice } from './webgpu-tasks.js';
import { resnetLayers } from '../../suites/resnet-digits.suite.js';

const CONV_BATCH = 8;
const CNN_BATCH = 64;
const RESNET_BATCH = 64;

/** One conv layer on 16×32×32 (C×H×W) inputs and a linear read-out (GD, MSE). */
const convSpec = (k: number): LayeredRunSpec =>
  validateLayeredSpec({
    data: { preset: 'gauss-images', n: CONV_BATCH, channels: 16, size: 32 }, // shapes only: the bench feeds its own batch
    model: {
      layers: [
        { type: 'conv2d', filters: 16, kernel: k, padding: 'same', bias: true, init: { std: 0.1 } },
        { type: 'flatten' },
        { type: 'dense', units: 1, bias: false, init: { std: 0.01 } },
      ],
    },
    optimizer: { kind: 'gd' },
    lr: 1e-3,
    stop: { maxSteps: 1 },
    seed: 1,
  });

/** The T3.3 network: conv 8@5×5 → tanh → max 2 → conv 16@5×5 → tanh → max 2 → dense 32 → ReLU → dense 10, softmax CE, Adam. */
const cnnSpec = (): LayeredRunSpec =>
  validateLayeredSpec({
    data: { preset: 'gauss-images', n: CNN_BATCH, channels: 1, size: 28 },
    model: {
      layers: [
        { type: 'conv2d', filters: 8, kernel: 5, init: { std: 0.1 } },
        { type: 'activation', fn: 'tanh' },
        { type: 'maxpool2d', size: 2 },
        { type: 'conv2d', filters: 16, kernel: 5, init: { std: 0.1 } },
        { type: 'activation', fn: 'tanh' },
        { type: 'maxpool2d', size: 2 },
        { type: 'flatten' },
        { type: 'dense', units: 32, init: { std: 0.1 } },
        { type: 'activation', fn: 'relu' },
        { type: 'dense', units: 10, init: { std: 0.1 } },
      ],
      loss: 'softmax-ce',
    },
    optimizer: { kind: 'adam' },
    lr: 1e-3,
    stop: { maxSteps: 1 },
    seed: 1,
  });

/** The resnet-digits network (its Glorot arm), softmax CE, Adam. */
const resnetSpec = (): LayeredRunSpec =>
  validateLayeredSpec({
    data: { preset: 'gauss-images', n: RESNET_BATCH, channels: 1, size: 14 },
    model: { layers: resnetLayers('glorot'), loss: 'softmax-ce' },
    optimizer: { kind: 'adam' },
    lr: 1e-3,
    stop: { maxSteps: 1 },
    seed: 1,
  });

interface Shaped {
  spec: LayeredRunSpec;
  input: { H: number; W: number; C: number; flat: boolean };
  n: number;
}

/** FLOPs of one step: per weight layer 2·rows·in·out forward and twice that backward (the first layer's input gradient is not computed). */
function stepFlops({ spec, input, n }: Shaped): number {
  let flops = 0,
    first = true;
  const walk = (layers: LayerSpec[], s: Shape): Shape =>
    layers.reduce((sh, l, i) => {
      const out = layerOutput(l, sh, `layers[${i}]`);
      if (l.type === 'residual') walk(l.layers, sh);
      if (l.type === 'conv2d' || l.type === 'dense') {
        const fanIn = l.type === 'conv2d' ? sh.C * l.kernel * l.kernel : shapeSize(sh);
        flops += 2 * n * out.H * out.W * fanIn * out.C * (first ? 2 : 3);
        first = false;
      }
      return out;
    }, s);
  walk(spec.model.layers, input);
  return flops;
}

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
  exec.write(program.input, uniformInputs(w, s.n * shapeSize(s.input), 41));
  exec.write(
    program.target,
    Float32Array.from({ length: program.tensors[program.target].size }, (_, i) => (s.spec.model.loss === 'mse' ? (i % 2 ? 1 : -1) : i % program.K)),
  );
  program.params.forEach((p, j) => exec.write(p.param, uniformInputs(w, program.tensors[p.param].size, 50 + j, -p.std, p.std)));
  Object.assign(exec.scalars, { lr: 1e-3, bc1: 0.1, bc2: 0.001 });
  return {
    run: async () => {
      await exec.forward();
      if (forwardOnly) return;
      await exec.backward();
      await exec.update();
    },
    dispose: () => w.heap.release(mark),
  };
}

/**
 * conv2d (stride st, p zeros on each side) whose filter gradient is a conv2d of the padded input and dy
 * with batch and channels swapped and dy dilated by st, dW[a][b][c][f] = Σ_{n,i,j} x[n][st·i+a][st·j+b][c]·
 * dy[n][i][j][f] (cut to k × k), for tfjs backends without a Conv2DBackpropFilter kernel (tfjs-wasm). The
 * input gradient (conv2dTranspose) is computed only where the layer's input needs one: not for the first
 * layer, as in our program.
 */
export function conv2dWithFilterGrad(p: number, st: number, inputGrad: boolean): (x: tf.Tensor4D, k: tf.Tensor4D) => tf.Tensor4D {
  return tf.customGrad(((x: tf.Tensor4D, k: tf.Tensor4D, save: tf.GradSaveFunc) => {
    save([x, k]);
    return {
      value: tf.conv2d(x, k, st, p),
      gradFunc: (dy: tf.Tensor4D, [xs, ks]: tf.Tensor[]) => {
        const kk = ks.shape[0];
        const xp =
          p > 0
            ? tf.pad(xs as tf.Tensor4D, [
                [0, 0],
                [p, p],
                [p, p],
                [0, 0],
              ])
            : xs;
        const full = tf.conv2d(tf.transpose(xp, [3, 1, 2, 0]) as tf.Tensor4D, tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D, 1, 'valid', 'NHWC', st);
        const dW = tf.transpose(full.shape[1] === kk && full.shape[2] === kk ? full : tf.slice(full, [0, 0, 0, 0], [-1, kk, kk, -1]), [1, 2, 0, 3]);
        return [inputGrad ? tf.conv2dTranspose(dy, ks as tf.Tensor4D, xs.shape as [number, number, number, number], st, p) : tf.zerosLike(xs), dW];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor4D, k: tf.Tensor4D) => tf.Tensor4D;
}

/** The same network in tfjs (NHWC, as ours), one step of the optimiser (or the loss alone), the loss read back. */
function tfjsStep(s: Shaped, forwardOnly = false): TaskWork {
  const filterGradByConv = tf.getBackend() === 'wasm';
  const { H, W, C } = s.input;
  const x = tf.randomUniform([s.n, H, W, C], -1, 1, 'float32', 1);
  const shapes = inferShapes(s.spec.model.layers, s.input);
  const K = shapes[shapes.length - 1].C;
  const y =
    s.spec.model.loss === 'mse'
      ? tf.randomUniform([s.n, 1], -1, 1, 'float32', 2)
      : tf.oneHot(
          tf.tensor1d(
            Array.from({ length: s.n }, (_, i) => i % K),
            'int32',
          ),
          K,
        );
  const vars: tf.Variable[] = [];
  let firstWeight = true;
  type Layer = (t: tf.Tensor) => tf.Tensor;
  const build = (l: LayerSpec, sh: Shape): Layer => {
    if (l.type === 'conv2d') {
      const k = tf.variable(tf.randomUniform([l.kernel, l.kernel, sh.C, l.filters], -0.1, 0.1)),
        b = tf.variable(tf.zeros([l.filters]));
      vars.push(k, b);
      const pad = l.padding === 'same' ? (l.kernel - 1) / 2 : 0;
      const conv = filterGradByConv ? conv2dWithFilterGrad(pad, l.stride, !firstWeight) : (t: tf.Tensor4D) => tf.conv2d(t, k as tf.Tensor4D, l.stride, pad);
      firstWeight = false;
      return (t) => tf.add(conv(t as tf.Tensor4D, k as tf.Tensor4D), b);
    }
    if (l.type === 'dense') {
      const m = tf.variable(tf.randomUniform([shapeSize(sh), l.units], -0.1, 0.1));
      vars.push(m);
      const b = l.bias ? tf.variable(tf.zeros([l.units])) : undefined;
      if (b) vars.push(b);
      firstWeight = false;
      return (t) => (b ? tf.add(tf.matMul(t as tf.Tensor2D, m as tf.Tensor2D), b) : tf.matMul(t as tf.Tensor2D, m as tf.Tensor2D));
    }
    if (l.type === 'activation') return (t) => (l.fn === 'tanh' ? tf.tanh(t) : l.fn === 'relu' ? tf.relu(t) : t);
    if (l.type === 'maxpool2d') return (t) => tf.maxPool(t as tf.Tensor4D, l.size, l.size, 'valid');
    if (l.type === 'avgpool2d') return (t) => tf.avgPool(t as tf.Tensor4D, l.size, l.size, 'valid');
    if (l.type === 'flatten') return (t) => tf.reshape(t, [s.n, -1]);
    if (l.type === 'layernorm') {
      const gain = tf.variable(tf.ones([sh.C])),
        shift = tf.variable(tf.zeros([sh.C]));
      vars.push(gain, shift);
      return (t) => {
        const { mean, variance } = tf.moments(t, -1, true);
        return tf.add(tf.mul(tf.mul(tf.sub(t, mean), tf.rsqrt(tf.add(variance, l.eps))), gain), shift);
      };
    }
    if (l.type !== 'residual') throw new Error(`bench: no tfjs form of layer ${l.type}`);
    const inner = chain(l.layers, sh);
    return (t) => tf.add(t, inner(t));
  };
  const chain = (ls: LayerSpec[], sh: Shape): Layer => {
    const fns = ls.map((l, i) => {
      const fn = build(l, sh);
      sh = layerOutput(l, sh, `layers[${i}]`);
      return fn;
    });
    return (t) => fns.reduce((u, fn) => fn(u), t);
  };
  const network = chain(s.spec.model.layers, s.input);
  const loss = () =>
    tf.tidy(() => {
      const f = network(x);
      return (s.spec.model.loss === 'mse' ? tf.div(tf.sum(tf.square(tf.sub(f, y))), 2 * s.n) : tf.losses.softmaxCrossEntropy(y, f)) as tf.Scalar;
    });
  const opt = s.spec.optimizer.kind === 'adam' ? tf.train.adam(1e-3) : tf.train.sgd(1e-3);
  return {
    run: async () => {
      const value = forwardOnly ? loss() : opt.minimize(loss, true, vars);
      await value!.data();
      value!.dispose();
    },
    dispose: () => {
      opt.dispose();
      tf.dispose([x, y, ...vars]);
    },
  };
}

function rows(w: WasmInstance, task: 'conv' | 'cnn-step', size: string, s: Shaped, ctx: GpuContext | undefined, gpuDevice: string): BenchTask[] {
  const flops = stepFlops(s);
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

/** Conv2d forward against tfjs-wasm, conv2d forward+backward (k = 3, 5), the T3.3 and the resnet-digits training steps, on the CPU
 * rows and, given a device, the WebGPU rows. */
export function cnnTasks(w: WasmInstance, ctx: GpuContext | undefined): BenchTask[] {
  const gpuDevice = ctx ? adapterDevice(ctx) : '';
  const conv = (k: number): Shaped => ({ spec: convSpec(k), input: { H: 32, W: 32, C: 16, flat: false }, n: CONV_BATCH });
  const cnn: Shaped = { spec: cnnSpec(), input: { H: 28, W: 28, C: 1, flat: false }, n: CNN_BATCH };
  const resnet: Shaped = { spec: resnetSpec(), input: { H: 14, W: 14, C: 1, flat: false }, n: RESNET_BATCH };
  const forward = (k: number): BenchTask[] => {
    const sh = conv(k),
      size = `n=${CONV_BATCH},32×32×16→16@${k}×${k}`,
      flops = 2 * CONV_BATCH * 32 * 32 * 16 * 16 * k * k;
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
  };
  return [
    ...[3, 5].flatMap(forward),
    ...[3, 5].flatMap((k) => rows(w, 'conv', `n=${CONV_BATCH},32×32×16→16@${k}×${k}`, conv(k), ctx, gpuDevice)),
    ...rows(w, 'cnn-step', `T3.3 net, n=${CNN_BATCH},28×28`, cnn, ctx, gpuDevice),
    ...rows(w, 'cnn-step', `resnet-digits net, n=${RESNET_BATCH},14×14`, resnet, ctx, gpuDevice),
  ];
}
