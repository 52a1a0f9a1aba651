// The WASM engine's worker pool: every run keeps the bits it gets in this thread (two-layer, dropout,
// layered CNN on digits, halve-and-restart), order is kept, and failures come back named.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { loadWasm } from '../src/wasm/node.js';
import type { WasmInstance } from '../src/wasm/load.js';
import { createEngine } from '../src/engine/index.js';
import { openNodePool } from '../src/engine/node-pool.js';
import { parseWorkers, type WorkerPool } from '../src/engine/worker-pool.js';
import { trajectoryHash } from '../src/engine/trajectory.js';
import { PHASE_RELU, XTANH_ADAM_DROPOUT } from './specs.js';

let wasm: WasmInstance;
let pool: WorkerPool;
beforeAll(async () => {
  wasm = await loadWasm();
  pool = openNodePool(wasm.module, 2);
});
afterAll(() => pool.close());

const DIGITS_CNN = {
  data: { preset: 'mnist', classes: [1, 7, 9], perClass: 6, size: 14 },
  model: {
    layers: [{ type: 'conv2d', filters: 4, kernel: 3 }, { type: 'activation', fn: 'tanh' }, { type: 'flatten' }, { type: 'dense', units: 3 }],
    loss: 'softmax-ce',
  },
  optimizer: { kind: 'adam' },
  batch: { size: 8 },
  lr: 0.01,
  stop: { maxSteps: 20 },
  snapshots: [10],
  seed: 4,
};
const RESTARTING = { ...XTANH_ADAM_DROPOUT, optimizer: { kind: 'gd' }, dropout: undefined, lr: { value: 5, halveOnIncrease: true } };

describe('the worker pool of the WASM engine', () => {
  it('gives every run the bits it gets in this thread, in the order of the specs', async () => {
    const specs = [PHASE_RELU, XTANH_ADAM_DROPOUT, DIGITS_CNN, RESTARTING, { ...PHASE_RELU, seed: 4 }];
    const alone = await createEngine('wasm', wasm).runBatch(specs);
    const pooled = await createEngine('wasm', wasm, undefined, pool).runBatch(specs);
    expect(pooled.map((t) => t.spec)).toEqual(alone.map((t) => t.spec));
    expect(await Promise.all(pooled.map(trajectoryHash))).toEqual(await Promise.all(alone.map(trajectoryHash)));
    expect(alone[3].restarts).toBeGreaterThan(0);
  });

  it('names a run that diverges in a worker, and keeps serving after it', async () => {
    const diverging = { ...XTANH_ADAM_DROPOUT, optimizer: { kind: 'gd' }, lr: 1e30, dropout: undefined };
    const engine = createEngine('wasm', wasm, undefined, pool);
    await expect(engine.runBatch([PHASE_RELU, diverging])).rejects.toMatchObject({
      name: 'TrainingDivergedError',
      message: expect.stringMatching(/not finite|holds/),
    });
    expect(await engine.runBatch([PHASE_RELU, PHASE_RELU])).toHaveLength(2);
  });

  it('refuses a malformed spec before any worker sees it, and a bad worker count', async () => {
    await expect(
      createEngine('wasm', wasm, undefined, pool).runBatch([PHASE_RELU, { ...PHASE_RELU, model: { ...PHASE_RELU.model, width: -1 } }]),
    ).rejects.toThrow(/invalid RunSpec: model\.width/);
    expect(() => parseWorkers('0', '--workers')).toThrow(/--workers must be a whole number of workers from 1 to 256, got "0"/);
    expect(() => parseWorkers('two', '--workers')).toThrow(/got "two"/);
    expect(parseWorkers('3', '--workers')).toBe(3);
  });
});
