// Causal single-head attention over n sequences of L positions, forward and backward, with the module's
// own e^x (every engine gets the same bits). Q, K: (n·L) × dk rows, V, Z: (n·L) × dv rows, A: n × L × L.
// Every sum runs over its index ascending from 0. src/reference/attention.ts is the bit-exact twin.
import { expf } from './mathf';

@inline function at(base: usize, row: i32, width: i32, col: i32): usize {
  return base + ((<usize>(row * width + col)) << 2);
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
      for (let j = 0; j < dv; j++) {
        let z: f32 = 0;
        for (let b = 0; b <= a; b++) z += load<f32>(at(A, arow, 1, b)) * load<f32>(at(V, r0 + b, dv, j));
        store<f32>(at(Z, r0 + a, dv, j), z);
      }
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
    for (let b = 0; b < L; b++) {
      for (let j = 0; j < dv; j++) {
        let g: f32 = 0;
        for (let a = b; a < L; a++) g += load<f32>(at(A, (r0 + a) * L, 1, b)) * load<f32>(at(gZ, r0 + a, dv, j));
        store<f32>(at(gV, r0 + b, dv, j), g);
      }
      for (let k = 0; k < dk; k++) {
        let g: f32 = 0;
        for (let a = b; a < L; a++) g += load<f32>(at(gS, (r0 + a) * L, 1, b)) * load<f32>(at(Q, r0 + a, dk, k));
        store<f32>(at(gK, r0 + b, dk, k), g * scale);
      }
    }
    for (let a = 0; a < L; a++)
      for (let k = 0; k < dk; k++) {
        let g: f32 = 0;
        for (let b = 0; b <= a; b++) g += load<f32>(at(gS, (r0 + a) * L, 1, b)) * load<f32>(at(K, r0 + b, dk, k));
        store<f32>(at(gQ, r0 + a, dk, k), g * scale);
      }
  }
}
