// Eigenvalues and eigenvectors of a small symmetric matrix by cyclic Jacobi rotations (exact to a few
// ulps of max|λ| for the tens of parameters of the embedding checks), and the inertia of a Hessian:
// the numbers of negative, zero and positive eigenvalues with a stated relative tolerance.

export interface Eigen {
  /** ascending */
  values: number[];
  /** vectors[k] is the unit eigenvector of values[k] */
  vectors: number[][];
}

/** Cyclic Jacobi until every off-diagonal entry is below 1e-15·‖A‖_F (at most 100 sweeps). */
export function symmetricEigen(A: number[][]): Eigen {
  const N = A.length;
  const a = A.map((r) => r.slice());
  const V = Array.from({ length: N }, (_, i) => Array.from({ length: N }, (_, j): number => (i === j ? 1 : 0)));
  const frob = Math.hypot(...a.flat());
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < N; p++) for (let q = p + 1; q < N; q++) off = Math.max(off, Math.abs(a[p][q]));
    if (off <= 1e-15 * frob) break;
    for (let p = 0; p < N; p++) {
      for (let q = p + 1; q < N; q++) {
        if (a[p][q] === 0) continue;
        // rotation that zeroes a[p][q] (Golub & Van Loan, Alg. 8.4.1)
        const tau = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t),
          s = t * c;
        for (let k = 0; k < N; k++) {
          const akp = a[k][p],
            akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < N; k++) {
          const apk = a[p][k],
            aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        for (let k = 0; k < N; k++) {
          const vkp = V[k][p],
            vkq = V[k][q];
          V[k][p] = c * vkp - s * vkq;
          V[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: N }, (_, i) => i).sort((i, j) => a[i][i] - a[j][j]);
  return { values: order.map((i) => a[i][i]), vectors: order.map((i) => V.map((row) => row[i])) };
}

export interface Inertia {
  negative: number;
  zero: number;
  positive: number;
}

/** Default zero tolerance of SCIENCE.md §7.5 T5.3 (pilots/embed.py): |λ| ≤ 1e-9·max(1, max|λ|). */
const ZERO_TOLERANCE = 1e-9;

/** Counts of eigenvalues below −τ, within ±τ and above τ, τ = tol·max(1, max|λ|) over `reference` (default: `values`). */
export function inertia(values: number[], tol = ZERO_TOLERANCE, reference = values): Inertia {
  const tau = tol * Math.max(1, ...reference.map(Math.abs));
  return {
    negative: values.filter((v) => v < -tau).length,
    zero: values.filter((v) => Math.abs(v) <= tau).length,
    positive: values.filter((v) => v > tau).length,
  };
}
