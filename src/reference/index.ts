// The TypeScript reference kernels over a Heap: the same F32Kernels interface as the WASM module.
import type { Heap } from '../wasm/heap.js';
import type { F32Kernels } from '../wasm/kernels.js';
import { philoxBlockKernel, philoxUniformKernel, philoxNormalKernel, sampleWeightsKernel } from './philox.js';
import { actForwardKernel } from './activation.js';
import { elementwiseKernels } from './elementwise.js';
import { gemmKernels } from './gemm.js';
import { convKernels } from './conv.js';
import { poolKernels } from './pool.js';
import { softmaxKernels } from './softmax.js';
import { layernormKernels } from './layernorm.js';
import { embeddingKernels } from './embedding.js';
import { attentionKernels } from './attention.js';
import { positionKernels } from './position.js';

export function createReferenceKernels(heap: Heap): F32Kernels {
  return {
    philox_block: philoxBlockKernel(heap),
    philox_uniform: philoxUniformKernel(heap),
    philox_normal: philoxNormalKernel(heap),
    sample_weights: sampleWeightsKernel(heap),
    act_forward: actForwardKernel(heap),
    ...elementwiseKernels(heap),
    ...gemmKernels(heap),
    ...convKernels(heap),
    ...poolKernels(heap),
    ...softmaxKernels(heap),
    ...layernormKernels(heap),
    ...embeddingKernels(heap),
    ...attentionKernels(heap),
    ...positionKernels(heap),
  };
}
