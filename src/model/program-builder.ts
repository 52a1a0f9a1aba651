// The builder a training program is assembled in (program.ts): tensor slots, trainable tensors with their
// gradients and Adam moments, forward calls in order and backward calls in execution order. Each layer
// kind appends its own (src/model/layers/<kind>.ts `build`).
import type { Call } from '../kernels/index.js';
import type { TensorRef } from '../kernels/define.js';

type TensorRole = 'data' | 'param' | 'grad' | 'activation' | 'moment' | 'index';
export interface TensorDecl {
  name: string;
  /** f32 (or u32 for 'index') elements */
  size: number;
  role: TensorRole;
}

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

/** What a layer (or a list of layers) leaves in the program: its output tensor and its backward pass. */
export interface Built {
  y: number;
  /** emit the backward calls of this layer for output gradient g; returns the input gradient (or -1 when not needed) */
  back: (g: number) => number;
}

/** A kernel argument that names tensor slot `id`. */
export const t = (id: number): TensorRef => ({ tensor: id });

export class ProgramBuilder {
  readonly tensors: TensorDecl[] = [];
  readonly forward: Call[] = [];
  readonly params: ParamDecl[] = [];
  readonly backward: Call[] = [];
  private paramCount = 0;

  constructor(
    /** samples per step */
    readonly n: number,
    /** whether every trainable tensor gets Adam moments (m, v) */
    readonly moments: boolean,
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
      moments: this.moments ? [this.tensor(`m(${name})`, size, 'moment'), this.tensor(`v(${name})`, size, 'moment')] : undefined,
    };
    this.paramCount += size;
    this.params.push(p);
    return p;
  }
  get totalParams(): number {
    return this.paramCount;
  }
}
