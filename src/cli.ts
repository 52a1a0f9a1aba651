// `condensa` command line: the one entry point that npm scripts call.
//   condensa bench [--json PATH] [--quick] [--filter TEXT] [--webgpu auto|swiftshader|gpu|off] [--sweep]
//                                                             kernel, training-step and sweep benchmarks
//   condensa run SPEC.json [--backend wasm|reference|webgpu] [--out PATH] [--report DIR]
//                                                             train one RunSpec; its report (JSON + HTML) goes to DIR
//   condensa parity [--runtime node|chromium] [--adapter auto|swiftshader|gpu] [--json PATH]
//                                                             WebGPU against WASM, kernels and trajectories
//   condensa suite [--scale ci|full] [--runtime chromium|node] [--driver playwright|puppeteer]
//                  [--project NAME]… [--suite ID]… [--smoke] [--spec GRID.json] [--shard I/N] [--out DIR]
//                  [--bench BENCH.json] [--parity PARITY.json] [--workers N] [--parallel N] [--slow] [--seed-offset N]
//                                                             run the reproduction suites, check claims, write reports
//   condensa report merge A.json B.json … [--out PATH]        one cross-device comparison page
//   condensa report compare BASE.json NEW.json [--threshold F] per-claim and per-bench changes; exit 1 on regression
//   condensa report shards DIR… [--scale ci|full] [--out DIR] one report from the blob reports of sharded runs
import { parseArgs } from 'node:util';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { runBench } from './bench/run.js';
import { loadWasm } from './wasm/node.js';
import { createEngine } from './engine/index.js';
import { trajectoryHash, toPlain, isLayered } from './engine/trajectory.js';
import { openNodeDevice } from './webgpu/node.js';
import { parityReport } from './webgpu/parity-report.js';
import type { AdapterWish } from './webgpu/device.js';
import { writeRunReport } from './suite/run-report.js';

const USAGE = `usage:
  condensa bench [--json PATH] [--quick] [--filter TEXT] [--webgpu auto|swiftshader|gpu|off] [--sweep]
  condensa run SPEC.json [--backend wasm|reference|webgpu] [--adapter auto|swiftshader|gpu] [--out PATH] [--report DIR]
  condensa parity [--runtime node|chromium] [--adapter auto|swiftshader|gpu] [--json PATH]
  condensa suite [--scale ci|full] [--runtime chromium|node] [--driver playwright|puppeteer] [--project NAME]… [--suite ID]… [--smoke] [--spec GRID.json] [--shard I/N] [--out DIR] [--bench BENCH.json] [--parity PARITY.json] [--workers N] [--parallel N] [--slow] [--seed-offset N]
  condensa report merge A.json B.json … [--out PATH]
  condensa report compare BASE.json NEW.json [--threshold F]
  condensa report shards DIR… [--scale ci|full] [--out DIR]`;

async function runSpec(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { backend: { type: 'string', default: 'wasm' }, adapter: { type: 'string', default: 'auto' }, out: { type: 'string' }, report: { type: 'string', default: 'reports' } } });
  if (positionals.length !== 1) throw new Error(`run needs one spec file\n${USAGE}`);
  let spec: unknown;
  try {
    spec = JSON.parse(readFileSync(positionals[0], 'utf8'));
  } catch (err) {
    throw new Error(`cannot read spec ${positionals[0]}: ${(err as Error).message}`);
  }
  const gpu = values.backend === 'webgpu' ? await openNodeDevice(adapterWish(values.adapter!)) : undefined;
  const wasm = await loadWasm();
  const engine = createEngine(values.backend!, wasm, gpu);
  const startedAt = new Date().toISOString();
  const t = await engine.run(spec, { onProgress: (step, loss) => console.error(`step ${step}: loss ${loss}`), progressEvery: 10_000 });
  const summary = {
    backend: t.backend, steps: t.steps, stopReason: t.stopReason, initialLoss: t.initialLoss, finalLoss: t.finalLoss,
    lr: t.lr, restarts: t.restarts, wallMs: Math.round(t.wallMs), hash: await trajectoryHash(t),
  };
  console.log(JSON.stringify(summary, null, 2));
  if (values.out) writeJson(values.out, { hash: summary.hash, ...toPlain(t) });
  if (isLayered(t)) console.log('(the run report draws two-layer runs; a layered run is reported through a suite or --out)');
  else if (t.backend === 'wasm' || t.backend === 'webgpu') {
    const files = await writeRunReport({ specPath: positionals[0], trajectory: t, engine: t.backend, adapter: gpu?.adapter, wasm, out: values.report!, command: `condensa run ${args.join(' ')}`, startedAt });
    console.log(`wrote ${files.json}\nwrote ${files.html}`);
  }
}

function adapterWish(value: string): AdapterWish {
  if (!['auto', 'swiftshader', 'gpu'].includes(value)) throw new Error(`unknown --adapter "${value}" (expected auto, swiftshader or gpu)`);
  return value as AdapterWish;
}

function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(value, null, 2) + '\n');
  console.log(`wrote ${path}`);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'bench': {
      const { values } = parseArgs({ args: rest, options: { json: { type: 'string' }, quick: { type: 'boolean', default: false }, filter: { type: 'string' }, webgpu: { type: 'string', default: 'auto' }, sweep: { type: 'boolean', default: false } } });
      const webgpu = values.webgpu === 'off' ? 'off' : adapterWish(values.webgpu!);
      await runBench({ json: values.json, quick: values.quick, filter: values.filter, webgpu, sweep: values.sweep });
      return 0;
    }
    case 'run':
      await runSpec(rest);
      return 0;
    case 'parity': {
      const { values } = parseArgs({ args: rest, options: { runtime: { type: 'string', default: 'node' }, adapter: { type: 'string', default: 'swiftshader' }, json: { type: 'string' } } });
      if (values.runtime !== 'node' && values.runtime !== 'chromium') throw new Error(`unknown --runtime "${values.runtime}" (expected node or chromium)`);
      const report = await parityReport(values.runtime, adapterWish(values.adapter!));
      if (values.json) writeJson(values.json, report);
      return report.pass ? 0 : 1;
    }
    case 'suite':
      return (await import('./suite/cli-suite.js')).runSuites(rest);
    case 'report':
      return (await import('./report/cli-report.js')).runReport(rest);
    default:
      console.error(USAGE);
      return command ? 2 : 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`condensa: ${err.message}`);
    process.exit(1);
  },
);
