// The same golden hashes in headless Chromium: the engine bundle and condensa.wasm served from
// 127.0.0.1, driven by Playwright. Equal hashes prove the bits do not depend on the JS engine or
// host. Chromium comes from CHROME_PATH, the system, or the @sparticuz/chromium package.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { openEnginePage, type EnginePage } from '../src/runner/page.js';
import { GOLDEN_SPECS, readGolden } from './specs.js';

let page: EnginePage;
beforeAll(async () => {
  page = await openEnginePage();
});
afterAll(async () => {
  await page?.close();
});

describe('golden trajectory hashes (headless Chromium)', () => {
  it('reproduce test/golden/trajectories.json with the WASM engine', async () => {
    const golden = readGolden();
    for (const [name, spec] of Object.entries(GOLDEN_SPECS)) {
      const r = await page.run('wasm', spec);
      expect({ name, hash: r.hash, steps: r.trajectory.steps }).toEqual({ name, hash: golden[name].hash, steps: golden[name].steps });
    }
  });

  it('runs WebAssembly SIMD in the page and reports its Chromium', async () => {
    expect(page.browserVersion).toMatch(/^\d+\./);
    const r = await page.run('reference', { ...GOLDEN_SPECS['phase-relu-gd'], stop: { maxSteps: 20 } });
    const w = await page.run('wasm', { ...GOLDEN_SPECS['phase-relu-gd'], stop: { maxSteps: 20 } });
    expect(r.hash).toBe(w.hash);
  });

  it('a bad spec in the page fails with the field named', async () => {
    await expect(page.run('wasm', { ...GOLDEN_SPECS['phase-relu-gd'], seed: 'x' })).rejects.toThrow(/invalid RunSpec: seed/);
  });
});
