// Browser page entry: instantiate condensa.wasm fetched from the serving origin and expose
// `condensa.run(backend, spec)`, which trains one RunSpec and hands back a plain summary. Analysis
// stays in Node; the page only runs the engine.
import { instantiateWasm } from '../wasm/load.js';
import { createEngine } from '../engine/index.js';
import { trajectoryHash } from '../engine/trajectory.js';

export interface PageRunResult {
  hash: string;
  steps: number;
  stopReason: string;
  finalLoss: number;
  wallMs: number;
}

async function boot() {
  const bytes = new Uint8Array(await (await fetch('condensa.wasm')).arrayBuffer());
  const wasm = await instantiateWasm(bytes);
  return {
    async run(backend: string, spec: unknown): Promise<PageRunResult> {
      const t = createEngine(backend, wasm).run(spec);
      return { hash: await trajectoryHash(t), steps: t.steps, stopReason: t.stopReason, finalLoss: t.finalLoss, wallMs: t.wallMs };
    },
  };
}

(globalThis as unknown as { condensa: Promise<Awaited<ReturnType<typeof boot>>> }).condensa = boot();
