// Convolution as im2col + GEMM, in NHWC (element (i, h, w, c) of an n × H × W × C tensor at
// ((i·H + h)·W + w)·C + c): im2col lays out the patches, col2im is its adjoint written as a gather
// (so a GPU computes each element alone with the same bits), and the bias of a conv or dense layer
// is added per row and its gradient summed over rows. src/reference/conv.ts is the bit-exact twin. A conv
// layer never stores the columns: conv_gemm_nt and conv_gemm_tn (gemm.ts) gather them while packing.

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
 * The adjoint of im2col, as a gather: x(i, h, w, c) = Σ over (u, v) in row-major order (u ascending,
 * then v) of cols[row(i, u, v)][(c·k + dy)·k + dx] with dy = h + pad − u·stride and dx = w + pad −
 * v·stride in [0, k); the sum starts from 0 and adds sequentially. Every element of x is written.
 * Computed as a scatter in the same order: x zeroed, then each row of cols (rows ascending) added into
 * the pixels of its window; a row's columns reach distinct elements, so every element gets its terms
 * in row order, from 0, as the gather adds them (the WGSL and reference twins gather).
 */
export function col2im(n: i32, H: i32, W: i32, C: i32, k: i32, stride: i32, pad: i32, cols: usize, x: usize): void {
  const Ho = outSize(H, k, stride, pad), Wo = outSize(W, k, stride, pad), kk = k * k;
  memory.fill(x, 0, (<usize>(n * H * W * C)) << 2);
  const kkB = (<usize>kk) << 2;
  let row = cols;
  for (let i = 0; i < n; i++) {
    const img = x + ((<usize>(i * H * W * C)) << 2);
    for (let u = 0; u < Ho; u++) {
      const h0 = u * stride - pad;
      for (let v = 0; v < Wo; v++) {
        const w0 = v * stride - pad;
        for (let dy = 0; dy < k; dy++) {
          const h = h0 + dy;
          if (<u32>h >= <u32>H) continue;
          for (let dx = 0; dx < k; dx++) {
            const w = w0 + dx;
            if (<u32>w >= <u32>W) continue;
            // the pixel's C channels take columns c·k·k + dy·k + dx
            let dst = img + ((<usize>((h * W + w) * C)) << 2);
            let src = row + ((<usize>(dy * k + dx)) << 2);
            let c = 0;
            for (; c + 4 <= C; c += 4) {
              let t = f32x4.splat(load<f32>(src));
              t = f32x4.replace_lane(t, 1, load<f32>(src + kkB));
              t = f32x4.replace_lane(t, 2, load<f32>(src + 2 * kkB));
              t = f32x4.replace_lane(t, 3, load<f32>(src + 3 * kkB));
              v128.store(dst, f32x4.add(v128.load(dst), t));
              dst += 16;
              src += 4 * kkB;
            }
            for (; c < C; c++) {
              store<f32>(dst, load<f32>(dst) + load<f32>(src));
              dst += 4;
              src += kkB;
            }
          }
        }
        row += (<usize>(C * kk)) << 2;
      }
    }
  }
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
