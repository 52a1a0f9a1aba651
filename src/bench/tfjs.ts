// TensorFlow.js baselines for the benchmark: the backend a user would pick instead (wasm = XNNPACK,
// single thread in Node, SIMD on; cpu = plain JS; webgpu on Condensa's own device, so both run on
// the same adapter, with WEBGPU_CPU_FORWARD off so small ops are not quietly run on the CPU), a
// matMul task and the same two-layer training step written with tfjs ops and tf.variableGrads.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { GpuContext } from '../webgpu/device.js';
import { registerTfjsGradients } from './tfjs-gradients.js';
import { createRequire } from 'node:module';
import path from 'node:path';

export type TfjsBackend = 'wasm' | 'cpu';

let wasmPathsSet = false;

export async function useTfjs(backend: TfjsBackend): Promise<Record<string, unknown>> {
  await registerTfjsGradients();
  if (backend === 'wasm' && !wasmPathsSet) {
    const req = createRequire(import.meta.url);
    setWasmPaths(path.dirname(req.resolve('@tensorflow/tfjs-backend-wasm/package.json')) + '/dist/');
    wasmPathsSet = true;
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend "${backend}" failed to initialise`);
  await tf.ready();
  return { version: tf.version_core, backend: tf.getBackend(), flags: tf.env().getFlags() };
}

let webgpuDevice: GPUDevice | undefined;

/** Select tfjs-webgpu on `ctx`'s device (registered once per device). */
export async function useTfjsWebgpu(ctx: GpuContext): Promise<Record<string, unknown>> {
  const g = globalThis as { navigator?: { gpu?: GPU } };
  if (!g.navigator?.gpu) {
    // tfjs-webgpu checks navigator.gpu before it accepts a device; Node 20 has no navigator.
    Object.defineProperty(globalThis, 'navigator', { value: { ...g.navigator, gpu: ctx.gpu }, configurable: true });
  }
  if (webgpuDevice !== ctx.device) {
    if (webgpuDevice) tf.removeBackend('webgpu');
    tf.registerBackend('webgpu', () => new WebGPUBackend(ctx.device));
    webgpuDevice = ctx.device;
  }
  await registerTfjsGradients();
  if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs backend "webgpu" failed to initialise');
  tf.env().set('WEBGPU_CPU_FORWARD', false);
  await tf.ready();
  return { version: tf.version_core, backend: tf.getBackend(), flags: tf.env().getFlags() };
}

export interface TfjsTask {
  run(): void | Promise<void>;
  dispose(): void;
}

/** C = A·B for n × n random A, B; each run reads C back (dataSync), so the work is done. */
export function tfjsMatMul(n: number): TfjsTask {
  const a = tf.randomNormal([n, n], 0, 1, 'float32', 1),
    b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
  return {
    run: async () => {
      const c = tf.matMul(a, b);
      await c.data();
      c.dispose();
    },
    dispose: () => tf.dispose([a, b]),
  };
}

let stepCount = 0;

/** `steps` GD steps of f = (1/α)·tanh(X̃Wᵀ)·a with R = Σe²/2n, then the loss is read back. */
export function tfjsTrainStep(x: Float32Array, y: Float32Array, n: number, D: number, m: number, alpha: number, lr: number, steps = 1): TfjsTask {
  const id = stepCount++;
  const X = tf.tensor2d(x, [n, D]),
    Y = tf.tensor1d(y);
  const W = tf.variable(tf.randomNormal([m, D], 0, 0.1, 'float32', 3), true, `W${id}`);
  const a = tf.variable(tf.randomNormal([m, 1], 0, 0.1, 'float32', 4), true, `a${id}`);
  const loss = () =>
    tf.tidy(() => {
      const f = tf.mul(tf.reshape(tf.matMul(tf.tanh(tf.matMul(X, W, false, true)), a), [n]), 1 / alpha);
      return tf.div(tf.sum(tf.square(tf.sub(f, Y))), 2 * n) as tf.Scalar;
    });
  return {
    run: async () => {
      for (let s = 0; s < steps; s++) {
        const { value, grads } = tf.variableGrads(loss, [W, a]);
        tf.tidy(() => {
          W.assign(tf.sub(W, tf.mul(grads[W.name], lr)));
          a.assign(tf.sub(a, tf.mul(grads[a.name], lr)));
        });
        if (s === steps - 1) await value.data();
        tf.dispose([value, ...Object.values(grads)]);
      }
    },
    dispose: () => tf.dispose([X, Y, W, a]),
  };
}
