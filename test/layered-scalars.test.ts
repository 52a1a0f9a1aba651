// Per-step scalars of layered programs on WebGPU (SwiftShader unless CONDENSA_ADAPTER=gpu): the clipping
// and update kernels read them from a storage buffer, so a standalone program writes them once per submit
// that reads them (not once per uniform), and a batch of runs reads the buffer layered_scalars fills:
// a step's only buffer copies are each run's loss and its Σg² values, none per scalar word.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadWasm } from '../src/wasm/node.js';
import type { WasmInstance } from '../src/wasm/load.js';
import { openNodeDevice } from '../src/webgpu/node.js';
import type { AdapterWish, GpuContext } from '../src/webgpu/device.js';
import { storage } from '../src/webgpu/gpu.js';
import { GpuProgram } from '../src/webgpu/layered-program.js';
import { LayeredBatchBuffers, type LayeredMember } from '../src/webgpu/layered-batch-buffers.js';
import { LayeredBatchEncoder } from '../src/webgpu/layered-batch-encoder.js';
import { LAYERED_CHUNK } from '../src/webgpu/layered-batch.js';
import { setUpLayered } from '../src/model/train-layered.js';
import { validateLayeredSpec, type LayeredRunSpec } from '../src/model/spec.js';
import { shapingFor, STEP_SCALARS } from '../src/kernels/define.js';

let wasm: WasmInstance, ctx: GpuContext;
beforeAll(async () => {
  wasm = await loadWasm();
  ctx = await openNodeDevice((process.env.CONDENSA_ADAPTER as AdapterWish) ?? 'swiftshader');
});
afterAll(() => ctx?.device.destroy());

const SMALL_CNN = JSON.parse(readFileSync(new URL('../examples/small-cnn.json', import.meta.url), 'utf8')) as Record<string, unknown>;
/** examples/small-cnn.json (Adam, mini-batches, clipping) and its GD twin on the full batch without clipping */
const SPECS: LayeredRunSpec[] = [
  validateLayeredSpec({ ...SMALL_CNN, $schema: undefined }),
  validateLayeredSpec({ ...SMALL_CNN, $schema: undefined, optimizer: { kind: 'gd' }, batch: undefined, clip: undefined, seed: 4 }),
];

/** Replace `object[method]` with `wrap(original)` while `body` runs. */
async function patched<O extends object, K extends keyof O, T>(object: O, method: K, wrap: (original: O[K]) => O[K], body: () => Promise<T>): Promise<T> {
  const original = (object[method] as (...a: unknown[]) => unknown).bind(object) as O[K];
  object[method] = wrap(original);
  try {
    return await body();
  } finally {
    delete object[method];
  }
}

describe('per-step scalars on WebGPU', () => {
  it('a standalone program writes its four step scalars once per submit that reads them', async () => {
    const mark = wasm.heap.mark();
    const setup = await setUpLayered(SPECS[0], wasm.kernels, wasm.heap);
    const gpu = await GpuProgram.create(ctx, setup.program);
    try {
      setup.program.params.forEach((p, j) => gpu.write(p.param, setup.init[j]));
      Object.assign(gpu.scalars, { lr: 0.003, bc1: 0.1, bc2: 0.001, clipScale: 0.5 });
      const writes: { label: string; offset: number; values: number[] }[] = [];
      const queue = ctx.device.queue;
      const counted = (phase: () => Promise<unknown>) =>
        patched(
          queue,
          'writeBuffer',
          (original) =>
            ((buffer: GPUBuffer, offset: number, data: GPUAllowSharedBufferSource, ...rest: number[]) => {
              writes.push({ label: buffer.label, offset, values: Array.from(data as Float32Array) });
              return original(buffer, offset, data, ...rest);
            }) as typeof queue.writeBuffer,
          phase,
        );
      await counted(() => gpu.forward());
      expect(writes).toEqual([]);
      await counted(() => gpu.step());
      await counted(() => gpu.clip());
      const once = { label: 'step scalars', offset: 0, values: STEP_SCALARS.map((s) => Math.fround(gpu.scalars[s])) };
      expect(writes).toEqual([once, once]);
    } finally {
      gpu.destroy();
      wasm.heap.release(mark);
    }
  });

  it('a batch step copies only each run’s loss and Σg², with no copy per scalar word', async () => {
    const mark = wasm.heap.mark();
    const stepScalars = storage(ctx, SPECS.length * STEP_SCALARS.length * 4, 'step scalars');
    const members: LayeredMember[] = [];
    let buf: LayeredBatchBuffers | undefined;
    ctx.device.pushErrorScope('validation');
    try {
      for (const [r, spec] of SPECS.entries()) {
        const setup = await setUpLayered(spec, wasm.kernels, wasm.heap);
        members.push({ spec, setup, gpu: await GpuProgram.create(ctx, setup.program, shapingFor(ctx.adapter), { buffer: stepScalars, slot: r }) });
      }
      buf = new LayeredBatchBuffers(ctx, members, LAYERED_CHUNK + 1, wasm, stepScalars);
      const encoder = await LayeredBatchEncoder.create(ctx, members, buf);
      let copies = 0;
      const device = ctx.device;
      const work = await patched(
        device,
        'createCommandEncoder',
        (original) =>
          ((d?: GPUCommandEncoderDescriptor) => {
            const enc = original(d);
            const copy = enc.copyBufferToBuffer.bind(enc) as (...a: unknown[]) => void;
            enc.copyBufferToBuffer = ((...a: unknown[]) => (copies++, copy(...a))) as typeof enc.copyBufferToBuffer;
            return enc;
          }) as typeof device.createCommandEncoder,
        async () => encoder.steps([0, 1], 3),
      );
      // per step: every run's loss, and one Σg² per gradient of the run that clips
      const perStep = members.reduce((n, m) => n + 1 + (m.spec.clip ? m.setup.program.params.length : 0), 0);
      expect(members[0].setup.program.params.length).toBe(8);
      expect(copies).toBe(3 * perStep);
      ctx.device.queue.submit([work]);
      expect(await ctx.device.popErrorScope()).toBeNull();
    } finally {
      for (const { gpu } of members) gpu.destroy();
      buf?.destroy();
      stepScalars.destroy();
      wasm.heap.release(mark);
    }
  });
});
