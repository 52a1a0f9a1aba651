// f32 GEMM C = op(A)·op(B) in three forms (nn: A·B, tn: Aᵀ·B, nt: A·Bᵀ) and the two GEMVs of the
// two-layer network. Row-major, strides in elements.
//
// Reduction order (all GEMM forms): every C[i][j] is ((0 + a₀b₀) + a₁b₁) + … + a_{K−1}b_{K−1},
// sequential over k, one f32 rounding per multiply and per add (no fusion). The blocking below
// (panels of B of KC × NC, of A of MC × KC, a 4 × 8 f32x4 register tile) never reorders that sum:
// a K block stores C and the next one reloads it, which is exact. Partial tiles are packed with
// zeros and go through a scratch tile, so any M, N, K works; gemm_tn with N < NR, where every tile would
// be partial, skips the packing (narrowTn: the same sums, eight outputs of a column an f32x4 step).
// src/reference/gemm.ts is the scalar twin.
//
// Implicit-GEMM convolution (conv_gemm_nt, conv_gemm_tn): the same loop with op(A) or op(B) the patch
// matrix of an NHWC image, patches[r][q] with r = (i·Ho + u)·Wo + v and q = (c·k + dy)·k + dx (what
// im2col in conv.ts writes), gathered from the image while packing: no column buffer, the same bits as
// im2col then gemm_nt / gemm_tn over the columns. conv_gemm_nt's tiles of four rows on one output row,
// their windows inside the image, are not packed at all: microImage reads their taps in place; and
// conv_gemm_tn with channels in eights and filters in fours packs nothing (filterGradInPlace: the register
// tile over four filters × eight channels of one tap, g's rows and the image read where they lie).

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

// The geometry of the image a patch packer reads (set by the conv_gemm exports before the loop).
let gH = 0, gW = 0, gC = 0, gK = 0, gS = 1, gP = 0, gHo = 1, gWo = 1;
/** Per patch row of a panel: an image's byte offset (A: MR rows of 12 bytes), or the B packer's three
 * arrays of KC: the byte offset of the window's top-left tap, its top row, its left column; then a flag
 * per four rows (a quad). */
const ROW_INFO: usize = memory.data(KC * 16, 16);
/** The B packer's columns: the byte offset of each column's tap from a window's top-left, its dy, its dx. */
const TAP_INFO: usize = memory.data(NC * 12, 16);
/** A row past the last: its window lies far above the image, every tap reads 0. */
const NO_ROW: i32 = -0x40000000;

/** The K (or N) step of a patch operand: whole groups of four channels when C % 4 == 0 and one fits. */
@inline
function patchStep(limit: i32): i32 {
  const kk = gK * gK;
  if ((gC & 3) != 0 || 4 * kk > limit) return limit;
  return (limit / (4 * kk)) * 4 * kk;
}

/** Row r of the patch matrix → its image's byte offset, window top h0 and left w0 (into ROW_INFO slot l). */
@inline
function rowInfo(r: i32, l: i32): void {
  const at = ROW_INFO + <usize>(l * 12);
  const hw = gHo * gWo;
  const i = r / hw, uv = r - i * hw, u = uv / gWo, v = uv - u * gWo;
  store<i32>(at, i * gH * gW * gC * 4);
  store<i32>(at, u * gS - gP, 4);
  store<i32>(at, v * gS - gP, 8);
}

/** patches[r][q] for the row whose image offset, h0, w0 are given; q = (c·k + dy)·k + dx; 0 outside. */
@inline
function tap(X: usize, base: i32, h0: i32, w0: i32, c: i32, dy: i32, dx: i32): f32 {
  const h = h0 + dy, w = w0 + dx;
  if (<u32>h < <u32>gH && <u32>w < <u32>gW) return load<f32>(X + <usize>base + ((<usize>((h * gW + w) * gC + c)) << 2));
  return 0;
}

/**
 * Taps q0 … q0 + count − 1 of one patch row (image offset base, window top h0, left w0), in q order, to
 * dst, dst + step, …; a window inside the image steps a pointer, others test each tap.
 */
