// The dropout suite (SCIENCE.md §8): Lemma 1's closed form against the exact mean over every mask,
// the other science helpers, the teacher10d preset, and the suite on the WASM engine in Node: every
// claim fails when the regime is flipped (no dropout where dropout is claimed, and back; an engine
// that ignores dropout for T6.1). That the claims hold at ci scale is checked where the suite runs in
// CI (`condensa suite` in npm test), not a second time here.
import { describe, it, expect, beforeAll } from 'vitest';
import { loadWasm } from '../src/wasm/node.js';
import type { WasmInstance } from '../src/wasm/load.js';
import { createEngine } from '../src/engine/index.js';
import { trajectoryHash, toPlain, twoLayer } from '../src/engine/trajectory.js';
import { validateRunSpec } from '../src/engine/spec.js';
import { makeDataset, teacherDirection, teacherStudentSet } from '../src/engine/data.js';
import { checkSuite } from '../src/suite/define.js';
import { judgeClaims } from '../src/suite/claims.js';
import { runPart, type BatchRunner } from '../src/suite/run-part.js';
import { runSuiteOnWasm, withParts, withSpecs } from './support.js';
import { projectByName } from '../src/suite/projects.js';
import { dropoutLossTerms, effectiveRatio, standardScore, totalVariation1d, type Network64 } from '../src/science/dropout.js';
import { dropout } from '../suites/dropout.suite.js';

let wasm: WasmInstance;
beforeAll(async () => {
  wasm = await loadWasm();
});

/** Trains on WASM; `respec` may change a spec before training (the record keeps the declared spec). */
const wasmRunner = (respec: (spec: Record<string, any>) => Record<string, unknown>): BatchRunner => {
  const engine = createEngine('wasm', wasm);
  return {
    runBatch: async (_: string, specs: unknown[]) =>
      Promise.all(
        specs.map(async (spec) => {
          const t = await engine.run(respec(spec as Record<string, any>));
          return { hash: await trajectoryHash(t), trajectory: { ...toPlain(twoLayer(t, 'the dropout tests')), spec: validateRunSpec(spec) } };
        }),
      ),
  };
};

const passing = (verdicts: { id: string; pass: boolean; measured: number }[]) => verdicts.filter((v) => v.pass).map((v) => `${v.id} ${v.measured}`);

describe('dropout science', () => {
  const net: Network64 = { x: [0.3, 1, -1.2, 1], D: 2, a: [0.7, -1.1, 0.4], w: [1.5, -0.2, -0.8, 0.6, 0.3, 1.1], sigma: Math.tanh, alpha: 1 };
  const y = [0.2, -0.5];

  it('Lemma 1: R_S + R1 is the exact mean of R_S^drop over all 2^(n·m) masks', () => {
    const keep = 0.7,
      n = 2,
      m = 3;
    let mean = 0;
    for (let bits = 0; bits < 1 << (n * m); bits++) {
      let prob = 1,
        loss = 0;
      for (let i = 0; i < n; i++) {
        let f = 0;
        for (let k = 0; k < m; k++) {
          const on = (bits >> (i * m + k)) & 1;
          prob *= on ? keep : 1 - keep;
          f += on ? (net.a[k] * Math.tanh(net.w[2 * k] * net.x[2 * i] + net.w[2 * k + 1])) / keep : 0;
        }
        loss += (f - y[i]) ** 2 / (2 * n);
      }
      mean += prob * loss;
    }
    const { RS, R1 } = dropoutLossTerms(net, y, keep);
    expect(R1).toBeGreaterThan(0.01);
    expect(RS + R1).toBeCloseTo(mean, 14);
    expect(dropoutLossTerms(net, y, 1).R1).toBe(0);
  });

  it('standardScore counts standard errors, with the samples’ rounding as a floor', () => {
    expect(standardScore([1, 3], 2, 0)).toBe(0);
    expect(standardScore([1, 3], 4, 0)).toBeCloseTo(2, 12); // mean 2, sd √2, se 1
    expect(standardScore([5, 5, 5], 5 * (1 + 1e-7), 1e-5)).toBeLessThan(0.1);
  });

  it('totalVariation1d of a monotone output is its rise; effectiveRatio covers directions at cos > 0.95', () => {
    const mono = { a: [1], w: [0.5, 0.1], sigma: Math.tanh, alpha: 1 };
    expect(totalVariation1d(mono, -3, 3)).toBeCloseTo(Math.tanh(1.6) - Math.tanh(-1.4), 12);
    // two neurons along (1, 0), one opposite, one at 45°: three directions of four neurons
    expect(effectiveRatio([1, 0, 2, 0.01, -1, 0, 1, 1], 2)).toBe(0.75);
  });
});

