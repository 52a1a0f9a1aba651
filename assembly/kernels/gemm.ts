// f32 GEMM C = op(A)·op(B) in three forms (nn: A·B, tn: Aᵀ·B, nt: A·Bᵀ) and the two GEMVs of the
// two-layer network. Row-major, strides in elements.
//
// Reduction order (all GEMM forms): every C[i][j] is ((0 + a₀b₀) + a₁b₁) + … + a_{K−1}b_{K−1},
// sequential over k, one f32 rounding per multiply and per add (no fusion). The blocking below
// (panels of B of KC × NC, of A of MC × KC, a 4 × 8 f32x4 register tile) never reorders that sum:
// a K block stores C and the next one reloads it, which is exact. Partial tiles are packed with
// zeros and go through a scratch tile, so any M, N, K works. src/reference/gemm.ts is the scalar twin.

const MR = 4;
const NR = 8;
const KC = 256;
const MC = 128;
const NC = 512;
const BP_BYTES: usize = KC * NC * 4;
const AP_BYTES: usize = MC * KC * 4;
const TILE_BYTES: usize = MR * NR * 4;

/** Bytes of the host-owned workspace every GEMM call needs (16-byte aligned pointer). */
export function gemm_workspace_bytes(): i32 {
  return <i32>(BP_BYTES + AP_BYTES + TILE_BYTES);
}

/** Pack kc × nc of op(B) starting at (pc, jc) into NR-wide panels, k-major, zero-padded. */
@inline
function packB(tb: bool, kc: i32, nc: i32, B: usize, ldb: i32, pc: i32, jc: i32, Bp: usize): void {
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const nr = min(NR, nc - j0);
    const panel = Bp + ((<usize>j0 * <usize>kc) << 2);
    if (!tb) {
      for (let p = 0; p < kc; p++) {
        const src = B + ((<usize>(pc + p) * <usize>ldb + <usize>(jc + j0)) << 2);
        const dst = panel + ((<usize>p * NR) << 2);
        if (nr == NR) {
          v128.store(dst, v128.load(src));
          v128.store(dst, v128.load(src, 16), 16);
        } else {
          for (let l = 0; l < NR; l++) store<f32>(dst + ((<usize>l) << 2), l < nr ? load<f32>(src + ((<usize>l) << 2)) : 0);
        }
      }
    } else {
      for (let l = 0; l < NR; l++) {
        const dst = panel + ((<usize>l) << 2);
        if (l < nr) {
          const src = B + ((<usize>(jc + j0 + l) * <usize>ldb + <usize>pc) << 2);
          for (let p = 0; p < kc; p++) store<f32>(dst + ((<usize>p * NR) << 2), load<f32>(src + ((<usize>p) << 2)));
        } else {
          for (let p = 0; p < kc; p++) store<f32>(dst + ((<usize>p * NR) << 2), 0);
        }
      }
    }
  }
}

