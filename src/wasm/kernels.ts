// The kernel interface, read off the declarations asc writes beside the module (build/condensa.d.ts), so
// no signature is copied by hand: pointers are byte offsets into a Heap. The WASM module and the
// TypeScript reference (src/reference/) both implement F32Kernels, so the same training code runs on
// either and the two can be compared bit for bit; the f64 kernels serve the science checks.
import type { instantiate } from '../../build/condensa.js';

type AscExports = Awaited<ReturnType<typeof instantiate>>;

/** The f64 kernels and probes (science checks, pow and sin of the module, the peak probe). */
type F64Name = `tl64_${string}` | `thr64_${string}` | 'pow64' | 'sin64' | 'peak_f32x4';

export type WasmKernels = Omit<AscExports, 'memory'>;
export type F32Kernels = Omit<WasmKernels, Extract<keyof WasmKernels, F64Name>>;
