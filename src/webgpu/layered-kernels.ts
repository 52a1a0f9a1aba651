// The kernel table of the WebGPU executor of layered programs: for each program call (a WASM kernel
// name with its arguments), the WGSL twin, its uniform words, the tensors it binds in order, and its
// dispatch shape. One entry per kernel the program builder emits; an unknown kernel is an error.
import type { Arg, Call, StepScalar } from '../model/program.js';
import { grid } from './gpu.js';
import { gemmWgsl, gemmGroups, type GemmForm } from './kernels/gemm.js';
import { actForwardWgsl } from './kernels/activation.js';
import { MSE_RESIDUAL_WGSL, MUL_INPLACE_WGSL } from './kernels/elementwise.js';
import {
  IM2COL_WGSL,
  COL2IM_WGSL,
  BIAS_ADD_WGSL,
  BIAS_GRAD_WGSL,
  ADD_INPLACE_WGSL,
  scaleToWgsl,
  AVGPOOL_FORWARD_WGSL,
  AVGPOOL_BACKWARD_WGSL,
  MAXPOOL_FORWARD_WGSL,
  MAXPOOL_BACKWARD_WGSL,
  SOFTMAX_CE_WGSL,
  LAYERNORM_FORWARD_WGSL,
  LAYERNORM_BACKWARD_WGSL,
  EMBEDDING_FORWARD_WGSL,
  EMBEDDING_GRAD_WGSL,
  ATTENTION_FORWARD_WGSL,
  ATTENTION_BACKWARD_WGSL,
  LAST_POSITION_WGSL,
  LAST_POSITION_BACKWARD_WGSL,
  GD_STEP_LAYERED_WGSL,
  ADAMW_STEP_WGSL,
  SUM_SQUARES_WGSL,
} from './kernels/layers.js';

/** A uniform word: a u32, an f32 fixed when the program is built, or a per-step scalar. */
export type Word = number | { f32: number } | { scalar: StepScalar };

export interface GpuKernel {
  code: string;
  entry: string;
  words: Word[];
  /** tensor ids after the uniform, or 'result' for the one-float output of a call that returns a value */
  bindings: (number | 'result')[];
  groups: [number, number, number];
}

const tensorOf = (a: Arg): number => {
  if (typeof a === 'object' && 'tensor' in a) return a.tensor;
  throw new Error(`expected a tensor argument, got ${JSON.stringify(a)}`);
};
const intOf = (a: Arg): number => {
  if (typeof a === 'number') return a;
  throw new Error(`expected a number argument, got ${JSON.stringify(a)}`);
};
const f32Of = (a: Arg): Word => {
  if (typeof a === 'number') return { f32: a };
  if ('scalar' in a) return a;
  throw new Error(`expected an f32 argument, got ${JSON.stringify(a)}`);
};
/** 256-thread workgroups covering `count` invocations. */
const flat = (count: number): [number, number, number] => [...grid(Math.ceil(count / 256)), 1];
const outSize = (L: number, k: number, stride: number, pad: number) => Math.floor((L + 2 * pad - k) / stride) + 1;

function gemm(form: GemmForm, a: Arg[], software: boolean): GpuKernel {
  const [M, N, K, A, lda, B, ldb, C, ldc] = a;
  const variant = software ? 'direct' : 'tiled';
  return {
    code: gemmWgsl(form, variant),
    entry: `gemm_${form}`,
    words: [M, N, K, 1, lda, ldb, ldc, 0, 0, 0, 0, 0].map((w) => intOf(w)),
    bindings: [A, B, C].map(tensorOf),
    groups: gemmGroups(variant, intOf(M), intOf(N), 1),
  };
}

function conv(code: string, entry: string, a: Arg[]): GpuKernel {
  const [n, H, W, C, k, stride, pad] = a.slice(0, 7).map(intOf);
  const Ho = outSize(H, k, stride, pad),
    Wo = outSize(W, k, stride, pad);
  const count = entry === 'im2col' ? n * Ho * Wo * C * k * k : n * H * W * C;
  return { code, entry, words: [n, H, W, C, k, stride, pad, Ho, Wo, 0, 0, 0], bindings: a.slice(7).map(tensorOf), groups: flat(count) };
}

