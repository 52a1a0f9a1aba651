// The WebGPU form of one program call, read off the kernel's declaration (src/kernels/): its dispatches
// (one, or a declared plan such as a split-K GEMM and its fold), each with its WGSL module, uniform words,
// the buffers bound after the uniform in order (tensors, the call's scratch buffer, the one-float result a
// returning kernel writes, last the step scalars a call with per-step scalar words reads) and its
// workgroup counts.
import { kernelDef, type Call } from '../kernels/index.js';
import {
  isStepScalar,
  kernelWgsl,
  tensorBindings,
  uniformWords,
  type ArgsOf,
  type Params,
  type Shaping,
  type TensorRef,
  type Word,
} from '../kernels/define.js';

interface GpuDispatch {
  code: string;
  entry: string;
  words: Word[];
  /** after the uniform: tensor ids, the call's scratch buffer, the one-float output of a call that returns
   * a value, the step scalars its per-step words index */
  bindings: (number | 'scratch' | 'result' | 'scalars')[];
  groups: [number, number, number];
}

export interface GpuCall {
  dispatches: GpuDispatch[];
  /** floats of the scratch buffer the dispatches share (0: none) */
  scratch: number;
}

/** The dispatches of one program call in the given shaping (../kernels/define.ts). */
export function gpuCall(c: Call, shaping: Shaping): GpuCall {
  const def = kernelDef(c.kernel),
    a = c.args as ArgsOf<Params>;
  const tensor = (name: string) => (a[name] as TensorRef).tensor;
  const plan = def.plan?.(a, shaping);
  if (plan)
    return {
      scratch: plan.scratch,
      dispatches: plan.dispatches.map((d) => ({ ...d, bindings: d.bindings.map((b) => (b === 'scratch' ? b : tensor(b))) })),
    };
  const tensors = tensorBindings(def, a).map(([name]) => tensor(name));
  const words = uniformWords(def.uniform, def.words(a));
  return {
    scratch: 0,
    dispatches: [
      {
        code: kernelWgsl(def, a, shaping),
        entry: def.name,
        words,
        bindings: [...tensors, ...(def.returns ? ['result' as const] : []), ...(words.some(isStepScalar) ? ['scalars' as const] : [])],
        groups: def.groups(a, shaping),
      },
    ],
  };
}
