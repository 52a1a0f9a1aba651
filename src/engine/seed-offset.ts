// Moving every seed of a RunSpec by N (`condensa suite --seed-offset N`), to rerun a suite on seeds
// nobody calibrated it on: the run's seed (initial weights, dropout masks, mini-batch order) and the
// seed of generated data (default 0 when the spec names none). Fixed points (luo2021-4pt), real digits
// (mnist) and inline data have no seed and stay.
import { SEEDED_PRESETS } from './spec.js';
import { SEEDED_IMAGE_PRESETS } from './images.js';

/** The largest offset taken (seeds stay far inside the RunSpec's 32-bit range). */
const MAX_SEED_OFFSET = 1_000_000;

type Json = Record<string, unknown>;

export function offsetSeeds(spec: Json, by: number): Json {
  if (by === 0) return spec;
  const out: Json = { ...spec };
  if (typeof spec.seed === 'number') out.seed = spec.seed + by;
  const data = spec.data as Json | undefined;
  if (data && typeof data === 'object' && [...SEEDED_PRESETS, ...SEEDED_IMAGE_PRESETS].includes(data.preset as string)) {
    out.data = { ...data, seed: (typeof data.seed === 'number' ? data.seed : 0) + by };
  }
  return out;
}

/** A seed offset from the command line or the environment: an integer 0 … MAX_SEED_OFFSET. */
export function parseSeedOffset(text: string, name: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < 0 || n > MAX_SEED_OFFSET) {
    throw new Error(`${name} must be an integer from 0 to ${MAX_SEED_OFFSET}, got ${JSON.stringify(text)}`);
  }
  return n;
}
