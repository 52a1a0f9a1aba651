// The condensation measures on hand-made weights and data whose answers are known.
import { describe, it, expect } from 'vitest';
import { relativeDistance, cosineMatrix, neuronFeatures1d, activeNeurons1d, orientationClusters1d, amplitudeConcentration } from '../src/science/measures.js';
import { condensationDirection, alignmentWithDirection, summarizeAlignment } from '../src/science/condensation-direction.js';
import { lineGroups, countLines, clusterOrder } from '../src/science/lines.js';
import { mean, median, quantile } from '../src/science/stats.js';

/** 1-d neurons (weight, bias) of norm r at the given angles φ = atan2(b, w). */
const atAngles = (phis: number[], r = 1) => phis.flatMap((p) => [r * Math.cos(p), r * Math.sin(p)]);

describe('summary statistics', () => {
  it("mean, median and quantiles linear between order statistics (numpy's default); NaN for no values", () => {
    expect(mean([1, 2, 6])).toBe(3);
    expect([median([3, 1, 2]), median([4, 1, 3, 2])]).toEqual([2, 2.5]);
    expect([0, 0.1, 0.9, 1].map((q) => quantile([10, 0, 20, 30, 40], q))).toEqual([0, 4, 36, 40]);
    expect([mean([]), median([])]).toEqual([NaN, NaN]);
  });
});

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

  it('1-d features: φ = atan2(b, w), A = |a|·‖(w, b)‖', () => {
    const { phi, amp } = neuronFeatures1d([2, -1], [3, 4, -1, 0]);
    expect(Array.from(phi)).toEqual([Math.atan2(4, 3), Math.PI]);
    expect(Array.from(amp)).toEqual([10, 1]);
    expect(() => neuronFeatures1d([1], [1, 2, 3])).toThrow(/2 input weights/);
  });

  it('active neurons: A > 0.1·max A, strictly', () => {
    const w = [1, 0, 0, 1, -1, 0, 0, -1, 0.6, 0.8];
    expect(activeNeurons1d([2, 0.1, -2, 0.2, 0.3], w)).toEqual([0, 2, 4]); // A = 2, 0.1, 2, 0.2 (= cut), 0.3
  });

  it('orientation clusters: two condensed directions, an inactive neuron ignored, a spread counted', () => {
    const twoLines = { a: [1, 1, 1, 0.001], w: [1, 0, 1, 0.01, 0, 1, 1, 2] }; // φ ≈ 0, 0.01, π/2; last neuron inactive
    expect(orientationClusters1d(twoLines.a, twoLines.w)).toBe(2);
    const spread = atAngles(Array.from({ length: 20 }, (_, k) => k * 0.1));
    expect(orientationClusters1d(new Array(20).fill(1), spread)).toBe(20);
  });

  it('orientation clusters chain consecutive gaps < 0.05 rad and do not wrap at ±π', () => {
    expect(orientationClusters1d([1, 1, 1, 1], atAngles([0, 0.04, 0.08, 0.12]))).toBe(1);
    expect(orientationClusters1d([1, 1], atAngles([Math.PI - 0.01, -Math.PI + 0.01]))).toBe(2);
  });

  it('C4: all amplitude on two orientations gives 1, uniform angles give 4 of 63 bins', () => {
    const twoClusters = atAngles([0.3, 0.31, 0.29, -2, -2.01]);
    expect(amplitudeConcentration([1, 2, 1, 3, 1], twoClusters)).toBeCloseTo(1, 12);
    const uniform = Array.from({ length: 63 }, (_, k) => -Math.PI + 0.05 + k * 0.1);
    expect(amplitudeConcentration(new Array(63).fill(1), atAngles(uniform))).toBeCloseTo(4 / 63, 12);
  });

  it('C4 bins are round(φ/0.1) (centred on multiples of 0.1, as np.round), weighted by A over all neurons', () => {
    // round: bins 0, 1, 1, 2 (floor would give 0, 0, 1, 1), then three single bins → (2 + 1 + 1 + 1) / 7
    expect(amplitudeConcentration(new Array(7).fill(1), atAngles([0.04, 0.06, 0.14, 0.16, 1, 2, 3]))).toBeCloseTo(5 / 7, 12);
    expect(amplitudeConcentration([1, 1], atAngles([-0.04, 0.04]))).toBe(1); // both in bin 0
    // A = |a|·‖w‖: a heavy neuron dominates; small ones in 6 other bins still count in Σ A
    const heavy = [...atAngles([1], 10), ...atAngles([-3, -2, -1, 0, 2, 3])];
    expect(amplitudeConcentration([-1, 1, 1, 1, 1, 1, 1], heavy)).toBeCloseTo((10 + 3) / 16, 12);
    expect(() => amplitudeConcentration([0, 0], [1, 0, 0, 1])).toThrow(/zero amplitude/);
  });

  it('condensation direction z = (1/n) Σ yᵢ x̃ᵢ on a 3-point dataset', () => {
    const x = [1, 1, 2, 1, -1, 1]; // x̃ = (x, 1)
    const z = condensationDirection(x, [1, 2, 3]);
    expect(z[0]).toBeCloseTo(2 / 3, 15); // (1 + 4 − 3) / 3
    expect(z[1]).toBeCloseTo(2, 15); // (1 + 2 + 3) / 3
    expect(() => condensationDirection([1, 2, 3], [1, 2])).toThrow(/not n × D/);
  });

  it('|cos(wₖ, z)|: parallel and antiparallel rows 1, an orthogonal row 0', () => {
    const cos = alignmentWithDirection([1, 3, -2, -6, 3, -1, 1, 0], 2, [2 / 3, 2]);
    expect(cos[0]).toBeCloseTo(1, 15);
    expect(cos[1]).toBeCloseTo(1, 15);
    expect(cos[2]).toBeCloseTo(0, 15);
    expect(cos[3]).toBeCloseTo(1 / Math.sqrt(10), 15);
    expect(() => alignmentWithDirection([1, 2, 3], 2, [1, 1])).toThrow(/expected D = 2/);
  });

  it('alignment summary: median as np.median, min, share ≥ 0.95', () => {
    expect(summarizeAlignment([0.2, 1, 0.96, 0.5])).toEqual({ median: (0.5 + 0.96) / 2, min: 0.2, share: 0.5, shareAt: 0.95 });
    expect(summarizeAlignment([0.9, 0.1, 0.95], 0.9)).toEqual({ median: 0.9, min: 0.1, share: 2 / 3, shareAt: 0.9 });
    expect(() => summarizeAlignment([0.5, NaN])).toThrow(/zero weight vector/);
  });

  it('lines merge opposite vectors, directions do not; low-norm neurons are dropped', () => {
    // 3-d rows: u, −2u, u + small tilt, v ⊥ u, −v, and a tiny row along a third axis
    const w = [1, 0, 0, -2, 0, 0, 1, 0.05, 0, 0, 1, 0, 0, -1, 0, 0, 0, 0.01];
    expect(lineGroups(w, 3, { threshold: 0.99 })).toEqual([[0, 1, 2], [3, 4], [5]]);
    expect(lineGroups(w, 3, { threshold: 0.99, signed: true })).toEqual([[0, 2], [1], [3], [4], [5]]);
    expect(countLines(w, 3, { threshold: 0.99, normFraction: 0.1 })).toBe(2);
    expect(countLines(w, 3, { threshold: 0.999 })).toBe(4); // the tilted row (cos 0.9988) is its own line
    expect(countLines([0, 0, 1, 1], 2, { threshold: 0.9 })).toBe(1); // a zero row is never kept
  });

  it('cluster order: 1-d by angle; otherwise line groups contiguous, largest first, each by cos to its leader', () => {
    expect(clusterOrder(atAngles([1, -2, 0.5, 3]), 2)).toEqual([1, 2, 0, 3]);
    // rows: e1, e2, −e1, e3, −e2·2, e1 + tilt, 0 → groups {0, 2, 5} (leader 0), {1, 4}, {3}; zero row last
    const w = [1, 0, 0, 0, 1, 0, -1, 0, 0, 0, 0, 1, 0, -2, 0, 1, 0.1, 0, 0, 0, 0];
    expect(clusterOrder(w, 3)).toEqual([0, 5, 2, 1, 4, 3, 6]);
  });
});
