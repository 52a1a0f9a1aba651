import { openEnginePage } from './src/runner/page.js';
import { PHASE_RELU } from './test/specs.js';
const page = await openEnginePage();
console.log(await page.adapter());
for (const R of [1, 50]) {
  const specs = Array.from({ length: R }, (_, i) => ({ ...PHASE_RELU, seed: i, stop: { maxSteps: 300 } }));
  const t0 = performance.now();
  const res = await page.runBatch('webgpu', specs);
  console.log(R, ((performance.now() - t0) / 300).toFixed(2), 'ms/step', res[0].hash.slice(0, 12));
}
await page.close();
