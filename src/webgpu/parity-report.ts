// `condensa parity`: kernel and trajectory parity of WebGPU against WASM, in Node (Dawn) or in a
// Chromium page, written as the `parity` section of a result JSON with the environment and adapter; with
// `--trace SPEC.json`, a layered run replayed call by call instead (./trace.ts), in Node.
import { loadWasm } from '../wasm/node.js';
import { createEngine } from '../engine/index.js';
import { fromPlain, twoLayer } from '../engine/trajectory.js';
import { nodeEnvironment } from '../environment.js';
import { openNodeDevice } from './node.js';
import { kernelParity, type KernelParityRow } from './kernel-parity.js';
import { trajectoryParity, compareTrajectories, PARITY_SPECS, type TrajectoryParityRow } from './trajectory-parity.js';
import type { AdapterRecord, AdapterWish } from './device.js';
import { PARITY_SCHEMA } from '../report/schema.js';
import { HARDWARE_SHAPING } from '../kernels/define.js';
import { readJsonFile } from '../report/validate.js';
import { webgpuBackend } from '../kernels/backends.js';
import { describeTrace, traceableSpec, traceRun, type TraceResult } from './trace.js';

export interface ParityReport {
  schema: typeof PARITY_SCHEMA;
  createdAt: string;
  runtime: 'node' | 'chromium';
  browser?: string;
  env: ReturnType<typeof nodeEnvironment>;
  adapter: AdapterRecord;
  kernels: KernelParityRow[];
  trajectories: TrajectoryParityRow[];
  pass: boolean;
}

/** What `condensa parity --trace SPEC.json --json PATH` writes (no TypeBox schema yet: src/report/schema.ts). */
const PARITY_TRACE_SCHEMA = 'condensa/parity-trace@1';
export interface ParityTraceReport {
  schema: typeof PARITY_TRACE_SCHEMA;
  createdAt: string;
  runtime: 'node';
  env: ReturnType<typeof nodeEnvironment>;
  adapter: AdapterRecord;
  /** the traced spec's path */
  spec: string;
  trace: TraceResult;
  /** every traced call within its budget */
  pass: boolean;
}

const adapterLine = (a: AdapterRecord) => `adapter: ${a.vendor} ${a.architecture} ${a.description}${a.software ? ' (software: CPU figures)' : ''}`;

export async function parityReport(runtime: 'node' | 'chromium', wish: AdapterWish, log: (s: string) => void = console.log): Promise<ParityReport> {
  const wasm = await loadWasm();
  let adapter: AdapterRecord, kernels: KernelParityRow[], trajectories: TrajectoryParityRow[], browser: string | undefined;
  if (runtime === 'node') {
    const ctx = await openNodeDevice(wish);
    adapter = ctx.adapter;
    log(adapterLine(adapter));
    kernels = await kernelParity(ctx, wasm);
    trajectories = await trajectoryParity(wasm, createEngine('wasm', wasm), createEngine('webgpu', wasm, ctx));
    ctx.device.destroy();
  } else {
    if (wish === 'auto') throw new Error('--runtime chromium needs --adapter swiftshader or --adapter gpu');
    const { openEnginePage } = await import('../runner/page.js'); // Playwright only when a browser is wanted
    const page = await openEnginePage({ adapter: wish });
    try {
      browser = page.browserVersion;
      adapter = await page.adapter();
      log(`chromium ${browser}, adapter: ${adapter.vendor} ${adapter.architecture}${adapter.software ? ' (software: CPU figures)' : ''}`);
      kernels = await page.kernelParity();
      trajectories = [];
      for (const [name, spec] of Object.entries(PARITY_SPECS)) {
        const [cpu] = await page.runBatch('wasm', [spec]);
        const [gpu] = await page.runBatch('webgpu', [spec]);
        trajectories.push(
          await compareTrajectories(
            name,
            wasm,
            twoLayer(fromPlain(cpu.trajectory), 'trajectory parity'),
            twoLayer(fromPlain(gpu.trajectory), 'trajectory parity'),
          ),
        );
      }
    } finally {
      await page.close();
    }
  }
  for (const k of kernels) if (!k.pass) log(`FAIL kernel ${k.kernel} ${k.case}: ${k.worstRatio.toFixed(2)} of budget`);
  const worst = kernels.reduce((a, b) => (b.worstRatio > a.worstRatio ? b : a));
  log(
    `kernels: ${kernels.filter((k) => k.pass).length}/${kernels.length} within tolerance; worst ${worst.kernel} ${worst.case} at ${worst.worstRatio.toFixed(3)} of budget`,
  );
  for (const t of trajectories) {
    log(
      `trajectory ${t.name}: ${t.bitIdentical ? 'bit-identical' : `max loss rel diff ${t.lossRelDiffMax.toExponential(2)}`}, steps ${t.steps.wasm}/${t.steps.webgpu}, RD ${t.rd.wasm.toPrecision(4)}/${t.rd.webgpu.toPrecision(4)}${t.clusters ? `, clusters ${t.clusters.wasm}/${t.clusters.webgpu}` : ''}`,
    );
  }
  return {
    schema: PARITY_SCHEMA,
    createdAt: new Date().toISOString(),
    runtime,
    browser,
    env: nodeEnvironment(),
    adapter,
    kernels,
    trajectories,
    pass: kernels.every((k) => k.pass),
  };
}

/** Trace the layered run of `specPath` on WASM and on the wished adapter (Dawn in Node), at most `steps` steps. */
/** Trace `specPath` (see ./trace.ts); `gpuForms` runs the kernels' GPU forms on any adapter. */
export async function parityTrace(
  specPath: string,
  wish: AdapterWish,
  steps: number,
  gpuForms = false,
  log: (s: string) => void = console.log,
): Promise<ParityTraceReport> {
  const spec = traceableSpec(readJsonFile(specPath), specPath);
  const wasm = await loadWasm();
  const ctx = await openNodeDevice(wish);
  try {
    log(`${adapterLine(ctx.adapter)}; tracing ${specPath} call by call, at most ${steps} steps${gpuForms ? ", the kernels' GPU forms" : ''}`);
    const trace = await traceRun(spec, wasm, webgpuBackend(ctx, gpuForms ? HARDWARE_SHAPING : undefined), steps);
    log(describeTrace(trace, 'WebGPU'));
    return {
      schema: PARITY_TRACE_SCHEMA,
      createdAt: new Date().toISOString(),
      runtime: 'node',
      env: nodeEnvironment(),
      adapter: ctx.adapter,
      spec: specPath,
      trace,
      pass: trace.overBudget === undefined,
    };
  } finally {
    ctx.device.destroy();
  }
}
