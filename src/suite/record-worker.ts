// Entry of a record worker (worker_threads, ./record-pool.ts): one condensa.wasm of its own, one run's
// record at a time (./run-record.ts), replies in the order of the requests.
import { parentPort } from 'node:worker_threads';
import { loadWasm } from '../wasm/node.js';
import { runRecord } from './run-record.js';
import type { RecordReply, RecordRequest } from './record-pool.js';

if (!parentPort) throw new Error('record-worker.ts runs as a worker thread of the record pool (src/suite/record-pool.ts)');
const port = parentPort;
const wasm = loadWasm();
let queue = Promise.resolve();
port.on('message', ({ id, part, label, run }: RecordRequest) => {
  queue = queue.then(async () => {
    let reply: RecordReply;
    try {
      reply = { id, record: await runRecord(part, label, run, await wasm) };
    } catch (err) {
      reply = { id, error: { name: (err as Error).name, message: (err as Error).message } };
    }
    port.postMessage(reply);
  });
});
