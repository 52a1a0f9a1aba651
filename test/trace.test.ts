// First-diverging-call tracing (`condensa parity --trace`) on SwiftShader (CONDENSA_ADAPTER=gpu for a GPU):
// a clean trace keeps every call within budget (on SwiftShader the WASM bits: ratio 0); a fault planted in
// one call of one step (a WebGPU backend whose conv weight gradient is off in one element at step 2) is
// named exactly: step, phase, call index, kernel, tensor and element; a missing file, a two-layer spec, a
// refused adapter and --trace with Chromium stop with the problem named.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWasm } from '../src/wasm/node.js';
import type { WasmInstance } from '../src/wasm/load.js';
import { openNodeDevice } from '../src/webgpu/node.js';
import type { AdapterWish, GpuContext } from '../src/webgpu/device.js';
import { webgpuBackend, type Backend } from '../src/kernels/backends.js';
import { traceableSpec, traceRun, describeTrace } from '../src/webgpu/trace.js';
import { parityTrace } from '../src/webgpu/parity-report.js';

const BIN = new URL('../bin/condensa.js', import.meta.url).pathname;
const ADAPTER = (process.env.CONDENSA_ADAPTER as AdapterWish) ?? 'swiftshader';
let wasm: WasmInstance, ctx: GpuContext;
beforeAll(async () => {
  wasm = await loadWasm();
  ctx = await openNodeDevice(ADAPTER);
});
afterAll(() => ctx?.device.destroy());

/** conv (2 channels → 4 filters, 3×3: its weight gradient is 4 × 18) → tanh → 2×2 average → dense; Adam, mini-batches, clipping every step */
const CNN = {
  data: { preset: 'gauss-images', n: 16, channels: 2, size: 6, seed: 1 },
  model: {
    layers: [
      { type: 'conv2d', filters: 4, kernel: 3, init: { std: 0.3 } },
      { type: 'activation', fn: 'tanh' },
      { type: 'avgpool2d', size: 2 },
      { type: 'flatten' },
      { type: 'dense', units: 1 },
    ],
  },
  optimizer: { kind: 'adam' },
  batch: { size: 8 },
  clip: { maxNorm: 1e-3 },
  lr: 0.01,
  stop: { maxSteps: 100 },
  seed: 3,
};

/** `backend` with the kernels it ran recorded, and element `index` of the output of the `nth` call that `fault` picks moved by 1e-3. */
function planted(backend: Backend, fault: { pick: (kernel: string, args: Record<string, unknown>) => boolean; nth: number; index: number }) {
  const kernels: string[] = [];
  let seen = 0;
  const wrapped: Backend = {
    name: `${backend.name}, one fault planted`,
    async run(call, inputs, scalars) {
      const out = await backend.run(call, inputs, scalars);
      kernels.push(call.kernel);
      if (fault.pick(call.kernel, call.args) && seen++ === fault.nth)
        out.tensors[((call.kernel === 'conv_gemm_tn' ? call.args.dwt : call.args.C) as { tensor: number }).tensor][fault.index] += 1e-3;
      return out;
    },
  };
  return { wrapped, kernels };
}

