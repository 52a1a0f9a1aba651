// Initial condensation of CNN kernels (SCIENCE.md §5.2, pilots/cnn.py), in f64 on the host. With small
// init and σ(z) ≈ z, every kernel K_β of a two-layer CNN turns to ±v1, the top eigenvector of
//   A = Σ_uv P̄_uv P̄_uvᵀ,  P̄_uv = (1/n) Σᵢ yᵢ P_uv(xᵢ),
// where P_uv(x) ∈ R^{C·k·k} is the patch at output position (u, v), flattened in (c, dy, dx) order
// like the kernels. Here: A, v1 with the gap λ1/λ2, and the kernels' |cos(K_β, v1)| (summarised with
// summarizeAlignment of condensation-direction.ts).
import { symmetricEigen } from './symmetric-eigen.js';

export interface PatchGeometry {
  /** image height, width, channels (NHWC samples) */
  H: number;
  W: number;
  C: number;
  k: number;
  stride: number;
  pad: number;
}

/** P̄_uv for every output position, as an (Ho·Wo) × (C·k·k) array of rows; x is n × H × W × C (NHWC). */
export function meanLabelledPatches(x: ArrayLike<number>, y: ArrayLike<number>, g: PatchGeometry): number[][] {
  const n = y.length,
    { H, W, C, k, stride, pad } = g;
  const Ho = Math.floor((H + 2 * pad - k) / stride) + 1,
    Wo = Math.floor((W + 2 * pad - k) / stride) + 1;
  if (x.length !== n * H * W * C) throw new Error(`meanLabelledPatches: x holds ${x.length} numbers, not n × H × W × C = ${n}×${H}×${W}×${C}`);
  const rows: number[][] = [];
  for (let u = 0; u < Ho; u++) {
    for (let v = 0; v < Wo; v++) {
      const p = new Array<number>(C * k * k).fill(0);
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < C; c++)
          for (let dy = 0; dy < k; dy++)
            for (let dx = 0; dx < k; dx++) {
              const h = u * stride + dy - pad,
                w = v * stride + dx - pad;
              if (h >= 0 && h < H && w >= 0 && w < W) p[(c * k + dy) * k + dx] += y[i] * x[((i * H + h) * W + w) * C + c];
            }
      }
      rows.push(p.map((s) => s / n));
    }
  }
  return rows;
}

/** A = Σ_uv P̄_uv P̄_uvᵀ. */
export function patchMatrix(patches: number[][]): number[][] {
  const d = patches[0].length;
  const A = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (const p of patches) for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) A[a][b] += p[a] * p[b];
  return A;
}

/** The top eigenvector v1 of A and the gap λ1/λ2. */
export function topDirection(A: number[][]): { v1: number[]; gap: number } {
  const { values, vectors } = symmetricEigen(A);
  const N = values.length;
  return { v1: vectors[N - 1], gap: values[N - 1] / values[N - 2] };
}
