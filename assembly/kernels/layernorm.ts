// Layer normalisation over the F features of each of `rows` rows (a token's d_model features, or a
// pixel's channels), forward and backward. src/reference/layernorm.ts is the bit-exact twin; every sum
// runs from 0 over j in order, and the mean is a multiplication by invF = f32(1/F) (host-rounded). The
// per-feature outputs take four features an f32x4 step (the rest one at a time); the sums stay scalar.

/**
 * μ = (Σ_j x_j)·invF, σ² = (Σ_j (x_j − μ)²)·invF, rstd = 1/√(σ² + eps); x̂_j = (x_j − μ)·rstd,
 * y_j = x̂_j·γ_j + β_j. Keeps x̂ (rows × F) and rstd (rows) for the backward pass.
 */
export function layernorm_forward(rows: i32, F: i32, invF: f32, eps: f32, x: usize, gamma: usize, beta: usize, y: usize, xhat: usize, rstd: usize): void {
  for (let r = 0; r < rows; r++) {
    const row = (<usize>(r * F)) << 2;
    let s: f32 = 0;
    for (let j = 0; j < F; j++) s += load<f32>(x + row + ((<usize>j) << 2));
    const mu = s * invF;
    let q: f32 = 0;
    for (let j = 0; j < F; j++) {
      const d = load<f32>(x + row + ((<usize>j) << 2)) - mu;
      q += d * d;
    }
    const rs = <f32>1.0 / sqrt<f32>(q * invF + eps);
    store<f32>(rstd + ((<usize>r) << 2), rs);
    const mu4 = f32x4.splat(mu),
      rs4 = f32x4.splat(rs);
    let j = 0;
    for (; j + 4 <= F; j += 4) {
      const at = row + ((<usize>j) << 2),
        jj = (<usize>j) << 2;
      const h = f32x4.mul(f32x4.sub(v128.load(x + at), mu4), rs4);
      v128.store(xhat + at, h);
      v128.store(y + at, f32x4.add(f32x4.mul(h, v128.load(gamma + jj)), v128.load(beta + jj)));
    }
    for (; j < F; j++) {
      const at = row + ((<usize>j) << 2),
        jj = (<usize>j) << 2;
      const h = (load<f32>(x + at) - mu) * rs;
      store<f32>(xhat + at, h);
      store<f32>(y + at, h * load<f32>(gamma + jj) + load<f32>(beta + jj));
    }
  }
}

/**
 * Input gradient: with u_j = g_j·γ_j, a = (Σ_j u_j)·invF and b = (Σ_j u_j·x̂_j)·invF,
 * gx_j = rstd·((u_j − a) − x̂_j·b). (γ's and β's gradients are column sums: bias_grad.)
 */
export function layernorm_backward(rows: i32, F: i32, invF: f32, g: usize, xhat: usize, rstd: usize, gamma: usize, gx: usize): void {
  for (let r = 0; r < rows; r++) {
    const row = (<usize>(r * F)) << 2;
    let sa: f32 = 0,
      sb: f32 = 0;
    for (let j = 0; j < F; j++) {
      const at = row + ((<usize>j) << 2);
      const u = load<f32>(g + at) * load<f32>(gamma + ((<usize>j) << 2));
      sa += u;
      sb += u * load<f32>(xhat + at);
    }
    const a = sa * invF,
      b = sb * invF,
      rs = load<f32>(rstd + ((<usize>r) << 2));
    const a4 = f32x4.splat(a),
      b4 = f32x4.splat(b),
      rs4 = f32x4.splat(rs);
    let j = 0;
    for (; j + 4 <= F; j += 4) {
      const at = row + ((<usize>j) << 2);
      const u = f32x4.mul(v128.load(g + at), v128.load(gamma + ((<usize>j) << 2)));
      v128.store(gx + at, f32x4.mul(rs4, f32x4.sub(f32x4.sub(u, a4), f32x4.mul(v128.load(xhat + at), b4))));
    }
    for (; j < F; j++) {
      const at = row + ((<usize>j) << 2);
      const u = load<f32>(g + at) * load<f32>(gamma + ((<usize>j) << 2));
      store<f32>(gx + at, rs * (u - a - load<f32>(xhat + at) * b));
    }
  }
}
