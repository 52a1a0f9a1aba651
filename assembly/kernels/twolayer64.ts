// f64 forms of the two-layer network f(x) = (1/α)·Σₖ aₖσ(wₖ·x̃): output, loss and gradient, and the
// exact Hessian-vector product of R = (1/2n)·Σᵢ(f(xᵢ) − yᵢ)². For the exact-algebra checks
// (embedding principle, Hessian counts) that need double precision. Dot products over the input
// dimension D use f64x2; σ, σ′, σ″ use the module's own libm (AssemblyScript NativeMath), so they
// are deterministic across engines. Layout: X n×D, W m×D, a m, all row-major f64.
// Activation kinds as in ./activation.ts.

/** wₖ·xᵢ over D entries: f64x2 pairs summed lane-wise, then (lane0 + lane1) + odd tail. */
@inline
function dot(D: i32, w: usize, x: usize): f64 {
  let s = f64x2.splat(0);
  let j = 0;
  for (; j + 2 <= D; j += 2) {
    const off = (<usize>j) << 3;
    s = f64x2.add(s, f64x2.mul(v128.load(w + off), v128.load(x + off)));
  }
  let t = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  if (j < D) t += load<f64>(w + ((<usize>j) << 3)) * load<f64>(x + ((<usize>j) << 3));
  return t;
}

/** y[j] += c·x[j] over D entries (f64x2). */
@inline
function axpy(D: i32, c: f64, x: usize, y: usize): void {
  const vc = f64x2.splat(c);
  let j = 0;
  for (; j + 2 <= D; j += 2) {
    const off = (<usize>j) << 3;
    v128.store(y + off, f64x2.add(v128.load(y + off), f64x2.mul(vc, v128.load(x + off))));
  }
  if (j < D) {
    const off = (<usize>j) << 3;
    store<f64>(y + off, load<f64>(y + off) + c * load<f64>(x + off));
  }
}

// σ(z), σ′(z), σ″(z) of the last `act3` call.
export let S0: f64 = 0, S1: f64 = 0, S2: f64 = 0;

@inline
export function act3(kind: i32, z: f64): void {
  if (kind == 0) {
    S0 = z > 0 ? z : 0; S1 = z > 0 ? 1 : 0; S2 = 0;
  } else if (kind == 4 || kind == 5) {
    const s = 1.0 / (1.0 + Math.exp(-z));
    S0 = kind == 4 ? s : max(z, 0) + Math.log1p(Math.exp(-abs(z)));
    S1 = kind == 4 ? s * (1 - s) : s;
    S2 = kind == 4 ? s * (1 - s) * (1 - 2 * s) : s * (1 - s);
  } else {
    const t = Math.tanh(z);
    const u = 1 - t * t; // tanh′
    const v = -2 * t * u; // tanh″
    if (kind == 1) {
      S0 = t; S1 = u; S2 = v;
    } else if (kind == 2) {
      S0 = z * t; S1 = t + z * u; S2 = 2 * u + z * v;
    } else {
      S0 = z * z * t; S1 = 2 * z * t + z * z * u; S2 = 2 * t + 4 * z * u + z * z * v;
    }
  }
}

@inline
function output(i: i32, D: i32, m: i32, kind: i32, X: usize, W: usize, a: usize, invAlpha: f64): f64 {
  const xi = X + ((<usize>i * <usize>D) << 3);
  let f: f64 = 0;
  for (let k = 0; k < m; k++) {
    act3(kind, dot(D, W + ((<usize>k * <usize>D) << 3), xi));
    f += load<f64>(a + ((<usize>k) << 3)) * S0;
  }
  return f * invAlpha;
}

/** f[i] = (1/α)·Σₖ aₖσ(wₖ·xᵢ) for i < n. */
export function tl64_forward(n: i32, D: i32, m: i32, kind: i32, X: usize, W: usize, a: usize, invAlpha: f64, f: usize): void {
  for (let i = 0; i < n; i++) store<f64>(f + ((<usize>i) << 3), output(i, D, m, kind, X, W, a, invAlpha));
}

/** Returns R = (1/2n)Σᵢeᵢ² and writes ∂R/∂a (m) to ga and ∂R/∂W (m×D) to gW. */
export function tl64_loss_grad(
  n: i32, D: i32, m: i32, kind: i32, X: usize, y: usize, W: usize, a: usize, invAlpha: f64, ga: usize, gW: usize,
): f64 {
  memory.fill(ga, 0, (<usize>m) << 3);
  memory.fill(gW, 0, (<usize>m * <usize>D) << 3);
  let loss: f64 = 0;
  for (let i = 0; i < n; i++) {
    const xi = X + ((<usize>i * <usize>D) << 3);
    const e = output(i, D, m, kind, X, W, a, invAlpha) - load<f64>(y + ((<usize>i) << 3));
    loss += e * e;
    const c = e * invAlpha / <f64>n;
    for (let k = 0; k < m; k++) {
      const wk = W + ((<usize>k * <usize>D) << 3);
      act3(kind, dot(D, wk, xi));
      const ak = load<f64>(a + ((<usize>k) << 3));
      store<f64>(ga + ((<usize>k) << 3), load<f64>(ga + ((<usize>k) << 3)) + c * S0);
      axpy(D, c * ak * S1, xi, gW + ((<usize>k * <usize>D) << 3));
    }
  }
  return loss / (2 * <f64>n);
}

/**
 * (ha, hW) = ∇²R·(va, vW), exactly: (1/n)Σᵢ[Jᵢᵀ(Jᵢv) + eᵢ∇²fᵢ·v], with
 * Jᵢv = (1/α)Σₖ[vaₖσ + aₖσ′·(vWₖ·xᵢ)] and σ, σ′, σ″ at zᵢₖ = wₖ·xᵢ.
 */
export function tl64_hvp(
  n: i32, D: i32, m: i32, kind: i32, X: usize, y: usize, W: usize, a: usize, invAlpha: f64,
  va: usize, vW: usize, ha: usize, hW: usize,
): void {
  memory.fill(ha, 0, (<usize>m) << 3);
  memory.fill(hW, 0, (<usize>m * <usize>D) << 3);
  for (let i = 0; i < n; i++) {
    const xi = X + ((<usize>i * <usize>D) << 3);
    let f: f64 = 0, jv: f64 = 0;
    for (let k = 0; k < m; k++) {
      const off = (<usize>k * <usize>D) << 3;
      act3(kind, dot(D, W + off, xi));
      const ak = load<f64>(a + ((<usize>k) << 3));
      f += ak * S0;
      jv += load<f64>(va + ((<usize>k) << 3)) * S0 + ak * S1 * dot(D, vW + off, xi);
    }
    const e = f * invAlpha - load<f64>(y + ((<usize>i) << 3));
    jv *= invAlpha;
    const c = invAlpha / <f64>n;
    for (let k = 0; k < m; k++) {
      const off = (<usize>k * <usize>D) << 3;
      act3(kind, dot(D, W + off, xi));
      const ak = load<f64>(a + ((<usize>k) << 3));
      const vak = load<f64>(va + ((<usize>k) << 3));
      const vdx = dot(D, vW + off, xi);
      store<f64>(ha + ((<usize>k) << 3), load<f64>(ha + ((<usize>k) << 3)) + c * (S0 * jv + e * S1 * vdx));
      axpy(D, c * (ak * S1 * jv + e * (vak * S1 + ak * S2 * vdx)), xi, hW + off);
    }
  }
}
