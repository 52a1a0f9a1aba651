// Kernel parity cases of the layered-model kernels: each case is a one-call program run by the CPU
// executor (WASM) and by the WebGPU executor, the very paths training takes, and every tensor the
// call writes is compared under the tolerance declared beside the WGSL (kernels/layers.ts). Sums
// carry the dot-product bound: (terms per output) × the kernel applied to |inputs|.
import type { WasmInstance } from '../wasm/load.js';
import { uniformInputs as data } from '../wasm/inputs.js';
import type { Arg, Call, KernelName, Program } from '../model/program.js';
import { CpuProgram } from '../model/cpu-program.js';
import { GpuProgram } from './layered-program.js';
import { LAYER_TOLERANCE } from './kernels/layers.js';
import type { GpuContext } from './device.js';
import type { Compared, KernelCase } from './kernel-case.js';

interface Spec {
  kernel: KernelName;
  label: string;
  /** tensor sizes and fills: a Philox stream for inputs, or 0 for outputs */
  tensors: { size: number; stream?: number; lo?: number; hi?: number; fill?: (i: number) => number }[];
  args: Arg[];
  /** the tensors the call writes */
  outputs: number[];
  /** terms per output of a sum (dot-bound kernels) */
  terms?: number;
}

const T = (tensor: number) => ({ tensor });

function oneCall(sizes: number[], call: Call): Program {
  return {
    tensors: sizes.map((size, i) => ({ name: `t${i}`, size, role: 'activation' })),
    forward: [call],
    backward: [],
    gradNorms: [],
    clipGrads: [],
    update: [],
    params: [],
    input: 0,
    target: 0,
    output: 0,
    n: 1,
    K: 1,
    paramCount: 0,
  };
}

async function runBoth(
  ctx: GpuContext,
  w: WasmInstance,
  s: Spec,
  inputs: Float32Array[],
): Promise<{ cpu: Float32Array[]; gpu: Float32Array[]; ret: [number, number] }> {
  const program = oneCall(
    s.tensors.map((t) => t.size),
    { kernel: s.kernel, args: s.args },
  );
  const mark = w.heap.mark();
  try {
    const cpu = new CpuProgram(w.heap, w.kernels, program),
      gpu = await GpuProgram.create(ctx, program);
    inputs.forEach((v, i) => {
      cpu.write(i, v);
      gpu.write(i, v);
    });
    const ret: [number, number] = [await cpu.forward(), await gpu.forward()];
    return { cpu: await Promise.all(s.outputs.map((o) => cpu.read(o))), gpu: await Promise.all(s.outputs.map((o) => gpu.read(o))), ret };
  } finally {
    w.heap.release(mark);
  }
}

function layeredCase(s: Spec): KernelCase {
  return {
    kernel: s.kernel,
    case: s.label,
    async run({ ctx, wasm: w }) {
      const inputs = s.tensors.map((t) =>
        t.fill ? Float32Array.from({ length: t.size }, (_, i) => t.fill!(i)) : t.stream ? data(w, t.size, t.stream, t.lo, t.hi) : new Float32Array(t.size),
      );
      const { cpu, gpu, ret } = await runBoth(ctx, w, s, inputs);
      const tol = LAYER_TOLERANCE[s.kernel];
      const dotOf = async (): Promise<Float64Array[] | undefined> => {
        if (tol.kind !== 'dot') return undefined;
        const abs = await runBoth(
          ctx,
          w,
          s,
          inputs.map((v) => v.map(Math.abs)),
        );
        return abs.cpu.map((v) => Float64Array.from(v, (x) => (s.terms ?? 1) * Math.abs(x)));
      };
      const dots = await dotOf();
      const out: Compared[] = s.outputs.map((o, i) => ({ name: `t${o}`, tol, got: gpu[i], want: cpu[i], scale: dots?.[i] }));
      if (s.kernel === 'softmax_ce' || s.kernel === 'sum_squares') {
        const absRet = dots
          ? (
              await runBoth(
                ctx,
                w,
                s,
                inputs.map((v) => v.map(Math.abs)),
              )
            ).ret[0]
          : 0;
        out.push({
          name: 'returned',
          tol,
          got: Float32Array.of(ret[1]),
          want: Float32Array.of(ret[0]),
          scale: dots ? Float64Array.of((s.terms ?? 1) * absRet) : undefined,
        });
      }
      return out;
    },
  };
}

const outSize = (L: number, k: number, stride: number, pad: number) => Math.floor((L + 2 * pad - k) / stride) + 1;

