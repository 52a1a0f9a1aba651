// The condensation measures on hand-made weights whose answers are known.
import { describe, it, expect } from 'vitest';
import { relativeDistance, cosineMatrix, orientationClusters1d } from '../src/science/measures.js';

describe('science measures', () => {
  it('RD is ‖W_T − W_0‖/‖W_0‖', () => {
    expect(relativeDistance([3, 4], [3, 4])).toBe(0);
    expect(relativeDistance([3, 4], [6, 8])).toBeCloseTo(1, 12);
  });

  it('cosine matrix: parallel rows 1, opposite −1, orthogonal 0', () => {
    const c = cosineMatrix([1, 0, 2, 0, -1, 0, 0, 3], 4, 2);
    expect(Array.from(c.subarray(0, 4))).toEqual([1, 1, -1, 0]);
    expect(c[3 * 4 + 3]).toBe(1);
  });

  it('orientation clusters: two condensed directions, an inactive neuron ignored, a spread counted', () => {
    const twoLines = { a: [1, 1, 1, 0.001], w: [1, 0, 1, 0.01, 0, 1, 1, 2] }; // φ ≈ 0, 0.01, π/2; last neuron inactive
    expect(orientationClusters1d(twoLines.a, twoLines.w)).toBe(2);
    const spread = Array.from({ length: 20 }, (_, k) => [Math.cos(k * 0.1), Math.sin(k * 0.1)]).flat();
    expect(orientationClusters1d(new Array(20).fill(1), spread)).toBe(20);
    expect(() => orientationClusters1d([1], [1, 2, 3])).toThrow(/needs 1-d inputs/);
  });
});
