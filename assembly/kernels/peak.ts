// Throughput probe for the benchmark: the f32x4 mul+add rate this machine reaches from WASM, so
// every GEMM figure can be read as a fraction of it. Not used in training.

/**
 * Twelve independent chains accᵢ ← accᵢ·c + d (f32x4.mul then f32x4.add) for `iters` iterations:
 * 96 flops per iteration. Returns the lane sum of the chains so that nothing is dead code.
 */
export function peak_f32x4(iters: i32): f32 {
  const c = f32x4.splat(0.999999),
    d = f32x4.splat(0.000001);
  let a0 = f32x4.splat(0.1),
    a1 = f32x4.splat(0.2),
    a2 = f32x4.splat(0.3),
    a3 = f32x4.splat(0.4);
  let a4 = f32x4.splat(0.5),
    a5 = f32x4.splat(0.6),
    a6 = f32x4.splat(0.7),
    a7 = f32x4.splat(0.8);
  let a8 = f32x4.splat(0.9),
    a9 = f32x4.splat(1.1),
    a10 = f32x4.splat(1.2),
    a11 = f32x4.splat(1.3);
  for (let i = 0; i < iters; i++) {
    a0 = f32x4.add(f32x4.mul(a0, c), d);
    a1 = f32x4.add(f32x4.mul(a1, c), d);
    a2 = f32x4.add(f32x4.mul(a2, c), d);
    a3 = f32x4.add(f32x4.mul(a3, c), d);
    a4 = f32x4.add(f32x4.mul(a4, c), d);
    a5 = f32x4.add(f32x4.mul(a5, c), d);
    a6 = f32x4.add(f32x4.mul(a6, c), d);
    a7 = f32x4.add(f32x4.mul(a7, c), d);
    a8 = f32x4.add(f32x4.mul(a8, c), d);
    a9 = f32x4.add(f32x4.mul(a9, c), d);
    a10 = f32x4.add(f32x4.mul(a10, c), d);
    a11 = f32x4.add(f32x4.mul(a11, c), d);
  }
  const s = f32x4.add(
    f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)),
    f32x4.add(f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)), f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11))),
  );
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
}