describe('condensa parity --trace', () => {
  it('a clean trace: every call of every phase within budget, the worst ratio per kernel', async () => {
    const { wrapped, kernels } = planted(webgpuBackend(ctx), { pick: () => false, nth: 0, index: 0 });
    const r = await traceRun(traceableSpec(CNN, 'CNN'), wasm, wrapped, 4);
    expect(r.overBudget).toBeUndefined();
    expect([r.steps, r.calls]).toEqual([4, kernels.length]);
    // forward, backward, norms (sum_squares), clip (scale_to: more than the forward's and backward's one a step) and update (adam_step) all traced
    expect(new Set(r.worst.map((w) => w.kernel))).toEqual(new Set(kernels));
    expect(kernels.filter((k) => k === 'scale_to').length).toBeGreaterThan(2 * 4 + 1);
    for (const k of ['conv_gemm_nt', 'conv_gemm_tn', 'gemm_nt', 'avgpool_forward', 'mse_residual', 'gemm_tn', 'sum_squares', 'scale_to', 'adam_step'])
      expect(kernels).toContain(k);
    if (ctx.adapter.software) expect(r.worst.every((w) => w.ratio === 0)).toBe(true);
    else expect(r.worst.every((w) => w.ratio <= 1)).toBe(true);
    expect(describeTrace(r, 'WebGPU')).toMatch(
      new RegExp(`^all ${r.calls} calls of 4 steps within budget on WebGPU; worst: kernel \\w+ at [\\d.e-]+ of its budget`),
    );
  });

  it('names the planted fault: step 2, backward call 6, conv_gemm_tn writing ∇layers[0].kernel, element 5', async () => {
    // backward: scale_to (the seed), the dense layer's gemm_tn, bias_grad, gemm_nn, avgpool_backward, mul_inplace (tanh′), the conv's conv_gemm_tn
    const { wrapped } = planted(webgpuBackend(ctx), { pick: (kernel) => kernel === 'conv_gemm_tn', nth: 2, index: 5 });
    const r = await traceRun(traceableSpec(CNN, 'CNN'), wasm, wrapped, 20);
    const o = r.overBudget!;
    expect({ step: o.step, restarts: o.restarts, phase: o.phase, call: o.call, kernel: o.kernel, tensor: o.tensor, index: o.index }).toEqual({
      step: 2,
      restarts: 0,
      phase: 'backward',
      call: 6,
      kernel: 'conv_gemm_tn',
      tensor: '∇layers[0].kernel',
      index: 5,
    });
    expect(o.got - o.want).toBeCloseTo(1e-3, 6);
    expect(o.error).toBeGreaterThan(o.budget);
    expect(o.ratio).toBeCloseTo(o.error / o.budget, 6);
    expect(r.steps).toBe(2);
    expect(describeTrace(r, 'WebGPU')).toMatch(
      /^first call over budget on WebGPU: step 2, backward call 6, kernel conv_gemm_tn, tensor ∇layers\[0\]\.kernel: element 5 is [-\d.e]+, WASM [-\d.e]+; \|error\| [\d.e-]+ is [\d.e+]+× its budget of [\d.e-]+\. The \d+ calls before it stayed within their budgets\.$/,
    );
  });

  it('--gpu-forms traces the GPU forms (tiled and split-K GEMMs, 256-way reductions) on any adapter, within budget', async () => {
    const spec = join(mkdtempSync(join(tmpdir(), 'trace-')), 'cnn.json');
    writeFileSync(spec, JSON.stringify(CNN));
    const lines: string[] = [];
    const r = await parityTrace(spec, 'swiftshader', 2, true, (l) => lines.push(l));
    expect(lines[0]).toContain("the kernels' GPU forms");
    expect(r.pass).toBe(true);
    // the reordered sums are not the WASM bits, yet inside their budgets
    expect(Math.max(...r.trace.worst.map((w) => w.ratio))).toBeGreaterThan(0);
  });

  it('a missing file, a two-layer spec, a refused adapter and --trace in Chromium stop with the problem named', async () => {
    await expect(parityTrace('test/no-such-spec.json', 'swiftshader', 5)).rejects.toThrow(/cannot read test\/no-such-spec\.json/);
    await expect(parityTrace('examples/condensed-relu.json', 'swiftshader', 5)).rejects.toThrow(
      /^examples\/condensed-relu\.json is a two-layer spec .*, which --trace does not replay/,
    );
    const spec = join(mkdtempSync(join(tmpdir(), 'trace-')), 'cnn.json');
    writeFileSync(spec, JSON.stringify(CNN));
    if (ctx.adapter.software) await expect(parityTrace(spec, 'gpu', 5)).rejects.toThrow(/asked for a hardware GPU but got a software adapter/);
    const cli = (args: string[]) => spawnSync(process.execPath, [BIN, 'parity', '--trace', spec, ...args], { encoding: 'utf8', timeout: 60_000 });
    for (const [args, message] of [
      [['--runtime', 'chromium'], /--trace runs in Node \(Dawn\)/],
      [['--steps', '0'], /--steps must be a whole number ≥ 1, got "0"/],
    ] as const) {
      const r = cli([...args]);
      expect([r.status, r.stderr]).toEqual([2, expect.stringMatching(message)]);
    }
  });
});
