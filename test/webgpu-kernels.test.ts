// Kernel parity in Node (Dawn; SwiftShader unless CONDENSA_ADAPTER=gpu): every case of the table in
// src/webgpu/kernel-parity.ts must stay inside its declared tolerance. On SwiftShader, which does
// not fuse, most kernels are expected to be bit-identical to WASM; that is checked too, so a
// regression in operation order shows up even while it is still inside the tolerance.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { loadWasm } from '../src/wasm/node.js';
import { openNodeDevice } from '../src/webgpu/node.js';
import type { GpuContext, AdapterWish } from '../src/webgpu/device.js';
import { kernelParity, KERNEL_CASES, type KernelParityRow } from '../src/webgpu/kernel-parity.js';
import { KERNELS } from '../src/kernels/index.js';
import { compareCase, parityCases } from '../src/kernels/parity-cases.js';
import { cpuBackend, webgpuBackend } from '../src/kernels/backends.js';
import { HARDWARE_SHAPING, type KernelDef } from '../src/kernels/define.js';
import { measureParity } from '../src/webgpu/tolerance.js';
import { uniformInputs } from '../src/wasm/inputs.js';

let ctx: GpuContext;
let rows: KernelParityRow[];
beforeAll(async () => {
  ctx = await openNodeDevice((process.env.CONDENSA_ADAPTER as AdapterWish) ?? 'swiftshader');
  rows = await kernelParity(ctx, await loadWasm());
});
afterAll(() => ctx?.device.destroy());

describe('kernel parity, WebGPU vs WASM', () => {
  it('covers every case of the table', () => {
    expect(new Set(rows.map((r) => `${r.kernel.split(' · ')[0]}|${r.case}`)).size).toBe(KERNEL_CASES.length);
  });

  it.each(KERNEL_CASES.map((c) => [c.kernel, c.case]))('%s on %s stays within its tolerance', (kernel, shape) => {
    for (const r of rows.filter((x) => x.kernel.startsWith(kernel + ' · ') && x.case === shape)) {
      expect(r.worstRatio, `${r.kernel} ${r.case}: worst error ${r.maxAbsError} at element ${r.worstIndex}`).toBeLessThanOrEqual(1);
    }
  });

  it('every program kernel in its GPU form (tiles, reductions split 256 ways) stays within its budget, forced on any adapter', async () => {
    const wasm = await loadWasm();
    const data = (size: number, stream: number, lo?: number, hi?: number) => uniformInputs(wasm, size, stream, lo, hi);
    const gpu = webgpuBackend(ctx, HARDWARE_SHAPING),
      truth = cpuBackend('wasm', wasm.heap, wasm.kernels);
    for (const { def, c } of parityCases(Object.values(KERNELS) as unknown as KernelDef[]).filter(({ c }) => !c.label.includes('two rows'))) {
      for (const r of await compareCase(def, c, data, truth, gpu)) {
        const m = measureParity(r.tol, r.got, r.want, r.scale);
        expect(m.worstRatio, `${def.name} ${c.label} ${r.name}: worst error ${m.maxAbsError} at element ${m.worstIndex}`).toBeLessThanOrEqual(1);
      }
    }
  });

  it('is bit-identical on SwiftShader except for the tree-reduced gemv_n', (test) => {
    if (!ctx.adapter.software) test.skip(); // hardware may fuse a·b + c: only the tolerance applies
    const inexact = rows.filter((r) => r.exactFraction < 1 && !r.kernel.includes('gemv_n (tiled)'));
    expect(inexact.map((r) => r.kernel)).toEqual([]);
  });
});
