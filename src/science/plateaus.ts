// Loss plateaus of a training run (SCIENCE.md §9.1, T7.3). Training from small initialisation is
// multi-scale: every plateau lasts longer than the one before (≈ 10², 10³, 10⁴ steps in the §9.1
// example), so flatness is judged on a logarithmic step grid, where each sample is a fixed fraction
// later than the one before:
//   logStepGrid:     steps 0 and round(10^(i/perDecade)) up to maxSteps
//   findPlateaus:    maximal stretches of consecutive samples whose loss changes by less than a
//                    relative tolerance from one sample to the next, spanning a minimum step ratio
//   plateauReading:  the sample at which a plateau's state is read: the sample nearest its geometric
//                    middle √(first·last); for the initial plateau (it holds step 0, where the weights
//                    are still random and condense during the plateau) its last sample
//   largestDecrease: the largest fall between consecutive values of a sequence (0 if none falls)

/** Step 0 and the distinct steps round(10^(i/perDecade)) ≤ maxSteps, ascending. */
export function logStepGrid(maxSteps: number, perDecade: number): number[] {
  const steps = [0];
  for (let i = 0; 10 ** (i / perDecade) <= maxSteps * (1 + 1e-12); i++) {
    const s = Math.round(10 ** (i / perDecade));
    if (s > steps[steps.length - 1]) steps.push(s);
  }
  return steps;
}

/** A plateau as the indices of its first and last samples. */
export interface Plateau {
  first: number;
  last: number;
}

export interface PlateauRule {
  /** largest relative change |R(next) − R| / R between consecutive samples on a plateau */
  tol: number;
  /** least ratio last step / first step of a plateau (a plateau starting at step 0 always spans) */
  minSpan: number;
}

/** Plateaus of a loss curve sampled at ascending `steps` (see the file header). */
export function findPlateaus(steps: readonly number[], loss: readonly number[], rule: PlateauRule): Plateau[] {
  if (steps.length !== loss.length) throw new Error(`findPlateaus: ${steps.length} steps but ${loss.length} loss values`);
  const out: Plateau[] = [];
  const close = (first: number, last: number) => {
    if (last > first && steps[last] >= rule.minSpan * steps[first]) out.push({ first, last });
  };
  let first = 0;
  for (let i = 1; i < steps.length; i++) {
    const flat = Math.abs(loss[i] - loss[i - 1]) < rule.tol * loss[i - 1];
    if (!flat) {
      close(first, i - 1);
      first = i;
    }
  }
  close(first, steps.length - 1);
  return out;
}

/** Index of the sample at which plateau `p` is read (see the file header). */
export function plateauReading(steps: readonly number[], p: Plateau): number {
  if (steps[p.first] === 0) return p.last;
  const middle = Math.log(steps[p.first] * steps[p.last]) / 2;
  let best = p.first;
  for (let i = p.first + 1; i <= p.last; i++) if (Math.abs(Math.log(steps[i]) - middle) < Math.abs(Math.log(steps[best]) - middle)) best = i;
  return best;
}

/** max over i of xs[i − 1] − xs[i], and 0 when the sequence never falls (NaN for fewer than 2 values). */
export function largestDecrease(xs: readonly number[]): number {
  if (xs.length < 2) return NaN;
  let drop = 0;
  for (let i = 1; i < xs.length; i++) drop = Math.max(drop, xs[i - 1] - xs[i]);
  return drop;
}
