// Convolution as im2col + GEMM, in NHWC (element (i, h, w, c) of an n × H × W × C tensor at
// ((i·H + h)·W + w)·C + c): im2col lays out the patches, conv_input_grad is a conv layer's input
// gradient (gemm_nn into the columns then their adjoint, without the columns), and the bias of a conv or
// dense layer is added per row and its gradient summed over rows. src/reference/conv.ts is the bit-exact
// twin. A conv layer never stores the columns: conv_gemm_nt and conv_gemm_tn (gemm.ts) gather them while
// packing, conv_input_grad scatters its terms straight to the image.
import { gemm_workspace_bytes } from './gemm';

/** Output size of a convolution along one axis: floor((L + 2·pad − k)/stride) + 1. */
@inline function outSize(L: i32, k: i32, stride: i32, pad: i32): i32 {
  return (L + 2 * pad - k) / stride + 1;
}

/**
 * cols[r][q] with r = (i·Ho + u)·Wo + v (n·Ho·Wo rows) and q = (c·k + dy)·k + dx (C·k·k columns)
 * holds x(i, u·stride + dy − pad, v·stride + dx − pad, c), or 0 outside the image. A copy.
 */
export function im2col(n: i32, H: i32, W: i32, C: i32, k: i32, stride: i32, pad: i32, x: usize, cols: usize): void {
  const Ho = outSize(H, k, stride, pad), Wo = outSize(W, k, stride, pad);
  const rowB = (<usize>(W * C)) << 2, pixB = (<usize>C) << 2;
  let out = cols;
  for (let i = 0; i < n; i++) {
    for (let u = 0; u < Ho; u++) {
      const h0 = u * stride - pad;
      for (let v = 0; v < Wo; v++) {
        const w0 = v * stride - pad;
        if (h0 >= 0 && h0 + k <= H && w0 >= 0 && w0 + k <= W) {
          // the window lies inside the image: no bounds tests
          const corner = x + ((<usize>(((i * H + h0) * W + w0) * C)) << 2);
          if ((C & 3) == 0) {
            // four channels per load, each lane to its own column block (columns c·k·k + dy·k + dx)
            const kk = (<usize>(k * k)) << 2;
            for (let c = 0; c < C; c += 4) {
              const block = out + <usize>c * kk;
              let src = corner + ((<usize>c) << 2), dst = block;
              for (let dy = 0; dy < k; dy++) {
                let at = src;
                for (let dx = 0; dx < k; dx++) {
                  const v = v128.load(at);
                  store<f32>(dst, f32x4.extract_lane(v, 0));
                  store<f32>(dst + kk, f32x4.extract_lane(v, 1));
                  store<f32>(dst + 2 * kk, f32x4.extract_lane(v, 2));
                  store<f32>(dst + 3 * kk, f32x4.extract_lane(v, 3));
                  dst += 4;
                  at += pixB;
                }
                src += rowB;
              }
            }
            out += <usize>C * kk;
            continue;
          }
          for (let c = 0; c < C; c++) {
            let src = corner + ((<usize>c) << 2);
            for (let dy = 0; dy < k; dy++) {
              let at = src;
              for (let dx = 0; dx < k; dx++) {
                store<f32>(out, load<f32>(at));
                out += 4;
                at += pixB;
              }
              src += rowB;
            }
          }
          continue;
        }
        for (let c = 0; c < C; c++) {
          for (let dy = 0; dy < k; dy++) {
            const h = h0 + dy;
            for (let dx = 0; dx < k; dx++) {
              const w = w0 + dx;
              let val: f32 = 0;
              if (h >= 0 && h < H && w >= 0 && w < W) val = load<f32>(x + ((<usize>(((i * H + h) * W + w) * C + c)) << 2));
              store<f32>(out, val);
              out += 4;
            }
          }
        }
      }
    }
  }
}