function convCases(n: number, H: number, W: number, C: number, k: number, stride: number, pad: number): KernelCase[] {
  const Ho = outSize(H, k, stride, pad),
    Wo = outSize(W, k, stride, pad),
    cols = n * Ho * Wo * C * k * k,
    x = n * H * W * C;
  const geometry = [n, H, W, C, k, stride, pad],
    label = `n=${n} ${C}×${H}×${W} k=${k} stride=${stride} pad=${pad}`;
  return [
    layeredCase({ kernel: 'im2col', label, tensors: [{ size: x, stream: 21 }, { size: cols }], args: [...geometry, T(0), T(1)], outputs: [1] }),
    layeredCase({ kernel: 'col2im', label, tensors: [{ size: cols, stream: 22 }, { size: x }], args: [...geometry, T(0), T(1)], outputs: [1], terms: k * k }),
  ];
}

function poolCases(n: number, H: number, W: number, C: number, s: number): KernelCase[] {
  const outs = n * Math.floor(H / s) * Math.floor(W / s) * C,
    size = n * H * W * C,
    g = [n, H, W, C, s],
    label = `n=${n} ${C}×${H}×${W} s=${s}`;
  return [
    layeredCase({ kernel: 'avgpool_forward', label, tensors: [{ size, stream: 23 }, { size: outs }], args: [...g, T(0), T(1)], outputs: [1], terms: s * s }),
    layeredCase({ kernel: 'avgpool_backward', label, tensors: [{ size: outs, stream: 24 }, { size }], args: [...g, T(0), T(1)], outputs: [1] }),
    layeredCase({
      kernel: 'maxpool_forward',
      label,
      tensors: [{ size, stream: 25 }, { size: outs }, { size: outs }],
      args: [...g, T(0), T(1), T(2)],
      outputs: [1, 2],
    }),
    layeredCase({
      kernel: 'maxpool_backward',
      label,
      // argmax indices of the windows' first elements (a valid index map, one element per window)
      tensors: [{ size: outs, stream: 26 }, { size: outs, fill: (o) => new Float32Array(new Uint32Array([poolFirst(o, H, W, C, s)]).buffer)[0] }, { size }],
      args: [...g, T(0), T(1), T(2)],
      outputs: [2],
    }),
  ];
}

/** Flat input index of the top-left element of output o's window. */
function poolFirst(o: number, H: number, W: number, C: number, s: number): number {
  const Ho = Math.floor(H / s),
    Wo = Math.floor(W / s),
    c = o % C,
    v = Math.floor(o / C) % Wo,
    u = Math.floor(o / (C * Wo)) % Ho,
    i = Math.floor(o / (C * Wo * Ho));
  return ((i * H + u * s) * W + v * s) * C + c;
}

