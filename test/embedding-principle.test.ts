// The embedding-principle suite: the science pieces (Jacobi eigen-solver, split operator, Newton polish)
// on small known cases, every claim of the suite at ci scale on WASM (Node), and the flipped regime:
// a narrow run stopped after 100 steps (not near a critical point) and a plateau run from a large init
// (std 0.5: no plateau) make the claims that need a critical point, a minimum or a plateau fail.
import { describe, it, expect, beforeAll } from 'vitest';
import { loadWasm } from '../src/wasm/node.js';
import { runSuiteOnWasm, withSpecs } from './support.js';
import type { WasmInstance } from '../src/wasm/load.js';
import { type SuiteDef } from '../src/suite/define.js';
import { judgeClaims } from '../src/suite/claims.js';
import { symmetricEigen, inertia } from '../src/science/symmetric-eigen.js';
import { split, splitDirection } from '../src/science/embedding.js';
import { embeddingPrinciple } from '../suites/embedding-principle.suite.js';

let wasm: WasmInstance;
beforeAll(async () => {
  wasm = await loadWasm();
});

const runOnWasm = (suite: SuiteDef) => runSuiteOnWasm(suite, wasm);

/** The regime flipped under the same labels: the narrow run stops after 100 steps, the plateau run starts from std 0.5. */
function flipped(suite: SuiteDef): SuiteDef {
  const flip = (spec: Record<string, any>) =>
    spec.model.width === 2 ? { ...spec, stop: { maxSteps: 100 } } : { ...spec, init: { alpha: 1, beta1: 0.5, beta2: 0.5 } };
  return withSpecs(suite, flip);
}

describe('science pieces', () => {
  it('Jacobi gives the eigenvalues of a known symmetric matrix, and inertia counts them', () => {
    // Q diag(−2, 0, 1e-12, 3) Qᵀ with a rotation Q in the (0, 3) and (1, 2) planes
    const c = Math.cos(0.7), s = Math.sin(0.7);
    const Q = [[c, 0, 0, -s], [0, c, -s, 0], [0, s, c, 0], [s, 0, 0, c]];
    const d = [-2, 0, 1e-12, 3];
    const A = Q.map((_, i) => Q.map((_, j) => d.reduce((acc, dk, k) => acc + Q[i][k] * dk * Q[j][k], 0)));
    const { values, vectors } = symmetricEigen(A);
    values.forEach((v, k) => expect(Math.abs(v - [-2, 0, 1e-12, 3][k])).toBeLessThan(1e-14));
    const Av = A.map((row) => row.reduce((acc, x, j) => acc + x * vectors[3][j], 0));
    Av.forEach((x, i) => expect(Math.abs(x - 3 * vectors[3][i])).toBeLessThan(1e-14));
    expect(inertia(values)).toEqual({ negative: 1, zero: 2, positive: 1 });
  });

  it('a split keeps Σ output weight per input weight and appends the copy; V moves weight between the copies', () => {
    const theta = [2, -1, 0.1, 0.2, 0.3, 0.4]; // a = (2, −1), w₀ = (0.1, 0.2), w₁ = (0.3, 0.4)
    expect(split(theta, 2, 1, 0.25)).toEqual([2, -0.25, -0.75, 0.1, 0.2, 0.3, 0.4, 0.3, 0.4]);
    expect(splitDirection(theta, 2, 1)).toEqual([0, -1, 1, 0, 0, 0, 0, 0, 0]);
  });
});

describe('the embedding-principle suite on WASM (Node)', () => {
  it('every claim holds at ci scale, and the Hessian counts are the pilot’s (0,0,6) → (1,1,7) → (2,2,8)', async () => {
    const parts = await runOnWasm(embeddingPrinciple);
    const { verdicts, pending } = judgeClaims(embeddingPrinciple, 'ci', parts, 'wasm', 'wasm');
    expect(pending).toEqual([]);
    expect(verdicts.filter((v) => !v.pass).map((v) => `${v.id} ${v.measured}`)).toEqual([]);
    const counts = parts[0].runs.map((r) => ['epNeg0', 'epZero0', 'epPos0', 'epNeg1', 'epZero1', 'epPos1', 'epNeg2', 'epZero2', 'epPos2'].map((k) => r.measures[k]));
    counts.forEach((c) => expect(c).toEqual([0, 0, 6, 1, 1, 7, 2, 2, 8]));
  });

  it('the flipped regime makes every claim that needs a critical point or a plateau fail', async () => {
    const suite = flipped(embeddingPrinciple);
    const { verdicts } = judgeClaims(suite, 'ci', await runOnWasm(suite), 'wasm', 'wasm');
    const passing = verdicts.filter((v) => v.pass).map((v) => v.id);
    // identities that hold at every θ (T5.1a/b/f, T5.5d) cannot fail by a change of regime; the inertia
    // claims T5.4 and T5.5b/c also hold at this non-critical point (its Mₛ is indefinite too): they fail
    // only through T5.5a, which the flipped point fails (it is no minimum)
    expect(passing).toEqual(['T5.1a', 'T5.1b', 'T5.1f', 'T5.4', 'T5.5b', 'T5.5c', 'T5.5d']);
  });
});