/**
 * gx (n × H × W × C), the input gradient of a conv layer: g its output gradient (n·Ho·Wo × F), wt its
 * kernel (F × C·k·k, [F, C, k, k]), work the GEMM workspace (gemm_workspace_bytes(), 16-byte aligned).
 * The bits of gemm_nn into the columns g·wt then their adjoint col2im (a gather), without the columns:
 * gx(i, h, w, c) = ((0 + t_{r₁}) + t_{r₂}) + … over the rows r = (i·Ho + u)·Wo + v whose window covers
 * (h, w), ascending, with t_r = ((0 + g[r][0]·wt[0][q]) + g[r][1]·wt[1][q]) + … sequential over f, q =
 * (c·k + dy)·k + dx, dy = h + pad − u·stride, dx = w + pad − v·stride; 0 where no window reaches.
 *
 * Computed as a scatter in row order: gx zeroed, the kernel repacked into work as [dy][dx][f][c]
 * (channels contiguous; in blocks of channels when all do not fit), then per output row u (of a few
 * images at once), per tap (dy ascending, dx descending: one tap's kernel slice serves all those windows),
 * the windows' t over f, four windows and four or eight channels at a time (f32x4 lanes over channels;
 * the C mod 4 rest one at a time), each added to its pixel. Row u's windows reach pixel rows h = u·stride
 * − pad + dy, one dy each; pixel (h, w) gets window v's term at dx = w + pad − v·stride, which falls as
 * v rises: with dx descending a pixel gets its terms of row u in row order, and within one tap the
 * windows reach distinct pixels. Rows u ascend.
 */
export function conv_input_grad(n: i32, H: i32, W: i32, C: i32, k: i32, stride: i32, pad: i32, F: i32, g: usize, wt: usize, gx: usize, work: usize): void {
  const kk = k * k;
  memory.fill(gx, 0, (<usize>(n * H * W * C)) << 2);
  // channels per block: all, whole groups of four, the few that fit, or none (a kernel too large for the
  // workspace even for one channel: wt read in place, one channel a block, no lanes)
  const room = gemm_workspace_bytes() >> 2, perChannel = max(kk * F, 1);
  let cb = C <= room / perChannel ? C : room / perChannel;
  if (cb > 4) cb &= ~3;
  const step = max(cb, 1);
  for (let c0 = 0; c0 < C; c0 += step) {
    const nb = min(step, C - c0);
    let wp = work, tapS = F * nb, fS = nb, cS = 1;
    if (cb == 0) {
      wp = wt + ((<usize>(c0 * kk)) << 2);
      tapS = 1;
      fS = C * kk;
      cS = kk;
    } else {
      for (let t = 0; t < kk; t++) {
        for (let f = 0; f < F; f++) {
          const dst = work + ((<usize>((t * F + f) * nb)) << 2);
          const src = wt + ((<usize>((f * C + c0) * kk + t)) << 2);
          for (let c = 0; c < nb; c++) store<f32>(dst + ((<usize>c) << 2), load<f32>(src + ((<usize>(c * kk)) << 2)));
        }
      }
    }
    scatterBlock(n, H, W, C, k, stride, pad, F, g, gx + ((<usize>c0) << 2), nb, wp, tapS, fS, cS);
  }
}

/** Windows of one output row in flight: their g rows (F floats each) within about 16 KiB, and at most WIN_MAX. */
const BLOCK_FLOATS = 4096;
const WIN_MAX = 256;
/** Per window in flight: its g row's byte address, the byte offset in gx of pixel (i, 0, v·stride − pad), v·stride − pad. */
const WIN: usize = memory.data(WIN_MAX * 12, 16);
/** Per window whose current tap lies inside the image: its g row's and its pixel's byte addresses. */
const LIVE: usize = memory.data(WIN_MAX * 8, 16);

/**
 * conv_input_grad for a block of nb channels (gx at the block's first): tap t, filter f, channel c of the
 * block's kernel at wp + (t·tapS + f·fS + c·cS)·4 (lanes only where cS is 1). Per block of images, per
 * output row u, per run of its windows (i, v) (those of several images, or part of one row), per tap,
 * the run's windows whose tap lies inside the image, four at a time: windows of different images reach
 * different pixels, and the runs of one row go in order, each through all its taps.
 */
