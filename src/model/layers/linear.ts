// The linear map y = x·Wᵀ (+ b) on rows of features that conv2d (on the patches of its image), dense and
// attention's projections share: its trainable tensors and calls in a program, its FLOPs, and its tfjs form.
import type * as Tf from '@tensorflow/tfjs-core';
import { call, type Call } from '../../kernels/index.js';
import type { Geometry } from '../../kernels/conv.js';
import { t, type ProgramBuilder } from '../program-builder.js';
import type { TfjsContext, TfjsLayer } from './def.js';

/** The image of a conv layer whose patches (im2col's columns, never stored) are the rows of a linear map. */
export interface Patches {
  x: number;
  geometry: Geometry;
}

/** y = cols·Wᵀ (+ b) over `rows` rows of `inF` features: dense (cols a tensor), and conv2d (cols the
 * patches of its image: conv_gemm_nt and conv_gemm_tn, the same bits as im2col then gemm_nt / gemm_tn, and
 * conv_input_grad, the bits of gemm_nn into columns then the adjoint of im2col gathering them). */
export function linear(
  b: ProgramBuilder,
  name: string,
  path: string,
  kind: 'conv2d' | 'dense',
  l: { bias: boolean },
  cols: number | Patches,
  rows: number,
  inF: number,
  outF: number,
  wShape: number[],
  std: number,
) {
  const W = b.param(`${name}.${kind === 'conv2d' ? 'kernel' : 'weight'}`, path, kind, wShape, false, std);
  const bias = l.bias ? b.param(`${name}.bias`, path, kind, [outF], true, std) : undefined;
  const y = b.tensor(`${name} output`, rows * outF, 'activation');
  b.fwd(
    typeof cols === 'number'
      ? call('gemm_nt', { M: rows, N: outF, K: inF, A: t(cols), lda: inF, B: t(W.param), ldb: inF, C: t(y), ldc: outF })
      : call('conv_gemm_nt', { ...cols.geometry, F: outF, x: t(cols.x), wt: t(W.param), y: t(y) }),
  );
  if (bias) b.fwd(call('bias_add', { rows, F: outF, z: t(y), b: t(bias.param) }));
  /** gradients of W and b from g (rows × outF); the gradient of the input into gIn when asked: of cols
   * (gemm_nn), or of the image (conv_input_grad: g·W scattered back over the windows, no column buffer) */
  return {
    y,
    back: (g: number, gIn: number | undefined): Call[] => [
      typeof cols === 'number'
        ? call('gemm_tn', { M: outF, N: inF, K: rows, A: t(g), lda: outF, B: t(cols), ldb: inF, C: t(W.grad), ldc: inF })
        : call('conv_gemm_tn', { ...cols.geometry, F: outF, g: t(g), x: t(cols.x), dwt: t(W.grad) }),
      ...(bias ? [call('bias_grad', { rows, F: outF, g: t(g), db: t(bias.grad) })] : []),
      ...(gIn === undefined
        ? []
        : [
            typeof cols === 'number'
              ? call('gemm_nn', { M: rows, N: inF, K: outF, A: t(g), lda: outF, B: t(W.param), ldb: inF, C: t(gIn), ldc: inF })
              : call('conv_input_grad', { ...cols.geometry, F: outF, g: t(g), wt: t(W.param), gx: t(gIn) }),
          ]),
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
