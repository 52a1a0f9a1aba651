// Counter-based PRNG: Philox4x32-10 (Salmon et al., SC'11), uniform and normal samples.
// Every sample is a pure function of (seed, stream, ctr1, index), so any engine that ports this
// file (src/reference/philox.ts is the TypeScript twin) draws the same bits in any order. Uniforms take
// four blocks at once in i32x4 lanes (philox4), the same words.
import { logf, cos2pif } from "./mathf";

const M0: u32 = 0xd2511f53;
const M1: u32 = 0xcd9e8d57;
const W0: u32 = 0x9e3779b9;
const W1: u32 = 0xbb67ae85;

/** Output block of the last `philox_block` call (4 words), exported for known-answer tests. */
const BLOCK: usize = memory.data(16, 16);

/**
 * Philox4x32-10 of counter (c0, c1, c2, c3) under key (k0, k1); writes 4 u32 words to `out`.
 * Round: (hi0, lo0) = M0·c0, (hi1, lo1) = M1·c2, c ← (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0);
 * the key is bumped by (W0, W1) between rounds.
 */
@inline
function philox(c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32, out: usize): void {
  for (let r = 0; r < 10; r++) {
    if (r > 0) {
      k0 += W0;
      k1 += W1;
    }
    const p0 = <u64>M0 * <u64>c0;
    const p1 = <u64>M1 * <u64>c2;
    const hi0 = <u32>(p0 >>> 32);
    const lo0 = <u32>p0;
    const hi1 = <u32>(p1 >>> 32);
    const lo1 = <u32>p1;
    c0 = hi1 ^ c1 ^ k0;
    c1 = lo1;
    c2 = hi0 ^ c3 ^ k1;
    c3 = lo0;
  }
  store<u32>(out, c0, 0);
  store<u32>(out, c1, 4);
  store<u32>(out, c2, 8);
  store<u32>(out, c3, 12);
}

/** The high words of the four u32 × u32 products a·b (lanes), from the two 64-bit extended products. */
@inline
function mulhi4(a: v128, b: v128): v128 {
  return v128.shuffle<u32>(i64x2.extmul_low_i32x4_u(a, b), i64x2.extmul_high_i32x4_u(a, b), 1, 3, 5, 7);
}

/**
 * philox() on four counters at once, lane j the block of counter (b + j, c1, c2, 0), all under key
 * (k0, k1): the same u32 arithmetic (the products' low words from i32x4.mul, their high words from the
 * extended products); writes the 16 words block by block, b's four first, to `out`.
 */
@inline
function philox4(b: u32, c1: u32, c2: u32, k0: u32, k1: u32, out: usize): void {
  let x0 = i32x4(<i32>b, <i32>(b + 1), <i32>(b + 2), <i32>(b + 3));
  let x1 = i32x4.splat(<i32>c1),
    x2 = i32x4.splat(<i32>c2),
    x3 = i32x4.splat(0);
  const m0 = i32x4.splat(<i32>M0),
    m1 = i32x4.splat(<i32>M1);
  for (let r = 0; r < 10; r++) {
    if (r > 0) {
      k0 += W0;
      k1 += W1;
    }
    const hi0 = mulhi4(x0, m0),
      lo0 = i32x4.mul(x0, m0);
    const hi1 = mulhi4(x2, m1),
      lo1 = i32x4.mul(x2, m1);
    x0 = v128.xor(v128.xor(hi1, x1), i32x4.splat(<i32>k0));
    x1 = lo1;
    x2 = v128.xor(v128.xor(hi0, x3), i32x4.splat(<i32>k1));
    x3 = lo0;
  }
  // lanes hold word w of four blocks; out wants each block's four words together: a 4 × 4 transpose
  const a01 = v128.shuffle<u32>(x0, x1, 0, 4, 1, 5),
    a23 = v128.shuffle<u32>(x0, x1, 2, 6, 3, 7);
  const b01 = v128.shuffle<u32>(x2, x3, 0, 4, 1, 5),
    b23 = v128.shuffle<u32>(x2, x3, 2, 6, 3, 7);
  v128.store(out, v128.shuffle<u32>(a01, b01, 0, 1, 4, 5));
  v128.store(out, v128.shuffle<u32>(a01, b01, 2, 3, 6, 7), 16);
  v128.store(out, v128.shuffle<u32>(a23, b23, 0, 1, 4, 5), 32);
  v128.store(out, v128.shuffle<u32>(a23, b23, 2, 3, 6, 7), 48);
}

