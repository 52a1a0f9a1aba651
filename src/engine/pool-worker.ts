// The body of a training worker (worker_threads in Node, a Web Worker in a page): it instantiates the
// compiled condensa.wasm it is handed over its own heap, then trains one RunSpec per request on the
// WASM engine and answers with the trajectory (typed arrays transferred, not copied) or the error.
import { instantiateWasm } from '../wasm/load.js';
import { createEngine, type Engine } from './index.js';
import type { AnyTrajectory } from './trajectory.js';
import type { PoolReply, PoolRequest } from './pool-messages.js';

/** The buffers that a trajectory's typed arrays own whole, handed over instead of copied (a view into
 * a larger buffer, such as the WASM memory, is copied). */
function buffersOf(t: AnyTrajectory): ArrayBuffer[] {
  const arrays: ArrayBufferView[] = [t.loss, ...t.snapshots.flatMap((s) => ('params' in s ? [s.params] : [s.a, s.w]))];
  return [...new Set(arrays.filter((a) => a.buffer instanceof ArrayBuffer && a.byteLength === a.buffer.byteLength).map((a) => a.buffer as ArrayBuffer))];
}

/** Serve training requests arriving through `listen`, answering through `post`. */
export function serveTraining(listen: (handler: (req: PoolRequest) => void) => void, post: (reply: PoolReply, transfer: ArrayBuffer[]) => void): void {
  let engine: Promise<Engine> | undefined;
  let queue = Promise.resolve();
  listen((req) => {
    if (req.kind === 'init') {
      engine = instantiateWasm(req.module).then((wasm) => createEngine('wasm', wasm));
      engine.then(
        () => post({ id: -1, ready: true }, []),
        (err: Error) => post({ id: -1, error: { name: err.name, message: err.message } }, []),
      );
      return;
    }
    // one run at a time: the heap is the worker's scratch space
    queue = queue.then(async () => {
      try {
        if (!engine) throw new Error('a training worker got a run before its module');
        const trajectory = await (await engine).run(req.spec);
        post({ id: req.id, trajectory }, buffersOf(trajectory));
      } catch (err) {
        const e = err instanceof Error ? err : new Error(String(err));
        post({ id: req.id, error: { name: e.name, message: e.message } }, []);
      }
    });
  });
}
