// f64 forms of the three-layer network f(x) = (1/α)·Σₖ aₖσ(W2ₖ·[h1; 1]), h1 = σ(W1·x̃): output, loss and
// gradient, and the exact Hessian-vector product of R = (1/2n)·Σᵢ(f(xᵢ) − yᵢ)² (Pearlmutter's R-operator
// through both hidden layers). For the exact-algebra checks of the embedding principle in depth (SCIENCE.md
// §7.1: splitting a neuron of either hidden layer). Sums run in index order in f64; σ, σ′, σ″ come from
// act3 of ./twolayer64.ts (AssemblyScript NativeMath). Layout, row-major f64: X n×D (bias column last),
// W1 m1×D, W2 m2×(m1 + 1) (bias weight last), a m2; θ = (a, W2, W1). `work` holds 6·m1 + 7·m2 + 2 f64.

import { act3, S0, S1, S2 } from './twolayer64';

const F: usize = 8;
@inline function ld(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i) * F); }
@inline function st(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i) * F, v); }
@inline function add(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i) * F, load<f64>(p + (<usize>i) * F) + v); }

/** The forward pass of sample xi into work: z1, s1 (σ′), t1 (σ″), h1 (m1 + 1, last 1), z2, s2, t2, h2; returns f. */
function forward(D: i32, m1: i32, m2: i32, kind: i32, xi: usize, W1: usize, W2: usize, a: usize, invAlpha: f64, w: usize): f64 {
  const z1 = w, s1 = z1 + <usize>m1 * F, t1 = s1 + <usize>m1 * F, h1 = t1 + <usize>m1 * F;
  const z2 = h1 + <usize>(m1 + 1) * F, s2 = z2 + <usize>m2 * F, t2 = s2 + <usize>m2 * F, h2 = t2 + <usize>m2 * F;
  for (let k = 0; k < m1; k++) {
    let z: f64 = 0;
    for (let j = 0; j < D; j++) z += ld(W1, k * D + j) * ld(xi, j);
    act3(kind, z);
    st(z1, k, z); st(h1, k, S0); st(s1, k, S1); st(t1, k, S2);
  }
  st(h1, m1, 1);
  let f: f64 = 0;
  for (let k = 0; k < m2; k++) {
    let z: f64 = 0;
    for (let j = 0; j <= m1; j++) z += ld(W2, k * (m1 + 1) + j) * ld(h1, j);
    act3(kind, z);
    st(z2, k, z); st(h2, k, S0); st(s2, k, S1); st(t2, k, S2);
    f += ld(a, k) * S0;
  }
  return f * invAlpha;
}

/** f[i] for i < n. */
export function thr64_forward(n: i32, D: i32, m1: i32, m2: i32, kind: i32, X: usize, W1: usize, W2: usize, a: usize, invAlpha: f64, work: usize, f: usize): void {
  for (let i = 0; i < n; i++) st(f, i, forward(D, m1, m2, kind, X + <usize>(i * D) * F, W1, W2, a, invAlpha, work));
}

/** Returns R and writes ∂R/∂a (m2), ∂R/∂W2 (m2×(m1+1)), ∂R/∂W1 (m1×D). */
export function thr64_loss_grad(
  n: i32, D: i32, m1: i32, m2: i32, kind: i32, X: usize, y: usize, W1: usize, W2: usize, a: usize, invAlpha: f64, work: usize,
  ga: usize, gW2: usize, gW1: usize,
): f64 {
  memory.fill(ga, 0, <usize>m2 * F);
  memory.fill(gW2, 0, <usize>(m2 * (m1 + 1)) * F);
  memory.fill(gW1, 0, <usize>(m1 * D) * F);
  const s1 = work + <usize>m1 * F, h1 = s1 + <usize>(2 * m1) * F, s2 = h1 + <usize>(m1 + 1 + m2) * F, h2 = s2 + <usize>(2 * m2) * F;
  const d2 = work + <usize>(4 * m1 + 1 + 4 * m2) * F, d1 = d2 + <usize>m2 * F;
  let loss: f64 = 0;
  for (let i = 0; i < n; i++) {
    const xi = X + <usize>(i * D) * F;
    const e = forward(D, m1, m2, kind, xi, W1, W2, a, invAlpha, work) - ld(y, i);
    loss += e * e;
    const c = e * invAlpha / <f64>n;
    for (let k = 0; k < m2; k++) {
      add(ga, k, c * ld(h2, k));
      st(d2, k, c * ld(a, k) * ld(s2, k));
      for (let j = 0; j <= m1; j++) add(gW2, k * (m1 + 1) + j, ld(d2, k) * ld(h1, j));
    }
    for (let j = 0; j < m1; j++) {
      let back: f64 = 0;
      for (let k = 0; k < m2; k++) back += ld(W2, k * (m1 + 1) + j) * ld(d2, k);
      st(d1, j, back * ld(s1, j));
      for (let q = 0; q < D; q++) add(gW1, j * D + q, ld(d1, j) * ld(xi, q));
    }
  }
  return loss / (2 * <f64>n);
}

