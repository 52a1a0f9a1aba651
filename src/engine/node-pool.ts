// Node's worker pool: `workers` worker_threads, each running src/engine/node-training-worker.ts. Run
// from the TypeScript sources (the CLI under tsx, vitest), a worker first registers tsx's loader
// itself (a worker thread does not inherit the loader hooks of its parent in Node 20). A worker keeps
// the process alive only while it trains.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { WorkerPool, type PoolPort } from './worker-pool.js';
import type { PoolReply } from './pool-messages.js';

const ENTRY = new URL(`./node-training-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/** Every core this process may use. */
export const allCores = (): number => os.availableParallelism();

function startWorker(): Worker {
  if (!ENTRY.pathname.endsWith('.ts')) return new Worker(ENTRY);
  const tsx = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(ENTRY.href)}); })`, { eval: true });
}

function nodePort(worker: Worker): PoolPort {
  worker.unref();
  return {
    post: (message) => worker.postMessage(message),
    onMessage: (handler) => worker.on('message', (m: PoolReply) => handler(m)),
    onError: (handler) => {
      worker.on('error', handler);
      worker.on('exit', (code) => code !== 0 && handler(new Error(`exit code ${code}`)));
    },
    busy: (yes) => (yes ? worker.ref() : worker.unref()),
    terminate: () => void worker.terminate(),
  };
}

/** A pool of `workers` threads training on the compiled condensa.wasm `module`. */
export function openNodePool(module: WebAssembly.Module, workers = allCores()): WorkerPool {
  return new WorkerPool(
    Array.from({ length: workers }, () => nodePort(startWorker())),
    module,
  );
}
