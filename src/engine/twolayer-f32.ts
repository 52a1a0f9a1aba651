// The two-layer network f(x) = (1/α)·Σₖ aₖσ(wₖ·x̃) in f32 over a Heap, written once against the
// F32Kernels interface, so the WASM module and the TypeScript reference run the very same steps.
//   forward:  Z = X̃·Wᵀ (n×m), H = σ(Z), S = σ′(Z) [× dropout mask], f = (1/α)·H·a, e = f − y
//   backward: ∇a = (1/(αn))·Hᵀe, G = (1/(αn))·(e aᵀ)∘S, ∇W = Gᵀ·X̃
// With an R1 penalty the backward takes eᵢ + r·aₖHᵢₖ for eᵢ (r1_hidden_grad); with sgd the residual is
// weighted by the step's sampled batch (sample_weights) after the loss R_S is taken.
import type { Heap } from '../wasm/heap.js';
import type { F32Kernels } from '../wasm/kernels.js';
import type { Dataset } from './data.js';
import type { RunSpec } from './spec.js';
import { STREAM } from './streams.js';

/** What a step minimises besides R_S, as the kernels take it (f32): the R1 coefficient r = (1 − p)/(p·α)
 * of an r1Penalty at keep p, and an sgd batch with its weight n/batch. */
export interface StepObjective {
  r1?: number;
  sgd?: { batch: number; scale: number };
}

export function stepObjective(spec: Pick<RunSpec, 'r1Penalty' | 'sgd'>, alpha: number, n: number): StepObjective {
  const p = spec.r1Penalty?.keep;
  return {
    ...(p !== undefined ? { r1: Math.fround((1 - p) / (p * alpha)) } : {}),
    ...(spec.sgd ? { sgd: { batch: spec.sgd.batch, scale: Math.fround(n / spec.sgd.batch) } } : {}),
  };
}

export interface TwoLayerShape {
  n: number;
  /** input width with the bias: d + 1 */
  D: number;
  m: number;
}

export class TwoLayerF32 {
  readonly shape: TwoLayerShape;
  readonly ptr: Record<'X' | 'y' | 'W' | 'a' | 'Z' | 'H' | 'S' | 'f' | 'e' | 'gW' | 'ga' | 'mask' | 'batch' | 'work', number>;
  private readonly invAlpha: number;
  private readonly gradScale: number;

  constructor(
    readonly heap: Heap,
    readonly k: F32Kernels,
    data: Dataset,
    m: number,
    readonly actKind: number,
    alpha: number,
    readonly dropout: { keep: number; seed: number } | undefined,
    /** the R1 penalty and sgd batches, drawn under `seed` */
    readonly objective: StepObjective & { seed: number } = { seed: 0 },
  ) {
    const n = data.n,
      D = data.d + 1;
    this.shape = { n, D, m };
    this.invAlpha = Math.fround(1 / alpha);
    this.gradScale = Math.fround(1 / (alpha * n));
    const nm = n * m;
    this.ptr = {
      X: heap.putF32(data.x),
      y: heap.putF32(data.y),
      W: heap.allocF32(m * D),
      a: heap.allocF32(m),
      Z: heap.allocF32(nm),
      H: heap.allocF32(nm),
      S: heap.allocF32(nm),
      f: heap.allocF32(n),
      e: heap.allocF32(n),
      gW: heap.allocF32(m * D),
      ga: heap.allocF32(m),
      mask: dropout ? heap.allocF32(nm) : 0,
      batch: objective.sgd ? heap.allocF32(n) : 0,
      work: heap.alloc(k.gemm_workspace_bytes()),
    };
  }

  /** Forward pass at training step `step` (selects the dropout mask); returns the loss R. */
  forward(step: number): number {
    const { n, D, m } = this.shape,
      p = this.ptr,
      k = this.k;
    k.gemm_nt(n, m, D, p.X, D, p.W, D, p.Z, m, p.work);
    k.act_forward(this.actKind, n * m, p.Z, p.H, p.S);
    if (this.dropout) {
      k.dropout_mask(p.mask, n * m, this.dropout.keep, this.dropout.seed, 0, STREAM.dropout, step);
      k.mul_inplace(n * m, p.H, p.mask);
      k.mul_inplace(n * m, p.S, p.mask);
    }
    k.gemv_n(n, m, p.H, m, p.a, p.f, this.invAlpha);
    const loss = k.mse_residual(n, p.f, p.y, p.e);
    const sgd = this.objective.sgd;
    if (sgd) {
      k.sample_weights(p.batch, n, sgd.batch, sgd.scale, this.objective.seed, 0, STREAM.sgd, step);
      k.mul_inplace(n, p.e, p.batch);
    }
    return loss;
  }

  /** Gradients of the last forward pass into gW and ga (Z is reused for G). */
  backward(): void {
    const { n, D, m } = this.shape,
      p = this.ptr,
      k = this.k;
    if (this.objective.r1 !== undefined) k.r1_hidden_grad(n, m, p.e, p.a, p.H, p.S, p.Z, p.ga, this.gradScale, this.objective.r1);
    else {
      k.gemv_t(n, m, p.H, m, p.e, p.ga, this.gradScale);
      k.hidden_grad(n, m, p.e, p.a, p.S, p.Z, this.gradScale);
    }
    k.gemm_tn(m, D, n, p.Z, m, p.X, D, p.gW, D, p.work);
  }

  /** Copy out (a, W). */
  weights(): { a: Float32Array; w: Float32Array } {
    const { D, m } = this.shape;
    return { a: this.heap.viewF32(this.ptr.a, m).slice(), w: this.heap.viewF32(this.ptr.W, m * D).slice() };
  }

  setWeights(a: Float32Array, w: Float32Array): void {
    this.heap.f32.set(a, this.ptr.a >>> 2);
    this.heap.f32.set(w, this.ptr.W >>> 2);
  }

  /** Name and first index of the first tensor holding a NaN or ±Inf, or undefined. */
  findNonFinite(): { tensor: string; index: number; value: number } | undefined {
    const { n, D, m } = this.shape;
    const tensors: [string, number, number][] = [
      ['W (input weights)', this.ptr.W, m * D],
      ['a (output weights)', this.ptr.a, m],
      ['H (hidden activations)', this.ptr.H, n * m],
      ['f (network output)', this.ptr.f, n],
      ['∇W', this.ptr.gW, m * D],
      ['∇a', this.ptr.ga, m],
    ];
    for (const [tensor, ptr, len] of tensors) {
      const v = this.heap.viewF32(ptr, len);
      const index = v.findIndex((x) => !Number.isFinite(x));
      if (index >= 0) return { tensor, index, value: v[index] };
    }
    return undefined;
  }
}
