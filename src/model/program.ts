// A layered model's training step as a *program*: the ordered kernel calls and tensor slots that the
// layer list implies, built once per model and batch size. Executors (src/model/cpu-program.ts over
// the Heap; WebGPU later) run the same list, so the order of operations, and with it the bits, is the
// program's. Each layer's tensors and calls come from its kind (src/model/layers/<kind>.ts `build`); here
// the loss, the gradient norms, clipping and the optimiser update. Layout NHWC.
import { call, type Call } from '../kernels/index.js';
import type { ScalarArg, StepScalar } from '../kernels/define.js';
import { buildLayers, shapeSize, type Shape } from './layers.js';
import { ProgramBuilder, t, type ParamDecl, type TensorDecl } from './program-builder.js';
import type { LayeredModelSpec, LayeredOptimizerSpec } from './spec.js';

export type { Call, ParamDecl, StepScalar };

export interface Program {
  tensors: TensorDecl[];
  /** forward pass; the last call returns the loss R (its gradient seed is written there too) */
  forward: Call[];
  backward: Call[];
  /** one sum_squares call per gradient, in parameter order (global-norm clipping) */
  gradNorms: Call[];
  /** one scale_to per gradient by the scalar clipScale */
  clipGrads: Call[];
  update: Call[];
  params: ParamDecl[];
  /** input batch (n × features, NHWC per sample) and targets (n × K for mse; n labels for softmax-ce) */
  input: number;
  target: number;
  /** network output f = (1/α)·last layer, n × K */
  output: number;
  /** samples per step and outputs per sample */
  n: number;
  K: number;
  /** length of a snapshot's flat parameter vector */
  paramCount: number;
}

const f32 = Math.fround;

/** The training program of `model` for batches of n samples of shape `input`. */
export function buildProgram(
  model: LayeredModelSpec,
  optimizer: LayeredOptimizerSpec,
  input: Shape,
  n: number,
  pow: (x: number, y: number) => number,
): Program {
  const b = new ProgramBuilder(n, optimizer.kind !== 'gd', pow);
  const x = b.tensor('input batch', n * shapeSize(input), 'data');
  const net = buildLayers(b, model.layers, x, input, 'model.layers', 'layers', false);
  const K = net.shape.C,
    nK = n * K;
  const target = b.tensor('targets', model.loss === 'mse' ? nK : n, 'data');
  const output = b.tensor('output f', nK, 'activation');
  const seed = b.tensor('∇ output', nK, 'activation');
  b.fwd(call('scale_to', { n: nK, x: t(net.y), c: f32(1 / model.alpha), y: t(output) }));
  if (model.loss === 'mse') {
    const e = b.tensor('residual e', nK, 'activation');
    b.fwd(call('mse_residual', { n: nK, f: t(output), y: t(target), e: t(e) }));
    b.bwd([call('scale_to', { n: nK, x: t(e), c: f32(1 / (model.alpha * nK)), y: t(seed) })]);
  } else {
    b.fwd(call('softmax_ce', { n, K, z: t(output), labels: t(target), g: t(seed), scale: f32(1 / (model.alpha * n)) }));
  }
  net.back(seed);
  const lr: ScalarArg = { scalar: 'lr' };
  const update = b.params.map((p): Call => {
    const n = b.tensors[p.param].size,
      o = optimizer;
    if (o.kind === 'gd') return call('gd_step', { n, p: t(p.param), g: t(p.grad), lr });
    const [m, v] = p.moments!;
    const adam = {
      n,
      p: t(p.param),
      g: t(p.grad),
      m: t(m),
      v: t(v),
      lr,
      b1: f32(o.beta1),
      b2: f32(o.beta2),
      eps: f32(o.eps),
      bc1: { scalar: 'bc1' },
      bc2: { scalar: 'bc2' },
    } as const;
    return o.kind === 'adam' ? call('adam_step', adam) : call('adamw_step', { ...adam, wd: f32(o.weightDecay) });
  });
  return {
    tensors: b.tensors,
    forward: b.forward,
    backward: b.backward,
    update,
    params: b.params,
    gradNorms: b.params.map((p) => call('sum_squares', { n: b.tensors[p.grad].size, x: t(p.grad) })),
    clipGrads: b.params.map((p) => call('scale_to', { n: b.tensors[p.grad].size, x: t(p.grad), c: { scalar: 'clipScale' }, y: t(p.grad) })),
    input: x,
    target,
    output,
    n,
    K,
    paramCount: b.totalParams,
  };
}
