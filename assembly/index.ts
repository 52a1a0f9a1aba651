// The Condensa WASM module: every kernel, exported with pointer-and-size signatures over
// host-owned memory (imported as env.memory). See each kernel file for its reduction order.
export { philox_block, philox_uniform, philox_normal, sample_weights } from './kernels/philox';
export { act_forward } from './kernels/activation';
export {
  mse_residual,
  hidden_grad,
  r1_hidden_grad,
  mul_inplace,
  gd_step,
  adam_step,
  dropout_mask,
  add_inplace,
  scale_to,
  adamw_step,
  sum_squares,
} from './kernels/elementwise';
export { im2col, conv_input_grad, bias_add, bias_grad } from './kernels/conv';
export { avgpool_forward, avgpool_backward, maxpool_forward, maxpool_backward } from './kernels/pool';
export { softmax_ce } from './kernels/softmax';
export { layernorm_forward, layernorm_backward } from './kernels/layernorm';
export { embedding_forward, embedding_grad } from './kernels/embedding';
export { attention_forward, attention_backward } from './kernels/attention';
export { last_position, last_position_backward } from './kernels/position';
export { gemm_workspace_bytes, gemm_nn, gemm_tn, gemm_nt, conv_gemm_nt, conv_gemm_tn, gemv_n, gemv_t } from './kernels/gemm';
export { tl64_forward, tl64_loss_grad, tl64_hvp } from './kernels/twolayer64';
export { thr64_forward, thr64_loss_grad, thr64_hvp } from './kernels/threelayer64';

/** x^y with the module's own libm: host-side scale factors (m^γ …) get the same bits everywhere. */
export function pow64(x: f64, y: f64): f64 {
  return Math.pow(x, y);
}

/** sin x with the module's own libm, for data targets that must not depend on the host's Math. */
export function sin64(x: f64): f64 {
  return Math.sin(x);
}
export { peak_f32x4 } from './kernels/peak';
