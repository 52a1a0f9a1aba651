// Activations and their derivatives, f32x4 over a flat array. Kinds (multiplicity p as metadata in
// src/engine/activations.ts): 0 ReLU, 1 tanh (p=1), 2 x·tanh (p=2), 3 x²·tanh (p=3), 4 sigmoid (p=1),
// 5 softplus (p=1), 6 GELU (tanh form). Elementwise, so there is no reduction order; the op order of each formula is
// written below and followed exactly by src/reference/activation.ts.
import { tanhf4, sigmoidf4, softplusf4 } from "./mathf";

const TAIL: usize = memory.data(48, 16); // z, h, d scratch for the last n mod 4 elements
// GELU's constants, as f32: √(2/π), 0.044715 and 3·0.044715
const GELU_C: f32 = 0.7978845608028654;
const GELU_K: f32 = 0.044715;
const GELU_K3: f32 = 0.134145;

@inline
function actVec(kind: i32, z: v128, hOut: usize, dOut: usize): void {
  const zero = f32x4.splat(0.0);
  const one = f32x4.splat(1.0);
  let h: v128, d: v128;
  if (kind == 0) {
    // h = max(z, 0); d = z > 0 ? 1 : 0
    h = f32x4.max(z, zero);
    d = v128.bitselect(one, zero, f32x4.gt(z, zero));
  } else if (kind == 1) {
    // t = tanh z; h = t; d = 1 − t·t
    const t = tanhf4(z);
    h = t;
    d = f32x4.sub(one, f32x4.mul(t, t));
  } else if (kind == 2) {
    // t = tanh z; h = z·t; d = t + z·(1 − t·t)
    const t = tanhf4(z);
    h = f32x4.mul(z, t);
    d = f32x4.add(t, f32x4.mul(z, f32x4.sub(one, f32x4.mul(t, t))));
  } else if (kind == 3) {
    // t = tanh z; zz = z·z; h = zz·t; d = (z + z)·t + zz·(1 − t·t)
    const t = tanhf4(z);
    const zz = f32x4.mul(z, z);
    h = f32x4.mul(zz, t);
    d = f32x4.add(f32x4.mul(f32x4.add(z, z), t), f32x4.mul(zz, f32x4.sub(one, f32x4.mul(t, t))));
  } else if (kind == 4) {
    // s = sigmoid z; h = s; d = s·(1 − s)
    const s = sigmoidf4(z);
    h = s;
    d = f32x4.mul(s, f32x4.sub(one, s));
  } else if (kind == 5) {
    // h = softplus z; d = sigmoid z
    h = softplusf4(z);
    d = sigmoidf4(z);
  } else {
    // GELU, tanh form: zz = z·z; t = tanh(C·(z + K·(zz·z))); hz = 0.5·z; h = hz·(1 + t);
    // d = 0.5·(1 + t) + hz·((1 − t·t)·(C·(1 + K3·zz)))   (C = √(2/π), K = 0.044715, K3 = 3K)
    const zz = f32x4.mul(z, z);
    const t = tanhf4(f32x4.mul(f32x4.splat(GELU_C), f32x4.add(z, f32x4.mul(f32x4.splat(GELU_K), f32x4.mul(zz, z)))));
    const hz = f32x4.mul(f32x4.splat(0.5), z);
    const onePlusT = f32x4.add(one, t);
    h = f32x4.mul(hz, onePlusT);
    const slope = f32x4.mul(f32x4.splat(GELU_C), f32x4.add(one, f32x4.mul(f32x4.splat(GELU_K3), zz)));
    d = f32x4.add(f32x4.mul(f32x4.splat(0.5), onePlusT), f32x4.mul(hz, f32x4.mul(f32x4.sub(one, f32x4.mul(t, t)), slope)));
  }
  v128.store(hOut, h);
  if (dOut != 0) v128.store(dOut, d);
}

@inline
function actLoop(kind: i32, n: i32, z: usize, h: usize, d: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = (<usize>i) << 2;
    actVec(kind, v128.load(z + off), h + off, d != 0 ? d + off : 0);
  }
  const rem = n - i;
  if (rem > 0) {
    const off = (<usize>i) << 2;
    const bytes = (<usize>rem) << 2;
    v128.store(TAIL, f32x4.splat(0.0));
    memory.copy(TAIL, z + off, bytes);
    actVec(kind, v128.load(TAIL), TAIL + 16, d != 0 ? TAIL + 32 : 0);
    memory.copy(h + off, TAIL + 16, bytes);
    if (d != 0) memory.copy(d + off, TAIL + 32, bytes);
  }
}

/** h[i] = σ(z[i]) and, when d ≠ 0, d[i] = σ′(z[i]) for i < n; `kind` as in the file header. */
export function act_forward(kind: i32, n: i32, z: usize, h: usize, d: usize): void {
  switch (kind) {
    case 0: actLoop(0, n, z, h, d); break;
    case 1: actLoop(1, n, z, h, d); break;
    case 2: actLoop(2, n, z, h, d); break;
    case 3: actLoop(3, n, z, h, d); break;
    case 4: actLoop(4, n, z, h, d); break;
    case 5: actLoop(5, n, z, h, d); break;
    default: actLoop(6, n, z, h, d); break;
  }
}
