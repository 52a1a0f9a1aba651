// Splitting a run's GEMMs over idle workers (src/engine/gemm-split.ts): a GEMM cut into pieces over
// output rows or columns writes exactly the whole call's bits, and a layered run trained by a pool
// of 1, 2 or 4 workers that lends its idle workers gives the trajectory hash of this thread.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadWasm } from '../src/wasm/node.js';
import type { WasmInstance } from '../src/wasm/load.js';
import { createEngine } from '../src/engine/index.js';
import { openNodePool } from '../src/engine/node-pool.js';
import { gemmInPieces, splitRanges } from '../src/engine/gemm-split.js';
import { trajectoryHash, type AnyTrajectory } from '../src/engine/trajectory.js';
import { uniformInputs } from '../src/wasm/inputs.js';
import { bitMismatches } from './support.js';

let wasm: WasmInstance;
beforeAll(async () => {
  wasm = await loadWasm();
});

// [M, N, K]: edge tiles (M % 4, N % 8), K over several K blocks (256), M over MC (128), N over NC (512), K = 0 and 1
const SHAPES: [number, number, number][] = [
  [37, 29, 300],
  [130, 21, 17],
  [9, 531, 40],
  [5, 3, 1],
  [64, 64, 0],
  [257, 12, 513],
];
const FORMS = ['gemm_nn', 'gemm_tn', 'gemm_nt'] as const;

describe('a GEMM split over output ranges', () => {
  it('covers the output in grains of 4 rows or 8 columns, at most one piece a grain', () => {
    expect(splitRanges(37, 29, 4)).toEqual({ byRows: true, cuts: [0, 8, 20, 28, 37] });
    expect(splitRanges(9, 531, 3)).toEqual({ byRows: false, cuts: [0, 176, 352, 531] });
    expect(splitRanges(5, 3, 4)).toEqual({ byRows: true, cuts: [0, 4, 5] });
  });

  it.each(FORMS.flatMap((form) => SHAPES.map((s) => [form, ...s] as const)))(
    '%s %i×%i×%i: the bits of the whole call, for 2, 3, 4 and 7 pieces',
    (form, M, N, K) => {
      const { heap, kernels } = wasm;
      const mark = heap.mark();
      try {
        // row-major with leading dimensions past the extents, as a sub-matrix of a larger one
        const [ar, ac] = form === 'gemm_tn' ? [K, M] : [M, K];
        const [br, bc] = form === 'gemm_nt' ? [N, K] : [K, N];
        const lda = ac + 3,
          ldb = bc + 5,
          ldc = N + 2;
        const A = heap.putF32(uniformInputs(wasm, Math.max(1, ar * lda), 11));
        const B = heap.putF32(uniformInputs(wasm, Math.max(1, br * ldb), 12));
        const before = uniformInputs(wasm, M * ldc, 13);
        const C = heap.allocF32(M * ldc);
        const work = heap.alloc(kernels.gemm_workspace_bytes());
        heap.f32.set(before, C >>> 2);
        kernels[form](M, N, K, A, lda, B, ldb, C, ldc, work);
        const whole = heap.viewF32(C, M * ldc).slice();
        for (const parts of [2, 3, 4, 7]) {
          heap.f32.set(before, C >>> 2);
          gemmInPieces(kernels, form, parts, [M, N, K, A, lda, B, ldb, C, ldc, work]);
          const split = heap.viewF32(C, M * ldc).slice();
          expect(bitMismatches(split, whole), `${parts} pieces`).toEqual([]);
        }
      } finally {
        heap.release(mark);
      }
    },
  );
});

// [n, H, W, C, k, stride, pad, F]: C % 4 == 0 and not, one channel, padding, stride 2, a 1 × 1 kernel, K past 256
const CONVS: [number, number, number, number, number, number, number, number][] = [
  [5, 9, 7, 4, 3, 1, 1, 6],
  [3, 12, 12, 3, 3, 2, 1, 8],
  [4, 10, 10, 1, 5, 1, 2, 9],
  [7, 6, 6, 16, 1, 1, 0, 5],
  [2, 8, 8, 32, 3, 1, 1, 4],
];