function scatterBlock(
  n: i32,
  H: i32,
  W: i32,
  C: i32,
  k: i32,
  stride: i32,
  pad: i32,
  F: i32,
  g: usize,
  gx: usize,
  nb: i32,
  wp: usize,
  tapS: i32,
  fS: i32,
  cS: i32,
): void {
  const Ho = outSize(H, k, stride, pad), Wo = outSize(W, k, stride, pad);
  const fSB = (<usize>fS) << 2, cSB = (<usize>cS) << 2;
  const lanes = cS == 1 ? nb & ~3 : 0;
  const run = min(Wo, WIN_MAX), images = max(1, min(BLOCK_FLOATS / max(Wo * F, 1), WIN_MAX / run));
  for (let i0 = 0; i0 < n; i0 += images) {
    const i1 = min(n, i0 + images);
    for (let u = 0; u < Ho; u++) {
      for (let v0 = 0; v0 < Wo; v0 += run) {
        const v1 = min(Wo, v0 + run);
        let windows = 0;
        for (let i = i0; i < i1; i++) {
          for (let v = v0; v < v1; v++) {
            const at = WIN + <usize>(windows++ * 12);
            store<usize>(at, g + ((<usize>(((i * Ho + u) * Wo + v) * F)) << 2));
            store<i32>(at, ((i * H * W + v * stride - pad) * C) << 2, 4);
            store<i32>(at, v * stride - pad, 8);
          }
        }
        for (let dy = 0; dy < k; dy++) {
          const h = u * stride - pad + dy;
          if (<u32>h >= <u32>H) continue;
          for (let dx = k - 1; dx >= 0; dx--) {
            // the windows whose tap (dy, dx) lies inside the image: their g rows and pixels
            const tapB = ((h * W + dx) * C) << 2;
            let live = 0;
            for (let j = 0; j < windows; j++) {
              const at = WIN + <usize>(j * 12);
              if (<u32>(load<i32>(at, 8) + dx) >= <u32>W) continue;
              const to = LIVE + <usize>(live++ * 8);
              store<usize>(to, load<usize>(at));
              store<usize>(to, gx + <usize>(load<i32>(at, 4) + tapB), 4);
            }
            const tw = wp + ((<usize>((dy * k + dx) * tapS)) << 2), last = LIVE + <usize>((live - 1) * 8);
            for (let j = 0; j < live; j += 4) {
              // four windows; a last group of fewer repeats its last window, whose terms are not added
              const a0 = LIVE + <usize>(j * 8), a1 = min(a0 + 8, last), a2 = min(a0 + 16, last), a3 = min(a0 + 24, last);
              const g0 = load<usize>(a0), g1 = load<usize>(a1), g2 = load<usize>(a2), g3 = load<usize>(a3);
              const p0 = load<usize>(a0, 4), p1 = load<usize>(a1, 4), p2 = load<usize>(a2, 4), p3 = load<usize>(a3, 4);
              const ok1 = j + 1 < live, ok2 = j + 2 < live, ok3 = j + 3 < live;
              let c = 0;
              if (!ok1) {
                for (; c + 16 <= lanes; c += 16) add1x16(F, g0, tw + ((<usize>c) << 2), fSB, p0 + ((<usize>c) << 2));
              } else {
                for (; c + 8 <= lanes; c += 8) {
                  const cB = (<usize>c) << 2;
                  add4(true, F, g0, g1, g2, g3, tw + cB, fSB, p0 + cB, p1 + cB, p2 + cB, p3 + cB, ok1, ok2, ok3);
                }
              }
              for (; c < lanes; c += 4) {
                const cB = (<usize>c) << 2;
                add4(false, F, g0, g1, g2, g3, tw + cB, fSB, p0 + cB, p1 + cB, p2 + cB, p3 + cB, ok1, ok2, ok3);
              }
              for (; c < nb; c++) {
                const w = tw + <usize>c * cSB, cB = (<usize>c) << 2;
                addTerm(F, g0, w, fSB, p0 + cB);
                if (ok1) addTerm(F, g1, w, fSB, p1 + cB);
                if (ok2) addTerm(F, g2, w, fSB, p2 + cB);
                if (ok3) addTerm(F, g3, w, fSB, p3 + cB);
              }
            }
          }
        }
      }
    }
  }
}

/** p[0] += Σ_f g[f]·w[f·fSB bytes], the sum sequential over f from 0. */
@inline
function addTerm(F: i32, g: usize, w: usize, fSB: usize, p: usize): void {
  let t: f32 = 0;
  for (let f = 0; f < F; f++) {
    t += load<f32>(g + ((<usize>f) << 2)) * load<f32>(w);
    w += fSB;
  }
  store<f32>(p, load<f32>(p) + t);
}

/**
 * Four windows' t over four channels, or eight (two kernel vectors per f serving the four windows): Σ_f
 * g_j[f]·w[f], sequential over f from 0, each added to its pixel p_j (the first always, the others where ok_j).
 */
