// A kernel declared once (in the manner of tfjs's kernel_names.ts and KernelConfig): its parameters with
// the names and order of the WASM export (test/kernel-defs.test.ts checks them against the signatures asc
// writes to build/condensa.d.ts), its WebGPU form — the uniform struct, declared here once and printed into
// the WGSL, one storage binding per tensor parameter in order, the dispatch shape —, the tolerance of WebGPU
// results against WASM (../webgpu/tolerance.ts) and its parity cases, which vitest and `condensa parity`
// both run (./parity-cases.ts). Programs call kernels by name with named arguments (./index.ts `call`).
// A uniform field declared `perStep` may be a per-step scalar (a rate, Adam's corrections, the clipping
// factor): the WGSL reads it through a generated accessor, from a storage array of step scalars that the
// executor fills (four floats per run, STEP_SCALARS order) at the index its uniform word holds.
import type { Tolerance } from '../webgpu/tolerance.js';

/** Values an executor supplies per step: the rate, Adam's bias corrections, the clipping factor. */
export type StepScalar = 'lr' | 'bc1' | 'bc2' | 'clipScale';
/** A run's step scalars in the order they sit in its four floats of the step-scalar buffer. */
export const STEP_SCALARS: readonly StepScalar[] = ['lr', 'bc1', 'bc2', 'clipScale'];
/** int and f32 scalars; tensors read (in), written (out) or both (inout); the GEMM workspace the executor supplies */
export type ParamKind = 'int' | 'f32' | 'in' | 'out' | 'inout' | 'workspace';
export type Params = Readonly<Record<string, ParamKind>>;

export interface TensorRef {
  tensor: number;
}
export type ScalarArg = number | { scalar: StepScalar };
export type Arg = number | TensorRef | { scalar: StepScalar };
type ArgOf<K> = K extends 'int' ? number : K extends 'f32' ? ScalarArg : TensorRef;
/** A call's named arguments: every parameter but the workspace. */
export type ArgsOf<P extends Params> = { [N in keyof P as P[N] extends 'workspace' ? never : N]: ArgOf<P[N]> };

type UniformField = 'u32' | 'f32';
export type Uniform = Readonly<Record<string, UniformField>>;
/** A uniform word: a u32, an f32 fixed when the program is built, or a per-step scalar (on WebGPU the
 * word then holds the scalar's index in the step-scalar buffer). */
export type Word = number | { f32: number } | { scalar: StepScalar };
/** Whether a word or argument is a per-step scalar. */
export const isStepScalar = (w: Word | ScalarArg): w is { scalar: StepScalar } => typeof w === 'object' && 'scalar' in w;
export type UniformValues<U extends Uniform> = { [F in keyof U]: U[F] extends 'u32' ? number : ScalarArg };

/** A parity case's tensor: a Philox stream of uniform values in [lo, hi) (rounded down to multiples of
 * `step` when given), values by index, or zeros (outputs). */
export interface TensorFill {
  size: number;
  stream?: number;
  lo?: number;
  hi?: number;
  step?: number;
  fill?: (i: number) => number;
  /** values that replace the first entries (special values: ±0, tiny, huge) */
  head?: number[];
}
export interface ParityCase<P extends Params = Params> {
  label: string;
  args: { [N in keyof P as P[N] extends 'int' | 'f32' ? N : never]: number };
  tensors: { [N in keyof P as P[N] extends 'in' | 'out' | 'inout' ? N : never]: TensorFill };
}

/** How a kernel's WebGPU form is shaped: `tiles` picks workgroup-memory tiles (the GEMMs), `tree` how many
 * partial sums a reduction splits into, combined by a fixed tree (a power of 2; 1 keeps the WASM order,
 * so a software adapter, which does not fuse, gives the WASM bits). */
export interface Shaping {
  tiles: boolean;
  tree: number;
}
export const SOFTWARE_SHAPING: Shaping = { tiles: false, tree: 1 };
export const HARDWARE_SHAPING: Shaping = { tiles: true, tree: 256 };
/** The shaping an adapter gets: the WASM order on software adapters, the parallel forms on GPUs. */
export const shapingFor = (adapter: { software: boolean }): Shaping => (adapter.software ? SOFTWARE_SHAPING : HARDWARE_SHAPING);

export interface KernelDef<P extends Params = Params, U extends Uniform = Uniform> {
  name: string;
  params: P;
  /** the name of the one-float binding a kernel that returns a value (a loss, Σx²) writes on WebGPU */
  returns?: string;
  uniform: U;
  /** the struct's name in the WGSL (default: the kernel's name in PascalCase + "Dims") and the
   * uniform's (default `d`; another where a parameter is called d) */
  struct?: string;
  uniformVar?: string;
  /** f32 uniform fields a call may pass as a per-step scalar; the WGSL reads each as `scalar_<field>()`
   * (the uniform's word, or the step-scalar buffer where the call passes a per-step scalar) */
  perStep?: (string & keyof U)[];
  words(a: ArgsOf<P>): UniformValues<U>;
  /** the WGSL after the generated header (`d`: the uniform; storage bindings named as the parameters),
   * or the whole module when `ownHeader` (kernels shared with the two-layer engine, whose WGSL prints
   * the same uniform declaration itself) */
  wgsl(a: ArgsOf<P>, shaping: Shaping): string;
  ownHeader?: boolean;
  /** the tensors bound after the uniform, in order (default: every tensor parameter), and their access */
  bindings?(a: ArgsOf<P>): [name: string & keyof P, access: 'read' | 'read_write'][];
  /** tensors the WGSL reads as array<u32> (indices) */
  u32?: (string & keyof P)[];
  groups(a: ArgsOf<P>, shaping: Shaping): [number, number, number];
  /** the call as several dispatches (a split-K GEMM and its fold), or undefined for the one dispatch the
   * members above describe */
  plan?(a: ArgsOf<P>, shaping: Shaping): DispatchPlan | undefined;
  tolerance: Tolerance;
  /** the terms per output of the sums a 'dot' tolerance bounds, from the call's numeric arguments */
  terms?(args: Record<string, number>): number;
  /** the input error a formula carries into an output, per element in units of 2⁻²³ (added to the
   * tolerance's budget): e.g. σ′ as a formula in t = tanh x, with t within its own budget */
  carry?(c: ParityCase<P>, inputs: Record<string, Float32Array>): Record<string, Float64Array>;
  cases: ParityCase<P>[];
}

