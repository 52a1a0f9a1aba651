// Elementwise and small-reduction kernels of one training step: MSE residual and loss, the hidden
// gradient of the two-layer network, products, GD, Adam and the inverted-dropout mask.
// f32x4 over contiguous arrays, scalar tails with the same op order; src/reference/elementwise.ts
// is the bit-exact twin.
import { philox_uniform } from './philox';

/**
 * e[i] = f[i] − y[i]; returns the loss ((Σᵢ eᵢ·eᵢ)·0.5)/n with the sum taken sequentially over i.
 */
export function mse_residual(n: i32, f: usize, y: usize, e: usize): f32 {
  let s: f32 = 0;
  for (let i = 0; i < n; i++) {
    const off = (<usize>i) << 2;
    const r = load<f32>(f + off) - load<f32>(y + off);
    store<f32>(e + off, r);
    s = s + r * r;
  }
  return (s * <f32>0.5) / <f32>n;
}

/**
 * Hidden-layer gradient of f = c′·Σₖ aₖσ(zᵢₖ): g[i·m + k] = ((e[i]·c)·a[k])·s[i·m + k], for the
 * n × m row-major arrays s (σ′, masked if dropout) and g; c = 1/(α·n) is passed by the host.
 */
export function hidden_grad(n: i32, m: i32, e: usize, a: usize, s: usize, g: usize, c: f32): void {
  for (let i = 0; i < n; i++) {
    const ec = load<f32>(e + ((<usize>i) << 2)) * c;
    const vec = f32x4.splat(ec);
    const row = (<usize>i * <usize>m) << 2;
    let k = 0;
    for (; k + 4 <= m; k += 4) {
      const off = (<usize>k) << 2;
      v128.store(g + row + off, f32x4.mul(f32x4.mul(vec, v128.load(a + off)), v128.load(s + row + off)));
    }
    for (; k < m; k++) {
      const off = (<usize>k) << 2;
      store<f32>(g + row + off, ec * load<f32>(a + off) * load<f32>(s + row + off));
    }
  }
}

/**
 * The output and hidden gradients of R_S + R1, Zhang & Xu's explicit dropout regulariser
 * R1 = (r/2n)·Σᵢ Σₖ (aₖ hᵢₖ)² with r = (1 − p)/(p·α) for f = (1/α)·Σₖ aₖhᵢₖ: with the residual of
 * sample i and neuron k Eᵢₖ = eᵢ + (r·aₖ)·hᵢₖ, ga[k] = (Σᵢ Eᵢₖ·hᵢₖ)·c (sequential over i, then one
 * multiply, as gemv_t) and g[i·m + k] = ((Eᵢₖ·c)·aₖ)·s[i·m + k] (as hidden_grad); c = 1/(α·n).
 */
export function r1_hidden_grad(n: i32, m: i32, e: usize, a: usize, h: usize, s: usize, g: usize, ga: usize, c: f32, r: f32): void {
  const vc = f32x4.splat(c),
    vr = f32x4.splat(r);
  let k = 0;
  for (; k + 4 <= m; k += 4) {
    const off = (<usize>k) << 2;
    const ak = v128.load(a + off);
    const rak = f32x4.mul(vr, ak);
    let sa = f32x4.splat(0);
    for (let i = 0; i < n; i++) {
      const idx = ((<usize>i * <usize>m) << 2) + off;
      const hv = v128.load(h + idx);
      const E = f32x4.add(f32x4.splat(load<f32>(e + ((<usize>i) << 2))), f32x4.mul(rak, hv));
      sa = f32x4.add(sa, f32x4.mul(E, hv));
      v128.store(g + idx, f32x4.mul(f32x4.mul(f32x4.mul(E, vc), ak), v128.load(s + idx)));
    }
    v128.store(ga + off, f32x4.mul(sa, vc));
  }
  for (; k < m; k++) {
    const off = (<usize>k) << 2;
    const ak = load<f32>(a + off);
    const rak = r * ak;
    let sa: f32 = 0;
    for (let i = 0; i < n; i++) {
      const idx = ((<usize>i * <usize>m) << 2) + off;
      const hv = load<f32>(h + idx);
      const E = load<f32>(e + ((<usize>i) << 2)) + rak * hv;
      sa = sa + E * hv;
      store<f32>(g + idx, E * c * ak * load<f32>(s + idx));
    }
    store<f32>(ga + off, sa * c);
  }
}

/** x[i] = x[i]·y[i] for i < n. */
export function mul_inplace(n: i32, x: usize, y: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = (<usize>i) << 2;
    v128.store(x + off, f32x4.mul(v128.load(x + off), v128.load(y + off)));
  }
  for (; i < n; i++) {
    const off = (<usize>i) << 2;
    store<f32>(x + off, load<f32>(x + off) * load<f32>(y + off));
  }
}

/** Gradient descent: p[i] = p[i] − lr·g[i]. */
export function gd_step(n: i32, p: usize, g: usize, lr: f32): void {
  const vlr = f32x4.splat(lr);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = (<usize>i) << 2;
    v128.store(p + off, f32x4.sub(v128.load(p + off), f32x4.mul(vlr, v128.load(g + off))));
  }
  for (; i < n; i++) {
    const off = (<usize>i) << 2;
    store<f32>(p + off, load<f32>(p + off) - lr * load<f32>(g + off));
  }
}

