// A layered model's training step as a *program*: the ordered kernel calls and tensor slots that the
// layer list implies, built once per model and batch size. Executors (src/model/cpu-program.ts over
// the Heap; WebGPU later) run the same list, so the order of operations, and with it the bits, is the
// program's. Layout NHWC; conv2d = im2col + GEMM (cols · Kᵀ), so conv and dense share one linear map.
import { activationByName } from '../engine/activations.js';
import { call, type Call } from '../kernels/index.js';
import type { ScalarArg, StepScalar, TensorRef } from '../kernels/define.js';
import { fanIn, initStd, layerOutput, shapeSize, type LayerSpec, type Shape } from './layers.js';
import type { LayeredModelSpec, LayeredOptimizerSpec } from './spec.js';

type TensorRole = 'data' | 'param' | 'grad' | 'activation' | 'moment' | 'index';
interface TensorDecl {
  name: string;
  /** f32 (or u32 for 'index') elements */
  size: number;
  role: TensorRole;
}

export type { Call, StepScalar };

/** One trainable tensor: where it sits in a snapshot, its neuron view and its initial std. */
export interface ParamDecl {
  /** e.g. "layers[0].kernel", "layers[3].bias" */
  name: string;
  /** the layer's path in the spec, e.g. "model.layers[2].layers[0]" */
  layer: string;
  kind: 'conv2d' | 'dense' | 'layernorm' | 'embedding' | 'positional';
  /** conv2d kernels [F, C, k, k] (flattened C·k·k in (c, dy, dx) order); dense [units, in]; bias, gain, shift [F];
   * embedding [vocab, dim]; positional [positions, C] */
  shape: number[];
  /** not a tensor of neurons' weights: a vector per feature (a bias, a layer norm's gain or shift) or a
   * position table */
  bias: boolean;
  param: number;
  grad: number;
  /** Adam moments (m, v), when the optimiser keeps them */
  moments?: [number, number];
  std: number;
  /** a constant initial value instead of N(0, std²) draws (a layer norm's gain 1 and shift 0) */
  fill?: number;
  /** offset of this tensor in a snapshot's flat parameter vector */
  offset: number;
}

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

const t = (id: number): TensorRef => ({ tensor: id });
const f32 = Math.fround;

class ProgramBuilder {
  readonly tensors: TensorDecl[] = [];
  readonly forward: Call[] = [];
  readonly params: ParamDecl[] = [];
  readonly backward: Call[] = [];
  private paramCount = 0;

  constructor(
    readonly n: number,
    readonly optimizer: LayeredOptimizerSpec,
    readonly pow: (x: number, y: number) => number,
  ) {}

  tensor(name: string, size: number, role: TensorRole): number {
    this.tensors.push({ name, size, role });
    return this.tensors.length - 1;
  }
  fwd(c: Call): void {
    this.forward.push(c);
  }
  /** Backward calls, appended in execution order (the layers' back closures run last layer first). */
  bwd(calls: Call[]): void {
    this.backward.push(...calls);
  }

  param(name: string, layer: string, kind: ParamDecl['kind'], shape: number[], bias: boolean, std: number, fill?: number): ParamDecl {
    const size = shape.reduce((a, b) => a * b, 1);
    const adam = this.optimizer.kind !== 'gd';
    const p: ParamDecl = {
      name,
      layer,
      kind,
      shape,
      bias,
      std,
      ...(fill === undefined ? {} : { fill }),
      offset: this.paramCount,
      param: this.tensor(name, size, 'param'),
      grad: this.tensor(`∇${name}`, size, 'grad'),
      moments: adam ? [this.tensor(`m(${name})`, size, 'moment'), this.tensor(`v(${name})`, size, 'moment')] : undefined,
    };
    this.paramCount += size;
    this.params.push(p);
    return p;
  }
  get totalParams(): number {
    return this.paramCount;
  }
}

interface Built {
  y: number;
  /** emit the backward calls of this layer for output gradient g; returns the input gradient (or -1 when not needed) */
  back: (g: number) => number;
}