export const LAYERED_KERNEL_CASES: KernelCase[] = [
  ...convCases(2, 8, 8, 3, 3, 1, 0),
  ...convCases(3, 7, 9, 2, 5, 2, 2),
  ...convCases(1, 28, 28, 1, 5, 1, 0),
  ...poolCases(2, 8, 8, 3, 2),
  ...poolCases(3, 7, 5, 4, 3),
  layeredCase({
    kernel: 'bias_add',
    label: 'rows=577 F=16',
    tensors: [
      { size: 577 * 16, stream: 27 },
      { size: 16, stream: 28 },
    ],
    args: [577, 16, T(0), T(1)],
    outputs: [0],
  }),
  layeredCase({
    kernel: 'bias_grad',
    label: 'rows=577 F=13',
    tensors: [{ size: 577 * 13, stream: 29 }, { size: 13 }],
    args: [577, 13, T(0), T(1)],
    outputs: [1],
    terms: 577,
  }),
  layeredCase({
    kernel: 'add_inplace',
    label: 'n=1003',
    tensors: [
      { size: 1003, stream: 30 },
      { size: 1003, stream: 31 },
    ],
    args: [1003, T(0), T(1)],
    outputs: [0],
  }),
  layeredCase({
    kernel: 'scale_to',
    label: 'n=1003, c = 0.3',
    tensors: [{ size: 1003, stream: 32 }, { size: 1003 }],
    args: [1003, T(0), 0.3, T(1)],
    outputs: [1],
  }),
  layeredCase({
    kernel: 'softmax_ce',
    label: 'n=50 K=10',
    tensors: [{ size: 500, stream: 33, lo: -6, hi: 6 }, { size: 50, fill: (i) => (i * 7) % 10 }, { size: 500 }],
    args: [50, 10, T(0), T(1), T(2), 0.02],
    outputs: [2],
  }),
  layeredCase({
    kernel: 'adamw_step',
    label: 'n=1003, wd 0.1',
    tensors: [
      { size: 1003, stream: 34 },
      { size: 1003, stream: 35 },
      { size: 1003, stream: 36 },
      { size: 1003, stream: 37, lo: 0, hi: 1 },
    ],
    args: [1003, T(0), T(1), T(2), T(3), 1e-3, 0.9, 0.999, 1e-8, 0.271, 0.003, 0.1],
    outputs: [0, 2, 3],
  }),
  layeredCase({ kernel: 'sum_squares', label: 'n=1003', tensors: [{ size: 1003, stream: 38 }], args: [1003, T(0)], outputs: [], terms: 1003 }),
  // 5 sequences of 9 tokens from a vocabulary of 201 (the anchor task), 24 features; tokens repeat
  layeredCase({
    kernel: 'embedding_forward',
    label: 'rows=45 dim=24 vocab=201',
    tensors: [{ size: 45, fill: (i) => (i * 37) % 201 }, { size: 201 * 24, stream: 46 }, { size: 45 * 24 }],
    args: [45, 24, T(0), T(1), T(2)],
    outputs: [2],
  }),
  layeredCase({
    kernel: 'embedding_grad',
    label: 'rows=45 dim=24 vocab=201',
    tensors: [{ size: 45, fill: (i) => (i * 7) % 13 }, { size: 45 * 24, stream: 47 }, { size: 201 * 24 }],
    args: [45, 24, 201, T(0), T(1), T(2)],
    outputs: [2],
    terms: 45,
  }),
  layeredCase({
    kernel: 'last_position',
    label: 'n=7 L=9 C=10',
    tensors: [{ size: 7 * 9 * 10, stream: 55 }, { size: 70 }],
    args: [7, 9, 10, T(0), T(1)],
    outputs: [1],
  }),
  layeredCase({
    kernel: 'last_position_backward',
    label: 'n=7 L=9 C=10',
    tensors: [{ size: 70, stream: 56 }, { size: 7 * 9 * 10 }],
    args: [7, 9, 10, T(0), T(1)],
    outputs: [1],
  }),
  // 4 sequences of the anchor task's 9 positions, d_k = 6, d_v = 5
  layeredCase({
    kernel: 'attention_forward',
    label: 'n=4 L=9 dk=6 dv=5',
    tensors: [{ size: 36 * 6, stream: 48 }, { size: 36 * 6, stream: 49 }, { size: 36 * 5, stream: 50 }, { size: 4 * 81 }, { size: 36 * 5 }],
    args: [4, 9, 6, 5, Math.fround(1 / Math.sqrt(6)), T(0), T(1), T(2), T(3), T(4)],
    outputs: [3, 4],
  }),
  layeredCase({
    kernel: 'attention_backward',
    label: 'n=4 L=9 dk=6 dv=5',
    // attention rows of a causal softmax: positive below the diagonal, summing to 1, zero above it
    tensors: [
      { size: 36 * 6, stream: 51 },
      { size: 36 * 6, stream: 52 },
      { size: 36 * 5, stream: 53 },
      { size: 4 * 81, fill: (e) => (e % 9 <= Math.floor(e / 9) % 9 ? 1 / ((Math.floor(e / 9) % 9) + 1) : 0) },
      { size: 36 * 5, stream: 54 },
      { size: 4 * 81 },
      { size: 36 * 6 },
      { size: 36 * 6 },
      { size: 36 * 5 },
    ],
    args: [4, 9, 6, 5, Math.fround(1 / Math.sqrt(6)), T(0), T(1), T(2), T(3), T(4), T(5), T(6), T(7), T(8)],
    outputs: [5, 6, 7, 8],
  }),
  // 37 rows of F = 48 features (a token's d_model), gain and shift within ±1
  layeredCase({
    kernel: 'layernorm_forward',
    label: 'rows=37 F=48',
    tensors: [{ size: 37 * 48, stream: 39 }, { size: 48, stream: 40 }, { size: 48, stream: 41 }, { size: 37 * 48 }, { size: 37 * 48 }, { size: 37 }],
    args: [37, 48, Math.fround(1 / 48), 1e-5, T(0), T(1), T(2), T(3), T(4), T(5)],
    outputs: [3, 4, 5],
  }),
  layeredCase({
    kernel: 'layernorm_backward',
    label: 'rows=37 F=48',
    // x̂ of unit-variance rows (within ±√3), rstd in [0.5, 2]
    tensors: [
      { size: 37 * 48, stream: 42 },
      { size: 37 * 48, stream: 43, lo: -1.7, hi: 1.7 },
      { size: 37, stream: 44, lo: 0.5, hi: 2 },
      { size: 48, stream: 45 },
      { size: 37 * 48 },
    ],
    args: [37, 48, Math.fround(1 / 48), T(0), T(1), T(2), T(3), T(4)],
    outputs: [4],
  }),
];
