// A kernel's parity cases, run on two backends (./backends.ts): the call of each case over its tensors,
// every tensor the call writes (and the value it returns) compared under a tolerance — the kernel's own
// (WebGPU against WASM, in `condensa parity` and test/webgpu-kernels.test.ts) or exact (the reference
// against WASM, test/kernel-cases.test.ts). Outputs start filled with a different value on each side, so
// an element a kernel skips shows as a mismatch. A 'dot' tolerance takes its per-element scale from the
// call run on |inputs|: (terms per output) × the kernel applied to the magnitudes.
import type { Tolerance } from '../webgpu/tolerance.js';
import type { Compared } from '../webgpu/kernel-case.js';
import { paramsOf, type Arg, type KernelDef, type ParityCase, type TensorFill } from './define.js';
import type { Call, KernelName } from './index.js';
import type { Backend } from './backends.js';

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
  const written = paramsOf(def, ['out', 'inout']);
  const inputs = names.map((n) => filled(tensors[n], data));
  const start = (fill: number) => names.map((n, i) => (def.params[n] === 'out' ? new Float32Array(inputs[i].length).fill(fill) : inputs[i]));
  const [w, g] = [await want.run(call, start(SENTINEL.want)), await got.run(call, start(SENTINEL.got))];
  const scales = await dotScales(def, c, call, inputs, want, tolerance);
  const carried = def.carry?.(c, Object.fromEntries(names.map((n, i) => [n, inputs[i]])));
  const add = (a: Float64Array | undefined, b: Float64Array | undefined) => (a && b ? a.map((x, i) => x + b[i]) : (a ?? b));
  const out: Compared[] = written.map((n) => {
    const i = names.indexOf(n);
    return { name: n, tol: tolerance, got: g.tensors[i], want: w.tensors[i], scale: add(scales?.tensors[i], carried?.[n]) };
  });
  if (def.returns)
    out.push({
      name: def.returns,
      tol: tolerance,
      got: Float32Array.of(g.returned),
      want: Float32Array.of(w.returned),
      scale: add(scales && Float64Array.of(scales.returned), carried?.[def.returns]),
    });
  return out;
}

async function dotScales(def: KernelDef, c: ParityCase, call: Call, inputs: Float32Array[], want: Backend, tolerance: Tolerance) {
  if (tolerance.kind !== 'dot') return undefined;
  const abs = await want.run(
    call,
    inputs.map((v) => v.map(Math.abs)),
  );
  const terms = c.terms ?? 1;
  return { tensors: abs.tensors.map((v) => Float64Array.from(v, (x) => terms * Math.abs(x))), returned: terms * Math.abs(abs.returned) };
}

/** Every case of every kernel in `defs`, as (kernel, case) pairs. */
export function parityCases(defs: KernelDef[]): { def: KernelDef; c: ParityCase }[] {
  return defs.flatMap((def) => def.cases.map((c) => ({ def, c: c as ParityCase })));
}

export const EXACT: Tolerance = { kind: 'exact' };
