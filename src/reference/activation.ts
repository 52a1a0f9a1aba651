// Scalar twin of assembly/kernels/activation.ts: σ and σ′ per element, same formulas and op order.
import type { Heap } from '../wasm/heap.js';
import { tanhf, sigmoidf, softplusf } from './mathf.js';

const f = Math.fround;

const GELU_C = f(0.7978845608028654),
  GELU_K = f(0.044715),
  GELU_K3 = f(0.134145);

/** [σ(z), σ′(z)] for activation kind 0..6 (see assembly/kernels/activation.ts). */
export function activation(kind: number, z: number): [number, number] {
  switch (kind) {
    case 0:
      return [Math.max(z, 0), z > 0 ? 1 : 0];
    case 1: {
      const t = tanhf(z);
      return [t, f(1 - f(t * t))];
    }
    case 2: {
      const t = tanhf(z);
      return [f(z * t), f(t + f(z * f(1 - f(t * t))))];
    }
    case 3: {
      const t = tanhf(z);
      const zz = f(z * z);
      return [f(zz * t), f(f(f(z + z) * t) + f(zz * f(1 - f(t * t))))];
    }
    case 4: {
      const s = sigmoidf(z);
      return [s, f(s * f(1 - s))];
    }
    case 5:
      return [softplusf(z), sigmoidf(z)];
    default: {
      const zz = f(z * z);
      const t = tanhf(f(GELU_C * f(z + f(GELU_K * f(zz * z)))));
      const hz = f(0.5 * z),
        onePlusT = f(1 + t);
      const slope = f(GELU_C * f(1 + f(GELU_K3 * zz)));
      return [f(hz * onePlusT), f(f(0.5 * onePlusT) + f(hz * f(f(1 - f(t * t)) * slope)))];
    }
  }
}

export function actForwardKernel(heap: Heap) {
  return (kind: number, n: number, z: number, h: number, d: number): void => {
    const m = heap.f32;
    for (let i = 0; i < n; i++) {
      const [hv, dv] = activation(kind, m[(z >>> 2) + i]);
      m[(h >>> 2) + i] = hv;
      if (d !== 0) m[(d >>> 2) + i] = dv;
    }
  };
}
