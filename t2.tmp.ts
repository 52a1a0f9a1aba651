import { openNodeDevice } from './src/webgpu/node.js';
import { loadWasm } from './src/wasm/node.js';
import { trainBatch } from './src/webgpu/batch.js';
import { validateRunSpec } from './src/engine/spec.js';
import { trajectoryHash } from './src/engine/trajectory.js';
import { PHASE_RELU, XTANH_ADAM_DROPOUT } from './test/specs.js';
const ctx = await openNodeDevice();
const w = await loadWasm();
for (const R of [1, 50]) {
  const specs = Array.from({ length: R }, (_, i) => validateRunSpec({ ...PHASE_RELU, seed: i, stop: { maxSteps: 300 } }));
  const t0 = performance.now();
  await trainBatch(ctx, w, specs);
  console.log(R, 'runs', ((performance.now() - t0) / 300).toFixed(2) + 'ms/step');
}
console.log((await trajectoryHash((await trainBatch(ctx, w, [validateRunSpec(XTANH_ADAM_DROPOUT)]))[0])).slice(0,12), 'want 5983a45a8854');
process.exit(0);
