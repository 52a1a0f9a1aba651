// The WebGPU form of one program call, read off the kernel's declaration (src/kernels/): the WGSL module
// (header and body), the uniform's words, the tensors bound after it in order (and the one-float result a
// returning kernel writes) and the dispatch shape.
import { kernelDef, type Call } from '../kernels/index.js';
import { kernelWgsl, tensorBindings, uniformWords, type ArgsOf, type Params, type Shaping, type TensorRef, type Word } from '../kernels/define.js';

export interface GpuKernel {
  code: string;
  entry: string;
  words: Word[];
  /** tensor ids after the uniform, then 'result' for the one-float output of a call that returns a value */
  bindings: (number | 'result')[];
  groups: [number, number, number];
}

/** The dispatch of one program call in the given shaping (../kernels/define.ts). */
export function gpuKernel(c: Call, shaping: Shaping): GpuKernel {
  const def = kernelDef(c.kernel),
    a = c.args as ArgsOf<Params>;
  const tensors = tensorBindings(def, a).map(([name]) => (a[name] as TensorRef).tensor);
  return {
    code: kernelWgsl(def, a, shaping),
    entry: def.name,
    words: uniformWords(def.uniform, def.words(a)),
    bindings: def.returns ? [...tensors, 'result'] : tensors,
    groups: def.groups(a, shaping),
  };
}
