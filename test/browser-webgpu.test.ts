// WebGPU in headless Chromium (SwiftShader adapter): the kernel parity table and a trajectory, the
// same checks as in Node, so a result never depends on Dawn-in-Node alone.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { openEnginePage, type EnginePage } from '../src/runner/page.js';
import { GOLDEN_SPECS, readGolden } from './specs.js';

let page: EnginePage;
beforeAll(async () => {
  page = await openEnginePage({ adapter: 'swiftshader' });
});
afterAll(async () => {
  await page?.close();
});

describe('WebGPU in Chromium', () => {
  it('reports a software adapter (its figures are CPU figures)', async () => {
    const a = await page.adapter();
    expect(a.software).toBe(true);
    expect(a.runtime).toMatch(/^chromium \d+/);
  });

  it('keeps every kernel within its tolerance', async () => {
    const rows = await page.kernelParity();
    expect(rows.length).toBeGreaterThan(50);
    expect(rows.filter((r) => !r.pass).map((r) => `${r.kernel} ${r.case}`)).toEqual([]);
  });

  it('reproduces the WASM golden hash of a 1,000-step trajectory', async () => {
    const [r] = await page.runBatch('webgpu', [GOLDEN_SPECS['xtanh-adam-dropout']]);
    expect(r.hash).toBe(readGolden()['xtanh-adam-dropout'].hash);
  });
});
