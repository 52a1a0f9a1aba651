// The suite "initial-condensation" on the WASM engine in Node: every claim fails when its regime is
// flipped. T2.3/T2.4: condensed and linear (γ, γ′) swap places, and the onset runs take x·tanh (p = 2);
// the (γ, γ′) grid (T2.5): each condensed cell trained at the linear point (0.5, 0), each linear or
// critical cell at the condensed point (2, 0), for the same early steps. That the claims hold at ci scale
// is checked where the suites run in CI (`condensa suite` in npm test), not a second time here.
import { describe, it, expect, beforeAll } from 'vitest';
import { loadWasm } from '../src/wasm/node.js';
import { runSuiteOnWasm, withParts, withSpecs } from './support.js';
import type { WasmInstance } from '../src/wasm/load.js';
import { judgeClaims } from '../src/suite/claims.js';
import { initialCondensation, initialStageRun, region } from '../suites/initial-condensation.suite.js';

let wasm: WasmInstance;
beforeAll(async () => {
  wasm = await loadWasm();
});

const isGrid = (part: string) => part.startsWith('grid ');

describe('the initial-condensation suite on WASM (Node)', () => {
  it('every claim of T2.3/T2.4 fails when condensed and linear (γ, γ′) swap places, and the onset runs take x·tanh (p = 2)', async () => {
    const points = withParts(initialCondensation, (id) => !isGrid(id));
    const flipped = withSpecs(points, (spec, r, part) => {
      // with multiplicity 2 there is no linear stage: the onset grows like a power of 1/s, not like ln(1/s)
      if (part === 'onset') return { ...spec, model: { width: 50, activation: 'xtanh' } };
      const [, gamma, seed] = /^gamma=([\d.]+) gamma'=[\d.]+ seed=(\d+)$/.exec(r.label)!;
      const point = gamma === '2' ? ([0.5, 0] as const) : ([2, 0] as const);
      // the flipped regime, read when the label's own run is read (the end of the initial stage, or a fixed step count)
      return { ...initialStageRun(point, parseInt(part.slice('m='.length), 10), Number(seed)).spec, stop: spec.stop };
    });
    const { verdicts, pending } = judgeClaims(flipped, 'ci', await runSuiteOnWasm(flipped, wasm), 'wasm', 'wasm');
    expect(pending).toEqual([]);
    expect(verdicts.length).toBe(points.claims('ci').length);
    expect(verdicts.filter((v) => v.pass).map((v) => `${v.id} ${v.measured}`)).toEqual([]);
  });

  it('every grid claim fails when condensed and linear cells swap regimes', async () => {
    const grid = withParts(initialCondensation, isGrid);
    const flipped = withSpecs(grid, (spec, r, part) => {
      const [, gamma, gammaPrime, seed] = /^gamma=([\d.]+) gamma'=(-?[\d.]+) seed=(\d+)$/.exec(r.label)!;
      const point = region([Number(gamma), Number(gammaPrime)]) === 'condensed' ? ([0.5, 0] as const) : ([2, 0] as const);
      return { ...initialStageRun(point, parseInt(part.slice('grid m='.length), 10), Number(seed)).spec, stop: spec.stop };
    });
    const { verdicts, pending } = judgeClaims(flipped, 'ci', await runSuiteOnWasm(flipped, wasm), 'wasm', 'wasm');
    expect(pending).toEqual([]);
    expect(verdicts.map((v) => v.id)).toEqual(['T2.5a', 'T2.5b', 'T2.5c', 'T2.5d', 'T2.5e']);
    expect(verdicts.filter((v) => v.pass).map((v) => `${v.id} ${v.measured}`)).toEqual([]);
  });
});
