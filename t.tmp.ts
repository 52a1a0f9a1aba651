import { openNodeDevice } from './src/webgpu/node.js';
import { loadWasm } from './src/wasm/node.js';
import { GpuBatchProgram } from './src/webgpu/batch-program.js';
import { validateRunSpec } from './src/engine/spec.js';
import { runDispatches } from './src/webgpu/gpu.js';
const ctx = await openNodeDevice('swiftshader');
const w = await loadWasm();
const [n, m, d] = [100, 1000, 100];
const x = Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, j) => Math.sin(i * 7 + j)));
const spec = validateRunSpec({ data: { x, y: x.map((r) => r[0]) }, model: { width: m, activation: 'tanh' }, init: { alpha: m, beta1: 0.1, beta2: 0.1 }, optimizer: { kind: 'gd' }, lr: 1e-3, stop: { maxSteps: 1e9 }, seed: 1 });
const p = await GpuBatchProgram.create(ctx, w, [spec]);
ctx.device.queue.submit([p.submit('init').finish()]);
for (const dsp of (p as any).step) {
  await runDispatches(ctx, [dsp]);
  const t0 = performance.now();
  for (let i = 0; i < 5; i++) await runDispatches(ctx, [dsp]);
  console.log(dsp.pipeline.label, ((performance.now() - t0) / 5).toFixed(3), 'ms', dsp.groups);
}
process.exit(0);