/** y = cols·Wᵀ (+ b) over `rows` rows of `inF` features: conv2d after im2col, and dense. */
function linear(
  b: ProgramBuilder,
  name: string,
  path: string,
  kind: 'conv2d' | 'dense',
  l: { bias: boolean },
  cols: number,
  rows: number,
  inF: number,
  outF: number,
  wShape: number[],
  std: number,
) {
  const W = b.param(`${name}.${kind === 'conv2d' ? 'kernel' : 'weight'}`, path, kind, wShape, false, std);
  const bias = l.bias ? b.param(`${name}.bias`, path, kind, [outF], true, std) : undefined;
  const y = b.tensor(`${name} output`, rows * outF, 'activation');
  b.fwd(call('gemm_nt', { M: rows, N: outF, K: inF, A: t(cols), lda: inF, B: t(W.param), ldb: inF, C: t(y), ldc: outF }));
  if (bias) b.fwd(call('bias_add', { rows, F: outF, z: t(y), b: t(bias.param) }));
  /** gradients of W and b from g (rows × outF); the gradient of cols into gCols when asked */
  return {
    y,
    back: (g: number, gCols: number | undefined): Call[] => [
      call('gemm_tn', { M: outF, N: inF, K: rows, A: t(g), lda: outF, B: t(cols), ldb: inF, C: t(W.grad), ldc: inF }),
      ...(bias ? [call('bias_grad', { rows, F: outF, g: t(g), db: t(bias.grad) })] : []),
      ...(gCols === undefined ? [] : [call('gemm_nn', { M: rows, N: inF, K: outF, A: t(g), lda: outF, B: t(W.param), ldb: inF, C: t(gCols), ldc: inF })]),
    ],
  };
}

