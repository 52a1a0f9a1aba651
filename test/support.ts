// Shared test fixtures: one Heap with the WASM kernels and the reference kernels over it, bitwise
// comparison helpers (any NaN equals any NaN; otherwise the 32 bits must match), and a suite's parts
// run on the WASM engine in this process (the suites' flip tests, and the tests that read a few parts).
import { loadWasm } from '../src/wasm/node.js';
import { createReferenceKernels } from '../src/reference/index.js';
import { uniformInputs } from '../src/wasm/inputs.js';
import type { Heap } from '../src/wasm/heap.js';
import type { F32Kernels, WasmKernels } from '../src/wasm/kernels.js';
import type { WasmInstance } from '../src/wasm/load.js';
import { createEngine } from '../src/engine/index.js';
import type { SuiteDef, SuiteRun } from '../src/suite/define.js';
import { projectByName } from '../src/suite/projects.js';
import { engineRunner, runSuiteParts } from '../src/suite/run-part.js';
import { openNodePool } from '../src/engine/node-pool.js';
import type { WorkerPool } from '../src/engine/worker-pool.js';
import type { PartRecord } from '../src/report/schema.js';
import { RUN_OPTIONS_ENV, runOptions, type SuiteRunOptions } from '../src/suite/run-options.js';

export interface Twins {
  heap: Heap;
  wasm: WasmKernels;
  ref: F32Kernels;
  work: number;
}

export async function loadTwins(): Promise<Twins> {
  const { heap, kernels } = await loadWasm();
  return { heap, wasm: kernels, ref: createReferenceKernels(heap), work: heap.alloc(kernels.gemm_workspace_bytes()) };
}

/** Indices where a and b differ bitwise (NaN vs NaN counts as equal), at most `limit`. */
export function bitMismatches(a: Float32Array, b: Float32Array, limit = 5): number[] {
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  const bad: number[] = [];
  for (let i = 0; i < a.length && bad.length < limit; i++) {
    if (ua[i] !== ub[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) bad.push(i);
  }
  return bad;
}

/** A compact table of the first mismatches, for failure messages. */
export function describeMismatches(a: Float32Array, b: Float32Array, idx: number[]): string {
  return idx.map((i) => `  [${i}] wasm=${a[i]} ref=${b[i]}`).join('\n');
}

/** Deterministic test data: n floats from the WASM Philox stream `stream`, mapped to [lo, hi). */
export function uniformData(t: Twins, n: number, stream: number, lo = -1, hi = 1): Float32Array {
  return uniformInputs({ heap: t.heap, kernels: t.wasm }, n, stream, lo, hi);
}

/** Distance in units in the last place between two f32 values (same sign assumed). */
export function ulpDistance(a: number, b: number): number {
  const buf = new Float32Array([a, b]);
  const u = new Int32Array(buf.buffer);
  const key = (x: number) => (x < 0 ? 0x80000000 - x : x);
  return Math.abs(key(u[0]) - key(u[1]));
}

let pool: WorkerPool | undefined;

/** Every ci-scale part of `suite` on the WASM engine, its runs on a pool of worker threads (one per
 * core, shared by the test file; the bits are this thread's). */
export function runSuiteOnWasm(suite: SuiteDef, wasm: WasmInstance): Promise<PartRecord[]> {
  pool ??= openNodePool(wasm.module);
  return runSuiteParts(suite, 'ci', projectByName('wasm'), engineRunner(createEngine('wasm', wasm, undefined, pool)), wasm);
}

/** The suite cut to the parts `keep` accepts, with the claims that read only those parts (a test that
 * reads a few parts trains only them). */
export function withParts(suite: SuiteDef, keep: (part: string) => boolean): SuiteDef {
  const kept = (key: string) => keep(key.slice(0, key.indexOf('/')));
  return { ...suite, parts: (scale) => suite.parts(scale).filter((p) => keep(p.id)), claims: (scale) => suite.claims(scale).filter((c) => c.uses.every(kept)) };
}

/** The suite with each run's spec replaced, under the same labels (the flip tests' flipped regimes). */
export function withSpecs(suite: SuiteDef, respec: (spec: Record<string, any>, run: SuiteRun, part: string) => Record<string, unknown>): SuiteDef {
  return { ...suite, parts: (scale) => suite.parts(scale).map((p) => ({ ...p, runs: p.runs.map((r) => ({ ...r, spec: respec(r.spec, r, p.id) })) })) };
}

/** Run `body` with this process's suite-run options changed, as `condensa suite` hands them to its processes. */
export async function withRunOptions<T>(changes: Partial<SuiteRunOptions>, body: () => Promise<T>): Promise<T> {
  process.env[RUN_OPTIONS_ENV] = JSON.stringify({ ...runOptions(), ...changes });
  try {
    return await body();
  } finally {
    delete process.env[RUN_OPTIONS_ENV];
  }
}
