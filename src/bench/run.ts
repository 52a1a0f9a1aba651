// `condensa bench`: run every task with tinybench in one process, one after another, and report
// rows {task, impl, device, size, medianMs, gflops, rme} with ratio columns and the environment.
// WebGPU rows (Dawn in Node) are added unless --webgpu off; figures from a software adapter
// (SwiftShader) are labelled as CPU figures. The rows of our WebGPU implementation name their kernel
// variant and carry the dispatches, submits and read-backs of a timed call (counted by
// src/webgpu/gpu.ts). The phase-grid sweep row is opt-in (--sweep).
import os from 'node:os';
import { Bench } from 'tinybench';
import { writeJsonAtomic } from '../cli/write.js';
import { loadWasm } from '../wasm/node.js';
import { openNodeDevice, dawnFlags } from '../webgpu/node.js';
import { adapterName, type AdapterWish, type GpuContext } from '../webgpu/device.js';
import { gpuCounts, resetGpuCounts } from '../webgpu/gpu.js';
import { shapingFor, type Shaping } from '../kernels/define.js';
import { nodeEnvironment, webgpuEnvironment } from '../environment.js';
import { benchTasks, type BenchTask } from './tasks.js';
import { webgpuTasks, adapterDevice } from './webgpu-tasks.js';
import { cnnTasks } from './cnn-tasks.js';
import { sweepTasks } from './sweep-tasks.js';
import { median } from '../science/stats.js';
import { useTfjs } from './tfjs.js';
import { BENCH_SCHEMA, type BenchRatio, type BenchRow } from '../report/schema.js';

export interface BenchOptions {
  json?: string;
  quick?: boolean;
  filter?: string;
  /** leave out the tasks whose "task impl size" contains any of these (e.g. the slow tfjs-cpu rows on a GPU machine) */
  skip?: string[];
  webgpu?: AdapterWish | 'off';
  sweep?: boolean;
  log?: (line: string) => void;
}

/** A second call longer than this makes the task "slow": a few timed calls instead of a time budget. */
const SLOW_CALL_MS = 250;

/** The variant of the layered program's kernels: GEMMs in workgroup tiles or one thread an output, reductions split in `tree` parts. */
const shapingVariant = (s: Shaping) => `${s.tiles ? 'tiled' : 'direct'}, tree ${s.tree}`;

/** Per timed call: the dispatches, submits and read-backs the device counted over `calls` calls. */
function perCall(ctx: GpuContext, calls: number): BenchRow['gpuWork'] {
  const c = gpuCounts(ctx);
  return { dispatches: c.dispatches / calls, submits: c.submits / calls, readBacks: c.readBacks / calls };
}

/** Time a task; `ctx` (the device of our WebGPU rows) counts each call's GPU work. */
async function measure(t: BenchTask, quick: boolean, ctx?: GpuContext): Promise<BenchRow> {
  const work = await t.prepare();
  try {
    // two warm-up calls: the first pays one-time set-up (shader and kernel compiles, first allocations),
    // the second sizes the run, so a backend with a slow first call is not taken for a slow task
    if (t.minIterations === undefined) await work.run();
    const t0 = performance.now();
    if (t.minIterations === undefined) await work.run();
    const slow = t.minIterations !== undefined || performance.now() - t0 > SLOW_CALL_MS;
    const bench = new Bench({
      time: slow ? 0 : quick ? 150 : 1000,
      warmupTime: slow ? 0 : quick ? 50 : 200,
      warmupIterations: slow ? 0 : 8,
      iterations: t.minIterations ?? (slow ? 3 : quick ? 5 : 10),
    });
    let calls = 0;
    // async, so that tinybench awaits each call (it tells async functions by their kind)
    const counted =
      ctx &&
      (async () => {
        calls++;
        return work.run();
      });
    if (ctx) resetGpuCounts(ctx);
    bench.add(`${t.impl} ${t.size}`, counted ?? work.run);
    await bench.run();
    const r = bench.tasks[0].result;
    if (r.state === 'errored') throw new Error(`${t.task} ${t.impl} ${t.size} failed: ${r.error.message}`);
    if (r.state !== 'completed') throw new Error(`${t.task} ${t.impl} ${t.size} did not complete (${r.state})`);
    const per = t.stepsPerCall ?? 1;
    // with GPU timestamps, tinybench's samples are GPU times and the wall times sit in wallMs
    const gpu = work.wallMs ? r.latency.p50 / per : undefined;
    const callMs = work.wallMs ? median(work.wallMs.slice(-r.latency.samplesCount)) : r.latency.p50;
    return {
      task: t.task,
      impl: t.impl,
      ...(t.variant === undefined ? {} : { variant: t.variant }),
      ...(ctx ? { gpuWork: perCall(ctx, calls) } : {}),
      device: t.device,
      size: t.size,
      medianMs: callMs / per,
      ...(gpu === undefined ? {} : { gpuMedianMs: gpu }),
      gflops: t.flops / (callMs * 1e6),
      ...(t.runsPerCall ? { runsPerSecond: t.runsPerCall / (callMs / 1000) } : {}),
      rme: r.latency.rme,
      samples: r.latency.samplesCount,
    };
  } finally {
    work.dispose();
  }
}