function buildLayer(b: ProgramBuilder, l: LayerSpec, x: number, s: Shape, path: string, name: string, needInputGrad: boolean): Built & { shape: Shape } {
  const n = b.n,
    out = layerOutput(l, s, path),
    inSize = n * shapeSize(s),
    outSize = n * shapeSize(out);
  switch (l.type) {
    case 'conv2d': {
      const pad = l.padding === 'same' ? (l.kernel - 1) / 2 : 0,
        k = l.kernel;
      const rows = n * out.H * out.W,
        ckk = s.C * k * k;
      const geometry = { n, H: s.H, W: s.W, C: s.C, k, stride: l.stride, pad };
      const cols = b.tensor(`${name} im2col`, rows * ckk, 'activation');
      b.fwd(call('im2col', { ...geometry, x: t(x), cols: t(cols) }));
      const lin = linear(b, name, path, 'conv2d', l, cols, rows, ckk, l.filters, [l.filters, s.C, k, k], initStd(l.init, fanIn(l, s), b.pow));
      return {
        y: lin.y,
        shape: out,
        back: (g) => {
          if (!needInputGrad) {
            b.bwd(lin.back(g, undefined));
            return -1;
          }
          const gCols = b.tensor(`∇${name} im2col`, rows * ckk, 'activation'),
            gx = b.tensor(`∇${name} input`, inSize, 'activation');
          b.bwd([...lin.back(g, gCols), call('col2im', { ...geometry, cols: t(gCols), x: t(gx) })]);
          return gx;
        },
      };
    }
    case 'dense': {
      const lin = linear(b, name, path, 'dense', l, x, n, shapeSize(s), l.units, [l.units, shapeSize(s)], initStd(l.init, fanIn(l, s), b.pow));
      return {
        y: lin.y,
        shape: out,
        back: (g) => {
          const gx = needInputGrad ? b.tensor(`∇${name} input`, inSize, 'activation') : undefined;
          b.bwd(lin.back(g, gx));
          return gx ?? -1;
        },
      };
    }
    case 'activation': {
      if (l.fn === 'identity') return { y: x, shape: out, back: (g) => g };
      const y = b.tensor(`${name} ${l.fn}`, outSize, 'activation'),
        d = b.tensor(`${name} ${l.fn}′`, outSize, 'activation');
      b.fwd(call('act_forward', { kind: activationByName(l.fn).kind, n: outSize, z: t(x), h: t(y), d: t(d) }));
      return { y, shape: out, back: (g) => (b.bwd([call('mul_inplace', { n: outSize, x: t(g), y: t(d) })]), g) };
    }
    case 'avgpool2d':
    case 'maxpool2d': {
      const geometry = { n, H: s.H, W: s.W, C: s.C, s: l.size };
      const y = b.tensor(`${name} ${l.type}`, outSize, 'activation');
      const idx = l.type === 'maxpool2d' ? b.tensor(`${name} argmax`, outSize, 'index') : -1;
      if (l.type === 'maxpool2d') b.fwd(call('maxpool_forward', { ...geometry, x: t(x), y: t(y), idx: t(idx) }));
      else b.fwd(call('avgpool_forward', { ...geometry, x: t(x), y: t(y) }));
      return {
        y,
        shape: out,
        back: (g) => {
          const gx = b.tensor(`∇${name} input`, inSize, 'activation');
          b.bwd([
            l.type === 'maxpool2d'
              ? call('maxpool_backward', { ...geometry, gy: t(g), idx: t(idx), gx: t(gx) })
              : call('avgpool_backward', { ...geometry, gy: t(g), gx: t(gx) }),
          ]);
          return gx;
        },
      };
    }
    case 'flatten':
      return { y: x, shape: out, back: (g) => g };
    case 'embedding': {
      const rows = n * out.W,
        table = b.param(`${name}.table`, path, 'embedding', [l.vocab, l.dim], false, initStd(l.init, fanIn(l, s), b.pow));
      const y = b.tensor(`${name} output`, outSize, 'activation');
      b.fwd(call('embedding_forward', { rows, dim: l.dim, tokens: t(x), table: t(table.param), y: t(y) }));
      // the input is token ids: data, with no gradient
      return {
        y,
        shape: out,
        back: (g) => (b.bwd([call('embedding_grad', { rows, dim: l.dim, vocab: l.vocab, tokens: t(x), g: t(g), dtable: t(table.grad) })]), -1),
      };
    }
    case 'positional': {
      const F = shapeSize(s),
        table = b.param(`${name}.table`, path, 'positional', [s.H * s.W, s.C], true, initStd(l.init, fanIn(l, s), b.pow));
      const y = b.tensor(`${name} output`, outSize, 'activation');
      b.fwd(call('scale_to', { n: outSize, x: t(x), c: 1, y: t(y) }));
      b.fwd(call('bias_add', { rows: n, F, z: t(y), b: t(table.param) }));
      return { y, shape: out, back: (g) => (b.bwd([call('bias_grad', { rows: n, F, g: t(g), db: t(table.grad) })]), g) };
    }
    case 'lastposition': {
      const L = s.H * s.W,
        y = b.tensor(`${name} last position`, outSize, 'activation');
      b.fwd(call('last_position', { n, L, C: s.C, x: t(x), y: t(y) }));
      return {
        y,
        shape: out,
        back: (g) => {
          const gx = b.tensor(`∇${name} input`, inSize, 'activation');
          b.bwd([call('last_position_backward', { n, L, C: s.C, g: t(g), gx: t(gx) })]);
          return gx;
        },
      };
    }
    case 'attention': {
      // causal single-head self-attention over the H·W positions of each sample: per-token Q, K, V
      // projections (d → dk, dk, dv), A = softmax(QKᵀ/√dk) below the diagonal, Z = AV, out = Z·Woᵀ (dv → d)
      const L = s.H * s.W,
        rows = n * L,
        d = s.C;
      const proj = (what: string, input: number, inF: number, outF: number) =>
        linear(b, `${name}.${what}`, path, 'dense', l, input, rows, inF, outF, [outF, inF], initStd(l.init, inF, b.pow));
      const q = proj('query', x, d, l.dk),
        k = proj('key', x, d, l.dk),
        v = proj('value', x, d, l.dv);
      const A = b.tensor(`${name} attention`, n * L * L, 'activation'),
        Z = b.tensor(`${name} mixed values`, rows * l.dv, 'activation');
      const core = { n, L, dk: l.dk, dv: l.dv, scale: f32(1 / Math.sqrt(l.dk)), Q: t(q.y), K: t(k.y), V: t(v.y) };
      b.fwd(call('attention_forward', { ...core, A: t(A), Z: t(Z) }));
      const o = proj('output', Z, l.dv, d);
      return {
        y: o.y,
        shape: out,
        back: (g) => {
          const gZ = b.tensor(`∇${name} mixed values`, rows * l.dv, 'activation'),
            gS = b.tensor(`∇${name} scores`, n * L * L, 'activation'),
            gQ = b.tensor(`∇${name} query`, rows * l.dk, 'activation'),
            gK = b.tensor(`∇${name} key`, rows * l.dk, 'activation'),
            gV = b.tensor(`∇${name} value`, rows * l.dv, 'activation');
          b.bwd([...o.back(g, gZ), call('attention_backward', { ...core, A: t(A), gZ: t(gZ), gS: t(gS), gQ: t(gQ), gK: t(gK), gV: t(gV) })]);
          if (!needInputGrad) {
            b.bwd([...q.back(gQ, undefined), ...k.back(gK, undefined), ...v.back(gV, undefined)]);
            return -1;
          }
          // the input feeds three projections: its gradient is the sum of theirs
          const gx = b.tensor(`∇${name} input`, inSize, 'activation'),
            gk = b.tensor(`∇${name} input via key`, inSize, 'activation'),
            gv = b.tensor(`∇${name} input via value`, inSize, 'activation');
          b.bwd([
            ...q.back(gQ, gx),
            ...k.back(gK, gk),
            ...v.back(gV, gv),
            call('add_inplace', { n: inSize, x: t(gx), y: t(gk) }),
            call('add_inplace', { n: inSize, x: t(gx), y: t(gv) }),
          ]);
          return gx;
        },
      };
    }
    case 'layernorm': {
      const rows = n * s.H * s.W,
        F = s.C,
        invF = f32(1 / F);
      const gain = b.param(`${name}.gain`, path, 'layernorm', [F], true, 0, 1),
        shift = b.param(`${name}.shift`, path, 'layernorm', [F], true, 0, 0);
      const y = b.tensor(`${name} output`, outSize, 'activation'),
        xhat = b.tensor(`${name} x̂`, outSize, 'activation'),
        rstd = b.tensor(`${name} 1/σ`, rows, 'activation');
      b.fwd(
        call('layernorm_forward', {
          rows,
          F,
          invF,
          eps: f32(l.eps),
          x: t(x),
          gamma: t(gain.param),
          beta: t(shift.param),
          y: t(y),
          xhat: t(xhat),
          rstd: t(rstd),
        }),
      );
      return {
        y,
        shape: out,
        back: (g) => {
          // ∇shift = Σ_rows g, ∇gain = Σ_rows g·x̂ (column sums), then the input gradient
          const gh = b.tensor(`∇${name} output·x̂`, outSize, 'activation');
          b.bwd([
            call('bias_grad', { rows, F, g: t(g), db: t(shift.grad) }),
            call('scale_to', { n: outSize, x: t(g), c: 1, y: t(gh) }),
            call('mul_inplace', { n: outSize, x: t(gh), y: t(xhat) }),
            call('bias_grad', { rows, F, g: t(gh), db: t(gain.grad) }),
          ]);
          if (!needInputGrad) return -1;
          const gx = b.tensor(`∇${name} input`, inSize, 'activation');
          b.bwd([call('layernorm_backward', { rows, F, invF, g: t(g), xhat: t(xhat), rstd: t(rstd), gamma: t(gain.param), gx: t(gx) })]);
          return gx;
        },
      };
    }
    case 'residual': {
      const block = buildList(b, l.layers, x, s, `${path}.layers`, `${name}.layers`, true);
      let y = block.y;
      if (y === x) {
        // a block that computes nothing: y = 2x
        y = b.tensor(`${name} output`, outSize, 'activation');
        b.fwd(call('scale_to', { n: outSize, x: t(x), c: 2, y: t(y) }));
        return {
          y,
          shape: out,
          back: (g) => {
            const gx = b.tensor(`∇${name} input`, inSize, 'activation');
            b.bwd([call('scale_to', { n: inSize, x: t(g), c: 2, y: t(gx) })]);
            return gx;
          },
        };
      }
      b.fwd(call('add_inplace', { n: outSize, x: t(y), y: t(x) }));
      return {
        y,
        shape: out,
        back: (g) => {
          // the block may scale g in place (activations), so the skip path keeps a copy
          const skip = b.tensor(`∇${name} skip`, outSize, 'activation');
          b.bwd([call('scale_to', { n: outSize, x: t(g), c: 1, y: t(skip) })]);
          const gx = block.back(g);
          b.bwd([call('add_inplace', { n: inSize, x: t(gx), y: t(skip) })]);
          return gx;
        },
      };
    }
  }
}

