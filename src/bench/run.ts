// `condensa bench`: run every task with tinybench in one process, one after another, and report
// rows {task, impl, size, medianMs, gflops, rme} with ratio columns and the environment.
import { Bench } from 'tinybench';
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadWasm } from '../wasm/node.js';
import { nodeEnvironment } from './env.js';
import { benchTasks, type BenchTask } from './tasks.js';
import { useTfjs } from './tfjs.js';

export interface BenchRow {
  task: string;
  impl: string;
  size: string;
  medianMs: number;
  gflops: number;
  rme: number;
  samples: number;
}

export interface BenchRatio {
  what: string;
  size: string;
  value: number;
}

export interface BenchOptions {
  json?: string;
  quick?: boolean;
  filter?: string;
  log?: (line: string) => void;
}

async function measure(t: BenchTask, quick: boolean): Promise<BenchRow> {
  const work = await t.prepare();
  try {
    const bench = new Bench({ time: quick ? 150 : 1000, warmupTime: quick ? 50 : 200, iterations: t.minIterations ?? (quick ? 5 : 10) });
    bench.add(`${t.impl} ${t.size}`, work.run);
    await bench.run();
    const r = bench.tasks[0].result;
    if (r.state === 'errored') throw new Error(`${t.task} ${t.impl} ${t.size} failed: ${r.error.message}`);
    if (r.state !== 'completed') throw new Error(`${t.task} ${t.impl} ${t.size} did not complete (${r.state})`);
    const medianMs = r.latency.p50;
    return { task: t.task, impl: t.impl, size: t.size, medianMs, gflops: t.flops / (medianMs * 1e6), rme: r.latency.rme, samples: r.latency.samplesCount };
  } finally {
    work.dispose();
  }
}

/** Ratios read side by side: speed-ups (baseline time / ours) and fractions of the micro-peak. */
export function ratios(rows: BenchRow[]): BenchRatio[] {
  const find = (task: string, impl: string, size: string) => rows.find((r) => r.task === task && r.impl === impl && r.size === size);
  const peak = rows.find((r) => r.task === 'peak');
  const out: BenchRatio[] = [];
  for (const r of rows.filter((x) => x.impl === 'wasm-simd' && x.task !== 'peak')) {
    for (const base of ['tfjs-wasm', 'reference-scalar', 'tfjs-cpu']) {
      const b = find(r.task, base, r.size);
      if (b) out.push({ what: `${r.task} wasm-simd vs ${base} (speed-up)`, size: r.size, value: b.medianMs / r.medianMs });
    }
    if (peak && r.task === 'gemm') out.push({ what: 'gemm wasm-simd / f32x4 micro-peak', size: r.size, value: r.gflops / peak.gflops });
  }
  return out;
}

function table(rows: BenchRow[], rs: BenchRatio[]): string {
  const lines = ['task        impl              size                         median ms    GFLOP/s   ±rme%   samples'];
  for (const r of rows) {
    lines.push(`${r.task.padEnd(11)} ${r.impl.padEnd(17)} ${r.size.padEnd(28)} ${r.medianMs.toFixed(3).padStart(10)} ${r.gflops.toFixed(2).padStart(9)} ${r.rme.toFixed(1).padStart(7)} ${String(r.samples).padStart(9)}`);
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
  const env = {
    ...nodeEnvironment(),
    runtime: 'node',
    tfjs: { version: tfjsWasm.version, wasmFlags: tfjsWasm.flags, cpuBackend: tfjsCpu.backend },
    notes: 'single-threaded: condensa wasm has no threads; tfjs-wasm in Node runs XNNPACK on one thread (WASM_HAS_MULTITHREAD_SUPPORT false)',
  };
  const tasks = benchTasks(wasm).filter((t) => !opts.filter || `${t.task} ${t.impl} ${t.size}`.includes(opts.filter));
  if (tasks.length === 0) throw new Error(`no benchmark task matches --filter "${opts.filter}"`);
  const rows: BenchRow[] = [];
  for (const t of tasks) {
    const row = await measure(t, opts.quick ?? false);
    log(`${row.task} ${row.impl} ${row.size}: ${row.medianMs.toFixed(3)} ms (${row.gflops.toFixed(2)} GFLOP/s)`);
    rows.push(row);
  }
  const rs = ratios(rows);
  log('\n' + table(rows, rs));
  log(`\nenvironment: ${env.cpu} × ${env.cores}, ${env.os}, Node ${env.node} (V8 ${env.v8}), tfjs ${env.tfjs.version}`);
  const result = { schema: 'condensa.bench/1', createdAt: new Date().toISOString(), env, rows, ratios: rs };
  if (opts.json) {
    mkdirSync(dirname(opts.json), { recursive: true });
    writeFileSync(opts.json, JSON.stringify(result, null, 2) + '\n');
    log(`wrote ${opts.json}`);
  }
  return result;
}
