// Golden trajectories: 1,000 training steps per spec, hashed (SHA-256 of loss curve, snapshots and
// stop state). The hashes are per algorithm version, never per device; the same values must come
// out of Node and of headless Chromium (test/browser.test.ts). Refresh after an intended change of
// algorithm with UPDATE_GOLDEN=1 npm test, and say why in the commit.
import { describe, it, expect, beforeAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { loadWasm } from '../src/wasm/node.js';
import type { WasmInstance } from '../src/wasm/load.js';
import { createEngine } from '../src/engine/index.js';
import { trajectoryHash } from '../src/engine/trajectory.js';
import { GOLDEN_SPECS, GOLDEN_FILE, readGolden, type GoldenEntry } from './specs.js';

let w: WasmInstance;
beforeAll(async () => {
  w = await loadWasm();
});

describe('golden trajectory hashes (Node)', () => {
  it('match test/golden/trajectories.json', async () => {
    const got: Record<string, GoldenEntry> = {};
    for (const [name, spec] of Object.entries(GOLDEN_SPECS)) {
      const t = await createEngine('wasm', w).run(spec);
      expect(t.steps, name).toBe(1000);
      got[name] = { hash: await trajectoryHash(t), steps: t.steps, finalLoss: t.finalLoss };
    }
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN_FILE, JSON.stringify(got, null, 2) + '\n');
    expect(got).toEqual(readGolden());
  });
});
