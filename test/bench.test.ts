// The benchmark harness (not speed): ratios are computed from the right rows, a quick run returns rows
// that carry their environment, the tfjs-wasm baselines' own gradients (conv filter, embedding table)
// equal tfjs-cpu's, and the rows of the model zoo's networks (T3.3, resnet-digits, anchor transformer) run
// a step. Speed is measured only by `npm run bench`.
import * as tf from '@tensorflow/tfjs-core';
import { useTfjs } from '../src/bench/tfjs.js';
import { cnnTasks } from '../src/bench/cnn-tasks.js';
import { conv2dWithFilterGrad, gatherWithScatterGrad } from '../src/bench/tfjs-network.js';
import { loadWasm } from '../src/wasm/node.js';
import { describe, it, expect } from 'vitest';
import { ratios, runBench } from '../src/bench/run.js';
import type { BenchRow } from '../src/report/schema.js';

const row = (task: string, impl: string, size: string, medianMs: number, gflops = 0): BenchRow => ({
  task,
  impl,
  device: 'cpu',
  size,
  medianMs,
  gflops,
  rme: 1,
  samples: 10,
});

describe('bench harness', () => {
  it('ratios are baseline time over ours, and GEMM rates over the micro-peak', () => {
    const rs = ratios([
      row('peak', 'wasm-simd', 'x', 1, 30),
      row('gemm', 'wasm-simd', 'n=256', 1, 27),
      row('gemm', 'tfjs-wasm', 'n=256', 1.5),
      row('train-step', 'webgpu', 'm=1000', 2),
      row('train-step', 'tfjs-webgpu', 'm=1000', 10),
    ]);
    expect(rs).toEqual([
      { what: 'gemm wasm-simd vs tfjs-wasm (speed-up)', size: 'n=256', value: 1.5 },
      { what: 'gemm wasm-simd / f32x4 micro-peak', size: 'n=256', value: 0.9 },
      { what: 'train-step webgpu vs tfjs-webgpu (speed-up)', size: 'm=1000', value: 5 },
    ]);
  });

  it('a quick run gives rows with the environment they were measured in', async () => {
    const lines: string[] = [];
    const r = await runBench({ quick: true, filter: 'gemm wasm-simd n=64', webgpu: 'off', log: (l) => lines.push(l) });
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]).toMatchObject({ task: 'gemm', impl: 'wasm-simd', device: 'cpu', size: 'n=64' });
    expect(r.rows[0].medianMs).toBeGreaterThan(0);
    expect(r.env).toMatchObject({ runtime: 'node', cores: expect.any(Number), wasm: { simd: true, relaxedSimd: false, threads: false }, webgpu: 'off' });
    await expect(runBench({ quick: true, filter: 'no such task', webgpu: 'off', log: () => {} })).rejects.toThrow(
      /no benchmark task matches --filter "no such task"/,
    );
  });

  it("the tfjs-wasm conv step: a filter gradient computed as a conv2d equals tfjs-cpu's Conv2DBackpropFilter", async () => {
    const grads = async (backend: 'cpu' | 'wasm', pad: number, stride: number, ours: boolean) => {
      await useTfjs(backend);
      return tf.tidy(() => {
        const x = tf.randomUniform([2, 7, 6, 3], -1, 1, 'float32', 1) as tf.Tensor4D,
          k = tf.randomUniform([3, 3, 3, 4], -1, 1, 'float32', 2) as tf.Tensor4D;
        const conv = ours ? conv2dWithFilterGrad(pad, stride, true) : (a: tf.Tensor4D, b: tf.Tensor4D) => tf.conv2d(a, b, stride, pad);
        const out = conv(x, k),
          w = tf.randomUniform(out.shape, -1, 1, 'float32', 3);
        return tf
          .grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a as tf.Tensor4D, b as tf.Tensor4D), w)))([x, k])
          .map((g) => g.dataSync());
      });
    };
    // padding "same" (1 a side for 3×3), "valid", and "same" with stride 2 (the resnet-digits stage steps)
    for (const [pad, stride] of [
      [1, 1],
      [0, 1],
      [1, 2],
    ]) {
      const [dx, dW] = await grads('cpu', pad, stride, false);
      for (const backend of ['cpu', 'wasm'] as const) {
        const [ox, oW] = await grads(backend, pad, stride, true);
        expect(Math.max(...dW.map((v, i) => Math.abs(v - oW[i])))).toBeLessThan(1e-4);
        expect(Math.max(...dx.map((v, i) => Math.abs(v - ox[i])))).toBeLessThan(1e-4);
      }
    }
    await useTfjs('cpu');
    const first = tf.tidy(() =>
      tf
        .grad((a: tf.Tensor) => tf.sum(conv2dWithFilterGrad(1, 1, false)(a as tf.Tensor4D, tf.ones([3, 3, 3, 4]) as tf.Tensor4D)))(tf.ones([1, 4, 4, 3]))
        .dataSync(),
    );
    expect(Array.from(first).every((v) => v === 0)).toBe(true);
  });

  it("the tfjs-wasm embedding: a table gradient computed as a scatterND equals tfjs-cpu's tf.gather gradient", async () => {
    const grad = async (backend: 'cpu' | 'wasm', ours: boolean) => {
      await useTfjs(backend);
      return tf.tidy(() => {
        const ids = tf.tensor1d([3, 0, 3, 5, 3, 1, 0], 'int32'),
          table = tf.randomUniform([6, 4], -1, 1, 'float32', 1) as tf.Tensor2D,
          w = tf.randomUniform([7, 4], -1, 1, 'float32', 2);
        const lookup = ours ? gatherWithScatterGrad(ids) : (t: tf.Tensor2D) => tf.gather(t, ids);
        return tf
          .grad((t: tf.Tensor) => tf.sum(tf.mul(lookup(t as tf.Tensor2D), w)))(table)
          .dataSync();
      });
    };
    const expected = await grad('cpu', false);
    for (const backend of ['cpu', 'wasm'] as const) {
      const got = await grad(backend, true);
      expect(Math.max(...expected.map((v, i) => Math.abs(v - got[i])))).toBeLessThan(1e-6);
    }
  });

  it("conv-forward rows of every distinct conv layer of the T3.3 and resnet-digits nets at their suites' batches: one forward pass each of wasm-simd and tfjs-wasm reads back a finite loss", async () => {
    const tasks = cnnTasks(await loadWasm(), undefined).filter((t) => t.task === 'conv-forward' && / conv /.test(t.size));
    expect([...new Set(tasks.map((t) => t.size))]).toEqual([
      'T3.3 conv 14×14×1→16@5×5, n=500',
      'T3.3 conv 5×5×16→16@3×3, n=500',
      'resnet-digits conv 14×14×1→16@3×3, n=16',
      'resnet-digits conv 14×14×16→16@3×3, n=16',
      'resnet-digits conv 14×14×16→32@3×3 stride 2, n=16',
      'resnet-digits conv 7×7×32→32@3×3, n=16',
      'resnet-digits conv 7×7×32→64@3×3 stride 2, n=16',
      'resnet-digits conv 4×4×64→64@3×3, n=16',
    ]);
    expect(tasks.map((t) => t.impl).slice(0, 2)).toEqual(['wasm-simd', 'tfjs-wasm']);
    for (const t of tasks.filter((t) => t.size.includes('stride 2, n=16') && t.size.includes('→32'))) {
      const work = await t.prepare();
      try {
        await work.run();
      } finally {
        work.dispose();
      }
      expect(Number.isFinite(work.loss), t.impl).toBe(true);
    }
  });

  it.each([
    ['cnn-step', 'T3.3 net, n=500,14×14', 10],
    ['cnn-step', 'resnet-digits net, n=64,14×14', 10],
    ['cnn-step', 'resnet-digits net, suite batch n=16,14×14', 10],
    ['transformer-step', 'anchor 2-block net, n=256, L=9', 201],
  ])(
    'the %s rows of the %s: our program and the tfjs backends; one step of wasm-simd and of tfjs-wasm reads back a loss near ln %i',
    async (task, size, classes) => {
      const tasks = cnnTasks(await loadWasm(), undefined).filter((t) => t.task === task && t.size === size);
      expect(tasks.map((t) => t.impl)).toEqual(['wasm-simd', 'tfjs-wasm', 'tfjs-cpu']);
      expect(tasks[0].flops).toBeGreaterThan(0);
      for (const t of tasks.slice(0, 2)) {
        const work = await t.prepare();
        try {
          await work.run();
        } finally {
          work.dispose();
        }
        // small random weights: the loss starts close to ln(classes), the loss of uniform answers
        expect(Math.abs(work.loss! - Math.log(classes)), t.impl).toBeLessThan(0.25);
      }
    },
  );
});