@inline
function gatherRow(X: usize, base: i32, h0: i32, w0: i32, q0: i32, count: i32, dst: usize, step: usize): void {
  const k = gK, kk = k * k;
  let c = q0 / kk;
  const rem = q0 - c * kk;
  let dy = rem / k, dx = rem - dy * k;
  if (h0 >= 0 && h0 + k <= gH && w0 >= 0 && w0 + k <= gW) {
    const pixB = (<usize>gC) << 2, rowB = (<usize>(gW * gC)) << 2;
    const corner = X + <usize>base + ((<usize>((h0 * gW + w0) * gC)) << 2);
    let src = corner + <usize>dy * rowB + <usize>dx * pixB + ((<usize>c) << 2);
    for (let j = 0; j < count; j++) {
      store<f32>(dst, load<f32>(src));
      dst += step;
      src += pixB;
      if (++dx == k) {
        dx = 0;
        src += rowB - <usize>k * pixB;
        if (++dy == k) {
          dy = 0;
          c++;
          src = corner + ((<usize>c) << 2);
        }
      }
    }
    return;
  }
  for (let j = 0; j < count; j++) {
    store<f32>(dst, tap(X, base, h0, w0, c, dy, dx));
    dst += step;
    if (++dx == k) {
      dx = 0;
      if (++dy == k) {
        dy = 0;
        c++;
      }
    }
  }
}

/** Pack mc × kc of patches(X) starting at (ic, pc) as packA does op(A): MR-tall panels, k-major, zero-padded;
 * with inPlace, not the tiles the loop reads in place (directRows). */
@inline
function packAImage(mc: i32, kc: i32, X: usize, ic: i32, pc: i32, Ap: usize, inPlace: bool): void {
  const k = gK, kk = k * k, C = gC;
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const mr = min(MR, mc - i0);
    // the loop reads these rows in place (microImage): nothing to pack
    if (inPlace && mr == MR && directRows(X, ic + i0) != 0) continue;
    const panel = Ap + ((<usize>i0 * <usize>kc) << 2);
    for (let l = 0; l < MR; l++) {
      if (l < mr) rowInfo(ic + i0 + l, l);
      else {
        store<i32>(ROW_INFO + <usize>(l * 12), 0);
        store<i32>(ROW_INFO + <usize>(l * 12), NO_ROW, 4);
        store<i32>(ROW_INFO + <usize>(l * 12), NO_ROW, 8);
      }
    }
    const b0 = load<i32>(ROW_INFO), h0 = load<i32>(ROW_INFO, 4), w0 = load<i32>(ROW_INFO, 8);
    const b1 = load<i32>(ROW_INFO, 12), h1 = load<i32>(ROW_INFO, 16), w1 = load<i32>(ROW_INFO, 20);
    const b2 = load<i32>(ROW_INFO, 24), h2 = load<i32>(ROW_INFO, 28), w2 = load<i32>(ROW_INFO, 32);
    const b3 = load<i32>(ROW_INFO, 36), h3 = load<i32>(ROW_INFO, 40), w3 = load<i32>(ROW_INFO, 44);
    if ((C & 3) == 0 && 4 * kk <= KC) {
      // four channels of four rows per tap: a 4 × 4 transpose, each channel's column to its own place
      const pixB = (<usize>C) << 2, kkB = (<usize>(kk * MR)) << 2;
      const c0 = pc / kk, c1 = (pc + kc) / kk;
      const zero = f32x4.splat(0);
      for (let dy = 0; dy < k; dy++) {
        const y0 = <u32>(h0 + dy) < <u32>gH, y1 = <u32>(h1 + dy) < <u32>gH;
        const y2 = <u32>(h2 + dy) < <u32>gH, y3 = <u32>(h3 + dy) < <u32>gH;
        for (let dx = 0; dx < k; dx++) {
          const ok0 = y0 && <u32>(w0 + dx) < <u32>gW, ok1 = y1 && <u32>(w1 + dx) < <u32>gW;
          const ok2 = y2 && <u32>(w2 + dx) < <u32>gW, ok3 = y3 && <u32>(w3 + dx) < <u32>gW;
          const p0 = X + <usize>b0 + ((<usize>(((h0 + dy) * gW + w0 + dx) * C)) << 2);
          const p1 = X + <usize>b1 + ((<usize>(((h1 + dy) * gW + w1 + dx) * C)) << 2);
          const p2 = X + <usize>b2 + ((<usize>(((h2 + dy) * gW + w2 + dx) * C)) << 2);
          const p3 = X + <usize>b3 + ((<usize>(((h3 + dy) * gW + w3 + dx) * C)) << 2);
          let dst = panel + ((<usize>(dy * k + dx) * MR) << 2);
          for (let c = c0; c < c1; c += 4) {
            const cB = (<usize>c) << 2;
            const a = ok0 ? v128.load(p0 + cB) : zero, b = ok1 ? v128.load(p1 + cB) : zero;
            const e = ok2 ? v128.load(p2 + cB) : zero, d = ok3 ? v128.load(p3 + cB) : zero;
            const ab01 = v128.shuffle<f32>(a, b, 0, 4, 1, 5), ab23 = v128.shuffle<f32>(a, b, 2, 6, 3, 7);
            const cd01 = v128.shuffle<f32>(e, d, 0, 4, 1, 5), cd23 = v128.shuffle<f32>(e, d, 2, 6, 3, 7);
            v128.store(dst, v128.shuffle<f32>(ab01, cd01, 0, 1, 4, 5));
            v128.store(dst + kkB, v128.shuffle<f32>(ab01, cd01, 2, 3, 6, 7));
            v128.store(dst + 2 * kkB, v128.shuffle<f32>(ab23, cd23, 0, 1, 4, 5));
            v128.store(dst + 3 * kkB, v128.shuffle<f32>(ab23, cd23, 2, 3, 6, 7));
            dst += 4 * kkB;
          }
        }
      }
      continue;
    }
    if (C == 1 && gS == 1 && kc == kk && b3 == b0 && h3 == h0 && w3 == w0 + 3 && w0 >= 0 && w3 + k <= gW) {
      // one channel, stride 1, four neighbours of one output row with their windows inside the row:
      // each tap is four consecutive floats of the image
      for (let dy = 0; dy < k; dy++) {
        const h = h0 + dy;
        let dst = panel + ((<usize>(dy * k * MR)) << 2);
        if (<u32>h >= <u32>gH) {
          for (let dx = 0; dx < k; dx++) {
            v128.store(dst, f32x4.splat(0));
            dst += MR * 4;
          }
          continue;
        }
        let src = X + <usize>b0 + ((<usize>(h * gW + w0)) << 2);
        for (let dx = 0; dx < k; dx++) {
          v128.store(dst, v128.load(src));
          dst += MR * 4;
          src += 4;
        }
      }
      continue;
    }
    // any geometry: each row's taps in q order
    for (let l = 0; l < MR; l++) {
      const at = ROW_INFO + <usize>(l * 12);
      gatherRow(X, load<i32>(at), load<i32>(at, 4), load<i32>(at, 8), pc, kc, panel + ((<usize>l) << 2), MR * 4);
    }
  }
}

