// The direction field of a 1-d input network in the initial stage (Zhou et al., NeurIPS 2022; SCIENCE.md
// §6.1, T4.5), in f64. A neuron w = r·u, u = (cos θ, sin θ) = (input weight, bias weight)/‖w‖, of a
// multiplicity-p activation (σ′(z) ≈ c·z^{p−1}, c > 0) under gradient flow with residual eᵢ = f(xᵢ) − yᵢ:
//   ẇ ∝ −a·F(u),  F(u) = Σᵢ eᵢ sᵢ^{p−1} x̃ᵢ,  sᵢ = u·x̃ᵢ,  x̃ᵢ = (xᵢ, 1),
//   θ̇ ∝ −a·G(u),  G(u) = u₁F₂ − u₂F₁ = Σᵢ eᵢ sᵢ^{p−1} (u₁ − u₂xᵢ),
//   ṙ, ȧ ∝ −a·P(u), −P(u),  P(u) = u·F(u) = Σᵢ eᵢ sᵢ^p.
// u stops turning where G(u) = 0: −G/u₂^p is §6.1's p-th order equation in û = u₁/u₂, so there are at most
// p such lines. G is a form of degree p in (u₁, u₂), so its zeros are lines; they are found in the angle θ
// on the half circle [0, π) (sampled, sign changes bisected), which keeps the line u₂ = 0 (û infinite)
// as any other. A double root (two roots closer than π/FIELD_SAMPLES) is not found: it is no crossing.
//
// Stable lines. A neuron grows only when a·P(u) < 0 (then r and |a| grow together), so on a growing
// neuron sign(a) = −sign(P) and θ̇ ∝ sign(P(u))·G(u): a root θ* attracts the growing neurons around it
// when P(θ*)·G′(θ*) < 0. This is a property of the line (u and −u give the same product); the shrinking
// neurons (a·P > 0) turn the other way and gather on the unstable roots. The sign of a
// matters: with a fixed a > 0 (the field ω̇ = −(1/n)Σ eᵢx̃ᵢσ′(ω·x̃ᵢ) as drawn) a p = 2 field has one
// attracting line of its two, while Fig. 6 shows two stable lines for x·tanh. For p = 2, F(u) = Ku with
// K = Σ eᵢx̃ᵢx̃ᵢᵀ: the root lines are K's eigenvectors, both stable when K is indefinite and only the one
// of the larger |eigenvalue| when it is definite (the neurons of one sign of a grow along it). p = 1: the
// one root line is that of z = Σ eᵢx̃ᵢ, always stable. The measures read the stable lines: on the
// multiplicity suite's x·tanh and x²·tanh runs no line sits on an unstable root, and the number of
// stable lines matches the number of condensed lines on most seeds (suites/multiplicity.suite.ts, T4.5).

/** θ samples on [0, π] for the sign changes of a form; roots are then bisected to full precision. */
const FIELD_SAMPLES = 720;

/** A zero line of the direction field: u = ±(cos angle, sin angle), angle ∈ [0, π). */
export interface FieldLine {
  angle: number;
  /** the growing neurons near the line turn towards it (P·G′ < 0) */
  stable: boolean;
}

/**
 * The angles θ ∈ [0, π) of the lines where the homogeneous form g(u₁, u₂) changes sign on the unit circle
 * (g(−u) = ±g(u), so its zeros are lines), ascending; θ = 0 is the line u₂ = 0.
 */
export function zeroLines(form: (u1: number, u2: number) => number, samples = FIELD_SAMPLES): number[] {
  // θ = π is evaluated at (−1, 0) exactly, so that a root on the line u₂ = 0 is found once, at θ = 0
  const at = (theta: number) => (theta === Math.PI ? form(-1, 0) : form(Math.cos(theta), Math.sin(theta)));
  const roots: number[] = [];
  let lo = 0,
    gLo = at(0);
  for (let j = 1; j <= samples; j++) {
    const hi = j === samples ? Math.PI : (j * Math.PI) / samples,
      gHi = at(hi);
    if (gLo === 0) roots.push(lo);
    else if (gLo * gHi < 0) roots.push(bisect(at, lo, hi, gLo));
    [lo, gLo] = [hi, gHi];
  }
  return roots;
}

function bisect(g: (theta: number) => number, lo: number, hi: number, gLo: number): number {
  for (let k = 0; k < 60 && hi - lo > 1e-15; k++) {
    const mid = (lo + hi) / 2,
      gMid = g(mid);
    if (gMid === 0) return mid;
    if (gMid * gLo < 0) hi = mid;
    else [lo, gLo] = [mid, gMid];
  }
  return (lo + hi) / 2;
}

/**
 * The root lines of §6.1's p-th order equation for 1-d inputs x (n) and residual e (n; the theory's
 * initial residual is e = −y): the zeros of G(u) = Σᵢ eᵢ(u₁xᵢ + u₂)^{p−1}(u₁ − u₂xᵢ), each with its
 * stability for the growing neurons (header). At most p lines.
 */
export function directionFieldLines(x: ArrayLike<number>, e: ArrayLike<number>, p: number): FieldLine[] {
  if (x.length !== e.length) throw new Error(`directionFieldLines: ${x.length} inputs and ${e.length} residuals`);
  if (!Number.isInteger(p) || p < 1) throw new Error(`directionFieldLines: multiplicity p must be an integer ≥ 1, got ${p}`);
  const sums = (u1: number, u2: number) => {
    let G = 0,
      dG = 0,
      P = 0;
    for (let i = 0; i < x.length; i++) {
      const s = u1 * x[i] + u2,
        t = u1 - u2 * x[i]; // ds/dθ = t, dt/dθ = −s
      G += e[i] * s ** (p - 1) * t;
      if (p > 1) dG += (p - 1) * e[i] * s ** (p - 2) * t * t;
      P += e[i] * s ** p;
    }
    return { G, dG: dG - P, P };
  };
  return zeroLines((u1, u2) => sums(u1, u2).G).map((angle) => {
    const { dG, P } = sums(Math.cos(angle), Math.sin(angle));
    return { angle, stable: P * dG < 0 };
  });
}

/** The angle (radians, 0 … π/2) between the direction of (w₁, w₂) and the nearest of the lines at `angles`. */
export function distanceToLines(w1: number, w2: number, angles: readonly number[]): number {
  const phi = Math.atan2(w2, w1);
  return Math.min(
    ...angles.map((theta) => {
      const d = (((phi - theta) % Math.PI) + Math.PI) % Math.PI;
      return Math.min(d, Math.PI - d);
    }),
  );
}
