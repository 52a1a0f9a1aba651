// Causal single-head attention over n sequences of L positions, forward and backward, with the module's
// own e^x (every engine gets the same bits). Q, K: (n·L) × dk rows, V, Z: (n·L) × dv rows, A: n × L × L.
// Every sum runs over its index ascending from 0. The sums whose outputs lie along a row (Z, gV, gK, gQ)
// take four outputs an f32x4 step, each still summed in that order (rowSums); the score and gA dots run
// across a row and stay scalar. src/reference/attention.ts is the bit-exact twin.
import { expf } from './mathf';

@inline function at(base: usize, row: i32, width: i32, col: i32): usize {
  return base + ((<usize>(row * width + col)) << 2);
}

/**
 * out[c] = (Σₜ w(t)·R[row(t)][c] from 0, t = t0 … t1 − 1 ascending)·scale for c < width, four columns an
 * f32x4 step (the rest one at a time): w(t) is the f32 at wBase + t·wStride bytes, R's rows `width` wide
 * start at rBase and row(t) = rRow0 + t.
 */
@inline
function rowSums(t0: i32, t1: i32, wBase: usize, wStride: usize, rBase: usize, rRow0: i32, width: i32, out: usize, scale: f32, scaled: bool): void {
  const rowB = (<usize>width) << 2;
  let c = 0;
  for (; c + 4 <= width; c += 4) {
    let acc = f32x4.splat(0);
    let w = wBase + <usize>t0 * wStride,
      r = at(rBase, rRow0 + t0, width, c);
    for (let t = t0; t < t1; t++) {
      acc = f32x4.add(acc, f32x4.mul(v128.load32_splat(w), v128.load(r)));
      w += wStride;
      r += rowB;
    }
    v128.store(out + ((<usize>c) << 2), scaled ? f32x4.mul(acc, f32x4.splat(scale)) : acc);
  }
  for (; c < width; c++) {
    let acc: f32 = 0;
    let w = wBase + <usize>t0 * wStride,
      r = at(rBase, rRow0 + t0, width, c);
    for (let t = t0; t < t1; t++) {
      acc += load<f32>(w) * load<f32>(r);
      w += wStride;
      r += rowB;
    }
    store<f32>(out + ((<usize>c) << 2), scaled ? acc * scale : acc);
  }
}

/**
 * Per sample and query a: s_b = (Σ_k Q_ak·K_bk)·scale for keys b ≤ a, m = max_b s_b, e_b = e^(s_b − m),
 * S = Σ_b e_b, A_ab = e_b/S (0 for b > a: causal); Z_aj = Σ_{b ≤ a} A_ab·V_bj.
 */
export function attention_forward(n: i32, L: i32, dk: i32, dv: i32, scale: f32, Q: usize, K: usize, V: usize, A: usize, Z: usize): void {
  for (let i = 0; i < n; i++) {
    const r0 = i * L;
    for (let a = 0; a < L; a++) {
      const arow = (r0 + a) * L;
      let m: f32 = 0;
      for (let b = 0; b <= a; b++) {
        let s: f32 = 0;
        for (let k = 0; k < dk; k++) s += load<f32>(at(Q, r0 + a, dk, k)) * load<f32>(at(K, r0 + b, dk, k));
        s = s * scale;
        store<f32>(at(A, arow, 1, b), s);
        m = b == 0 ? s : max<f32>(m, s);
      }
      let S: f32 = 0;
      for (let b = 0; b <= a; b++) {
        const e = expf(load<f32>(at(A, arow, 1, b)) - m);
        store<f32>(at(A, arow, 1, b), e);
        S += e;
      }
      for (let b = 0; b < L; b++) store<f32>(at(A, arow, 1, b), b <= a ? load<f32>(at(A, arow, 1, b)) / S : 0);
      // Z_aj = Σ_{b ≤ a} A_ab·V_bj
      rowSums(0, a + 1, at(A, arow, 1, 0), 4, V, r0, dv, at(Z, r0 + a, dv, 0), 1, false);
    }
  }
}

/**
 * Gradients from gZ: gA_ab = Σ_j gZ_aj·V_bj, c_a = Σ_{b ≤ a} A_ab·gA_ab, gS_ab = A_ab·(gA_ab − c_a) (kept in
 * gS, n × L × L); gV_bj = Σ_{a ≥ b} A_ab·gZ_aj; gQ_ak = (Σ_{b ≤ a} gS_ab·K_bk)·scale;
 * gK_bk = (Σ_{a ≥ b} gS_ab·Q_ak)·scale.
 */
export function attention_backward(
  n: i32,
  L: i32,
  dk: i32,
  dv: i32,
  scale: f32,
  Q: usize,
  K: usize,
  V: usize,
  A: usize,
  gZ: usize,
  gS: usize,
  gQ: usize,
  gK: usize,
  gV: usize,
): void {
  for (let i = 0; i < n; i++) {
    const r0 = i * L;
    for (let a = 0; a < L; a++) {
      const arow = (r0 + a) * L;
      let c: f32 = 0;
      for (let b = 0; b <= a; b++) {
        let g: f32 = 0;
        for (let j = 0; j < dv; j++) g += load<f32>(at(gZ, r0 + a, dv, j)) * load<f32>(at(V, r0 + b, dv, j));
        store<f32>(at(gS, arow, 1, b), g);
        c += load<f32>(at(A, arow, 1, b)) * g;
      }
      for (let b = 0; b < L; b++) store<f32>(at(gS, arow, 1, b), b <= a ? load<f32>(at(A, arow, 1, b)) * (load<f32>(at(gS, arow, 1, b)) - c) : 0);
    }
    const colB = (<usize>L) << 2;
    for (let b = 0; b < L; b++) {
      // gV_bj = Σ_{a ≥ b} A_ab·gZ_aj; gK_bk = (Σ_{a ≥ b} gS_ab·Q_ak)·scale: down column b of A and gS
      rowSums(b, L, at(A, r0 * L, 1, b), colB, gZ, r0, dv, at(gV, r0 + b, dv, 0), 1, false);
      rowSums(b, L, at(gS, r0 * L, 1, b), colB, Q, r0, dk, at(gK, r0 + b, dk, 0), scale, true);
    }
    // gQ_ak = (Σ_{b ≤ a} gS_ab·K_bk)·scale
    for (let a = 0; a < L; a++) rowSums(0, a + 1, at(gS, (r0 + a) * L, 1, 0), 4, K, r0, dk, at(gQ, r0 + a, dk, 0), scale, true);
  }
}
