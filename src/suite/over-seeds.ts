// Claims over several seeds take the worst seed (README "Reproduction suites"): the minimum for a
// lower bound, the maximum for an upper bound; a claim whose measure varies widely by seed by nature
// (how many kernels one group gathers), or whose threshold sits in the tail of its seeds' spread (so
// that the worst of a few fresh seeds crosses it now and then), takes the median over its seeds
// instead. Shared by the suites.
import type { ClaimDef } from './define.js';
import { median } from '../science/stats.js';

type Measures = Record<string, number>[];

export function worstOf(op: ClaimDef['op']): (...xs: number[]) => number {
  if (op === '==') throw new Error('a claim with == has no worst seed');
  return op === '>' || op === '>=' ? Math.min : Math.max;
}

/**
 * A claim whose value per seed comes from a group of runs ("part/label" keys, one group per seed):
 * perSeed reads the measures of one group, in its order; the claim takes the worst seed's value.
 */
export function worstSeed(c: Omit<ClaimDef, 'value' | 'uses'>, groups: string[][], perSeed: (ms: Measures) => number): ClaimDef {
  return acrossSeeds(c, groups, perSeed, worstOf(c.op));
}

/** As worstSeed, combining the per-seed values with `combine` (e.g. the median or the mean over seeds). */
export function acrossSeeds(
  c: Omit<ClaimDef, 'value' | 'uses'>,
  groups: string[][],
  perSeed: (ms: Measures) => number,
  combine: (...xs: number[]) => number,
): ClaimDef {
  const value = (ms: Measures) => {
    let at = 0;
    return combine(...groups.map((g) => perSeed(ms.slice(at, (at += g.length)))));
  };
  return { ...c, uses: groups.flat(), value };
}

/** A claim on one measure of the runs part/label, one run per seed: the worst run's value. */
export function overSeeds(c: Omit<ClaimDef, 'value' | 'uses'>, part: string, labels: string[], measure: string): ClaimDef {
  return worstSeed(
    c,
    labels.map((l) => [`${part}/${l}`]),
    ([m]) => m[measure],
  );
}

/** A claim on the median over seeds of one measure of the runs part/label (one run per seed). */
export function medianOverSeeds(c: Omit<ClaimDef, 'value' | 'uses'>, part: string, labels: string[], measure: string): ClaimDef {
  return acrossSeeds(
    c,
    labels.map((l) => [`${part}/${l}`]),
    ([m]) => m[measure],
    (...xs) => median(xs),
  );
}
