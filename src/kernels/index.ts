// The kernel registry: every kernel a training program may call, declared once in the file named like its
// assembly/kernels/ module. Programs build their calls with `call(name, args)`, typed by the declaration.
import type { ArgsOf, Arg, KernelDef, Params } from './define.js';
import { act_forward } from './activation.js';
import { attention_forward, attention_backward } from './attention.js';
import { im2col, conv_input_grad, bias_add, bias_grad } from './conv.js';
import { mul_inplace, mse_residual, add_inplace, scale_to, gd_step, adam_step, adamw_step, sum_squares } from './elementwise.js';
import { embedding_forward, embedding_grad } from './embedding.js';
import { gemm_nn, gemm_tn, gemm_nt, conv_gemm_nt, conv_gemm_tn } from './gemm.js';
import { layernorm_forward, layernorm_backward } from './layernorm.js';
import { avgpool_forward, avgpool_backward, maxpool_forward, maxpool_backward } from './pool.js';
import { last_position, last_position_backward } from './position.js';
import { softmax_ce } from './softmax.js';

export const KERNELS = {
  act_forward,
  attention_forward,
  attention_backward,
  im2col,
  conv_input_grad,
  bias_add,
  bias_grad,
  mul_inplace,
  mse_residual,
  add_inplace,
  scale_to,
  gd_step,
  adam_step,
  adamw_step,
  sum_squares,
  embedding_forward,
  embedding_grad,
  gemm_nn,
  gemm_tn,
  gemm_nt,
  conv_gemm_nt,
  conv_gemm_tn,
  layernorm_forward,
  layernorm_backward,
  avgpool_forward,
  avgpool_backward,
  maxpool_forward,
  maxpool_backward,
  last_position,
  last_position_backward,
  softmax_ce,
};

export type KernelName = keyof typeof KERNELS;
type ParamsOf<N extends KernelName> = (typeof KERNELS)[N]['params'];

/** One kernel call of a program: the kernel and its named arguments. */
export interface Call {
  kernel: KernelName;
  args: Readonly<Record<string, Arg>>;
}

/** A call of `kernel`, its arguments checked against the declaration. */
export function call<N extends KernelName>(kernel: N, args: ArgsOf<ParamsOf<N>>): Call {
  return { kernel, args: args as Record<string, Arg> };
}

/** The declaration of a kernel by name. */
export function kernelDef(name: KernelName): KernelDef {
  return KERNELS[name] as unknown as KernelDef<Params>;
}
