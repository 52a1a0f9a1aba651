// Softmax cross-entropy of class labels, loss and gradient in one pass, with the module's own e^x
// and ln (so every engine gets the same bits). src/reference/softmax.ts is the bit-exact twin. The
// exponentials and the gradient take four classes an f32x4 step; the sums add the lanes in class order.
import { expf, expf4, logf } from './mathf';

/**
 * z: n × K logits, labels: n class indices (f32). Per row: mx = max_j z_j (sequential), t_j = e^(z_j − mx),
 * s = Σ_j t_j (sequential from 0), loss_i = ln s − (z_y − mx), g_j = (t_j/s − [j = y])·scale.
 * Returns (Σ_i loss_i, sequential from 0)/n.
 */
export function softmax_ce(n: i32, K: i32, z: usize, labels: usize, g: usize, scale: f32): f32 {
  let total: f32 = 0;
  for (let i = 0; i < n; i++) {
    const row = z + ((<usize>i * <usize>K) << 2),
      grow = g + ((<usize>i * <usize>K) << 2);
    const y = <i32>load<f32>(labels + ((<usize>i) << 2));
    let mx = load<f32>(row);
    for (let j = 1; j < K; j++) mx = max<f32>(mx, load<f32>(row + ((<usize>j) << 2)));
    let s: f32 = 0;
    const mx4 = f32x4.splat(mx);
    let j = 0;
    for (; j + 4 <= K; j += 4) {
      const off = (<usize>j) << 2;
      const t = expf4(f32x4.sub(v128.load(row + off), mx4));
      v128.store(grow + off, t);
      s += f32x4.extract_lane(t, 0);
      s += f32x4.extract_lane(t, 1);
      s += f32x4.extract_lane(t, 2);
      s += f32x4.extract_lane(t, 3);
    }
    for (; j < K; j++) {
      const t = expf(load<f32>(row + ((<usize>j) << 2)) - mx);
      store<f32>(grow + ((<usize>j) << 2), t);
      s += t;
    }
    total += logf(s) - (load<f32>(row + ((<usize>y) << 2)) - mx);
    const yoff = (<usize>y) << 2,
      ty = load<f32>(grow + yoff);
    const s4 = f32x4.splat(s),
      scale4 = f32x4.splat(scale);
    for (j = 0; j + 4 <= K; j += 4) {
      const off = (<usize>j) << 2;
      v128.store(grow + off, f32x4.mul(f32x4.div(v128.load(grow + off), s4), scale4));
    }
    for (; j < K; j++) {
      const off = (<usize>j) << 2;
      store<f32>(grow + off, (load<f32>(grow + off) / s) * scale);
    }
    // the label's class: (t_y/s − 1)·scale
    store<f32>(grow + yoff, (ty / s - <f32>1.0) * scale);
  }
  return total / <f32>n;
}
