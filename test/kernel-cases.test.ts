// Every kernel's declaration and case table (src/kernels/): the parameters are the WASM export's, by name
// and order, as asc declares them in build/condensa.d.ts; every parity case gives the reference twins
// the WASM bits (outputs pre-filled differently on each side, so a skipped element fails); the tolerance
// rules can fail: an output moved past its budget is caught; and a per-step field's WGSL reads the
// step-scalar buffer at the index its word holds.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadTwins, uniformData, type Twins } from './support.js';
import { KERNELS, call } from '../src/kernels/index.js';
import { gpuCall } from '../src/webgpu/kernel-dispatch.js';
import { compareCase, parityCases, EXACT } from '../src/kernels/parity-cases.js';
import { cpuBackend, type Backend } from '../src/kernels/backends.js';
import { measureParity } from '../src/webgpu/tolerance.js';
import { kernelWgsl, HARDWARE_SHAPING, SOFTWARE_SHAPING, type KernelDef, type ScalarArg } from '../src/kernels/define.js';

let t: Twins;
let wasm: Backend, ref: Backend;
beforeAll(async () => {
  t = await loadTwins();
  wasm = cpuBackend('wasm', t.heap, t.wasm);
  ref = cpuBackend('reference', t.heap, t.ref);
});
const data = (size: number, stream: number, lo?: number, hi?: number) => uniformData(t, size, stream, lo, hi);

/** name → parameter names of every function asc declared */
function ascSignatures(): Map<string, string[]> {
  const dts = readFileSync(new URL('../build/condensa.d.ts', import.meta.url), 'utf8');
  return new Map(
    [...dts.matchAll(/export function (\w+)\(([^)]*)\)/g)].map(([, name, ps]) => [
      name,
      ps
        .split(',')
        .map((p) => p.split(':')[0].trim())
        .filter(Boolean),
    ]),
  );
}

const DEFS = Object.values(KERNELS) as unknown as KernelDef[];

describe('kernel declarations', () => {
  it.each(DEFS.map((d) => [d.name, d]))(
    '%s declares the WASM signature asc generated, at least one parity case, and terms for a dot tolerance',
    (name, def) => {
      expect(Object.keys(def.params)).toEqual(ascSignatures().get(name as string));
      expect(def.cases.length).toBeGreaterThan(0);
      if (def.tolerance.kind === 'dot') for (const c of def.cases) expect(def.terms?.(c.args as Record<string, number>)).toBeGreaterThan(0);
    },
  );
});

describe('kernel shapings', () => {
  const reductions = ['bias_grad', 'sum_squares', 'softmax_ce', 'mse_residual'] as const;
  it.each(reductions)('%s: a 256-way tree in the GPU shaping, no workgroup memory or barrier in the software one', (name) => {
    const def = KERNELS[name] as unknown as KernelDef;
    const c = def.cases[0];
    const args = Object.fromEntries([...Object.entries(c.args), ...Object.keys(c.tensors).map((n, i) => [n, { tensor: i }])]);
    const gpu = kernelWgsl(def, args, HARDWARE_SHAPING),
      cpu = kernelWgsl(def, args, SOFTWARE_SHAPING);
    expect(gpu).toMatch(/const T = 256u;[\s\S]*var<workgroup> partial[\s\S]*workgroupBarrier/);
    expect(cpu).toContain('const T = 1u;');
    expect(cpu).not.toMatch(/workgroupBarrier|var<workgroup>/);
  });

  it('refuses a tree that is not a power of 2', () => {
    expect(() => kernelWgsl(KERNELS.sum_squares as unknown as KernelDef, { n: 8, x: { tensor: 0 } }, { tiles: true, tree: 12 })).toThrow(/power of 2/);
  });
});

describe('per-step uniform fields', () => {
  const gd = KERNELS.gd_step as unknown as KernelDef;
  const gdArgs = (lr: ScalarArg) => ({ n: 8, p: { tensor: 0 }, g: { tensor: 1 }, lr });

  it('read the step-scalar buffer, bound last, at the index their word holds; fixed ones read the uniform', () => {
    const late = kernelWgsl(gd, gdArgs({ scalar: 'lr' }), SOFTWARE_SHAPING);
    expect(late).toContain('lr: u32');
    expect(late).toContain('@group(0) @binding(3) var<storage, read> step_scalars: array<f32>;');
    expect(late).toContain('fn scalar_lr() -> f32 { return step_scalars[d.lr]; }');
    expect(gpuCall(call('gd_step', gdArgs({ scalar: 'lr' }) as never), SOFTWARE_SHAPING).dispatches[0].bindings).toEqual([0, 1, 'scalars']);
    const fixed = kernelWgsl(gd, gdArgs(0.05), SOFTWARE_SHAPING);
    expect(fixed).toContain('lr: f32');
    expect(fixed).toContain('fn scalar_lr() -> f32 { return d.lr; }');
    expect(fixed).not.toContain('step_scalars');
  });

  it('refuses a per-step scalar in a field not declared perStep', () => {
    const adam = KERNELS.adam_step as unknown as KernelDef;
    const args = {
      n: 8,
      p: { tensor: 0 },
      g: { tensor: 1 },
      m: { tensor: 2 },
      v: { tensor: 3 },
      lr: 0.1,
      b1: { scalar: 'bc1' as const },
      b2: 0.9,
      eps: 1e-8,
      bc1: 1,
      bc2: 1,
    };
    expect(() => kernelWgsl(adam, args, SOFTWARE_SHAPING)).toThrow('adam_step: uniform field b1 is not declared perStep');
  });
});

describe('parity cases, reference vs WASM', () => {
  it.each(parityCases(DEFS).map(({ def, c }) => [def.name, c.label, def, c] as const))('%s on %s: the same bits', async (_, __, def, c) => {
    for (const r of await compareCase(def, c, data, wasm, ref, EXACT)) {
      const m = measureParity(r.tol, r.got, r.want);
      expect(m.worstRatio, `${def.name} ${r.name}: differs at element ${m.worstIndex} (${r.got[m.worstIndex]} vs ${r.want[m.worstIndex]})`).toBe(0);
    }
  });

  it('a case fails when a backend writes a different value', async () => {
    const def = KERNELS.bias_add as unknown as KernelDef;
    const off: Backend = {
      name: 'one element off',
      async run(call, inputs) {
        const r = await wasm.run(call, inputs);
        r.tensors[0][5] = Math.fround(r.tensors[0][5] * (1 + 2 ** -20));
        return r;
      },
    };
    const [r] = await compareCase(def, def.cases[0], data, wasm, off);
    expect(measureParity(r.tol, r.got, r.want).worstRatio).toBeGreaterThan(1);
  });
});