/** A call run as several dispatches, in order, through a scratch buffer of `scratch` floats the executor
 * allocates for the call; each binds its uniform, then the named tensor parameters or 'scratch'. */
interface DispatchPlan {
  scratch: number;
  dispatches: { code: string; entry: string; words: Word[]; bindings: string[]; groups: [number, number, number] }[];
}

/** Declare a kernel (identity, for inference of its parameter and uniform types). */
export function defineKernel<const P extends Params, const U extends Uniform>(def: KernelDef<P, U>): KernelDef<P, U> {
  return def;
}

const isTensor = (k: ParamKind) => k === 'in' || k === 'out' || k === 'inout';
const pascal = (name: string) => name.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());

/** WGSL of a uniform struct with `fields` in order, padded to whole 16-byte rows. */
export function structWgsl(struct: string, fields: Uniform): string {
  const names = Object.entries(fields).map(([n, t]) => `${n}: ${t}`);
  const pad = Array.from({ length: (4 - (names.length % 4)) % 4 }, (_, i) => `pad${i}: u32`);
  return `struct ${struct} { ${[...names, ...pad].join(', ')} };\n`;
}

/** The struct, bound at 0 as the uniform `v`. */
export function uniformWgsl(struct: string, fields: Uniform, v = 'd'): string {
  return `${structWgsl(struct, fields)}@group(0) @binding(0) var<uniform> ${v}: ${struct};\n`;
}

/** The uniform's words in declaration order (u32 integers, f32 constants or per-step scalars). */
export function uniformWords<U extends Uniform>(fields: U, values: UniformValues<U>): Word[] {
  return Object.entries(fields).map(([n, t]): Word => {
    const v = values[n as keyof U] as ScalarArg;
    if (t === 'f32') return typeof v === 'number' ? { f32: v } : v;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new Error(`uniform field ${n} must be a u32, got ${JSON.stringify(v)}`);
    return v;
  });
}

/** The tensor parameters bound after the uniform, in order, with their access. */
export function tensorBindings(def: KernelDef, a: ArgsOf<Params>): [string, 'read' | 'read_write'][] {
  return (
    def.bindings?.(a) ??
    Object.entries(def.params).flatMap(([n, k]) => (isTensor(k) ? [[n, k === 'in' ? 'read' : 'read_write'] as [string, 'read' | 'read_write']] : []))
  );
}

/** The uniform fields a call passes as per-step scalars (each must be declared `perStep`). */
function perStepArgs(def: KernelDef, a: ArgsOf<Params>): Set<string> {
  const values = def.words(a) as Record<string, ScalarArg>;
  const scalarFields = Object.keys(def.uniform).filter((n) => isStepScalar(values[n]));
  const undeclared = scalarFields.filter((n) => !def.perStep?.includes(n) || def.ownHeader);
  if (undeclared.length > 0) throw new Error(`${def.name}: uniform field ${undeclared.join(', ')} is not declared perStep`);
  return new Set(scalarFields);
}

/** The whole WGSL module of a call: generated header (uniform, storage bindings, result, the step
 * scalars and their accessors) and body. A per-step field's word is a u32 there: its index in `step_scalars`. */
export function kernelWgsl(def: KernelDef, a: ArgsOf<Params>, shaping: Shaping): string {
  const body = def.wgsl(a, shaping);
  const scalarFields = perStepArgs(def, a);
  if (def.ownHeader) return body;
  const v = def.uniformVar ?? 'd';
  const bound = tensorBindings(def, a);
  const storage = [...bound, ...(def.returns ? [[def.returns, 'read_write'] as const] : [])].map(
    ([n, access], i) => `@group(0) @binding(${i + 1}) var<storage, ${access}> ${n}: array<${def.u32?.includes(n) ? 'u32' : 'f32'}>;`,
  );
  if (scalarFields.size > 0) storage.push(`@group(0) @binding(${storage.length + 1}) var<storage, read> step_scalars: array<f32>;`);
  const fields = Object.fromEntries(Object.entries(def.uniform).map(([n, t]): [string, UniformField] => [n, scalarFields.has(n) ? 'u32' : t]));
  const accessors = (def.perStep ?? []).map((n) => `fn scalar_${n}() -> f32 { return ${scalarFields.has(n) ? `step_scalars[${v}.${n}]` : `${v}.${n}`}; }`);
  return `${uniformWgsl(def.struct ?? `${pascal(def.name)}Dims`, fields, v)}${[...storage, ...accessors].join('\n')}\n${body}`;
}

/** Parameters of a kind, in order. */
export function paramsOf(def: KernelDef, kinds: ParamKind[]): string[] {
  return Object.entries(def.params).flatMap(([n, k]) => (kinds.includes(k) ? [n] : []));
}
