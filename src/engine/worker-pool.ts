// A pool of workers that train the runs of a batch on the WASM engine, one run per worker at a time,
// in whatever order workers free up; results come back in the order of the specs. Each worker has its
// own condensa.wasm instance and heap, so a run's bits are those of the one-worker engine. Platform
// neutral: the ports come from worker_threads (src/engine/node-pool.ts) or Web Workers (the page).
import type { AnyTrajectory } from './trajectory.js';
import type { PoolReply, PoolRequest } from './pool-messages.js';

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

export class WorkerPool {
  private readonly queue: Job[] = [];
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
  ) {
    if (ports.length === 0) throw new Error('a worker pool needs at least one worker');
    this.idle = [...ports];
    this.waitingFor = ports.length;
    this.started = new Promise((resolve, reject) => {
      this.workerStarted = () => --this.waitingFor === 0 && resolve();
      this.startFailed = reject;
    });
    this.started.catch(() => {});
    for (const port of ports) {
      port.busy(true); // until it has started
      port.post({ kind: 'init', module });
      port.onMessage((reply) => this.settle(port, reply));
      port.onError((err) => this.fail(new Error(`a training worker stopped: ${err.message}`)));
    }
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
    for (const port of this.ports) port.terminate();
    this.fail(new Error('the worker pool was closed'));
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const port = this.idle.pop()!,
        job = this.queue.shift()!;
      this.running.set(port, job);
      port.busy(true);
      port.post({ kind: 'run', id: job.id, spec: job.spec });
    }
  }

  private settle(port: PoolPort, reply: PoolReply): void {
    if (reply.id === -1) {
      port.busy(this.running.has(port)); // it may have been handed a run before it answered
      return 'error' in reply ? this.fail(new Error(`a training worker could not start: ${reply.error.message}`)) : this.workerStarted();
    }
    const job = this.running.get(port);
    if (!job || job.id !== reply.id) return this.fail(new Error(`a training worker answered job ${reply.id}, which it was not given`));
    this.running.delete(port);
    this.idle.push(port);
    port.busy(false);
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