/** Known-answer entry point: one Philox4x32-10 block into `out` (4 u32). */
export function philox_block(out: usize, c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32): void {
  philox(c0, c1, c2, c3, k0, k1, out);
}

/** Top 24 bits of a word as a float in [0, 1): exact, (w >>> 8) · 2⁻²⁴. */
@inline
function u01(w: u32): f32 {
  return <f32>(w >>> 8) * 5.9604644775390625e-8;
}

/**
 * out[i] = uniform in [0, 1) for i < n. Sample i is word (i & 3) of the block with counter
 * (i >>> 2, ctr1, stream, 0) under key (seedLo, seedHi).
 */
export function philox_uniform(out: usize, n: i32, seedLo: u32, seedHi: u32, stream: u32, ctr1: u32): void {
  // sixteen samples (four blocks) at a time, each word to (w >>> 8)·2⁻²⁴ as u01 does, exactly
  const unit = f32x4.splat(5.9604644775390625e-8);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const dst = out + ((<usize>i) << 2);
    philox4(<u32>(i >>> 2), ctr1, stream, seedLo, seedHi, dst);
    for (let q: usize = 0; q < 64; q += 16) {
      v128.store(dst + q, f32x4.mul(f32x4.convert_i32x4_u(i32x4.shr_u(v128.load(dst + q), 8)), unit));
    }
  }
  for (; i < n; i += 4) {
    philox(<u32>(i >>> 2), ctr1, stream, 0, seedLo, seedHi, BLOCK);
    const lanes = min(4, n - i);
    for (let l = 0; l < lanes; l++) {
      store<f32>(out + ((<usize>(i + l)) << 2), u01(load<u32>(BLOCK + ((<usize>l) << 2))));
    }
  }
}

/**
 * Mini-batch weights of one SGD step: out[i] = c_i · scale, c_i the times sample i is among `batch`
 * draws uniform over the n samples with replacement, scale = n/batch from the host (so the weighted
 * residual's gradient is the batch mean). Draw j is uniform j of (seed, stream, ctr1) as in
 * philox_uniform; its sample is min(⌊u·n⌋, n − 1), u·n in f32.
 */
export function sample_weights(out: usize, n: i32, batch: i32, scale: f32, seedLo: u32, seedHi: u32, stream: u32, ctr1: u32): void {
  memory.fill(out, 0, (<usize>n) << 2);
  for (let j = 0; j < batch; j += 4) {
    philox(<u32>(j >>> 2), ctr1, stream, 0, seedLo, seedHi, BLOCK);
    const lanes = min(4, batch - j);
    for (let l = 0; l < lanes; l++) {
      const i = min(<i32>(u01(load<u32>(BLOCK + ((<usize>l) << 2))) * <f32>n), n - 1);
      const at = out + ((<usize>i) << 2);
      store<f32>(at, load<f32>(at) + <f32>1.0);
    }
  }
  for (let i = 0; i < n; i++) {
    const at = out + ((<usize>i) << 2);
    store<f32>(at, load<f32>(at) * scale);
  }
}

/**
 * out[i] = std · z_i, z_i standard normal, for i < n. Box–Muller on the block of counter
 * (i >>> 2, ctr1, stream, 0): words (0, 1) give z0 = r·cos 2πu, z1 = r·cos 2π(u − ¼) and words
 * (2, 3) give z2, z3 the same way, with r = √(−2 ln u1), u1 = ((w >>> 8) + 1)·2⁻²⁴ ∈ (0, 1].
 * All arithmetic is f32 in the order written; ln and cos come from ./mathf.
 */
export function philox_normal(out: usize, n: i32, std: f32, seedLo: u32, seedHi: u32, stream: u32, ctr1: u32): void {
  for (let i = 0; i < n; i += 4) {
    philox(<u32>(i >>> 2), ctr1, stream, 0, seedLo, seedHi, BLOCK);
    const lanes = min(4, n - i);
    for (let l = 0; l < lanes; l++) {
      const pair = <usize>(l & 2);
      const w1 = load<u32>(BLOCK + (pair << 2));
      const w2 = load<u32>(BLOCK + ((pair + 1) << 2));
      const u1 = <f32>((w1 >>> 8) + 1) * 5.9604644775390625e-8;
      const u2 = u01(w2);
      const r = sqrt<f32>(<f32>-2.0 * logf(u1));
      const angle = (l & 1) == 0 ? u2 : u2 - <f32>0.25;
      store<f32>(out + ((<usize>(i + l)) << 2), std * (r * cos2pif(angle)));
    }
  }
}