function pool(code: string, entry: string, a: Arg[], perOutput: boolean): GpuKernel {
  const [n, H, W, C, s] = a.slice(0, 5).map(intOf);
  const Ho = Math.floor(H / s),
    Wo = Math.floor(W / s);
  return {
    code,
    entry,
    words: [n, H, W, C, s, Ho, Wo, { f32: Math.fround(1 / Math.fround(s * s)) }],
    bindings: a.slice(5).map(tensorOf),
    groups: flat(perOutput ? n * Ho * Wo * C : n * H * W * C),
  };
}

function optimiser(code: string, entry: string, a: Arg[], tensors: number, adam: boolean): GpuKernel {
  const count = intOf(a[0]),
    ts = a.slice(1, 1 + tensors).map(tensorOf),
    rest = a.slice(1 + tensors).map(f32Of);
  // OptDims: count, lr, b1, b2, eps, bc1, bc2, wd
  const words: Word[] = adam
    ? [count, ...rest, ...(rest.length === 6 ? [{ f32: 0 }] : [])]
    : [count, rest[0], { f32: 0 }, { f32: 0 }, { f32: 0 }, { f32: 1 }, { f32: 1 }, { f32: 0 }];
  return { code, entry, words, bindings: ts, groups: flat(count) };
}

/** The dispatch of one program call; `software` picks the GEMM variant for CPU adapters. */
export function gpuKernel(c: Call, software: boolean): GpuKernel {
  const a = c.args;
  switch (c.kernel) {
    case 'gemm_nn':
      return gemm('nn', a, software);
    case 'gemm_tn':
      return gemm('tn', a, software);
    case 'gemm_nt':
      return gemm('nt', a, software);
    case 'act_forward': {
      const [kind, n] = [intOf(a[0]), intOf(a[1])];
      return { code: actForwardWgsl(kind), entry: 'act_forward', words: [n, 1, 0, 0], bindings: a.slice(2).map(tensorOf), groups: flat(n) };
    }
    case 'mul_inplace':
      return {
        code: MUL_INPLACE_WGSL,
        entry: 'mul_inplace',
        words: [intOf(a[0]), intOf(a[0]), 0, 0],
        bindings: a.slice(1).map(tensorOf),
        groups: flat(intOf(a[0])),
      };
    case 'mse_residual':
      return {
        code: MSE_RESIDUAL_WGSL,
        entry: 'mse_residual',
        words: [1, intOf(a[0]), 0, 0],
        bindings: [...a.slice(1).map(tensorOf), 'result'],
        groups: [1, 1, 1],
      };
    case 'add_inplace':
      return {
        code: ADD_INPLACE_WGSL,
        entry: 'add_inplace',
        words: [intOf(a[0]), { f32: 0 }, 0, 0],
        bindings: a.slice(1).map(tensorOf),
        groups: flat(intOf(a[0])),
      };
    case 'scale_to': {
      const [x, y] = [tensorOf(a[1]), tensorOf(a[3])];
      return {
        code: scaleToWgsl(x === y),
        entry: 'scale_to',
        words: [intOf(a[0]), f32Of(a[2]), 0, 0],
        bindings: x === y ? [x] : [x, y],
        groups: flat(intOf(a[0])),
      };
    }
    case 'im2col':
      return conv(IM2COL_WGSL, 'im2col', a);
    case 'col2im':
      return conv(COL2IM_WGSL, 'col2im', a);
    case 'bias_add':
    case 'bias_grad': {
      const [rows, F] = [intOf(a[0]), intOf(a[1])];
      return {
        code: c.kernel === 'bias_add' ? BIAS_ADD_WGSL : BIAS_GRAD_WGSL,
        entry: c.kernel,
        words: [rows, F, 0, 0],
        bindings: a.slice(2).map(tensorOf),
        groups: flat(c.kernel === 'bias_add' ? rows * F : F),
      };
    }
    case 'avgpool_forward':
      return pool(AVGPOOL_FORWARD_WGSL, 'avgpool_forward', a, true);
    case 'avgpool_backward':
      return pool(AVGPOOL_BACKWARD_WGSL, 'avgpool_backward', a, false);
    case 'maxpool_forward':
      return pool(MAXPOOL_FORWARD_WGSL, 'maxpool_forward', a, true);
    case 'maxpool_backward':
      return pool(MAXPOOL_BACKWARD_WGSL, 'maxpool_backward', a, false);
    case 'softmax_ce': {
      const [n, K] = [intOf(a[0]), intOf(a[1])];
      return {
        code: SOFTMAX_CE_WGSL,
        entry: 'softmax_ce',
        words: [n, K, f32Of(a[5]), 0],
        bindings: [...a.slice(2, 5).map(tensorOf), 'result'],
        groups: [1, 1, 1],
      };
    }
    case 'layernorm_forward':
    case 'layernorm_backward': {
      const rows = intOf(a[0]);
      return {
        code: c.kernel === 'layernorm_forward' ? LAYERNORM_FORWARD_WGSL : LAYERNORM_BACKWARD_WGSL,
        entry: c.kernel,
        words: [rows, intOf(a[1]), f32Of(a[2]), c.kernel === 'layernorm_forward' ? f32Of(a[3]) : { f32: 0 }],
        bindings: a.slice(c.kernel === 'layernorm_forward' ? 4 : 3).map(tensorOf),
        groups: flat(rows),
      };
    }
    case 'embedding_forward': {
      const [rows, dim] = [intOf(a[0]), intOf(a[1])];
      return { code: EMBEDDING_FORWARD_WGSL, entry: c.kernel, words: [rows, dim, 0, 0], bindings: a.slice(2).map(tensorOf), groups: flat(rows * dim) };
    }
    case 'embedding_grad': {
      const [rows, dim, vocab] = [intOf(a[0]), intOf(a[1]), intOf(a[2])];
      return { code: EMBEDDING_GRAD_WGSL, entry: c.kernel, words: [rows, dim, vocab, 0], bindings: a.slice(3).map(tensorOf), groups: flat(vocab * dim) };
    }
    case 'last_position':
    case 'last_position_backward': {
      const [n, L, C] = [intOf(a[0]), intOf(a[1]), intOf(a[2])];
      const forward = c.kernel === 'last_position';
      return {
        code: forward ? LAST_POSITION_WGSL : LAST_POSITION_BACKWARD_WGSL,
        entry: c.kernel,
        words: [n, L, C, 0],
        bindings: a.slice(3).map(tensorOf),
        groups: flat(forward ? n * C : n * L * C),
      };
    }
    case 'attention_forward':
    case 'attention_backward': {
      const n = intOf(a[0]);
      return {
        code: c.kernel === 'attention_forward' ? ATTENTION_FORWARD_WGSL : ATTENTION_BACKWARD_WGSL,
        entry: c.kernel,
        words: [n, intOf(a[1]), intOf(a[2]), intOf(a[3]), f32Of(a[4]), 0, 0, 0],
        bindings: a.slice(5).map(tensorOf),
        groups: flat(n),
      };
    }
    case 'gd_step':
      return optimiser(GD_STEP_LAYERED_WGSL, 'gd_step', a, 2, false);
    case 'adam_step':
    case 'adamw_step':
      return optimiser(ADAMW_STEP_WGSL, 'adamw_step', a, 4, true);
    case 'sum_squares':
      return { code: SUM_SQUARES_WGSL, entry: 'sum_squares', words: [intOf(a[0]), { f32: 0 }, 0, 0], bindings: [tensorOf(a[1]), 'result'], groups: [1, 1, 1] };
    default:
      throw new Error(`no WebGPU kernel for program call ${c.kernel}`);
  }
}
