// Node's worker pool: `workers` worker_threads (./node-worker.ts), each running
// src/engine/node-training-worker.ts. A worker keeps the process alive only while it trains. Idle workers
// help the runs in progress with their large GEMMs (src/engine/gemm-split.ts) with CONDENSA_SPLIT=1 (else
// never); CONDENSA_SPLIT_MIN sets the least M·N·K split, CONDENSA_SPLIT_SPIN_US how long a waiting thread
// stays awake, CONDENSA_SPLIT_ADAPTIVE=0 splits every large call (else a call shape is split only where
// that has timed faster).
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { WorkerPool, type PoolPort } from './worker-pool.js';
import type { SplitTuning } from './gemm-split.js';
import { compileSharedWasm } from '../wasm/node.js';
import type { PoolReply } from './pool-messages.js';
import { siblingEntry, startNodeWorker } from './node-worker.js';

const ENTRY = siblingEntry('node-training-worker', import.meta.url);

/** Every core this process may use. */
export const allCores = (): number => os.availableParallelism();

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

/** The least M·N·K of a split GEMM unless CONDENSA_SPLIT_MIN says otherwise. */
const SPLIT_MIN_WORK = 1 << 21;

/** µs a waiting owner or helper stays awake unless CONDENSA_SPLIT_SPIN_US says otherwise (measured on
 * an idle 2-core machine: 200 µs turned a 10–11 % gain into 12–18 % for one ResNet run). */
const SPLIT_SPIN_US = 200;

/** Splitting as the environment asks: only with CONDENSA_SPLIT=1 (on busy cores a helper is no idle core). */
function splitFromEnv(): Partial<SplitTuning> | undefined {
  if (process.env.CONDENSA_SPLIT !== '1') return undefined;
  const min = Number(process.env.CONDENSA_SPLIT_MIN ?? SPLIT_MIN_WORK);
  const spin = Number(process.env.CONDENSA_SPLIT_SPIN_US ?? SPLIT_SPIN_US);
  return {
    minWork: Number.isFinite(min) && min >= 0 ? min : SPLIT_MIN_WORK,
    spinUs: Number.isFinite(spin) && spin >= 0 ? spin : SPLIT_SPIN_US,
    adaptive: process.env.CONDENSA_SPLIT_ADAPTIVE !== '0',
  };
}

/**
 * A pool of `workers` threads training on the compiled condensa.wasm `module`; with `split` (by
 * default as the environment says) and two workers or more, on condensa-shared.wasm, lending idle
 * workers to the runs in progress (not when the shared builds are missing or older than condensa.wasm).
 */
export function openNodePool(module: WebAssembly.Module, workers = allCores(), split: Partial<SplitTuning> | undefined = splitFromEnv()): WorkerPool {
  const shared = split !== undefined && workers > 1 ? compileSharedWasm() : undefined;
  if (split !== undefined && workers > 1 && !shared)
    console.warn('[condensa] not splitting GEMMs: build/condensa-shared*.wasm is missing or older than build/condensa.wasm (run `npm run build:wasm`)');
  return new WorkerPool(
    Array.from({ length: workers }, () => nodePort(startNodeWorker(ENTRY))),
    shared?.module ?? module,
    shared && split ? { tuning: { minWork: SPLIT_MIN_WORK, spinUs: SPLIT_SPIN_US, adaptive: true, ...split }, helperModule: shared.helperModule } : undefined,
  );
}