/** Pack mc × kc of op(A) starting at (ic, pc) into MR-tall panels, k-major, zero-padded. */
@inline
function packA(ta: bool, mc: i32, kc: i32, A: usize, lda: i32, ic: i32, pc: i32, Ap: usize): void {
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const mr = min(MR, mc - i0);
    const panel = Ap + ((<usize>i0 * <usize>kc) << 2);
    if (!ta && mr == MR) {
      // four rows at a time, four k at a time: a 4 × 4 transpose in registers
      const ldaB = (<usize>lda) << 2;
      const r0 = A + ((<usize>(ic + i0) * <usize>lda + <usize>pc) << 2);
      const k4 = kc & ~3;
      for (let p = 0; p < k4; p += 4) {
        const src = r0 + ((<usize>p) << 2), dst = panel + ((<usize>p * MR) << 2);
        const a = v128.load(src), b = v128.load(src + ldaB), c = v128.load(src + 2 * ldaB), d = v128.load(src + 3 * ldaB);
        const ab01 = v128.shuffle<f32>(a, b, 0, 4, 1, 5), ab23 = v128.shuffle<f32>(a, b, 2, 6, 3, 7);
        const cd01 = v128.shuffle<f32>(c, d, 0, 4, 1, 5), cd23 = v128.shuffle<f32>(c, d, 2, 6, 3, 7);
        v128.store(dst, v128.shuffle<f32>(ab01, cd01, 0, 1, 4, 5));
        v128.store(dst, v128.shuffle<f32>(ab01, cd01, 2, 3, 6, 7), 16);
        v128.store(dst, v128.shuffle<f32>(ab23, cd23, 0, 1, 4, 5), 32);
        v128.store(dst, v128.shuffle<f32>(ab23, cd23, 2, 3, 6, 7), 48);
      }
      for (let p = k4; p < kc; p++) {
        for (let l = 0; l < MR; l++) store<f32>(panel + ((<usize>(p * MR + l)) << 2), load<f32>(r0 + <usize>l * ldaB + ((<usize>p) << 2)));
      }
    } else if (!ta) {
      for (let l = 0; l < MR; l++) {
        const dst = panel + ((<usize>l) << 2);
        if (l < mr) {
          const src = A + ((<usize>(ic + i0 + l) * <usize>lda + <usize>pc) << 2);
          for (let p = 0; p < kc; p++) store<f32>(dst + ((<usize>p * MR) << 2), load<f32>(src + ((<usize>p) << 2)));
        } else {
          for (let p = 0; p < kc; p++) store<f32>(dst + ((<usize>p * MR) << 2), 0);
        }
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const src = A + ((<usize>(pc + p) * <usize>lda + <usize>(ic + i0)) << 2);
        const dst = panel + ((<usize>p * MR) << 2);
        if (mr == MR) {
          v128.store(dst, v128.load(src));
        } else {
          for (let l = 0; l < MR; l++) store<f32>(dst + ((<usize>l) << 2), l < mr ? load<f32>(src + ((<usize>l) << 2)) : 0);
        }
      }
    }
  }
}

/** 4 × 8 register tile: C (row stride ldcB bytes) = (first ? 0 : C) + Σₚ a[p]·b[p], p sequential. */
@inline
function micro(kc: i32, a: usize, b: usize, c: usize, ldcB: usize, first: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  if (!first) {
    c00 = v128.load(c); c01 = v128.load(c, 16);
    c10 = v128.load(c + ldcB); c11 = v128.load(c + ldcB, 16);
    c20 = v128.load(c + 2 * ldcB); c21 = v128.load(c + 2 * ldcB, 16);
    c30 = v128.load(c + 3 * ldcB); c31 = v128.load(c + 3 * ldcB, 16);
  }
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    const a0 = v128.load32_splat(a);
    c00 = f32x4.add(c00, f32x4.mul(a0, b0));
    c01 = f32x4.add(c01, f32x4.mul(a0, b1));
    const a1 = v128.load32_splat(a, 4);
    c10 = f32x4.add(c10, f32x4.mul(a1, b0));
    c11 = f32x4.add(c11, f32x4.mul(a1, b1));
    const a2 = v128.load32_splat(a, 8);
    c20 = f32x4.add(c20, f32x4.mul(a2, b0));
    c21 = f32x4.add(c21, f32x4.mul(a2, b1));
    const a3 = v128.load32_splat(a, 12);
    c30 = f32x4.add(c30, f32x4.mul(a3, b0));
    c31 = f32x4.add(c31, f32x4.mul(a3, b1));
    a += MR * 4;
    b += NR * 4;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + ldcB, c10); v128.store(c + ldcB, c11, 16);
  v128.store(c + 2 * ldcB, c20); v128.store(c + 2 * ldcB, c21, 16);
  v128.store(c + 3 * ldcB, c30); v128.store(c + 3 * ldcB, c31, 16);
}

@inline
function gemm(ta: bool, tb: bool, M: i32, N: i32, K: i32, A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32, work: usize): void {
  const Bp = work;
  const Ap = work + BP_BYTES;
  const tile = Ap + AP_BYTES;
  const ldcB = (<usize>ldc) << 2;
  if (K == 0) {
    for (let i = 0; i < M; i++) memory.fill(C + <usize>i * ldcB, 0, (<usize>N) << 2);
    return;
  }
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      const first = pc == 0;
      packB(tb, kc, nc, B, ldb, pc, jc, Bp);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = min(MC, M - ic);
        packA(ta, mc, kc, A, lda, ic, pc, Ap);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bPanel = Bp + ((<usize>jr * <usize>kc) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const aPanel = Ap + ((<usize>ir * <usize>kc) << 2);
            const c = C + ((<usize>(ic + ir) * <usize>ldc + <usize>(jc + jr)) << 2);
            if (mr == MR && nr == NR) {
              micro(kc, aPanel, bPanel, c, ldcB, first);
            } else {
              if (!first) {
                for (let r = 0; r < mr; r++) memory.copy(tile + <usize>(r * NR * 4), c + <usize>r * ldcB, (<usize>nr) << 2);
              }
              micro(kc, aPanel, bPanel, tile, NR * 4, first);
              for (let r = 0; r < mr; r++) memory.copy(c + <usize>r * ldcB, tile + <usize>(r * NR * 4), (<usize>nr) << 2);
            }
          }
        }
      }
    }
  }
}

