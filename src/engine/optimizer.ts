// Optimiser state and update for the f32 two-layer network: GD, or Adam with bias correction
// (β1ᵗ and β2ᵗ kept as f32 running products, so every engine gets the same correction factors).
import type { F32Kernels } from '../wasm/kernels.js';
import type { Heap } from '../wasm/heap.js';
import type { OptimizerSpec } from './spec.js';
import type { TwoLayerF32 } from './twolayer-f32.js';

const f = Math.fround;

export class Optimizer {
  private adam?: { mW: number; vW: number; ma: number; va: number; b1t: number; b2t: number };

  constructor(
    private readonly spec: OptimizerSpec,
    private readonly heap: Heap,
    private readonly k: F32Kernels,
    private readonly net: TwoLayerF32,
  ) {
    if (spec.kind === 'adam') {
      const { m, D } = net.shape;
      this.adam = { mW: heap.allocF32(m * D), vW: heap.allocF32(m * D), ma: heap.allocF32(m), va: heap.allocF32(m), b1t: 1, b2t: 1 };
    }
  }

  /** Zero the moments (a restart begins from scratch). */
  reset(): void {
    const s = this.adam;
    if (!s) return;
    const { m, D } = this.net.shape;
    for (const [p, len] of [
      [s.mW, m * D],
      [s.vW, m * D],
      [s.ma, m],
      [s.va, m],
    ])
      this.heap.viewF32(p, len).fill(0);
    s.b1t = 1;
    s.b2t = 1;
  }

  step(lr: number): void {
    const { m, D } = this.net.shape,
      p = this.net.ptr,
      k = this.k;
    if (this.spec.kind === 'gd' || !this.adam) {
      k.gd_step(m * D, p.W, p.gW, lr);
      k.gd_step(m, p.a, p.ga, lr);
      return;
    }
    const s = this.adam,
      o = this.spec;
    const b1 = f(o.beta1 ?? 0.9),
      b2 = f(o.beta2 ?? 0.999),
      eps = f(o.eps ?? 1e-8);
    s.b1t = f(s.b1t * b1);
    s.b2t = f(s.b2t * b2);
    const bc1 = f(1 - s.b1t),
      bc2 = f(1 - s.b2t);
    k.adam_step(m * D, p.W, p.gW, s.mW, s.vW, lr, b1, b2, eps, bc1, bc2);
    k.adam_step(m, p.a, p.ga, s.ma, s.va, lr, b1, b2, eps, bc1, bc2);
  }
}
