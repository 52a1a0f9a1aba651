// What the elementwise WGSL kernels share: a flat invocation index over a grid of 256-thread
// workgroups (two rows when one row would pass 65535 workgroups) and NHWC coordinates.
import { grid } from '../webgpu/gpu.js';

export const FLAT_WGSL = /* wgsl */ `
fn flat_index(gid: vec3<u32>, nwg: vec3<u32>) -> u32 { return gid.x + gid.y * nwg.x * 256u; }
/** (i, h, w, c) of flat element e of an n × H × W × C tensor (NHWC). */
fn nhwc(e: u32, H: u32, W: u32, C: u32) -> vec4<u32> { return vec4<u32>(e / (C * W * H), (e / (C * W)) % H, (e / C) % W, e % C); }
`;

/** 256-thread workgroups covering `count` invocations. */
export const flatGroups = (count: number): [number, number, number] => [...grid(Math.ceil(count / 256)), 1];

/** The output length of a window of k over L with a stride and padding. */
export const windowOut = (L: number, k: number, stride: number, pad: number) => Math.floor((L + 2 * pad - k) / stride) + 1;

/** The tolerance of a result of one rounded op (either neighbour), or 2⁻¹²⁶ when a subnormal flushes. */
export const ONE_OP = { kind: 'ulp', ulps: 1, atol: 2 ** -126 } as const;

/**
 * WGSL of `tree_sum(t, v)` over the T invocations of a workgroup: each one's partial sum v, combined in a
 * fixed tree (t + s into t, s = T/2, T/4, …, 1), returned to every invocation; call it in uniform control
 * flow. T = 1 (the WASM order) needs neither workgroup memory nor barriers. `type` f32 or vec4<f32>.
 */
export function treeSumWgsl(T: number, type: 'f32' | 'vec4<f32>' = 'f32'): string {
  if (!Number.isInteger(Math.log2(T)) || T > 256) throw new Error(`a reduction tree needs a power of 2 up to 256 partial sums, got ${T}`);
  const head = `const T = ${T}u;\n`;
  if (T === 1) return `${head}fn tree_sum(t: u32, v: ${type}) -> ${type} { return v; }\n`;
  return /* wgsl */ `${head}var<workgroup> partial: array<${type}, ${T}>;
fn tree_sum(t: u32, v: ${type}) -> ${type} {
  partial[t] = v;
  for (var s = T / 2u; s > 0u; s = s / 2u) {
    workgroupBarrier();
    if (t < s) { partial[t] = partial[t] + partial[t + s]; }
  }
  workgroupBarrier();
  return partial[0];
}
`;
}
