// The kernel interface: one signature per exported kernel (pointers are byte offsets into a Heap).
// The WASM module and the TypeScript reference both implement F32Kernels, so the same training code
// runs on either and the two can be compared bit for bit.
import type { ThreeLayer64Kernels, TwoLayer64Kernels } from '../science/f64-backend.js';

export interface F32Kernels {
  philox_block(out: number, c0: number, c1: number, c2: number, c3: number, k0: number, k1: number): void;
  philox_uniform(out: number, n: number, seedLo: number, seedHi: number, stream: number, ctr1: number): void;
  philox_normal(out: number, n: number, std: number, seedLo: number, seedHi: number, stream: number, ctr1: number): void;
  act_forward(kind: number, n: number, z: number, h: number, d: number): void;
  mse_residual(n: number, f: number, y: number, e: number): number;
  hidden_grad(n: number, m: number, e: number, a: number, s: number, g: number, c: number): void;
  mul_inplace(n: number, x: number, y: number): void;
  gd_step(n: number, p: number, g: number, lr: number): void;
  adam_step(n: number, p: number, g: number, m: number, v: number, lr: number, b1: number, b2: number, eps: number, bc1: number, bc2: number): void;
  dropout_mask(out: number, n: number, keep: number, seedLo: number, seedHi: number, stream: number, ctr1: number): void;
  gemm_workspace_bytes(): number;
  gemm_nn(M: number, N: number, K: number, A: number, lda: number, B: number, ldb: number, C: number, ldc: number, work: number): void;
  gemm_tn(M: number, N: number, K: number, A: number, lda: number, B: number, ldb: number, C: number, ldc: number, work: number): void;
  gemm_nt(M: number, N: number, K: number, A: number, lda: number, B: number, ldb: number, C: number, ldc: number, work: number): void;
  gemv_n(M: number, K: number, A: number, lda: number, x: number, y: number, scale: number): void;
  gemv_t(M: number, K: number, A: number, lda: number, x: number, y: number, scale: number): void;
  add_inplace(n: number, x: number, y: number): void;
  scale_to(n: number, x: number, c: number, y: number): void;
  adamw_step(
    n: number,
    p: number,
    g: number,
    m: number,
    v: number,
    lr: number,
    b1: number,
    b2: number,
    eps: number,
    bc1: number,
    bc2: number,
    wd: number,
  ): void;
  sum_squares(n: number, x: number): number;
  im2col(n: number, H: number, W: number, C: number, k: number, stride: number, pad: number, x: number, cols: number): void;
  col2im(n: number, H: number, W: number, C: number, k: number, stride: number, pad: number, cols: number, x: number): void;
  bias_add(rows: number, F: number, z: number, b: number): void;
  bias_grad(rows: number, F: number, g: number, db: number): void;
  avgpool_forward(n: number, H: number, W: number, C: number, s: number, x: number, y: number): void;
  avgpool_backward(n: number, H: number, W: number, C: number, s: number, gy: number, gx: number): void;
  maxpool_forward(n: number, H: number, W: number, C: number, s: number, x: number, y: number, idx: number): void;
  maxpool_backward(n: number, H: number, W: number, C: number, s: number, gy: number, idx: number, gx: number): void;
  softmax_ce(n: number, K: number, z: number, labels: number, g: number, scale: number): number;
  layernorm_forward(rows: number, F: number, invF: number, eps: number, x: number, gamma: number, beta: number, y: number, xhat: number, rstd: number): void;
  layernorm_backward(rows: number, F: number, invF: number, g: number, xhat: number, rstd: number, gamma: number, gx: number): void;
  embedding_forward(rows: number, dim: number, tokens: number, table: number, y: number): void;
  embedding_grad(rows: number, dim: number, vocab: number, tokens: number, g: number, dtable: number): void;
  last_position(n: number, L: number, C: number, x: number, y: number): void;
  last_position_backward(n: number, L: number, C: number, g: number, gx: number): void;
  attention_forward(n: number, L: number, dk: number, dv: number, scale: number, Q: number, K: number, V: number, A: number, Z: number): void;
  attention_backward(
    n: number,
    L: number,
    dk: number,
    dv: number,
    scale: number,
    Q: number,
    K: number,
    V: number,
    A: number,
    gZ: number,
    gS: number,
    gQ: number,
    gK: number,
    gV: number,
  ): void;
}

/** The f64 kernels: the network kernels the science checks declare (../science/f64-backend.ts), and the
 * module's pow, sin and the peak probe. */
interface F64Kernels extends TwoLayer64Kernels, ThreeLayer64Kernels {
  pow64(x: number, y: number): number;
  sin64(x: number): number;
  peak_f32x4(iters: number): number;
}

export type WasmKernels = F32Kernels & F64Kernels;
