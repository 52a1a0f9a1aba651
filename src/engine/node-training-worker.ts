// Entry of a Node training worker (worker_threads): serves the pool's requests (src/engine/pool-worker.ts).
import { parentPort } from 'node:worker_threads';
import { serveTraining } from './pool-worker.js';

if (!parentPort) throw new Error('node-training-worker.ts runs as a worker thread of openNodePool()');
const port = parentPort;
serveTraining(
  (handler) => port.on('message', handler),
  (reply, transfer) => port.postMessage(reply, transfer),
);
