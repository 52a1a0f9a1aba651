// Parity budgets against the freedoms WGSL grants, simulated on the CPU: a GPU may fuse p − lr·g into one
// rounding (an NVIDIA H100 does), and σ′ = 1 − t² inherits t's own error. Each budget must admit the
// simulated GPU result on the parity case's data, and the plain ulp budget must not (the reason it exists).
import { describe, it, expect } from 'vitest';
import { loadWasm } from '../src/wasm/node.js';
import { uniformInputs } from '../src/wasm/inputs.js';
import { measureParity } from '../src/webgpu/tolerance.js';
import { ELEMENTWISE_TOLERANCE, UPDATE_CARRY } from '../src/webgpu/kernels/elementwise.js';
import { ACT_FORWARD_TOLERANCE, derivativeCarry } from '../src/webgpu/kernels/activation.js';
import { GEMM_TOLERANCE } from '../src/webgpu/kernels/gemm.js';

const f = Math.fround;

describe('parity budgets admit what WGSL allows', () => {
  it('gd_step: p − lr·g fused into one rounding stays inside the budget with the product carried', async () => {
    const w = await loadWasm();
    const n = 1003,
      lr = f(0.05);
    const p = uniformInputs(w, n, 15),
      g = uniformInputs(w, n, 16); // the parity case's inputs
    const unfused = Float32Array.from(p, (v, i) => v - f(lr * g[i]));
    const fused = Float32Array.from(p, (v, i) => v - lr * g[i]);
    const scale = Float64Array.from(unfused, (v, i) => UPDATE_CARRY.gd_step * Math.abs(v - p[i]));
    expect(measureParity(ELEMENTWISE_TOLERANCE.gd_step, fused, unfused).worstRatio).toBeGreaterThan(1);
    expect(measureParity(ELEMENTWISE_TOLERANCE.gd_step, fused, unfused, scale).worstRatio).toBeLessThanOrEqual(1);
  });

  it("σ′ = 1 − t² with t off by its whole 8-ulp budget stays inside σ′'s budget", () => {
    const z = Float32Array.from({ length: 4001 }, (_, i) => f(-6 + 0.003 * i));
    const t = Float32Array.from(z, (x) => Math.tanh(x));
    const want = Float32Array.from(t, (v) => 1 - f(v * v));
    const shifted = Float32Array.from(t, (v) => {
      const u = f(v - Math.sign(v) * 8 * 2 ** (Math.floor(Math.log2(Math.abs(v) || 1)) - 23));
      return 1 - f(u * u);
    });
    const scale = Float64Array.from(z, (x) => derivativeCarry(1, x));
    expect(measureParity(ACT_FORWARD_TOLERANCE, shifted, want).worstRatio).toBeGreaterThan(1);
    expect(measureParity(ACT_FORWARD_TOLERANCE, shifted, want, scale).worstRatio).toBeLessThanOrEqual(1);
  });

  it('a dot tolerance without its K·Σ|aₖbₖ| scale is an error, not a one-ulp budget', () => {
    expect(() => measureParity(GEMM_TOLERANCE, Float32Array.of(1), Float32Array.of(1))).toThrow(/needs its per-element scale/);
  });
});