/**
 * Pack kc × nc of patches(X) starting at (pc, jc) as packB does op(B): NR-wide panels, k-major,
 * zero-padded. Column by column (four channels a load when C % 4 == 0), each column's kc rows in
 * order, so the stores run down one panel.
 */
@inline
function packBImage(kc: i32, nc: i32, X: usize, pc: i32, jc: i32, Bp: usize): void {
  const k = gK, kk = k * k, C = gC;
  const tail = nc & (NR - 1);
  if (tail != 0) {
    // the last panel's padding columns
    const last = Bp + ((<usize>(nc - tail) * <usize>kc) << 2);
    for (let p = 0; p < kc; p++) for (let l = tail; l < NR; l++) store<f32>(last + ((<usize>(p * NR + l)) << 2), 0);
  }
  // the rows' windows: byte offset of the top-left tap (outside the image when padded), h0, w0;
  // inside: every window lies in the image (no tap needs a bounds test)
  const hw = gHo * gWo;
  let i = pc / hw;
  const uv = pc - i * hw;
  let u = uv / gWo, v = uv - u * gWo;
  let inside = true,
    quadIn = true;
  for (let p = 0; p < kc; p++) {
    const h0 = u * gS - gP, w0 = v * gS - gP;
    const at = ROW_INFO + ((<usize>p) << 2);
    store<i32>(at, (((i * gH + h0) * gW + w0) * C) << 2);
    store<i32>(at + KC * 4, h0);
    store<i32>(at + KC * 8, w0);
    const rowIn = h0 >= 0 && h0 + k <= gH && w0 >= 0 && w0 + k <= gW;
    inside = inside && rowIn;
    // a quad: rows p − 3 … p consecutive in one output row, their windows inside the image
    quadIn = (p & 3) == 0 ? rowIn : quadIn && rowIn;
    if ((p & 3) == 3) store<i32>(ROW_INFO + KC * 12 + ((<usize>(p - 3)) << 2), <i32>(quadIn && v >= 3));
    if (++v == gWo) {
      v = 0;
      if (++u == gHo) {
        u = 0;
        i++;
      }
    }
  }
  // column j's place in the panels: panel j / NR, lane j % NR
  const c0 = jc / kk;
  const rowStep: usize = NR * 4;
  if ((C & 3) == 0 && 4 * kk <= NC) {
    const c1 = (jc + nc) / kk;
    for (let dy = 0; dy < k; dy++) {
      for (let dx = 0; dx < k; dx++) {
        const t = dy * k + dx;
        const tapB = (<usize>((dy * gW + dx) * C)) << 2;
        for (let c = c0; c < c1; c += 4) {
          const j = (c - c0) * kk + t;
          let d0 = Bp + panelOffset(j, kc), d1 = Bp + panelOffset(j + kk, kc);
          let d2 = Bp + panelOffset(j + 2 * kk, kc), d3 = Bp + panelOffset(j + 3 * kk, kc);
          const src = X + tapB + ((<usize>c) << 2);
          for (let p = 0; p < kc; p++) {
            const at = ROW_INFO + ((<usize>p) << 2);
            let x = f32x4.splat(0);
            if (inside || (<u32>(load<i32>(at + KC * 4) + dy) < <u32>gH && <u32>(load<i32>(at + KC * 8) + dx) < <u32>gW)) x = v128.load(src + <usize>load<i32>(at));
            store<f32>(d0, f32x4.extract_lane(x, 0));
            store<f32>(d1, f32x4.extract_lane(x, 1));
            store<f32>(d2, f32x4.extract_lane(x, 2));
            store<f32>(d3, f32x4.extract_lane(x, 3));
            d0 += rowStep;
            d1 += rowStep;
            d2 += rowStep;
            d3 += rowStep;
          }
        }
      }
    }
    return;
  }
  // any geometry: panel by panel, row by row; with one channel and stride 1, four rows of one output
  // row that lie inside the image are four consecutive floats a tap (a 4 × 4 transpose per four taps)
  let c = c0;
  const rem = jc - c0 * kk;
  let dy = rem / k, dx = rem - dy * k;
  for (let j = 0; j < nc; j++) {
    const at = TAP_INFO + ((<usize>j) << 2);
    store<i32>(at, ((dy * gW + dx) * C + c) << 2);
    store<i32>(at + NC * 4, dy);
    store<i32>(at + NC * 8, dx);
    if (++dx == k) {
      dx = 0;
      if (++dy == k) {
        dy = 0;
        c++;
      }
    }
  }
  const quads = C == 1 && gS == 1;
  const zero = f32x4.splat(0);
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const nr = min(NR, nc - j0);
    const panel = Bp + ((<usize>j0 * <usize>kc) << 2);
    const taps = TAP_INFO + ((<usize>j0) << 2);
    for (let p0 = 0; p0 < kc; p0 += 4) {
      if (quads && p0 + 4 <= kc && load<i32>(ROW_INFO + KC * 12 + ((<usize>p0) << 2)) != 0) {
        const src = X + <usize>load<i32>(ROW_INFO + ((<usize>p0) << 2));
        const a0 = v128.load(src + <usize>load<i32>(taps)), a1 = nr > 1 ? v128.load(src + <usize>load<i32>(taps, 4)) : zero;
        const a2 = nr > 2 ? v128.load(src + <usize>load<i32>(taps, 8)) : zero, a3 = nr > 3 ? v128.load(src + <usize>load<i32>(taps, 12)) : zero;
        const a4 = nr > 4 ? v128.load(src + <usize>load<i32>(taps, 16)) : zero, a5 = nr > 5 ? v128.load(src + <usize>load<i32>(taps, 20)) : zero;
        const a6 = nr > 6 ? v128.load(src + <usize>load<i32>(taps, 24)) : zero, a7 = nr > 7 ? v128.load(src + <usize>load<i32>(taps, 28)) : zero;
        const dst = panel + ((<usize>(p0 * NR)) << 2);
        const ab01 = v128.shuffle<f32>(a0, a1, 0, 4, 1, 5), ab23 = v128.shuffle<f32>(a0, a1, 2, 6, 3, 7);
        const cd01 = v128.shuffle<f32>(a2, a3, 0, 4, 1, 5), cd23 = v128.shuffle<f32>(a2, a3, 2, 6, 3, 7);
        const ef01 = v128.shuffle<f32>(a4, a5, 0, 4, 1, 5), ef23 = v128.shuffle<f32>(a4, a5, 2, 6, 3, 7);
        const gh01 = v128.shuffle<f32>(a6, a7, 0, 4, 1, 5), gh23 = v128.shuffle<f32>(a6, a7, 2, 6, 3, 7);
        v128.store(dst, v128.shuffle<f32>(ab01, cd01, 0, 1, 4, 5));
        v128.store(dst, v128.shuffle<f32>(ef01, gh01, 0, 1, 4, 5), 16);
        v128.store(dst, v128.shuffle<f32>(ab01, cd01, 2, 3, 6, 7), 32);
        v128.store(dst, v128.shuffle<f32>(ef01, gh01, 2, 3, 6, 7), 48);
        v128.store(dst, v128.shuffle<f32>(ab23, cd23, 0, 1, 4, 5), 64);
        v128.store(dst, v128.shuffle<f32>(ef23, gh23, 0, 1, 4, 5), 80);
        v128.store(dst, v128.shuffle<f32>(ab23, cd23, 2, 3, 6, 7), 96);
        v128.store(dst, v128.shuffle<f32>(ef23, gh23, 2, 3, 6, 7), 112);
        continue;
      }
      for (let p = p0; p < min(p0 + 4, kc); p++) {
        const at = ROW_INFO + ((<usize>p) << 2);
        const src = X + <usize>load<i32>(at), h0 = load<i32>(at + KC * 4), w0 = load<i32>(at + KC * 8);
        const dst = panel + ((<usize>(p * NR)) << 2);
        for (let l = 0; l < nr; l++) {
          const t = taps + ((<usize>l) << 2);
          let x: f32 = 0;
          if (<u32>(h0 + load<i32>(t + NC * 4)) < <u32>gH && <u32>(w0 + load<i32>(t + NC * 8)) < <u32>gW) x = load<f32>(src + <usize>load<i32>(t));
          store<f32>(dst + ((<usize>l) << 2), x);
        }
      }
    }
  }
}

