// The linear map y = x·Wᵀ (+ b) on rows of features that conv2d (after im2col), dense and attention's
// projections share: its trainable tensors and calls in a program, its FLOPs, and its tfjs form.
import type * as Tf from '@tensorflow/tfjs-core';
import { call, type Call } from '../../kernels/index.js';
import { t, type ProgramBuilder } from '../program-builder.js';
import type { TfjsContext, TfjsLayer } from './def.js';

/** y = cols·Wᵀ (+ b) over `rows` rows of `inF` features: conv2d after im2col, and dense. */
export function linear(
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

/** FLOPs of a linear map of `rows` rows from `fanIn` to `fanOut` features in a training step: 2·R·I·O forward,
 * as much for its weight gradient and as much again for its input gradient when that is computed. */
export const linearFlops = (rows: number, fanIn: number, fanOut: number, inputGrad: boolean) => 2 * rows * fanIn * fanOut * (inputGrad ? 3 : 2);

/** x·M (+ b) on rows of inF features in tfjs, its variables made now. */
export function tfjsLinear(ctx: TfjsContext, inF: number, outF: number, bias: boolean): TfjsLayer {
  const { tf } = ctx;
  const m = ctx.weights([inF, outF]) as Tf.Tensor2D;
  const b = bias ? ctx.variable(tf.zeros([outF])) : undefined;
  return (x) => (b ? tf.add(tf.matMul(x as Tf.Tensor2D, m), b) : tf.matMul(x as Tf.Tensor2D, m));
}
