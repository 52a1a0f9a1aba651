// The WGSL activations of assembly/kernels/activation.ts: σ(x) and σ′(x) with the module's own
// tanh/sigmoid/softplus (./mathf.ts), for the act_forward kernel (src/kernels/activation.ts) and the fused
// training steps. The activation is fixed when the shader is built (a run-time
// switch makes SwiftShader evaluate every case). Tolerance: the formulas are the WASM ones, so the
// only freedom is WGSL's (fusion, either rounding neighbour): a handful of ulp, plus an absolute
// floor for subnormal flushing and for cancellation in 1 − t² near |t| = 1.
import { MATHF_WGSL } from './mathf.js';
import type { Tolerance } from '../tolerance.js';

/** GELU's constants as WGSL f32 literals (the f32 values the WASM module rounds them to). */
const GELU = { C: Math.fround(0.7978845608028654), K: Math.fround(0.044715), K3: Math.fround(0.134145) };

const BODIES = [
  'return vec2<f32>(max(x, 0.0), select(0.0, 1.0, x > 0.0));',
  'let t = tanhf(x); return vec2<f32>(t, 1.0 - t * t);',
  'let t = tanhf(x); return vec2<f32>(x * t, t + x * (1.0 - t * t));',
  'let t = tanhf(x); let xx = x * x; return vec2<f32>(xx * t, (x + x) * t + xx * (1.0 - t * t));',
  'let s = sigmoidf(x); return vec2<f32>(s, s * (1.0 - s));',
  'return vec2<f32>(softplusf(x), sigmoidf(x));',
  // GELU, tanh form (C = √(2/π), K = 0.044715, K3 = 3K as f32)
  `let zz = x * x; let t = tanhf(${GELU.C} * (x + ${GELU.K} * (zz * x))); let hz = 0.5 * x; let onePlusT = 1.0 + t;
   return vec2<f32>(hz * onePlusT, 0.5 * onePlusT + hz * ((1.0 - t * t) * (${GELU.C} * (1.0 + ${GELU.K3} * zz))));`,
];

/** WGSL `fn act(x) -> vec2(σ(x), σ′(x))` for activation `kind`, with the math it needs. */
export function actFnWgsl(kind: number): string {
  const body = BODIES[kind];
  if (body === undefined) throw new Error(`no activation of kind ${kind}`);
  return `${MATHF_WGSL}\nfn act(x: f32) -> vec2<f32> { ${body} }\n`;
}

const ACT_ULPS = 8;
export const ACT_FORWARD_TOLERANCE: Tolerance = { kind: 'ulp', ulps: ACT_ULPS, atol: 2e-7 };

/**
 * σ′ is a formula in t = tanh(x) (or s = sigmoid(x)), and t is only within its own budget (8 ulp): the
 * error that carries into σ′ is |∂σ′/∂t|·8 ulp(t) ≤ 8·|t|·|∂σ′/∂t|·2⁻²³. This returns that bound in 2⁻²³
 * units, the `scale` of σ′'s parity budget (seen on an NVIDIA H100: 1 − t² near |t| = 1 differed by
 * 2.6e-7, 1.3 times the plain budget).
 */
export function derivativeCarry(kind: number, x: number): number {
  const t = kind === 6 ? geluT(x) : Math.tanh(x),
    s = 1 / (1 + Math.exp(-x));
  const dByT = [0, -2 * t, 1 - 2 * x * t, 2 * x - 2 * x * x * t, 1 - 2 * s, 0, 0.5 - x * t * GELU_SLOPE(x)][kind];
  return ACT_ULPS * Math.abs(kind === 4 ? s : t) * Math.abs(dByT);
}

/** GELU's t = tanh(C·(x + K·x³)) and the slope C·(1 + 3K·x²) of its argument. */
const geluT = (x: number) => Math.tanh(GELU.C * (x + GELU.K * x ** 3));
const GELU_SLOPE = (x: number) => GELU.C * (1 + GELU.K3 * x * x);

/**
 * The same carry into σ itself, where σ is not t or a multiple of it: GELU's h = (x/2)·(1 + t) loses t's
 * relative accuracy where 1 + t cancels (x ≪ 0), so its budget adds 8·|t|·|x/2| units of 2⁻²³.
 */
export function valueCarry(kind: number, x: number): number {
  return kind === 6 ? ACT_ULPS * Math.abs(geluT(x)) * Math.abs(x / 2) : 0;
}
