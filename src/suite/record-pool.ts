// The records of a part's runs, taken in parallel: the measures of a run (f64 fits, L-BFGS, answering a
// test set at every snapshot) are a pure function of its trajectory (./run-record.ts), so worker threads,
// each with its own condensa.wasm, take the runs as they free up, and the records come back in run order,
// the same as on one thread. One pool per process, as many workers as cores, started at the first part
// with two runs or more; an idle worker does not keep the process alive.
import type { Worker } from 'node:worker_threads';
import type { RunRecord } from '../report/schema.js';
import type { WasmInstance } from '../wasm/load.js';
import { allCores } from '../engine/node-pool.js';
import { siblingEntry, startNodeWorker } from '../engine/node-worker.js';
import { runRecord, type RecordPart, type TrainedRun } from './run-record.js';

export interface RecordRequest {
  id: number;
  part: RecordPart;
  label: string;
  run: TrainedRun;
}
export type RecordReply = { id: number; record: RunRecord } | { id: number; error: { name: string; message: string } };

const ENTRY = siblingEntry('record-worker', import.meta.url);

interface Job {
  request: RecordRequest;
  resolve: (r: RunRecord) => void;
  reject: (err: Error) => void;
}

class RecordPool {
  private readonly idle: Worker[];
  private readonly queue: Job[] = [];
  private readonly running = new Map<Worker, Job>();
  private nextId = 0;
  broken?: Error;

  constructor(size: number) {
    this.idle = Array.from({ length: size }, () => {
      const w = startNodeWorker(ENTRY);
      w.unref();
      w.on('message', (reply: RecordReply) => this.settle(w, reply));
      w.on('error', (err) => this.fail(new Error(`a record worker stopped: ${err.message}`)));
      w.on('exit', (code) => code !== 0 && this.fail(new Error(`a record worker stopped: exit code ${code}`)));
      return w;
    });
  }

  take(part: RecordPart, label: string, run: TrainedRun): Promise<RunRecord> {
    return new Promise((resolve, reject) => {
      if (this.broken) return reject(this.broken);
      this.queue.push({ request: { id: this.nextId++, part, label, run }, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const w = this.idle.pop()!,
        job = this.queue.shift()!;
      this.running.set(w, job);
      w.ref();
      w.postMessage(job.request);
    }
  }

  private settle(w: Worker, reply: RecordReply): void {
    const job = this.running.get(w);
    if (!job || job.request.id !== reply.id) return this.fail(new Error(`a record worker answered job ${reply.id}, which it was not given`));
    this.running.delete(w);
    this.idle.push(w);
    w.unref();
    if ('error' in reply) {
      const err = new Error(reply.error.message);
      err.name = reply.error.name;
      job.reject(err);
    } else job.resolve(reply.record);
    this.dispatch();
  }

  private fail(err: Error): void {
    this.broken ??= err;
    for (const job of [...this.running.values(), ...this.queue.splice(0)]) job.reject(err);
    this.running.clear();
  }
}

let pool: RecordPool | undefined;

/** Takes the records of a part of `runs` runs: on the worker threads when there are two runs or more and two cores or more, else here on `wasm`. */
export function recordTaker(part: RecordPart, runs: number, wasm: WasmInstance): (label: string, run: TrainedRun) => Promise<RunRecord> {
  const plainPart: RecordPart = { measures: part.measures, curves: part.curves, plotLayers: part.plotLayers };
  if (runs < 2 || allCores() < 2) return (label, run) => runRecord(plainPart, label, run, wasm);
  if (!pool || pool.broken) pool = new RecordPool(allCores());
  const p = pool;
  return (label, run) => p.take(plainPart, label, run);
}
