// A pool of workers that train the runs of a batch on the WASM engine, one run per worker at a time,
// in whatever order workers free up; results come back in the order of the specs. Each worker has its
// own condensa.wasm instance and heap, so a run's bits are those of the one-worker engine. Platform
// neutral: the ports come from worker_threads (src/engine/node-pool.ts) or Web Workers (the page).
// A splitting pool (`split`) lends its idle workers, when no run waits, to the runs in progress: their
// large GEMMs are cut into pieces over output ranges (./gemm-split.ts), the same bits as whole.
import type { AnyTrajectory } from './trajectory.js';
import type { PoolReply, PoolRequest } from './pool-messages.js';
import { sharedMemory } from '../wasm/heap.js';
import { attachHelper, releaseHelper, splitControl, splitCalls, type SplitTuning } from './gemm-split.js';

/** One worker as the pool sees it. */
export interface PoolPort {
  post(message: PoolRequest): void;
  onMessage(handler: (message: PoolReply) => void): void;
  /** a worker that died (a crash, not a failed run) */
  onError(handler: (err: Error) => void): void;
  /** keep the process alive while the worker has work (Node); a no-op in pages */
  busy(yes: boolean): void;
  terminate(): void;
}

interface Job {
  id: number;
  spec: unknown;
  resolve: (t: AnyTrajectory) => void;
  reject: (err: Error) => void;
}

/** The worker count asked for: a whole number from 1 to 256. */
export function parseWorkers(raw: string, what: string): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(n) || n < 1 || n > 256)
    throw new Error(`${what} must be a whole number of workers from 1 to 256, got "${raw}"`);
  return n;
}

/** Splitting: `module` must then be condensa-shared.wasm. */
export interface PoolSplit {
  tuning: SplitTuning;
  /** condensa-shared-helper.wasm, compiled */
  helperModule: WebAssembly.Module;
}

export class WorkerPool {
  private readonly queue: Job[] = [];
  /** helpers and the index of the worker they help; those asked to leave */
  private readonly helping = new Map<PoolPort, number>();
  private readonly leaving = new Set<PoolPort>();
  private readonly control?: Int32Array<SharedArrayBuffer>;
  private readonly running = new Map<PoolPort, Job>();
  private readonly idle: PoolPort[];
  private nextId = 0;
  private broken?: Error;
  private readonly started: Promise<void>;
  private workerStarted!: () => void;
  private startFailed!: (err: Error) => void;
  private waitingFor: number;

  constructor(
    private readonly ports: PoolPort[],
    module: WebAssembly.Module,
    split?: PoolSplit,
  ) {
    if (ports.length === 0) throw new Error('a worker pool needs at least one worker');
    this.idle = [...ports];
    this.waitingFor = ports.length;
    this.started = new Promise((resolve, reject) => {
      this.workerStarted = () => --this.waitingFor === 0 && resolve();
      this.startFailed = reject;
    });
    this.started.catch(() => {});
    const memories = split && ports.length > 1 ? ports.map(() => sharedMemory()) : undefined;
    if (memories) this.control = splitControl(ports.length);
    ports.forEach((port, index) => {
      port.busy(true); // until it has started
      const control = this.control;
      port.post({
        kind: 'init',
        module,
        split: memories && control && split ? { helperModule: split.helperModule, memories, control, index, tuning: split.tuning } : undefined,
      });
      port.onMessage((reply) => this.settle(port, reply));
      port.onError((err) => this.fail(new Error(`a training worker stopped: ${err.message}`)));
    });
  }

  /** GEMM calls split over helpers so far (0 for a pool that does not split). */
  get splitCalls(): number {
    return this.control ? splitCalls(this.control) : 0;
  }

  /** Resolves once every worker has instantiated its module (a benchmark waits for it before timing). */
  ready(): Promise<void> {
    return this.started;
  }

  get size(): number {
    return this.ports.length;
  }

  /** Train every spec (each validated by the worker's engine); rejects with the first run's error. */
  runBatch(specs: unknown[]): Promise<AnyTrajectory[]> {
    return Promise.all(
      specs.map(
        (spec) =>
          new Promise<AnyTrajectory>((resolve, reject) => {
            if (this.broken) return reject(this.broken);
            this.queue.push({ id: this.nextId++, spec, resolve, reject });
            this.dispatch();
          }),
      ),
    );
  }

  close(): void {
    if (this.control) for (const port of this.helping.keys()) releaseHelper(this.control, this.ports.indexOf(port));
    for (const port of this.ports) port.terminate();
    this.fail(new Error('the worker pool was closed'));
  }

  private dispatch(): void {
    // a splitting pool's workers instantiate over each other's memories before any run starts
    if (this.control && this.waitingFor > 0) return;
    while (this.idle.length > 0 && this.queue.length > 0) {
      const port = this.idle.pop()!,
        job = this.queue.shift()!;
      this.running.set(port, job);
      port.busy(true);
      port.post({ kind: 'run', id: job.id, spec: job.spec });
    }
    if (!this.control) return;
    if (this.queue.length > 0) {
      // runs wait: call helpers back (they come back idle through settle)
      let wanted = this.queue.length - this.leaving.size;
      for (const port of this.helping.keys()) if (wanted > 0 && !this.leaving.has(port)) (this.release(port), wanted--);
      return;
    }
    // nothing waits: lend idle workers to the runs in progress, fewest helpers first
    while (this.idle.length > 0 && this.running.size > 0) {
      const owners = [...this.running.keys()].map((p) => this.ports.indexOf(p));
      const count = (o: number) => [...this.helping.values()].filter((h) => h === o).length;
      const owner = owners.reduce((a, b) => (count(b) < count(a) ? b : a));
      const port = this.idle.pop()!;
      attachHelper(this.control, this.ports.indexOf(port), owner);
      this.helping.set(port, owner);
      port.busy(true);
      port.post({ kind: 'help' });
    }
  }

  private release(port: PoolPort): void {
    this.leaving.add(port);
    releaseHelper(this.control!, this.ports.indexOf(port));
  }

  private settle(port: PoolPort, reply: PoolReply): void {
    if (reply.id === -1) {
      port.busy(this.running.has(port)); // it may have been handed a run before it answered
      if ('error' in reply) return this.fail(new Error(`a training worker could not start: ${reply.error.message}`));
      this.workerStarted();
      return this.dispatch();
    }
    if (reply.id === -2) {
      this.helping.delete(port);
      this.leaving.delete(port);
      this.idle.push(port);
      port.busy(false);
      return this.dispatch();
    }
    const job = this.running.get(port);
    if (!job || job.id !== reply.id) return this.fail(new Error(`a training worker answered job ${reply.id}, which it was not given`));
    this.running.delete(port);
    this.idle.push(port);
    port.busy(false);
    const self = this.ports.indexOf(port);
    for (const [helper, owner] of this.helping) if (owner === self && !this.leaving.has(helper)) this.release(helper);
    if ('error' in reply) {
      const err = new Error(reply.error.message);
      err.name = reply.error.name;
      job.reject(err);
    } else job.resolve((reply as { trajectory: AnyTrajectory }).trajectory);
    this.dispatch();
  }

  private fail(err: Error): void {
    this.broken ??= err;
    this.startFailed(err);
    for (const job of [...this.running.values(), ...this.queue.splice(0)]) job.reject(err);
    this.running.clear();
  }
}
