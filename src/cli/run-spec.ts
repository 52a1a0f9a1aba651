// `condensa run SPEC.json`: train one RunSpec on the chosen engine, print the summary JSON on stdout
// (progress and the files written go to stderr), and write the run report for two-layer runs.
import { readFileSync } from 'node:fs';
import { loadWasm } from '../wasm/node.js';
import { createEngine } from '../engine/index.js';
import { trajectoryHash, toPlain, isLayered } from '../engine/trajectory.js';
import { openNodeDevice } from '../webgpu/node.js';
import type { AdapterWish } from '../webgpu/device.js';
import { writeRunReport } from '../suite/run-report.js';
import { writeJsonAtomic } from './write.js';

export interface RunSpecOptions {
  backend: string;
  adapter: AdapterWish;
  out?: string;
  report: string;
  typed: string;
}

export async function runSpecCommand(specPath: string, opts: RunSpecOptions): Promise<number> {
  let spec: unknown;
  try {
    spec = JSON.parse(readFileSync(specPath, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read spec ${specPath}: ${(err as Error).message}`);
  }
  const gpu = opts.backend === 'webgpu' ? await openNodeDevice(opts.adapter) : undefined;
  const wasm = await loadWasm();
  const engine = createEngine(opts.backend, wasm, gpu);
  const startedAt = new Date().toISOString();
  const t = await engine.run(spec, { onProgress: (step, loss) => console.error(`step ${step}: loss ${loss}`), progressEvery: 10_000 });
  const summary = {
    backend: t.backend,
    steps: t.steps,
    stopReason: t.stopReason,
    initialLoss: t.initialLoss,
    finalLoss: t.finalLoss,
    lr: t.lr,
    restarts: t.restarts,
    wallMs: Math.round(t.wallMs),
    hash: await trajectoryHash(t),
  };
  if (opts.out) console.error(`wrote ${writeJsonAtomic(opts.out, { hash: summary.hash, ...toPlain(t) })}`);
  if (isLayered(t)) console.error('(the run report draws two-layer runs; a layered run is reported through a suite or --out)');
  else if (t.backend === 'wasm' || t.backend === 'webgpu') {
    const files = await writeRunReport({
      specPath,
      trajectory: t,
      engine: t.backend,
      adapter: gpu?.adapter,
      wasm,
      out: opts.report,
      command: opts.typed,
      startedAt,
    });
    console.error(`wrote ${files.json}\nwrote ${files.html}`);
  }
  process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  return 0;
}