/** Ratios read side by side: speed-ups (baseline time / ours) and fractions of the micro-peak. */
export function ratios(rows: BenchRow[]): BenchRatio[] {
  const find = (task: string, impl: string, size: string) => rows.find((r) => r.task === task && r.impl === impl && r.size === size);
  const peak = rows.find((r) => r.task === 'peak');
  const out: BenchRatio[] = [];
  for (const r of rows.filter((x) => (x.impl === 'wasm-simd' || x.impl === 'wasm-simd-pool' || x.impl === 'webgpu') && x.task !== 'peak')) {
    const bases =
      r.impl === 'webgpu' ? ['tfjs-webgpu', 'wasm-simd'] : r.impl === 'wasm-simd-pool' ? ['wasm-simd'] : ['tfjs-wasm', 'reference-scalar', 'tfjs-cpu'];
    for (const base of bases) {
      const b = find(r.task, base, r.size);
      if (b) out.push({ what: `${r.task} ${r.impl} vs ${base} (speed-up)`, size: r.size, value: b.medianMs / r.medianMs });
    }
    if (peak && r.task === 'gemm' && r.impl === 'wasm-simd')
      out.push({ what: 'gemm wasm-simd / f32x4 micro-peak', size: r.size, value: r.gflops / peak.gflops });
  }
  return out;
}

/** "dispatches/submits/read-backs" per call, whole numbers where the calls agree. */
const workText = (w: BenchRow['gpuWork']) => (w ? [w.dispatches, w.submits, w.readBacks].map((x) => +x.toFixed(2)).join('/') : '–');

function table(rows: BenchRow[], rs: BenchRatio[]): string {
  const lines = [
    'task             impl              size                               median ms      GPU ms   GFLOP/s   ±rme%  samples  disp/sub/read per call  variant             device',
  ];
  for (const r of rows) {
    const rate = r.runsPerSecond !== undefined ? `${r.runsPerSecond.toFixed(2)} runs/s` : r.gflops.toFixed(2);
    lines.push(
      `${r.task.padEnd(16)} ${r.impl.padEnd(17)} ${r.size.slice(0, 34).padEnd(34)} ${r.medianMs.toFixed(3).padStart(10)} ${(r.gpuMedianMs?.toFixed(3) ?? '–').padStart(10)} ${rate.padStart(9)} ${r.rme.toFixed(1).padStart(7)} ${String(r.samples).padStart(8)}  ${workText(r.gpuWork).padStart(22)}  ${(r.variant ?? '–').padEnd(18)}  ${r.device}`,
    );
  }
  lines.push('', 'ratios');
  for (const q of rs) lines.push(`  ${q.what.padEnd(48)} ${q.size.padEnd(28)} ${q.value.toFixed(2)}×`);
  return lines.join('\n');
}

