// The direction field's root lines (src/science/direction-field.ts) on forms and data whose roots are
// known: a factored cubic, the quadratic of p = 2 with its stability from the eigenvalues of
// K = Σ eᵢx̃ᵢx̃ᵢᵀ, the line u₂ = 0 (û infinite), and p = 1's line of z = Σ eᵢx̃ᵢ.
import { describe, it, expect } from 'vitest';
import { zeroLines, directionFieldLines, distanceToLines } from '../src/science/direction-field.js';
import { condensationDirection } from '../src/science/condensation-direction.js';

/** the angle θ ∈ [0, π) of the line û = u₁/u₂ (u = (cos θ, sin θ)) */
const lineOf = (uHat: number) => Math.atan2(1, uHat);

describe('zeroLines', () => {
  it('finds the three lines of (u₁ − 2u₂)(u₁ + u₂)u₂: û = 2, û = −1 and u₂ = 0 (θ = 0), once each', () => {
    const roots = zeroLines((u1, u2) => (u1 - 2 * u2) * (u1 + u2) * u2);
    expect(roots).toHaveLength(3);
    [0, lineOf(2), lineOf(-1)].forEach((theta, i) => expect(roots[i]).toBeCloseTo(theta, 12));
  });

  it('finds a root just short of θ = π as the same line as θ = 0', () => {
    const eps = 1e-7;
    const roots = zeroLines((u1, u2) => u2 * Math.cos(eps) + u1 * Math.sin(eps)); // the line at θ = π − ε
    expect(roots).toHaveLength(1);
    expect(distanceToLines(1, 0, roots)).toBeCloseTo(eps, 12);
  });
});

describe('directionFieldLines', () => {
  it('p = 2: the roots of −S₁û² + (S₂ − S₀)û + S₁ = 0 (Sₖ = Σ eᵢxᵢᵏ), both stable when K is indefinite', () => {
    const x = [-1, -0.3, 0.4, 1.2, 1.5],
      e = [0.5, -1, 0.2, 0.8, -0.6];
    const S = [0, 1, 2].map((k) => e.reduce((s, ei, i) => s + ei * x[i] ** k, 0));
    const disc = Math.sqrt((S[2] - S[0]) ** 2 + 4 * S[1] ** 2);
    const expected = [(S[2] - S[0] + disc) / (2 * S[1]), (S[2] - S[0] - disc) / (2 * S[1])].map(lineOf).sort((p, q) => p - q);
    // K = [[S₂, S₁], [S₁, S₀]]: det < 0 makes it indefinite
    expect(S[2] * S[0] - S[1] ** 2).toBeLessThan(0);
    const lines = directionFieldLines(x, e, 2);
    expect(lines.map((l) => l.angle)).toHaveLength(2);
    lines.forEach((l, i) => expect(l.angle).toBeCloseTo(expected[i], 12));
    expect(lines.map((l) => l.stable)).toEqual([true, true]);
  });

  it('p = 2 with a definite K: only the eigenvector of the larger |eigenvalue| is stable; u₂ = 0 found exactly', () => {
    // Σ eᵢxᵢ = 0, Σ eᵢxᵢ² = 2, Σ eᵢ = 3: K = diag(2, 3), root lines θ = 0 (κ = 2) and θ = π/2 (κ = 3)
    const lines = directionFieldLines([-1, 1, 2, 0], [1, 1, 0, 1], 2);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({ angle: 0, stable: false });
    expect(lines[1].angle).toBeCloseTo(Math.PI / 2, 12);
    expect(lines[1].stable).toBe(true);
  });

  it('p = 3: the line u₂ = 0 (û infinite) when Σ eᵢxᵢ² = 0, and every root solves §6.1 in the angle', () => {
    const x = [-1, 1, 2, 0.5],
      e = [2, 2, -1, 0];
    const lines = directionFieldLines(x, e, 3);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines.length).toBeLessThanOrEqual(3);
    expect(
      distanceToLines(
        1,
        0,
        lines.map((l) => l.angle),
      ),
    ).toBeLessThan(1e-12);
    // Σᵢ (u₁xᵢ + u₂)²eᵢxᵢ·u₂ = u₁·Σᵢ (u₁xᵢ + u₂)²eᵢ: §6.1's equation times u₂³
    for (const { angle } of lines) {
      const [u1, u2] = [Math.cos(angle), Math.sin(angle)];
      const lhs = u2 * e.reduce((s, ei, i) => s + (u1 * x[i] + u2) ** 2 * ei * x[i], 0);
      const rhs = u1 * e.reduce((s, ei, i) => s + (u1 * x[i] + u2) ** 2 * ei, 0);
      expect(lhs - rhs).toBeCloseTo(0, 12);
    }
  });

  it('p = 1: one stable line, that of z = Σ eᵢx̃ᵢ', () => {
    const x = [-1, -0.2, 0.7, 1.4],
      e = [0.3, -0.9, 0.4, 1.1];
    const z = condensationDirection(
      x.flatMap((v) => [v, 1]),
      e,
    );
    const lines = directionFieldLines(x, e, 1);
    expect(lines).toHaveLength(1);
    expect(lines[0].stable).toBe(true);
    expect(distanceToLines(z[0], z[1], [lines[0].angle])).toBeLessThan(1e-12);
  });

  it('refuses mismatched data and a multiplicity below 1', () => {
    expect(() => directionFieldLines([1, 2], [1], 2)).toThrow(/2 inputs and 1 residuals/);
    expect(() => directionFieldLines([1], [1], 0)).toThrow(/multiplicity/);
  });
});

describe('distanceToLines', () => {
  it('is the angle to the nearest line, the same for a direction and its opposite, at most π/2', () => {
    const lines = [0.1, Math.PI / 2];
    expect(distanceToLines(Math.cos(0.3), Math.sin(0.3), lines)).toBeCloseTo(0.2, 12);
    expect(distanceToLines(-Math.cos(0.3), -Math.sin(0.3), lines)).toBeCloseTo(0.2, 12);
    expect(distanceToLines(Math.cos(3), Math.sin(3), [0])).toBeCloseTo(Math.PI - 3, 12);
    expect(distanceToLines(0, 1, [0])).toBeCloseTo(Math.PI / 2, 12);
  });
});
