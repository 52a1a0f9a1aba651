// Entry of a training Web Worker of the engine page (served as worker.js): serves the page's worker
// pool (src/engine/pool-worker.ts), the same body as Node's worker threads.
import { serveTraining } from '../engine/pool-worker.js';

const scope = globalThis as unknown as { onmessage: ((e: MessageEvent) => void) | null; postMessage(m: unknown, transfer: Transferable[]): void };
serveTraining(
  (handler) => (scope.onmessage = (e) => handler(e.data)),
  (reply, transfer) => scope.postMessage(reply, transfer),
);
