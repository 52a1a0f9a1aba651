// Browser page entry: instantiate condensa.wasm fetched from the serving origin and expose
// `condensa.runBatch(backend, specs)`, which trains RunSpecs and hands back plain trajectories with
// their hashes, and `condensa.adapter()`. Analysis stays in Node; the page only runs the engine.
// WASM batches go to a pool of `?workers=N` Web Workers (worker.js), started on first use.
import { instantiateWasm } from '../wasm/load.js';
import { createEngine } from '../engine/index.js';
import { WorkerPool, type PoolPort } from '../engine/worker-pool.js';
import type { PoolReply } from '../engine/pool-messages.js';
import { trajectoryHash, toPlain, type PlainAnyTrajectory } from '../engine/trajectory.js';
import { openDevice, type AdapterWish, type GpuContext, type AdapterRecord } from '../webgpu/device.js';
import { kernelParity, type KernelParityRow } from '../webgpu/kernel-parity.js';

export interface PageRun {
  hash: string;
  trajectory: PlainAnyTrajectory;
}

function webWorkerPort(worker: Worker): PoolPort {
  return {
    post: (message) => worker.postMessage(message),
    onMessage: (handler) => (worker.onmessage = (e: MessageEvent<PoolReply>) => handler(e.data)),
    onError: (handler) => (worker.onerror = (e) => handler(new Error(e.message || 'worker.js failed to load'))),
    busy: () => {},
    terminate: () => worker.terminate(),
  };
}

async function boot(wish: AdapterWish, workers: number) {
  const bytes = new Uint8Array(await (await fetch('condensa.wasm')).arrayBuffer());
  const wasm = await instantiateWasm(bytes);
  let pool: WorkerPool | undefined;
  const workerPool = () =>
    (pool ??= new WorkerPool(
      Array.from({ length: workers }, () => webWorkerPort(new Worker('worker.js', { type: 'module' }))),
      wasm.module,
    ));
  let gpu: Promise<GpuContext> | undefined;
  const device = () => (gpu ??= openDevice(navigator.gpu, wish, `chromium ${navigator.userAgent.match(/Chrome\/([\d.]+)/)?.[1] ?? '?'}`));
  return {
    async runBatch(backend: string, specs: unknown[]): Promise<PageRun[]> {
      const engine = createEngine(
        backend,
        wasm,
        backend === 'webgpu' ? await device() : undefined,
        backend === 'wasm' && workers > 1 ? workerPool() : undefined,
      );
      const ts = await engine.runBatch(specs);
      return Promise.all(ts.map(async (t) => ({ hash: await trajectoryHash(t), trajectory: toPlain(t) })));
    },
    async kernelParity(): Promise<KernelParityRow[]> {
      return kernelParity(await device(), wasm);
    },
    async adapter(): Promise<AdapterRecord> {
      return (await device()).adapter;
    },
  };
}

const query = new URLSearchParams(location.search);
const wish = (query.get('adapter') ?? 'swiftshader') as AdapterWish;
(globalThis as unknown as { condensa: ReturnType<typeof boot> }).condensa = boot(wish, Number(query.get('workers') ?? 1));
