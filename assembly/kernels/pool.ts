// Pooling over non-overlapping s × s windows in NHWC (Ho = floor(H/s), Wo = floor(W/s)): average
// and max, forward and backward. src/reference/pool.ts is the bit-exact twin.

/** y(i,u,v,c) = (Σ_{dy<s} Σ_{dx<s} x(i, u·s+dy, v·s+dx, c))·inv, inv = f32(1/(s·s)); sum from 0, dy outer, dx inner. */
export function avgpool_forward(n: i32, H: i32, W: i32, C: i32, s: i32, x: usize, y: usize): void {
  const Ho = H / s,
    Wo = W / s,
    inv = <f32>1.0 / <f32>(s * s);
  let out = y;
  for (let i = 0; i < n; i++)
    for (let u = 0; u < Ho; u++)
      for (let v = 0; v < Wo; v++)
        for (let c = 0; c < C; c++) {
          let acc: f32 = 0;
          for (let dy = 0; dy < s; dy++)
            for (let dx = 0; dx < s; dx++) {
              acc += load<f32>(x + ((<usize>(((i * H + u * s + dy) * W + v * s + dx) * C + c)) << 2));
            }
          store<f32>(out, acc * inv);
          out += 4;
        }
}

/** gx(i,h,w,c) = gy(i, h/s, w/s, c)·inv inside the pooled area, else 0. */
export function avgpool_backward(n: i32, H: i32, W: i32, C: i32, s: i32, gy: usize, gx: usize): void {
  const Ho = H / s,
    Wo = W / s,
    inv = <f32>1.0 / <f32>(s * s);
  let out = gx;
  for (let i = 0; i < n; i++)
    for (let h = 0; h < H; h++)
      for (let w = 0; w < W; w++)
        for (let c = 0; c < C; c++) {
          let val: f32 = 0;
          if (h < Ho * s && w < Wo * s) val = load<f32>(gy + ((<usize>(((i * Ho + h / s) * Wo + w / s) * C + c)) << 2)) * inv;
          store<f32>(out, val);
          out += 4;
        }
}

/** Lane offsets 0…3 of four consecutive channels' flat indices. */
const LANES = i32x4(0, 1, 2, 3);

/**
 * y = max over the window, the first maximum in (dy, dx) order; idx (u32) = its flat index in x. Four
 * channels at a time (f32x4: a lane takes a tap only where it is greater, as the scalar tail does), so
 * NaN and ties go the same way in every lane.
 */
export function maxpool_forward(n: i32, H: i32, W: i32, C: i32, s: i32, x: usize, y: usize, idx: usize): void {
  const Ho = H / s,
    Wo = W / s,
    C4 = C & ~3;
  let o: usize = 0;
  for (let i = 0; i < n; i++)
    for (let u = 0; u < Ho; u++)
      for (let v = 0; v < Wo; v++) {
        const corner = ((i * H + u * s) * W + v * s) * C;
        let c = 0;
        for (; c < C4; c += 4) {
          let best = i32x4.add(i32x4.splat(corner + c), LANES);
          let mx = v128.load(x + ((<usize>(corner + c)) << 2));
          for (let dy = 0; dy < s; dy++)
            for (let dx = 0; dx < s; dx++) {
              const at = corner + (dy * W + dx) * C + c;
              const val = v128.load(x + ((<usize>at) << 2));
              const greater = f32x4.gt(val, mx);
              mx = v128.bitselect(val, mx, greater);
              best = v128.bitselect(i32x4.add(i32x4.splat(at), LANES), best, greater);
            }
          v128.store(y + (o << 2), mx);
          v128.store(idx + (o << 2), best);
          o += 4;
        }
        for (; c < C; c++) {
          let best = corner + c;
          let mx = load<f32>(x + ((<usize>best) << 2));
          for (let dy = 0; dy < s; dy++)
            for (let dx = 0; dx < s; dx++) {
              const at = corner + (dy * W + dx) * C + c;
              const val = load<f32>(x + ((<usize>at) << 2));
              if (val > mx) {
                mx = val;
                best = at;
              }
            }
          store<f32>(y + (o << 2), mx);
          store<u32>(idx + (o << 2), <u32>best);
          o++;
        }
      }
}

/** gx = 0, then gx[idx[o]] = gy[o] for every output o (windows do not overlap). */
export function maxpool_backward(n: i32, H: i32, W: i32, C: i32, s: i32, gy: usize, idx: usize, gx: usize): void {
  memory.fill(gx, 0, (<usize>(n * H * W * C)) << 2);
  const outs = n * (H / s) * (W / s) * C;
  for (let o = 0; o < outs; o++) {
    const off = (<usize>o) << 2;
    store<f32>(gx + ((<usize>load<u32>(idx + off)) << 2), load<f32>(gy + off));
  }
}