describe('teacher10d preset', () => {
  it('draws x ~ N(0, I₁₀) and y = tanh(w*·x) with a unit w*, the same bits every time, a test set apart', () => {
    const data = makeDataset({ preset: 'teacher10d', n: 200, seed: 3 }, wasm.heap, wasm.kernels);
    const teacher = teacherDirection(wasm.heap, wasm.kernels, 3);
    expect([data.n, data.d, data.x.length]).toEqual([200, 10, 200 * 11]);
    expect(Math.hypot(...teacher)).toBeCloseTo(1, 12);
    const row = (i: number) => Array.from(data.x.subarray(i * 11, i * 11 + 10));
    for (let i = 0; i < 5; i++) expect(data.y[i]).toBeCloseTo(Math.tanh(row(i).reduce((s, v, j) => s + v * teacher[j], 0)), 6);
    expect(data.x[10]).toBe(1);
    const xs = Array.from({ length: 200 }, (_, i) => row(i)).flat();
    const mean = xs.reduce((s, v) => s + v, 0) / xs.length,
      variance = xs.reduce((s, v) => s + v * v, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.1);
    expect(variance).toBeGreaterThan(0.85);
    expect(variance).toBeLessThan(1.15);
    expect(teacherStudentSet(wasm.heap, wasm.kernels, 200, 3, 'train').x).toEqual(data.x);
    expect(teacherStudentSet(wasm.heap, wasm.kernels, 200, 3, 'test').x).not.toEqual(data.x);
  });
});

describe('the dropout suite on WASM (Node)', () => {
  it('every claim fails when the regime is flipped', async () => {
    // T6.2/T6.3 re-run flipped: the dropout arm trains without dropout and the other arm with the
    // dropout arm's keep; the R1 arm (T6.4) without its penalty (keep 1), the batch-2 SGD arm (T6.5) with
    // dropout; T6.1 on an engine that ignores dropout (trains keep 1 whatever the spec asks).
    const keepOf: Record<string, number> = {};
    for (const p of checkSuite(dropout, 'ci'))
      if (p.id.endsWith('-dropout')) keepOf[p.id.replace('-dropout', '')] = (p.runs[0].spec.dropout as { keep: number }).keep;
    const flippedSuite = withSpecs(
      withParts(dropout, (id) => id !== 'T6.1'),
      (spec, _run, part) => {
        const { dropout: _drop, ...rest } = spec;
        if (part === 'T6.4-r1') return { ...rest, r1Penalty: { keep: 1 } };
        if (part === 'T6.5-sgd') return { ...rest, dropout: { keep: keepOf['T6.2'] } };
        return part.endsWith('-none') ? { ...rest, dropout: { keep: keepOf[part.replace('-none', '')] } } : rest;
      },
    );
    const lemma = checkSuite(dropout, 'ci').find((p) => p.id === 'T6.1')!;
    const ignoring = await runPart(
      dropout,
      lemma,
      projectByName('wasm'),
      wasmRunner((s) => ({ ...s, dropout: { keep: 1 } })),
      wasm,
    );
    const flipped = [ignoring, ...(await runSuiteOnWasm(flippedSuite, wasm))];
    const { verdicts, pending } = judgeClaims(dropout, 'ci', flipped, 'wasm', 'wasm');
    expect(pending).toEqual([]);
    expect(verdicts.length).toBe(dropout.claims('ci').length);
    expect(passing(verdicts)).toEqual([]);
  });
});
