// What the f64 exact-algebra checks run on, taken as a parameter rather than imported: a heap that places
// f64 arrays at byte pointers and frees back to a mark, and the f64 network kernels over those pointers.
// The loader's WasmInstance has these shapes as it is, so callers pass it unchanged.
import type { instantiate } from '../../build/condensa.js';

/** The heap operations of the f64 checks: place, read, and free everything after a mark. */
interface F64Heap {
  allocF64(n: number): number;
  putF64(data: ArrayLike<number>): number;
  /** a live view of n f64 at ptr, valid until the next allocation */
  viewF64(ptr: number, n: number): Float64Array;
  mark(): number;
  release(mark: number): void;
}

/** The module's exports as asc declares them (build/condensa.d.ts): the signatures are read, not copied. */
type AscExports = Awaited<ReturnType<typeof instantiate>>;

/** The two-layer f64 kernels (tl64_*): W m×D, a m. */
type TwoLayer64Kernels = Pick<AscExports, 'tl64_forward' | 'tl64_loss_grad' | 'tl64_hvp'>;

/** The three-layer f64 kernels (thr64_*): W1 m1×D, W2 m2×(m1+1), a m2, work 6·m1 + 7·m2 + 2 f64. */
type ThreeLayer64Kernels = Pick<AscExports, 'thr64_forward' | 'thr64_loss_grad' | 'thr64_hvp'>;

/** A heap and the kernels that run over its pointers. */
interface F64Backend<Kernels> {
  heap: F64Heap;
  kernels: Kernels;
}

export type TwoLayer64Backend = F64Backend<TwoLayer64Kernels>;
export type ThreeLayer64Backend = F64Backend<ThreeLayer64Kernels>;