export async function runBench(opts: BenchOptions = {}): Promise<{ env: object; rows: BenchRow[]; ratios: BenchRatio[] }> {
  const log = opts.log ?? console.log;
  const wasm = await loadWasm();
  const tfjsWasm = await useTfjs('wasm');
  const tfjsCpu = await useTfjs('cpu');
  let ctx: GpuContext | undefined;
  if (opts.webgpu !== 'off') {
    ctx = await openNodeDevice(opts.webgpu ?? 'auto');
    log(`WebGPU adapter: ${ctx.adapter.vendor} ${adapterName(ctx.adapter)}${ctx.adapter.software ? ' — software: its rows are CPU figures' : ''}`);
  }
  const gpuDevice = ctx ? adapterDevice(ctx) : '';
  const env = {
    ...nodeEnvironment(),
    /** the device's name on merged pages and sites, as suite results name it (CONDENSA_DEVICE, else the host name) */
    device: process.env.CONDENSA_DEVICE || os.hostname(),
    runtime: 'node',
    tfjs: { version: tfjsWasm.version, wasmFlags: tfjsWasm.flags, cpuBackend: tfjsCpu.backend },
    webgpu: ctx ? webgpuEnvironment(ctx, dawnFlags()) : 'off',
    notes:
      'single-threaded CPU rows: a condensa wasm run uses one thread (wasm-simd-pool trains several runs at once on worker threads); tfjs-wasm in Node runs XNNPACK on one thread (WASM_HAS_MULTITHREAD_SUPPORT false). WebGPU train-step rows time 16 steps per call and report per step.',
  };
  const tasks = [
    ...benchTasks(wasm),
    ...(ctx ? webgpuTasks(ctx, wasm, log) : []),
    // cnn-tasks.ts builds its WebGPU rows on the layered program, whose kernels take the adapter's shaping
    ...cnnTasks(wasm, ctx).map((t) => (ctx && t.impl === 'webgpu' ? { ...t, variant: shapingVariant(shapingFor(ctx.adapter)) } : t)),
    ...(opts.sweep ? sweepTasks(wasm, ctx, gpuDevice) : []),
  ].filter((t) => {
    const name = `${t.task} ${t.impl} ${t.size}`;
    return (!opts.filter || name.includes(opts.filter)) && !opts.skip?.some((s) => name.includes(s));
  });
  if (tasks.length === 0)
    throw new Error(`no benchmark task matches --filter "${opts.filter ?? ''}" once --skip ${JSON.stringify(opts.skip ?? [])} is applied`);
  const rows: BenchRow[] = [];
  for (const t of tasks) {
    const row = await measure(t, opts.quick ?? false, t.impl === 'webgpu' ? ctx : undefined);
    log(
      `${row.task} ${row.impl} ${row.size}: ${row.medianMs.toFixed(3)} ms${row.gpuMedianMs !== undefined ? ` (GPU ${row.gpuMedianMs.toFixed(3)} ms)` : ''}, ${row.runsPerSecond !== undefined ? `${row.runsPerSecond.toFixed(2)} runs/s` : `${row.gflops.toFixed(2)} GFLOP/s`}${row.gpuWork ? `, ${workText(row.gpuWork)} dispatches/submits/read-backs per call` : ''} [${row.device}]`,
    );
    rows.push(row);
  }
  const rs = ratios(rows);
  log('\n' + table(rows, rs));
  log(`\nenvironment: ${env.cpu} × ${env.cores}, ${env.os}, Node ${env.node} (V8 ${env.v8}), tfjs ${env.tfjs.version}${ctx ? `, WebGPU ${gpuDevice}` : ''}`);
  ctx?.device.destroy();
  const result = { schema: BENCH_SCHEMA, createdAt: new Date().toISOString(), env, rows, ratios: rs };
  if (opts.json) {
    log(`wrote ${writeJsonAtomic(opts.json, result)}`);
  }
  return result;
}