@inline
function add4(
  eight: bool,
  F: i32,
  g0: usize,
  g1: usize,
  g2: usize,
  g3: usize,
  w: usize,
  fSB: usize,
  p0: usize,
  p1: usize,
  p2: usize,
  p3: usize,
  ok1: bool,
  ok2: bool,
  ok3: bool,
): void {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  let b0 = f32x4.splat(0), b1 = f32x4.splat(0), b2 = f32x4.splat(0), b3 = f32x4.splat(0);
  for (let f = 0; f < F; f++) {
    const off = (<usize>f) << 2;
    const x = v128.load(w), y = eight ? v128.load(w, 16) : x;
    const s0 = v128.load32_splat(g0 + off);
    a0 = f32x4.add(a0, f32x4.mul(s0, x));
    if (eight) b0 = f32x4.add(b0, f32x4.mul(s0, y));
    const s1 = v128.load32_splat(g1 + off);
    a1 = f32x4.add(a1, f32x4.mul(s1, x));
    if (eight) b1 = f32x4.add(b1, f32x4.mul(s1, y));
    const s2 = v128.load32_splat(g2 + off);
    a2 = f32x4.add(a2, f32x4.mul(s2, x));
    if (eight) b2 = f32x4.add(b2, f32x4.mul(s2, y));
    const s3 = v128.load32_splat(g3 + off);
    a3 = f32x4.add(a3, f32x4.mul(s3, x));
    if (eight) b3 = f32x4.add(b3, f32x4.mul(s3, y));
    w += fSB;
  }
  addTo(eight, p0, a0, b0);
  if (ok1) addTo(eight, p1, a1, b1);
  if (ok2) addTo(eight, p2, a2, b2);
  if (ok3) addTo(eight, p3, a3, b3);
}

/** p[0 … 3] += a, and p[4 … 7] += b when eight. */
@inline
function addTo(eight: bool, p: usize, a: v128, b: v128): void {
  v128.store(p, f32x4.add(v128.load(p), a));
  if (eight) v128.store(p, f32x4.add(v128.load(p, 16), b), 16);
}

/** One row's t over sixteen channels (Σ_f g[f]·w[f], sequential over f from 0), added to its pixel p. */
@inline
function add1x16(F: i32, g: usize, w: usize, fSB: usize, p: usize): void {
  let t0 = f32x4.splat(0), t1 = f32x4.splat(0), t2 = f32x4.splat(0), t3 = f32x4.splat(0);
  for (let f = 0; f < F; f++) {
    const s = v128.load32_splat(g + ((<usize>f) << 2));
    t0 = f32x4.add(t0, f32x4.mul(s, v128.load(w)));
    t1 = f32x4.add(t1, f32x4.mul(s, v128.load(w, 16)));
    t2 = f32x4.add(t2, f32x4.mul(s, v128.load(w, 32)));
    t3 = f32x4.add(t3, f32x4.mul(s, v128.load(w, 48)));
    w += fSB;
  }
  v128.store(p, f32x4.add(v128.load(p), t0));
  v128.store(p, f32x4.add(v128.load(p, 16), t1), 16);
  v128.store(p, f32x4.add(v128.load(p, 32), t2), 32);
  v128.store(p, f32x4.add(v128.load(p, 48), t3), 48);
}

/** z[r·F + f] = z[r·F + f] + b[f] for r < rows. */
export function bias_add(rows: i32, F: i32, z: usize, b: usize): void {
  for (let r = 0; r < rows; r++) {
    const row = z + ((<usize>r * <usize>F) << 2);
    let f = 0;
    for (; f + 4 <= F; f += 4) {
      const off = (<usize>f) << 2;
      v128.store(row + off, f32x4.add(v128.load(row + off), v128.load(b + off)));
    }
    for (; f < F; f++) {
      const off = (<usize>f) << 2;
      store<f32>(row + off, load<f32>(row + off) + load<f32>(b + off));
    }
  }
}

/** db[f] = Σ_r g[r·F + f], sequential over r from 0. */
export function bias_grad(rows: i32, F: i32, g: usize, db: usize): void {
  memory.fill(db, 0, (<usize>F) << 2);
  for (let r = 0; r < rows; r++) {
    const row = g + ((<usize>r * <usize>F) << 2);
    let f = 0;
    for (; f + 4 <= F; f += 4) {
      const off = (<usize>f) << 2;
      v128.store(db + off, f32x4.add(v128.load(db + off), v128.load(row + off)));
    }
    for (; f < F; f++) {
      const off = (<usize>f) << 2;
      store<f32>(db + off, load<f32>(db + off) + load<f32>(row + off));
    }
  }
}
