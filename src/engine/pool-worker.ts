// The body of a training worker (worker_threads in Node, a Web Worker in a page): it instantiates the
// compiled condensa.wasm it is handed over its own heap, then trains one RunSpec per request on the
// WASM engine and answers with the trajectory (typed arrays transferred, not copied) or the error.
// In a splitting pool (./gemm-split.ts) its heap is its shared memory, it holds an instance over every
// other worker's memory (of condensa-shared-helper.wasm, whose static data lies apart; made at start,
// before any run: an instantiation rewrites the module's static data), and its large GEMMs go in
// pieces to the workers attached to it.
import { instantiateWasm, type WasmInstance } from '../wasm/load.js';
import { Heap } from '../wasm/heap.js';
import type { WasmKernels } from '../wasm/kernels.js';
import { createEngine, type Engine } from './index.js';
import type { AnyTrajectory } from './trajectory.js';
import type { PoolReply, PoolRequest, SplitInit } from './pool-messages.js';
import { serveHelp, splittingKernels } from './gemm-split.js';

/** The buffers that a trajectory's typed arrays own whole, handed over instead of copied (a view into
 * a larger buffer, such as the WASM memory, is copied). */
function buffersOf(t: AnyTrajectory): ArrayBuffer[] {
  const arrays: ArrayBufferView[] = [t.loss, ...t.snapshots.flatMap((s) => ('params' in s ? [s.params] : [s.a, s.w]))];
  return [...new Set(arrays.filter((a) => a.buffer instanceof ArrayBuffer && a.byteLength === a.buffer.byteLength).map((a) => a.buffer as ArrayBuffer))];
}

/** This worker's instance over its shared memory, with splitting kernels, and one instance over each other worker's memory. */
async function splitInstance(module: WebAssembly.Module, s: SplitInit): Promise<{ wasm: WasmInstance; helping: (WasmKernels | undefined)[] }> {
  const own = await instantiateWasm(module, new Heap(s.memories[s.index]));
  const helping = await Promise.all(s.memories.map(async (m, j) => (j === s.index ? undefined : (await instantiateWasm(s.helperModule, new Heap(m))).kernels)));
  const workspaces = s.memories.map((_, j) => (j === s.index ? 0 : own.heap.alloc(own.kernels.gemm_workspace_bytes())));
  const kernels = splittingKernels(own.kernels, { ...s.tuning, ctl: s.control, self: s.index, workspaces });
  return { wasm: { ...own, kernels }, helping };
}

/** Serve training requests arriving through `listen`, answering through `post`. */
export function serveTraining(listen: (handler: (req: PoolRequest) => void) => void, post: (reply: PoolReply, transfer: ArrayBuffer[]) => void): void {
  let engine: Promise<Engine> | undefined;
  let split: { init: SplitInit; helping: (WasmKernels | undefined)[] } | undefined;
  let queue = Promise.resolve();
  listen((req) => {
    if (req.kind === 'init') {
      const s = req.split;
      engine = s
        ? splitInstance(req.module, s).then(({ wasm, helping }) => {
            split = { init: s, helping };
            return createEngine('wasm', wasm);
          })
        : instantiateWasm(req.module).then((wasm) => createEngine('wasm', wasm));
      engine.then(
        () => post({ id: -1, ready: true }, []),
        (err: Error) => post({ id: -1, error: { name: err.name, message: err.message } }, []),
      );
      return;
    }
    if (req.kind === 'help') {
      queue = queue.then(() => {
        try {
          if (split) serveHelp(split.init.control, split.init.index, split.helping, split.init.tuning.spinUs);
        } finally {
          post({ id: -2, left: true }, []);
        }
      });
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
