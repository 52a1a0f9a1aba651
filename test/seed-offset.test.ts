// Moving a RunSpec's seeds (condensa suite --seed-offset): the run's seed and the seed of generated
// data move; fixed points, real digits and inline data have none and stay.
import { describe, it, expect } from 'vitest';
import { offsetSeeds, parseSeedOffset } from '../src/engine/seed-offset.js';

describe('offsetSeeds', () => {
  it('moves the run seed and the seed of generated data (default 0)', () => {
    expect(offsetSeeds({ seed: 3, data: { preset: 'sin5d', seed: 2 } }, 10)).toEqual({ seed: 13, data: { preset: 'sin5d', seed: 12 } });
    expect(offsetSeeds({ seed: 0, data: { preset: 'teacher10d', n: 40 } }, 5)).toEqual({ seed: 5, data: { preset: 'teacher10d', n: 40, seed: 5 } });
    expect(offsetSeeds({ seed: 1, data: { preset: 'gauss-images', n: 100, seed: 4 } }, 2)).toEqual({
      seed: 3,
      data: { preset: 'gauss-images', n: 100, seed: 6 },
    });
  });

  it('leaves data without a seed alone, and offset 0 returns the spec itself', () => {
    for (const data of [{ preset: 'luo2021-4pt' }, { preset: 'mnist', classes: [0, 6], offset: 50 }, { x: [[1]], y: [1] }]) {
      expect(offsetSeeds({ seed: 2, data }, 3)).toEqual({ seed: 5, data });
    }
    const spec = { seed: 2, data: { preset: 'sin1d' } };
    expect(offsetSeeds(spec, 0)).toBe(spec);
  });

  it('takes integers 0 … 1,000,000 and names what it refuses', () => {
    expect(parseSeedOffset('12', '--seed-offset')).toBe(12);
    for (const bad of ['', '1.5', '-1', 'x', '1000001'])
      expect(() => parseSeedOffset(bad, '--seed-offset')).toThrow(`--seed-offset must be an integer from 0 to 1000000, got ${JSON.stringify(bad)}`);
  });
});