/** Byte offset of column j, row 0, in kc-deep NR-wide panels. */
@inline
function panelOffset(j: i32, kc: i32): usize {
  return (<usize>((j & ~(NR - 1)) * kc + (j & (NR - 1)))) << 2;
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

/**
 * Patch rows r … r + MR − 1 read in place (microImage): the image pointer of row r's window (its top-left
 * tap, channel 0) when the rows lie on one output row with every window inside the image; else 0.
 */
@inline
function directRows(X: usize, r: i32): usize {
  const hw = gHo * gWo;
  const i = r / hw, uv = r - i * hw, u = uv / gWo, v = uv - u * gWo;
  if (v + MR > gWo) return 0;
  const h0 = u * gS - gP, w0 = v * gS - gP;
  if (h0 < 0 || h0 + gK > gH || w0 < 0 || w0 + (MR - 1) * gS + gK > gW) return 0;
  return X + ((<usize>(((i * gH + h0) * gW + w0) * gC)) << 2);
}

/**
 * micro's 4 × 8 tile with op(A) the patch rows at `corner` (directRows) read from the image, taps q0 …
 * q0 + kc − 1 (whole channels: q0 and kc multiples of k²) in q order, (c, dy, dx): the same products in
 * the same order as micro over the packed panel, without the packing.
 */
@inline
function microImage(kc: i32, q0: i32, corner: usize, b: usize, c: usize, ldcB: usize, first: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  if (!first) {
    c00 = v128.load(c); c01 = v128.load(c, 16);
    c10 = v128.load(c + ldcB); c11 = v128.load(c + ldcB, 16);
    c20 = v128.load(c + 2 * ldcB); c21 = v128.load(c + 2 * ldcB, 16);
    c30 = v128.load(c + 3 * ldcB); c31 = v128.load(c + 3 * ldcB, 16);
  }
  const k = gK, kk = k * k;
  const pixB = (<usize>gC) << 2, s1 = <usize>gS * pixB, s2 = s1 + s1, s3 = s2 + s1;
  const rowSkip = <usize>(gW - k) * pixB;
  const cEnd = (q0 + kc) / kk;
  for (let ch = q0 / kk; ch < cEnd; ch++) {
    let src = corner + ((<usize>ch) << 2);
    for (let dy = 0; dy < k; dy++) {
      for (let dx = 0; dx < k; dx++) {
        const b0 = v128.load(b);
        const b1 = v128.load(b, 16);
        const a0 = v128.load32_splat(src);
        c00 = f32x4.add(c00, f32x4.mul(a0, b0));
        c01 = f32x4.add(c01, f32x4.mul(a0, b1));
        const a1 = v128.load32_splat(src + s1);
        c10 = f32x4.add(c10, f32x4.mul(a1, b0));
        c11 = f32x4.add(c11, f32x4.mul(a1, b1));
        const a2 = v128.load32_splat(src + s2);
        c20 = f32x4.add(c20, f32x4.mul(a2, b0));
        c21 = f32x4.add(c21, f32x4.mul(a2, b1));
        const a3 = v128.load32_splat(src + s3);
        c30 = f32x4.add(c30, f32x4.mul(a3, b0));
        c31 = f32x4.add(c31, f32x4.mul(a3, b1));
        b += NR * 4;
        src += pixB;
      }
      src += rowSkip;
    }
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + ldcB, c10); v128.store(c + ldcB, c11, 16);
  v128.store(c + 2 * ldcB, c20); v128.store(c + 2 * ldcB, c21, 16);
  v128.store(c + 3 * ldcB, c30); v128.store(c + 3 * ldcB, c31, 16);
}

/**
 * The GEMM loop: op(A) is patches(A) when aImage, op(B) patches(B) when bImage (the geometry in the
 * globals above); kStep and nStep the K and N blocks (KC and NC, or whole channel groups of a patch
 * operand: any K blocking gives the same bits).
 */
@inline
function gemmLoop(
  ta: bool,
  tb: bool,
  aImage: bool,
  bImage: bool,
  M: i32,
  N: i32,
  K: i32,
  A: usize,
  lda: i32,
  B: usize,
  ldb: i32,
  C: usize,
  ldc: i32,
  work: usize,
  kStep: i32,
  nStep: i32,
): void {
  const Bp = work;
  const Ap = work + BP_BYTES;
  const tile = Ap + AP_BYTES;
  const ldcB = (<usize>ldc) << 2;
  if (K == 0) {
    for (let i = 0; i < M; i++) memory.fill(C + <usize>i * ldcB, 0, (<usize>N) << 2);
    return;
  }
  for (let jc = 0; jc < N; jc += nStep) {
    const nc = min(nStep, N - jc);
    for (let pc = 0; pc < K; pc += kStep) {
      const kc = min(kStep, K - pc);
      const first = pc == 0;
      if (bImage) packBImage(kc, nc, B, pc, jc, Bp);
      else packB(tb, kc, nc, B, ldb, pc, jc, Bp);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = min(MC, M - ic);
        // whole channels of the patch rows: tiles inside the image are read in place (microImage)
        const inPlace = aImage && pc % (gK * gK) == 0 && kc % (gK * gK) == 0;
        if (aImage) packAImage(mc, kc, A, ic, pc, Ap, inPlace);
        else packA(ta, mc, kc, A, lda, ic, pc, Ap);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bPanel = Bp + ((<usize>jr * <usize>kc) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const aPanel = Ap + ((<usize>ir * <usize>kc) << 2);
            const c = C + ((<usize>(ic + ir) * <usize>ldc + <usize>(jc + jr)) << 2);
            const corner = inPlace && mr == MR ? directRows(A, ic + ir) : 0;
            if (corner != 0 && nr == NR) {
              microImage(kc, pc, corner, bPanel, c, ldcB, first);
            } else if (corner != 0) {
              if (!first) {
                for (let r = 0; r < mr; r++) memory.copy(tile + <usize>(r * NR * 4), c + <usize>r * ldcB, (<usize>nr) << 2);
              }
              microImage(kc, pc, corner, bPanel, tile, NR * 4, first);
              for (let r = 0; r < mr; r++) memory.copy(c + <usize>r * ldcB, tile + <usize>(r * NR * 4), (<usize>nr) << 2);
            } else if (mr == MR && nr == NR) {
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
  gemmLoop(false, false, false, false, M, N, K, A, lda, B, ldb, C, ldc, work, KC, NC);
}

/**
 * Cᵢⱼ = Σₖ A[k][i]·B[k][j] from 0, k sequential (the packed loop's sum): Aᵀ·B for N < NR, where every
 * tile of the packed loop would be a partial one. Rows of A run along i, so eight (then four) outputs of
 * a column take one f32x4 step a k: no packing, no scratch tile.
 */
function narrowTn(M: i32, N: i32, K: i32, A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32): void {
  const ldaB = (<usize>lda) << 2,
    ldbB = (<usize>ldb) << 2,
    ldcB = (<usize>ldc) << 2;
  let i = 0;
  for (; i + 8 <= M; i += 8) {
    for (let j = 0; j < N; j++) {
      let c0 = f32x4.splat(0),
        c1 = f32x4.splat(0);
      let a = A + ((<usize>i) << 2),
        b = B + ((<usize>j) << 2);
      for (let k = 0; k < K; k++) {
        const bk = v128.load32_splat(b);
        c0 = f32x4.add(c0, f32x4.mul(v128.load(a), bk));
        c1 = f32x4.add(c1, f32x4.mul(v128.load(a, 16), bk));
        a += ldaB;
        b += ldbB;
      }
      const c = C + ((<usize>i * <usize>ldc + <usize>j) << 2);
      storeColumn4(c, ldcB, c0);
      storeColumn4(c + 4 * ldcB, ldcB, c1);
    }
  }
  for (; i + 4 <= M; i += 4) {
    for (let j = 0; j < N; j++) {
      let c0 = f32x4.splat(0);
      let a = A + ((<usize>i) << 2),
        b = B + ((<usize>j) << 2);
      for (let k = 0; k < K; k++) {
        c0 = f32x4.add(c0, f32x4.mul(v128.load(a), v128.load32_splat(b)));
        a += ldaB;
        b += ldbB;
      }
      storeColumn4(C + ((<usize>i * <usize>ldc + <usize>j) << 2), ldcB, c0);
    }
  }
  for (; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s: f32 = 0;
      let a = A + ((<usize>i) << 2),
        b = B + ((<usize>j) << 2);
      for (let k = 0; k < K; k++) {
        s += load<f32>(a) * load<f32>(b);
        a += ldaB;
        b += ldbB;
      }
      store<f32>(C + ((<usize>i * <usize>ldc + <usize>j) << 2), s);
    }
  }
}

/** The four lanes of v down a column of C: c, c + ldcB, c + 2·ldcB, c + 3·ldcB. */
@inline
function storeColumn4(c: usize, ldcB: usize, v: v128): void {
  store<f32>(c, f32x4.extract_lane(v, 0));
  store<f32>(c + ldcB, f32x4.extract_lane(v, 1));
  store<f32>(c + 2 * ldcB, f32x4.extract_lane(v, 2));
  store<f32>(c + 3 * ldcB, f32x4.extract_lane(v, 3));
}

/** C (M×N, ldc) = Aᵀ · B with A stored K×M (lda), B stored K×N (ldb). */
export function gemm_tn(M: i32, N: i32, K: i32, A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32, work: usize): void {
  if (N < NR) narrowTn(M, N, K, A, lda, B, ldb, C, ldc);
  else gemmLoop(true, false, false, false, M, N, K, A, lda, B, ldb, C, ldc, work, KC, NC);
}

/** C (M×N, ldc) = A · Bᵀ with A stored M×K (lda), B stored N×K (ldb). */
export function gemm_nt(M: i32, N: i32, K: i32, A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32, work: usize): void {
  gemmLoop(false, true, false, false, M, N, K, A, lda, B, ldb, C, ldc, work, KC, NC);
}

@inline
function setImage(H: i32, W: i32, C: i32, k: i32, stride: i32, pad: i32): void {
  gH = H;
  gW = W;
  gC = C;
  gK = k;
  gS = stride;
  gP = pad;
  gHo = (H + 2 * pad - k) / stride + 1;
  gWo = (W + 2 * pad - k) / stride + 1;
}

/**
 * y (n·Ho·Wo × F) = patches(x) · wtᵀ, wt F × C·k·k (a conv kernel [F, C, k, k]): gemm_nt over the
 * columns im2col would write, gathered from the NHWC image x as the A panels are packed.
 */
export function conv_gemm_nt(n: i32, H: i32, W: i32, C: i32, k: i32, stride: i32, pad: i32, F: i32, x: usize, wt: usize, y: usize, work: usize): void {
  setImage(H, W, C, k, stride, pad);
  const ckk = C * k * k;
  // a 1 × 1 kernel at stride 1 without padding: the patch matrix is x itself
  if (k == 1 && stride == 1 && pad == 0) gemmLoop(false, true, false, false, n * H * W, F, C, x, C, wt, C, y, F, work, KC, NC);
  else gemmLoop(false, true, true, false, n * gHo * gWo, F, ckk, x, 0, wt, ckk, y, F, work, patchStep(KC), NC);
}

/**
 * dwt (F × C·k·k) = gᵀ · patches(x), g n·Ho·Wo × F: gemm_tn over im2col's columns (each sum sequential
 * over the rows), gathered from the NHWC image x as the B panels are packed; with channels in eights and
 * filters in fours, filterGradInPlace, without packing.
 */
export function conv_gemm_tn(n: i32, H: i32, W: i32, C: i32, k: i32, stride: i32, pad: i32, F: i32, g: usize, x: usize, dwt: usize, work: usize): void {
  setImage(H, W, C, k, stride, pad);
  const ckk = C * k * k;
  if (k == 1 && stride == 1 && pad == 0) gemmLoop(true, false, false, false, F, C, n * H * W, g, F, x, C, dwt, C, work, KC, NC);
  else if ((C & 7) == 0 && (F & 3) == 0 && (KC * k * k + C + 8) * 4 <= gemm_workspace_bytes()) filterGradInPlace(n * gHo * gWo, F, g, x, dwt, work);
  else gemmLoop(true, false, false, true, F, ckk, n * gHo * gWo, g, F, x, 0, dwt, ckk, work, KC, patchStep(NC));
}

/**
 * conv_gemm_tn for C % 8 == 0 and F % 4 == 0 (the geometry in the globals), the same sums without packing:
 * dwt[f][q] = Σ_r g[r][f]·patches[r][q], r sequential from 0, in blocks of KC rows (dwt stored and reloaded
 * between them: exact). A tile is four filters × eight channels c … c + 7 of one tap t (q = (c + l)·k² + t),
 * micro's 4 × 8 register tile with g's row as its A (four splats) and the image as its B (two f32x4 loads of
 * the tap's channels). Per block, `work` holds each tap's row addresses, a zero row where the tap falls
 * outside the image (the packed panel's zero term): kc·k² addresses, then C + 8 zeros.
 */
function filterGradInPlace(rows: i32, F: i32, g: usize, X: usize, dwt: usize, work: usize): void {
  const k = gK, kk = k * k, C = gC, ckk = C * kk;
  const hw = gHo * gWo;
  const zero = f32x4.splat(0);
  const gRowB = (<usize>F) << 2, ckkB = (<usize>ckk) << 2, kkB = (<usize>kk) << 2, kk4B = kkB << 2;
  const zeros = work + ((<usize>(KC * kk)) << 2);
  memory.fill(zeros, 0, (<usize>(C + 8)) << 2);
  for (let r0 = 0; r0 < rows; r0 += KC) {
    const kc = min(KC, rows - r0);
    // per tap t, per row p: the address of the row's tap (channel 0), or of the zeros
    let i = r0 / hw;
    const uv = r0 - i * hw;
    let u = uv / gWo, v = uv - u * gWo;
    for (let p = 0; p < kc; p++) {
      const h0 = u * gS - gP, w0 = v * gS - gP;
      const corner = X + ((<usize>(((i * gH + h0) * gW + w0) * C)) << 2);
      for (let dy = 0; dy < k; dy++) {
        const yIn = <u32>(h0 + dy) < <u32>gH;
        for (let dx = 0; dx < k; dx++) {
          const tap = corner + ((<usize>((dy * gW + dx) * C)) << 2);
          store<usize>(work + ((<usize>((dy * k + dx) * kc + p)) << 2), yIn && <u32>(w0 + dx) < <u32>gW ? tap : zeros);
        }
      }
      if (++v == gWo) {
        v = 0;
        if (++u == gHo) {
          u = 0;
          i++;
        }
      }
    }
    const first = r0 == 0;
    const gBlock = g + <usize>r0 * gRowB;
    for (let t = 0; t < kk; t++) {
      const rowsOfTap = work + ((<usize>(t * kc)) << 2);
      for (let c = 0; c < C; c += 8) {
        const cB = (<usize>c) << 2;
        for (let f0 = 0; f0 < F; f0 += 4) {
          // row j of the tile: filter f0 + j, channels c … c + 7 at dwt[f0 + j][(c + l)·k² + t], k² apart
          const out = dwt + <usize>f0 * ckkB + ((<usize>(c * kk + t)) << 2);
          let c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero, c30 = zero, c31 = zero;
          if (!first) {
            c00 = loadColumn4(out, kkB); c01 = loadColumn4(out + kk4B, kkB);
            c10 = loadColumn4(out + ckkB, kkB); c11 = loadColumn4(out + ckkB + kk4B, kkB);
            c20 = loadColumn4(out + 2 * ckkB, kkB); c21 = loadColumn4(out + 2 * ckkB + kk4B, kkB);
            c30 = loadColumn4(out + 3 * ckkB, kkB); c31 = loadColumn4(out + 3 * ckkB + kk4B, kkB);
          }
          let a = gBlock + ((<usize>f0) << 2);
          let at = rowsOfTap;
          for (let p = 0; p < kc; p++) {
            const b = load<usize>(at) + cB;
            const b0 = v128.load(b), b1 = v128.load(b, 16);
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
            a += gRowB;
            at += 4;
          }
          storeColumn4(out, kkB, c00); storeColumn4(out + kk4B, kkB, c01);
          storeColumn4(out + ckkB, kkB, c10); storeColumn4(out + ckkB + kk4B, kkB, c11);
          storeColumn4(out + 2 * ckkB, kkB, c20); storeColumn4(out + 2 * ckkB + kk4B, kkB, c21);
          storeColumn4(out + 3 * ckkB, kkB, c30); storeColumn4(out + 3 * ckkB + kk4B, kkB, c31);
        }
      }
    }
  }
}

/** Four floats down a column: c, c + strideB, c + 2·strideB, c + 3·strideB. */
@inline
function loadColumn4(c: usize, strideB: usize): v128 {
  let v = f32x4.splat(load<f32>(c));
  v = f32x4.replace_lane(v, 1, load<f32>(c + strideB));
  v = f32x4.replace_lane(v, 2, load<f32>(c + 2 * strideB));
  return f32x4.replace_lane(v, 3, load<f32>(c + 3 * strideB));
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
