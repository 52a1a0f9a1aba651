// A layered network's training step in tfjs, for the benchmark rows that time tfjs backends against our
// programs: the same layers (NHWC, as ours; a token sequence is 1 × L × C) with tfjs's own kernels, one
// optimiser step a call ending with the loss read back. tfjs has no AdamW, so AdamW specs run tfjs's
// Adam. tfjs-wasm registers no Conv2DBackpropFilter and no UnsortedSegmentSum kernel, so there a conv
// layer's filter gradient is itself a conv2d (conv2dWithFilterGrad) and an embedding table's gradient a
// scatterND (gatherWithScatterGrad). Also the batch shape both sides share (Shaped, tokenIds).
import * as tf from '@tensorflow/tfjs-core';
import type { LayeredRunSpec } from '../model/spec.js';
import { inferShapes, shapeSize, tfjsLayers } from '../model/layers.js';
import type { TfjsContext } from '../model/layers/def.js';
import type { TaskWork } from './tasks.js';

/** A network's spec, the input shape of one sample and the batch size. */
export interface Shaped {
  spec: LayeredRunSpec;
  input: { H: number; W: number; C: number; flat: boolean };
  n: number;
}

/** The token ids of a batch for a model that starts with an embedding: i·7919 mod vocab, which walks the whole vocabulary (7919 is a prime above it). */
export const tokenIds = (s: Shaped, vocab: number) => Int32Array.from({ length: s.n * shapeSize(s.input) }, (_, i) => (i * 7919) % vocab);

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

/**
 * Embedding lookup tf.gather(table, ids) whose table gradient is a scatterND of the output gradient (the
 * rows of repeated ids summed), for tfjs backends without the UnsortedSegmentSum kernel of tf.gather's own
 * gradient (tfjs-wasm).
 */
export function gatherWithScatterGrad(ids: tf.Tensor1D): (table: tf.Tensor2D) => tf.Tensor2D {
  return tf.customGrad(((table: tf.Tensor2D) => ({
    value: tf.gather(table, ids),
    gradFunc: (dy: tf.Tensor2D) => tf.scatterND(tf.reshape(ids, [-1, 1]), dy, table.shape),
  })) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (table: tf.Tensor2D) => tf.Tensor2D;
}

/** The same network in tfjs (NHWC, as ours; a token sequence is 1 × L × C), one step of the optimiser (or the loss alone), the loss read back. */
export function tfjsStep(s: Shaped, forwardOnly = false): TaskWork {
  // tfjs-wasm registers neither Conv2DBackpropFilter nor UnsortedSegmentSum (tf.gather's gradient)
  const wasmBackend = tf.getBackend() === 'wasm';
  const { H, W, C } = s.input;
  const first = s.spec.model.layers[0];
  const x = first.type === 'embedding' ? tf.tensor4d(tokenIds(s, first.vocab), [s.n, H, W, C], 'int32') : tf.randomUniform([s.n, H, W, C], -1, 1, 'float32', 1);
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
  const consts: tf.Tensor[] = [x, y];
  const vars: tf.Variable[] = [];
  const variable = (init: tf.Tensor) => {
    const v = tf.variable(init);
    vars.push(v);
    return v;
  };
  const ctx: TfjsContext = {
    tf,
    n: s.n,
    variables: vars,
    variable,
    weights: (shape) => variable(tf.randomUniform(shape, -0.1, 0.1)),
    constant: (t) => (consts.push(t), t),
    conv2d: (pad, stride, inputGrad) => (wasmBackend ? conv2dWithFilterGrad(pad, stride, inputGrad) : (t, k) => tf.conv2d(t, k, stride, pad)),
    gather: (table, ids) => (wasmBackend ? gatherWithScatterGrad(ids)(table) : tf.gather(table, ids)),
  };
  const network = tfjsLayers(s.spec.model.layers, s.input, ctx);
  const loss = () =>
    tf.tidy(() => {
      const f = network(x);
      return (s.spec.model.loss === 'mse' ? tf.div(tf.sum(tf.square(tf.sub(f, y))), 2 * s.n) : tf.losses.softmaxCrossEntropy(y, f)) as tf.Scalar;
    });
  // tfjs has no AdamW: specs with adamw run tfjs's Adam
  const opt = s.spec.optimizer.kind === 'gd' ? tf.train.sgd(1e-3) : tf.train.adam(1e-3);
  const work: TaskWork = {
    run: async () => {
      const value = forwardOnly ? loss() : opt.minimize(loss, true, vars);
      work.loss = (await value!.data())[0];
      value!.dispose();
    },
    dispose: () => {
      opt.dispose();
      tf.dispose([...consts, ...vars]);
    },
  };
  return work;
}