/** C (M×N, ldc) = A (M×K, lda) · B (K×N, ldb). */
export function gemm_nn(M: i32, N: i32, K: i32, A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32, work: usize): void {
  gemm(false, false, M, N, K, A, lda, B, ldb, C, ldc, work);
}

/** C (M×N, ldc) = Aᵀ · B with A stored K×M (lda), B stored K×N (ldb). */
export function gemm_tn(M: i32, N: i32, K: i32, A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32, work: usize): void {
  gemm(true, false, M, N, K, A, lda, B, ldb, C, ldc, work);
}

/** C (M×N, ldc) = A · Bᵀ with A stored M×K (lda), B stored N×K (ldb). */
export function gemm_nt(M: i32, N: i32, K: i32, A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32, work: usize): void {
  gemm(false, true, M, N, K, A, lda, B, ldb, C, ldc, work);
}

const GEMV_TAIL: usize = memory.data(32, 16);

/**
 * y[i] = scale·Σₖ A[i][k]·x[k] for A M×K (lda). Order: four lane sums sₗ over k ≡ l (mod 4), each
 * sequential in k (the last partial group is padded with 0·0), then ((s₀ + s₁) + (s₂ + s₃))·scale.
 */
export function gemv_n(M: i32, K: i32, A: usize, lda: i32, x: usize, y: usize, scale: f32): void {
  const k4 = K & ~3;
  const rem = <usize>(K - k4) << 2;
  v128.store(GEMV_TAIL, f32x4.splat(0));
  v128.store(GEMV_TAIL, f32x4.splat(0), 16);
  if (rem > 0) memory.copy(GEMV_TAIL + 16, x + ((<usize>k4) << 2), rem);
  for (let i = 0; i < M; i++) {
    const row = A + ((<usize>i * <usize>lda) << 2);
    let s = f32x4.splat(0);
    for (let k = 0; k < k4; k += 4) {
      const off = (<usize>k) << 2;
      s = f32x4.add(s, f32x4.mul(v128.load(row + off), v128.load(x + off)));
    }
    if (rem > 0) {
      memory.copy(GEMV_TAIL, row + ((<usize>k4) << 2), rem);
      s = f32x4.add(s, f32x4.mul(v128.load(GEMV_TAIL), v128.load(GEMV_TAIL, 16)));
    }
    const t = (f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1)) + (f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
    store<f32>(y + ((<usize>i) << 2), t * scale);
  }
}

/**
 * y[k] = scale·Σᵢ A[i][k]·x[i] for A M×K (lda), y of length K. Order: sequential over i per output,
 * starting from 0, then one multiply by scale.
 */
export function gemv_t(M: i32, K: i32, A: usize, lda: i32, x: usize, y: usize, scale: f32): void {
  memory.fill(y, 0, (<usize>K) << 2);
  for (let i = 0; i < M; i++) {
    const row = A + ((<usize>i * <usize>lda) << 2);
    const xi = load<f32>(x + ((<usize>i) << 2));
    const vx = f32x4.splat(xi);
    let k = 0;
    for (; k + 4 <= K; k += 4) {
      const off = (<usize>k) << 2;
      v128.store(y + off, f32x4.add(v128.load(y + off), f32x4.mul(vx, v128.load(row + off))));
    }
    for (; k < K; k++) {
      const off = (<usize>k) << 2;
      store<f32>(y + off, load<f32>(y + off) + xi * load<f32>(row + off));
    }
  }
  const vs = f32x4.splat(scale);
  let k = 0;
  for (; k + 4 <= K; k += 4) {
    const off = (<usize>k) << 2;
    v128.store(y + off, f32x4.mul(v128.load(y + off), vs));
  }
  for (; k < K; k++) {
    const off = (<usize>k) << 2;
    store<f32>(y + off, load<f32>(y + off) * scale);
  }
}