describe('conv_gemm_nt and conv_input_grad split over their images', () => {
  it.each(CONVS)('n %i, %i×%i×%i, k %i, stride %i, pad %i, F %i: the bits of the whole calls', (n, H, W, C, k, stride, pad, F) => {
    const { heap, kernels } = wasm;
    const mark = heap.mark();
    try {
      const Ho = Math.floor((H + 2 * pad - k) / stride) + 1,
        Wo = Math.floor((W + 2 * pad - k) / stride) + 1;
      const image = H * W * C,
        rows = Ho * Wo * F;
      const work = heap.alloc(kernels.gemm_workspace_bytes());
      const wt = heap.putF32(uniformInputs(wasm, F * C * k * k, 22));
      // each kernel: (its input, per image; its output, per image), the whole call, then two calls over the halves
      for (const [name, inSize, outSize] of [
        ['conv_gemm_nt', image, rows],
        ['conv_input_grad', rows, image],
      ] as const) {
        const a = heap.putF32(uniformInputs(wasm, n * inSize, 21));
        const b = heap.allocF32(n * outSize);
        kernels[name](n, H, W, C, k, stride, pad, F, a, wt, b, work);
        const whole = heap.viewF32(b, n * outSize).slice();
        heap.viewF32(b, n * outSize).fill(0);
        for (const [i0, i1] of [
          [0, n >> 1],
          [n >> 1, n],
        ])
          kernels[name](i1 - i0, H, W, C, k, stride, pad, F, a + 4 * i0 * inSize, wt, b + 4 * i0 * outSize, work);
        expect(bitMismatches(heap.viewF32(b, n * outSize).slice(), whole), name).toEqual([]);
      }
    } finally {
      heap.release(mark);
    }
  });
});

const SMALL_CNN = JSON.parse(readFileSync(new URL('../examples/small-cnn.json', import.meta.url), 'utf8')) as Record<string, unknown>;
/** small-cnn.json at 30 steps with a snapshot: conv (conv_gemm_nt and conv_input_grad, split over their images) and dense GEMMs. */
const CNN = { ...SMALL_CNN, stop: { maxSteps: 30 }, snapshots: [15] };
/** A token net (attention, per-token dense maps as 1×1 convs) whose GEMMs are thin. */
const TOKENS = {
  data: {
    x: Array.from({ length: 24 }, (_, i) => Array.from({ length: 8 }, (_, j) => (i * 5 + j * 3) % 13)),
    y: Array.from({ length: 24 }, (_, i) => (i % 3) - 1),
  },
  model: {
    layers: [
      { type: 'embedding', vocab: 13, dim: 16, init: { std: 0.7 } },
      { type: 'positional', init: { std: 0.3 } },
      { type: 'residual', layers: [{ type: 'attention', dk: 8, dv: 8, init: { std: 0.3 } }] },
      { type: 'layernorm' },
      {
        type: 'residual',
        layers: [
          { type: 'conv2d', filters: 16, kernel: 1, init: { std: 0.3 } },
          { type: 'activation', fn: 'gelu' },
        ],
      },
      { type: 'lastposition' },
      { type: 'dense', units: 1, init: { std: 0.4 } },
    ],
    loss: 'mse',
  },
  optimizer: { kind: 'adam' },
  lr: 0.01,
  stop: { maxSteps: 20 },
  snapshots: [10],
  seed: 2,
};

describe('a pool that lends idle workers to a run', () => {
  const hashes = (ts: AnyTrajectory[]) => Promise.all(ts.map(trajectoryHash));

  it.each([1, 2, 4])('gives one layered run the bits of this thread with %i workers (every GEMM split)', async (workers) => {
    const alone = await hashes(await createEngine('wasm', wasm).runBatch([CNN, TOKENS]));
    const pool = openNodePool(wasm.module, workers, { minWork: 0, adaptive: false, spinUs: 0 });
    try {
      for (const [i, spec] of [CNN, TOKENS].entries()) {
        const before = pool.splitCalls;
        expect(await hashes(await pool.runBatch([spec]))).toEqual([alone[i]]);
        // the helpers join once the run has started: some of its GEMMs at least go in pieces
        if (workers > 1) expect(pool.splitCalls).toBeGreaterThan(before);
      }
    } finally {
      pool.close();
    }
  });

  it('gives the same bits when it splits a call shape only where splitting has timed faster', async () => {
    const alone = await hashes(await createEngine('wasm', wasm).runBatch([CNN]));
    const pool = openNodePool(wasm.module, 2, { minWork: 0, adaptive: true });
    try {
      expect(await hashes(await pool.runBatch([CNN]))).toEqual(alone);
    } finally {
      pool.close();
    }
  });

  it('keeps every run of a batch larger than the pool, and the order of the specs (threads watching awake)', async () => {
    const specs = [CNN, TOKENS, { ...CNN, seed: 5 }];
    const alone = await hashes(await createEngine('wasm', wasm).runBatch(specs));
    const pool = openNodePool(wasm.module, 2, { minWork: 0, spinUs: 300, adaptive: false });
    try {
      expect(await hashes(await pool.runBatch(specs))).toEqual(alone);
      expect(await hashes(await pool.runBatch([specs[2]]))).toEqual([alone[2]]);
    } finally {
      pool.close();
    }
  });
});