/**
 * Adam, bias-corrected: m ← b1·m + (1 − b1)·g; v ← b2·v + (1 − b2)·(g·g);
 * p ← p − lr·((m/bc1)/(√(v/bc2) + eps)), with bc1 = 1 − b1ᵗ and bc2 = 1 − b2ᵗ from the host.
 */
export function adam_step(n: i32, p: usize, g: usize, m: usize, v: usize, lr: f32, b1: f32, b2: f32, eps: f32, bc1: f32, bc2: f32): void {
  const c1 = <f32>1.0 - b1;
  const c2 = <f32>1.0 - b2;
  const vb1 = f32x4.splat(b1),
    vb2 = f32x4.splat(b2),
    vc1 = f32x4.splat(c1),
    vc2 = f32x4.splat(c2);
  const vbc1 = f32x4.splat(bc1),
    vbc2 = f32x4.splat(bc2),
    veps = f32x4.splat(eps),
    vlr = f32x4.splat(lr);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = (<usize>i) << 2;
    const gi = v128.load(g + off);
    const mi = f32x4.add(f32x4.mul(vb1, v128.load(m + off)), f32x4.mul(vc1, gi));
    const vi = f32x4.add(f32x4.mul(vb2, v128.load(v + off)), f32x4.mul(vc2, f32x4.mul(gi, gi)));
    v128.store(m + off, mi);
    v128.store(v + off, vi);
    const step = f32x4.div(f32x4.div(mi, vbc1), f32x4.add(f32x4.sqrt(f32x4.div(vi, vbc2)), veps));
    v128.store(p + off, f32x4.sub(v128.load(p + off), f32x4.mul(vlr, step)));
  }
  for (; i < n; i++) {
    const off = (<usize>i) << 2;
    const gi = load<f32>(g + off);
    const mi = b1 * load<f32>(m + off) + c1 * gi;
    const vi = b2 * load<f32>(v + off) + c2 * (gi * gi);
    store<f32>(m + off, mi);
    store<f32>(v + off, vi);
    const step = mi / bc1 / (sqrt<f32>(vi / bc2) + eps);
    store<f32>(p + off, load<f32>(p + off) - lr * step);
  }
}

/**
 * Inverted-dropout mask: out[i] = u_i < keep ? 1/keep : 0, with u_i = philox_uniform sample i of
 * (seed, stream, ctr1). Multiply it into the hidden output and into σ′ for the backward pass.
 */
export function dropout_mask(out: usize, n: i32, keep: f32, seedLo: u32, seedHi: u32, stream: u32, ctr1: u32): void {
  philox_uniform(out, n, seedLo, seedHi, stream, ctr1);
  const scale = <f32>1.0 / keep;
  const vkeep = f32x4.splat(keep),
    vscale = f32x4.splat(scale),
    zero = f32x4.splat(0.0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = (<usize>i) << 2;
    v128.store(out + off, v128.bitselect(vscale, zero, f32x4.lt(v128.load(out + off), vkeep)));
  }
  for (; i < n; i++) {
    const off = (<usize>i) << 2;
    store<f32>(out + off, load<f32>(out + off) < keep ? scale : <f32>0.0);
  }
}

/** x[i] = x[i] + y[i] for i < n (the residual add and its gradient). */
export function add_inplace(n: i32, x: usize, y: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = (<usize>i) << 2;
    v128.store(x + off, f32x4.add(v128.load(x + off), v128.load(y + off)));
  }
  for (; i < n; i++) {
    const off = (<usize>i) << 2;
    store<f32>(x + off, load<f32>(x + off) + load<f32>(y + off));
  }
}

/** y[i] = x[i]·c for i < n (y may be x). */
export function scale_to(n: i32, x: usize, c: f32, y: usize): void {
  const vc = f32x4.splat(c);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = (<usize>i) << 2;
    v128.store(y + off, f32x4.mul(v128.load(x + off), vc));
  }
  for (; i < n; i++) {
    const off = (<usize>i) << 2;
    store<f32>(y + off, load<f32>(x + off) * c);
  }
}

/** AdamW (decoupled weight decay, as PyTorch): p ← p − (lr·wd)·p, then adam_step on that p. */
export function adamw_step(n: i32, p: usize, g: usize, m: usize, v: usize, lr: f32, b1: f32, b2: f32, eps: f32, bc1: f32, bc2: f32, wd: f32): void {
  const decay = lr * wd,
    vd = f32x4.splat(decay);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = (<usize>i) << 2;
    const pi = v128.load(p + off);
    v128.store(p + off, f32x4.sub(pi, f32x4.mul(vd, pi)));
  }
  for (; i < n; i++) {
    const off = (<usize>i) << 2;
    const pi = load<f32>(p + off);
    store<f32>(p + off, pi - decay * pi);
  }
  adam_step(n, p, g, m, v, lr, b1, b2, eps, bc1, bc2);
}

/**
 * Σ x[i]² for gradient clipping: four lane sums sₗ over i ≡ l (mod 4) below n rounded down to 4,
 * each sequential, then t = (s₀ + s₁) + (s₂ + s₃), then the tail added to t one by one.
 */
export function sum_squares(n: i32, x: usize): f32 {
  let acc = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const xi = v128.load(x + ((<usize>i) << 2));
    acc = f32x4.add(acc, f32x4.mul(xi, xi));
  }
  let t = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
  for (; i < n; i++) {
    const xi = load<f32>(x + ((<usize>i) << 2));
    t += xi * xi;
  }
  return t;
}