function buildList(b: ProgramBuilder, layers: LayerSpec[], x: number, s: Shape, path: string, name: string, needInputGrad: boolean): Built & { shape: Shape } {
  const built: Built[] = [];
  let y = x,
    shape = s;
  layers.forEach((l, i) => {
    // a layer needs its input gradient unless everything before it in the network is data
    const needs = needInputGrad || built.some((_, j) => layerHasParams(layers[j]));
    const r = buildLayer(b, l, y, shape, `${path}[${i}]`, `${name}[${i}]`, needs);
    built.push(r);
    y = r.y;
    shape = r.shape;
  });
  return {
    y,
    shape,
    back: (g) => built.reduceRight((gi, layer) => (gi < 0 ? gi : layer.back(gi)), g),
  };
}

export function layerHasParams(l: LayerSpec): boolean {
  return l.type === 'residual' ? l.layers.some(layerHasParams) : ['conv2d', 'dense', 'layernorm', 'embedding', 'positional', 'attention'].includes(l.type);
}

/** The training program of `model` for batches of n samples of shape `input`. */
export function buildProgram(
  model: LayeredModelSpec,
  optimizer: LayeredOptimizerSpec,
  input: Shape,
  n: number,
  pow: (x: number, y: number) => number,
): Program {
  const b = new ProgramBuilder(n, optimizer, pow);
  const x = b.tensor('input batch', n * shapeSize(input), 'data');
  const net = buildList(b, model.layers, x, input, 'model.layers', 'layers', false);
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
