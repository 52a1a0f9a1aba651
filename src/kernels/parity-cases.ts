// A kernel's parity cases, run on two backends (./backends.ts): the call of each case over its tensors,
// every tensor the call writes (and the value it returns) compared under a tolerance — the kernel's own
// (WebGPU against WASM, in `condensa parity` and test/webgpu-kernels.test.ts) or exact (the reference
// against WASM, test/kernel-cases.test.ts). Outputs start filled with a different value on each side, so
// an element a kernel skips shows as a mismatch. A 'dot' tolerance takes its per-element scale from the
// call run on |inputs|: (terms per output) × the kernel applied to the magnitudes. A training program's own
// calls go through the same comparison (`compareCall`) in `condensa parity --trace` (../webgpu/trace-executor.ts).
import type { Tolerance } from '../webgpu/tolerance.js';
import type { Compared } from '../webgpu/kernel-case.js';
import { paramsOf, type Arg, type KernelDef, type ParityCase, type TensorFill, type TensorRef } from './define.js';
import type { Call, KernelName } from './index.js';
import type { Backend } from './backends.js';
import type { StepScalars } from '../model/executor.js';

/** Uniform values of a Philox stream in [lo, hi) (the WASM module's generator, the same everywhere). */
export type StreamData = (size: number, stream: number, lo?: number, hi?: number) => Float32Array;

const SENTINEL = { want: 1234.5, got: -4321.25 };

function filled(t: TensorFill, data: StreamData): Float32Array {
  const v = t.fill
    ? Float32Array.from({ length: t.size }, (_, i) => t.fill!(i))
    : t.stream !== undefined
      ? data(t.size, t.stream, t.lo, t.hi)
      : new Float32Array(t.size);
  if (t.step) v.forEach((x, i) => (v[i] = Math.floor(x / t.step!) * t.step!));
  if (t.head) v.set(t.head);
  return v;
}

/** The case's call over tensors 0, 1, … in the order of the kernel's tensor parameters. */
function caseCall(def: KernelDef, c: ParityCase): { call: Call; names: string[] } {
  const names = paramsOf(def, ['in', 'out', 'inout']);
  const args: Record<string, Arg> = { ...(c.args as Record<string, number>) };
  names.forEach((n, i) => (args[n] = { tensor: i }));
  return { call: { kernel: def.name as KernelName, args }, names };
}

/** One call over tensors 0, 1, … and how the comparison names them. */
export interface CallTensors {
  call: Call;
  /** each tensor's values before the call */
  inputs: Float32Array[];
  /** each tensor's name in the comparison (a parameter's, a program tensor's) */
  labels: string[];
  /** the per-step scalars the call reads */
  scalars?: StepScalars;
}

/** The two runs of one call and every tensor it writes (and the value it returns) paired under `tolerance`. */
export interface ComparedCall {
  outputs: Compared[];
  want: { tensors: Float32Array[]; returned: number };
}

/** The kernel parameter bound to each tensor of a call, in the order of the kernel's parameters. */
const boundParams = (def: KernelDef, call: Call, tensor: number) =>
  paramsOf(def, ['in', 'out', 'inout']).filter((n) => (call.args[n] as TensorRef).tensor === tensor);

/** Run `t.call` on both backends from the same inputs — tensors only written start filled with a different
 * value on each side — and pair what it writes; `c` gives the numeric arguments of the dot tolerance's terms and the carry. */
export async function compareCall(
  def: KernelDef,
  c: ParityCase,
  t: CallTensors,
  want: Backend,
  got: Backend,
  tolerance = def.tolerance,
): Promise<ComparedCall> {
  const bound = t.inputs.map((_, i) => boundParams(def, t.call, i));
  const start = (fill: number) => t.inputs.map((v, i) => (bound[i].every((n) => def.params[n] === 'out') ? new Float32Array(v.length).fill(fill) : v));
  const [w, g] = [await want.run(t.call, start(SENTINEL.want), t.scalars), await got.run(t.call, start(SENTINEL.got), t.scalars)];
  const scales = await dotScales(def, c, t, want, tolerance);
  const carried = def.carry?.(c, Object.fromEntries(bound.flatMap((names, i) => names.map((n) => [n, t.inputs[i]]))));
  const add = (a: Float64Array | undefined, b: Float64Array | undefined) => (a && b ? a.map((x, i) => x + b[i]) : (a ?? b));
  const outputs: Compared[] = bound.flatMap((names, i) => {
    const written = names.find((n) => def.params[n] !== 'in');
    if (!written) return [];
    return [{ name: t.labels[i], tol: tolerance, got: g.tensors[i], want: w.tensors[i], scale: add(scales?.tensors[i], carried?.[written]) }];
  });
  if (def.returns)
    outputs.push({
      name: def.returns,
      tol: tolerance,
      got: Float32Array.of(g.returned),
      want: Float32Array.of(w.returned),
      scale: add(scales && Float64Array.of(scales.returned), carried?.[def.returns]),
    });
  return { outputs, want: w };
}

/** Compare `got` with `want` on one case; `tolerance` defaults to the kernel's. */
export async function compareCase(
  def: KernelDef,
  c: ParityCase,
  data: StreamData,
  want: Backend,
  got: Backend,
  tolerance = def.tolerance,
): Promise<Compared[]> {
  const { call, names } = caseCall(def, c);
  const tensors = c.tensors as Record<string, TensorFill>;
  const inputs = names.map((n) => filled(tensors[n], data));
  return (await compareCall(def, c, { call, inputs, labels: names }, want, got, tolerance)).outputs;
}

async function dotScales(def: KernelDef, c: ParityCase, t: CallTensors, want: Backend, tolerance: Tolerance) {
  if (tolerance.kind !== 'dot') return undefined;
  const abs = await want.run(
    t.call,
    t.inputs.map((v) => v.map(Math.abs)),
    t.scalars,
  );
  if (!def.terms) throw new Error(`kernel ${def.name} has a dot tolerance but declares no terms`);
  const terms = def.terms(c.args as Record<string, number>);
  return { tensors: abs.tensors.map((v) => Float64Array.from(v, (x) => terms * Math.abs(x))), returned: terms * Math.abs(abs.returned) };
}

/** Every case of every kernel in `defs`, as (kernel, case) pairs. */
export function parityCases(defs: KernelDef[]): { def: KernelDef; c: ParityCase }[] {
  return defs.flatMap((def) => def.cases.map((c) => ({ def, c: c as ParityCase })));
}

export const EXACT: Tolerance = { kind: 'exact' };
