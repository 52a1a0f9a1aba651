// The phase grid of SCIENCE.md §3.5 as RunSpecs: (γ, γ′) on a 5 × 5 grid × widths × seeds, ReLU on
// Luo et al.'s 4 points, ASI, GD with the luo2021 learning rate and halve-and-restart, trained
// until R < 1e-5. Grouped by width: each group is one WebGPU shape family (one batch).

const PHASE_GAMMAS = [0.6, 0.8, 1.0, 1.2, 1.4];
const PHASE_GAMMA_PRIMES = [-0.4, -0.2, 0, 0.2, 0.4];
const PHASE_WIDTHS = [250, 500, 1000, 2000];
const PHASE_SEEDS = [0, 1];

export interface PhaseGridOptions {
  gammas?: number[];
  gammaPrimes?: number[];
  widths?: number[];
  seeds?: number[];
  maxSteps?: number;
}

/** RunSpecs grouped by width, in grid order (γ′ outer, γ inner, seeds innermost). */
export function phaseGridSpecs(o: PhaseGridOptions = {}): { width: number; specs: object[] }[] {
  return (o.widths ?? PHASE_WIDTHS).map((width) => ({
    width,
    specs: (o.gammaPrimes ?? PHASE_GAMMA_PRIMES).flatMap((gammaPrime) =>
      (o.gammas ?? PHASE_GAMMAS).flatMap((gamma) =>
        (o.seeds ?? PHASE_SEEDS).map((seed) => ({
          data: { preset: 'luo2021-4pt' },
          model: { width, activation: 'relu', asi: true },
          init: { gamma, gammaPrime },
          optimizer: { kind: 'gd' },
          lr: { rule: 'luo2021', halveOnIncrease: true },
          stop: { maxSteps: o.maxSteps ?? 400_000, lossBelow: 1e-5 },
          seed,
        })),
      ),
    ),
  }));
}
