// Layer normalisation over the F features of each of `rows` rows (a token's d_model features, or a
// pixel's channels), forward and backward. src/reference/layernorm.ts is the bit-exact twin; every sum
// runs from 0 over j in order, and the mean is a multiplication by invF = f32(1/F) (host-rounded).

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
    for (let j = 0; j < F; j++) {
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
    for (let j = 0; j < F; j++) {
      const at = row + ((<usize>j) << 2);
      const u = load<f32>(g + at) * load<f32>(gamma + ((<usize>j) << 2));
      store<f32>(gx + at, rs * (u - a - load<f32>(xhat + at) * b));
    }
  }
}
