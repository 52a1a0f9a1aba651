// Tolerances of GPU results against the WASM truth, as declared beside each WGSL kernel, and the
// check that measures how much of its budget a result used (the parity report prints that ratio).
//   exact:      the same bits (integer work: Philox, masks)
//   ulp(n):     |Δ| ≤ n ulp of the WASM value, or ≤ atol (flushed subnormals, cancellation), plus
//               2⁻²³·scale where a case passes a scale: the magnitude of a product that WGSL may fuse
//               into the next add (p − lr·g: the unfused rounding of lr·g is not in the result's ulp)
//               and the input error that a formula carries through (1 − t² with t within its budget)
//   dot:        |Δ| ≤ K·2⁻²³·Σₖ|aₖbₖ| for a length-K sum in any order with any fusion, plus one ulp
export type Tolerance = { kind: 'exact' } | { kind: 'ulp'; ulps: number; atol: number } | { kind: 'dot' };

const ULP = 2 ** -23;

function ulpOf(x: number): number {
  const a = Math.abs(x);
  if (a < 2 ** -126) return 2 ** -149;
  return 2 ** (Math.floor(Math.log2(a)) - 23);
}

/** Budget for one element; `scale` = K·Σ|aₖbₖ| for dot tolerances, the fused or carried magnitude for ulp ones. */
function budget(tol: Tolerance, want: number, scale = 0): number {
  switch (tol.kind) {
    case 'exact':
      return 0;
    case 'ulp':
      return Math.max(tol.ulps * ulpOf(want), tol.atol) + scale * ULP;
    case 'dot':
      return scale * ULP + ulpOf(want);
  }
}

export interface ParityMeasure {
  /** largest |Δ| / budget over the elements (≤ 1 passes; 0 when bit-identical) */
  worstRatio: number;
  worstIndex: number;
  maxAbsError: number;
  exactFraction: number;
}

export function measureParity(tol: Tolerance, got: ArrayLike<number>, want: ArrayLike<number>, scale?: ArrayLike<number>): ParityMeasure {
  if (tol.kind === 'dot' && !scale) throw new Error('a dot tolerance needs its per-element scale K·Σ|aₖbₖ|');
  let worstRatio = 0,
    worstIndex = -1,
    maxAbsError = 0,
    exact = 0;
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i] - want[i]);
    if (Number.isNaN(got[i]) !== Number.isNaN(want[i])) return { worstRatio: Infinity, worstIndex: i, maxAbsError: Infinity, exactFraction: 0 };
    if (err === 0 || (Number.isNaN(got[i]) && Number.isNaN(want[i]))) {
      exact++;
      continue;
    }
    const b = budget(tol, want[i], scale?.[i] ?? 0);
    const ratio = b === 0 ? Infinity : err / b;
    maxAbsError = Math.max(maxAbsError, err);
    if (ratio > worstRatio) {
      worstRatio = ratio;
      worstIndex = i;
    }
  }
  return { worstRatio, worstIndex, maxAbsError, exactFraction: want.length ? exact / want.length : 1 };
}
