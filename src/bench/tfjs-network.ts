// A layered network's training step in tfjs, for the benchmark rows that time tfjs backends against our
// programs: the same layers (NHWC, as ours; a token sequence is 1 × L × C) with tfjs's own kernels, one
// optimiser step a call ending with the loss read back. tfjs has no AdamW, so AdamW specs run tfjs's
// Adam. tfjs-wasm registers no Conv2DBackpropFilter and no UnsortedSegmentSum kernel, so there a conv
// layer's filter gradient is itself a conv2d (conv2dWithFilterGrad) and an embedding table's gradient a
// scatterND (gatherWithScatterGrad). Also the batch shape both sides share (Shaped, tokenIds).
import * as tf from '@tensorflow/tfjs-core';
import type { LayeredRunSpec } from '../model/spec.js';
import { inferShapes, layerOutput, shapeSize, type LayerSpec, type Shape } from '../model/layers.js';
import type { TaskWork } from './tasks.js';
import { activationByName } from '../engine/activations.js';

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

/** Added to attention scores: 0 where position a may read position b ≤ a, −1e9 (a weight of 0 after softmax) above. */
const causalMask = (L: number) =>
  tf.tensor2d(
    Float32Array.from({ length: L * L }, (_, i) => (i % L <= Math.floor(i / L) ? 0 : -1e9)),
    [L, L],
  );

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
  type Layer = (t: tf.Tensor) => tf.Tensor;
  const weights = (shape: number[]) => {
    const v = tf.variable(tf.randomUniform(shape, -0.1, 0.1));
    vars.push(v);
    return v;
  };
  /** t·M (+ b) on rows of inF features */
  const linear = (inF: number, outF: number, bias: boolean): Layer => {
    const m = weights([inF, outF]);
    const b = bias ? tf.variable(tf.zeros([outF])) : undefined;
    if (b) vars.push(b);
    return (t) => (b ? tf.add(tf.matMul(t as tf.Tensor2D, m as tf.Tensor2D), b) : tf.matMul(t as tf.Tensor2D, m as tf.Tensor2D));
  };
  const build = (l: LayerSpec, sh: Shape): Layer => {
    if (l.type === 'conv2d') {
      // the first layer with weights needs no input gradient: nothing before it trains
      const inputGrad = vars.length > 0;
      const k = weights([l.kernel, l.kernel, sh.C, l.filters]),
        b = l.bias ? tf.variable(tf.zeros([l.filters])) : undefined;
      if (b) vars.push(b);
      const pad = l.padding === 'same' ? (l.kernel - 1) / 2 : 0;
      const conv = wasmBackend ? conv2dWithFilterGrad(pad, l.stride, inputGrad) : (t: tf.Tensor4D) => tf.conv2d(t, k as tf.Tensor4D, l.stride, pad);
      return (t) => (b ? tf.add(conv(t as tf.Tensor4D, k as tf.Tensor4D), b) : conv(t as tf.Tensor4D, k as tf.Tensor4D));
    }
    if (l.type === 'dense') return linear(shapeSize(sh), l.units, l.bias);
    if (l.type === 'activation') return (t) => (l.fn === 'identity' ? t : activationByName(l.fn).tfjs(tf, t));
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
    if (l.type === 'embedding') {
      const table = weights([l.vocab, l.dim]) as tf.Tensor2D;
      return (t) => {
        const ids = tf.reshape(t, [-1]) as tf.Tensor1D;
        return tf.reshape(wasmBackend ? gatherWithScatterGrad(ids)(table) : tf.gather(table, ids), [s.n, 1, sh.C, l.dim]);
      };
    }
    if (l.type === 'positional') {
      const table = weights([sh.H, sh.W, sh.C]);
      return (t) => tf.add(t, table);
    }
    if (l.type === 'attention') {
      const L = sh.H * sh.W,
        [q, k, v] = [l.dk, l.dk, l.dv].map((f) => linear(sh.C, f, l.bias)),
        o = linear(l.dv, sh.C, l.bias),
        mask = causalMask(L);
      consts.push(mask);
      return (t) => {
        const rows = tf.reshape(t, [s.n * L, sh.C]);
        const seq = (proj: Layer, f: number) => tf.reshape(proj(rows), [s.n, L, f]) as tf.Tensor3D;
        const scores = tf.add(tf.mul(tf.matMul(seq(q, l.dk), seq(k, l.dk), false, true), 1 / Math.sqrt(l.dk)), mask);
        const z = tf.matMul(tf.softmax(scores), seq(v, l.dv));
        return tf.reshape(o(tf.reshape(z, [s.n * L, l.dv])), [s.n, sh.H, sh.W, sh.C]);
      };
    }
    if (l.type === 'lastposition') return (t) => tf.reshape(tf.slice(t, [0, sh.H - 1, sh.W - 1, 0], [-1, 1, 1, -1]), [s.n, sh.C]);
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
