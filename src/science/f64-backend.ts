// What the f64 exact-algebra checks run on, taken as a parameter rather than imported: a heap that places
// f64 arrays at byte pointers and frees back to a mark, and the f64 network kernels over those pointers.
// The loader's WasmInstance has these shapes as it is, so callers pass it unchanged.

/** The heap operations of the f64 checks: place, read, and free everything after a mark. */
interface F64Heap {
  allocF64(n: number): number;
  putF64(data: ArrayLike<number>): number;
  /** a live view of n f64 at ptr, valid until the next allocation */
  viewF64(ptr: number, n: number): Float64Array;
  mark(): number;
  release(mark: number): void;
}

/** The two-layer f64 kernels (tl64_*): W m×D, a m. */
interface TwoLayer64Kernels {
  tl64_forward(n: number, D: number, m: number, kind: number, X: number, W: number, a: number, invAlpha: number, f: number): void;
  tl64_loss_grad(n: number, D: number, m: number, kind: number, X: number, y: number, W: number, a: number, invAlpha: number, ga: number, gW: number): number;
  tl64_hvp(
    n: number,
    D: number,
    m: number,
    kind: number,
    X: number,
    y: number,
    W: number,
    a: number,
    invAlpha: number,
    va: number,
    vW: number,
    ha: number,
    hW: number,
  ): void;
}

/** The three-layer f64 kernels (thr64_*): W1 m1×D, W2 m2×(m1+1), a m2, work 6·m1 + 7·m2 + 2 f64. */
interface ThreeLayer64Kernels {
  thr64_forward(
    n: number,
    D: number,
    m1: number,
    m2: number,
    kind: number,
    X: number,
    W1: number,
    W2: number,
    a: number,
    invAlpha: number,
    work: number,
    f: number,
  ): void;
  thr64_loss_grad(
    n: number,
    D: number,
    m1: number,
    m2: number,
    kind: number,
    X: number,
    y: number,
    W1: number,
    W2: number,
    a: number,
    invAlpha: number,
    work: number,
    ga: number,
    gW2: number,
    gW1: number,
  ): number;
  thr64_hvp(
    n: number,
    D: number,
    m1: number,
    m2: number,
    kind: number,
    X: number,
    y: number,
    W1: number,
    W2: number,
    a: number,
    invAlpha: number,
    work: number,
    va: number,
    vW2: number,
    vW1: number,
    ha: number,
    hW2: number,
    hW1: number,
  ): void;
}

/** A heap and the kernels that run over its pointers. */
interface F64Backend<Kernels> {
  heap: F64Heap;
  kernels: Kernels;
}

export type TwoLayer64Backend = F64Backend<TwoLayer64Kernels>;
export type ThreeLayer64Backend = F64Backend<ThreeLayer64Kernels>;