/** (ha, hW2, hW1) = ∇²R·(va, vW2, vW1), exactly: the R-operator applied to thr64_loss_grad's pass. */
export function thr64_hvp(
  n: i32, D: i32, m1: i32, m2: i32, kind: i32, X: usize, y: usize, W1: usize, W2: usize, a: usize, invAlpha: f64, work: usize,
  va: usize, vW2: usize, vW1: usize, ha: usize, hW2: usize, hW1: usize,
): void {
  memory.fill(ha, 0, <usize>m2 * F);
  memory.fill(hW2, 0, <usize>(m2 * (m1 + 1)) * F);
  memory.fill(hW1, 0, <usize>(m1 * D) * F);
  const s1 = work + <usize>m1 * F, t1 = s1 + <usize>m1 * F, h1 = t1 + <usize>m1 * F;
  const s2 = h1 + <usize>(m1 + 1 + m2) * F, t2 = s2 + <usize>m2 * F, h2 = t2 + <usize>m2 * F;
  const d2 = work + <usize>(4 * m1 + 1 + 4 * m2) * F, rd2 = d2 + <usize>m2 * F, rz2 = rd2 + <usize>m2 * F;
  const rz1 = rz2 + <usize>m2 * F, rh1 = rz1 + <usize>m1 * F; // rh1 has m1 + 1 entries, the last 0
  for (let i = 0; i < n; i++) {
    const xi = X + <usize>(i * D) * F;
    const e = forward(D, m1, m2, kind, xi, W1, W2, a, invAlpha, work) - ld(y, i);
    // forward R-pass: Rz1 = vW1·x, Rh1 = σ′(z1)Rz1, Rz2 = vW2·h1 + W2·Rh1, Rf = (1/α)(va·h2 + a·σ′(z2)Rz2)
    for (let k = 0; k < m1; k++) {
      let r: f64 = 0;
      for (let q = 0; q < D; q++) r += ld(vW1, k * D + q) * ld(xi, q);
      st(rz1, k, r);
      st(rh1, k, ld(s1, k) * r);
    }
    st(rh1, m1, 0);
    let rf: f64 = 0;
    for (let k = 0; k < m2; k++) {
      let r: f64 = 0;
      for (let j = 0; j <= m1; j++) r += ld(vW2, k * (m1 + 1) + j) * ld(h1, j) + ld(W2, k * (m1 + 1) + j) * ld(rh1, j);
      st(rz2, k, r);
      rf += ld(va, k) * ld(h2, k) + ld(a, k) * ld(s2, k) * r;
    }
    rf *= invAlpha;
    // backward pass and its R-pass, with c = e/(αn), Rc = Rf/(αn)
    const c = e * invAlpha / <f64>n, rc = rf * invAlpha / <f64>n;
    for (let k = 0; k < m2; k++) {
      const ak = ld(a, k), sk = ld(s2, k);
      st(d2, k, c * ak * sk);
      st(rd2, k, rc * ak * sk + c * ld(va, k) * sk + c * ak * ld(t2, k) * ld(rz2, k));
      add(ha, k, rc * ld(h2, k) + c * sk * ld(rz2, k));
      for (let j = 0; j <= m1; j++) add(hW2, k * (m1 + 1) + j, ld(rd2, k) * ld(h1, j) + ld(d2, k) * ld(rh1, j));
    }
    for (let j = 0; j < m1; j++) {
      let back: f64 = 0, rback: f64 = 0;
      for (let k = 0; k < m2; k++) {
        back += ld(W2, k * (m1 + 1) + j) * ld(d2, k);
        rback += ld(vW2, k * (m1 + 1) + j) * ld(d2, k) + ld(W2, k * (m1 + 1) + j) * ld(rd2, k);
      }
      const rd1 = rback * ld(s1, j) + back * ld(t1, j) * ld(rz1, j);
      for (let q = 0; q < D; q++) add(hW1, j * D + q, rd1 * ld(xi, q));
    }
  }
}
