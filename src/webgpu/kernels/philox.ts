// WGSL twin of assembly/kernels/philox.ts (Philox4x32-10 and its uniforms). Integer arithmetic is
// exact in WGSL, so these words and uniforms equal the WASM ones bit for bit.
export const PHILOX_WGSL = /* wgsl */ `
fn mulhi(a: u32, b: u32) -> u32 {
  let al = a & 0xffffu; let ah = a >> 16u; let bl = b & 0xffffu; let bh = b >> 16u;
  let lh = al * bh; let hl = ah * bl;
  let mid = ((al * bl) >> 16u) + (lh & 0xffffu) + (hl & 0xffffu);
  return ah * bh + (lh >> 16u) + (hl >> 16u) + (mid >> 16u);
}
fn philox(ctr: vec4<u32>, key: vec2<u32>) -> vec4<u32> {
  var c = ctr;
  var k = key;
  for (var r = 0u; r < 10u; r++) {
    if (r > 0u) { k = k + vec2<u32>(0x9e3779b9u, 0xbb67ae85u); }
    let hi0 = mulhi(0xd2511f53u, c.x); let lo0 = 0xd2511f53u * c.x;
    let hi1 = mulhi(0xcd9e8d57u, c.z); let lo1 = 0xcd9e8d57u * c.z;
    c = vec4<u32>(hi1 ^ c.y ^ k.x, lo1, hi0 ^ c.w ^ k.y, lo0);
  }
  return c;
}
/** The uniform in [0, 1) of one Philox word: its top 24 bits times 2⁻²⁴. */
fn philox_unit(w: u32) -> f32 { return f32(w >> 8u) * 5.9604644775390625e-8; }
/** Uniform sample i of (seed, stream, ctr1), exactly as philox_uniform. */
fn philox_uniform_at(i: u32, seed: u32, stream: u32, ctr1: u32) -> f32 {
  let w = philox(vec4<u32>(i >> 2u, ctr1, stream, 0u), vec2<u32>(seed, 0u));
  return philox_unit(w[i & 3u]);
}
`;
