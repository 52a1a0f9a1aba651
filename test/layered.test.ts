// Layered models: spec validation names the bad layer and field and checks shapes end to end; the
// training program's gradients match central differences of its own loss (conv, pooling, residual,
// layer norm, dense, MSE and softmax cross-entropy); WASM and the reference twins train to the same bits; the
// schedule, mini-batches, clipping and AdamW do what they say.
import { describe, it, expect, beforeAll } from 'vitest';
import { loadWasm } from '../src/wasm/node.js';
import type { WasmInstance } from '../src/wasm/load.js';
import { createEngine } from '../src/engine/index.js';
import { loadDigits } from '../src/engine/digits.js';
import { trajectoryHash, isLayered, type AnyTrajectory } from '../src/engine/trajectory.js';
import { validateLayeredSpec, validateAnySpec, inputShape, type LayeredRunSpec } from '../src/model/spec.js';
import { buildProgram, type Program } from '../src/model/program.js';
import { inferShapes } from '../src/model/layers.js';
import { CpuProgram } from '../src/model/cpu-program.js';
import { makeSamples } from '../src/model/samples.js';
import { accuracy, argmaxRow } from '../src/model/predict.js';
import { scheduledRate, epochOrder } from '../src/model/train-layered.js';
import type { LayeredTrajectory } from '../src/model/trajectory.js';

let wasm: WasmInstance;
beforeAll(async () => {
  wasm = await loadWasm();
  await loadDigits([3, 8]);
});

const conv = (filters: number, kernel: number, extra: Record<string, unknown> = {}) => ({ type: 'conv2d', filters, kernel, ...extra });

/** A small network touching every layer kind, with `outputs` outputs; `smooth` swaps max pooling and
 * ReLU for average pooling and sigmoid (central differences across their kinks are not derivatives). */
const everyLayer = (outputs: number, smooth = false) => [
  conv(3, 3, { padding: 'same', init: { std: 0.5 } }),
  { type: 'activation', fn: 'tanh' },
  { type: 'layernorm' },
  { type: 'residual', layers: [conv(3, 3, { padding: 'same', init: { std: 0.4 } }), { type: 'activation', fn: 'softplus' }] },
  { type: smooth ? 'avgpool2d' : 'maxpool2d', size: 2 },
  conv(4, 3, { stride: 1, init: { std: 'd_in^-gamma', gamma: 0.5 } }),
  { type: 'activation', fn: 'xtanh' },
  { type: 'avgpool2d', size: 1 },
  { type: 'flatten' },
  { type: 'dense', units: 5, init: { std: 0.3 } },
  { type: 'layernorm', eps: 1e-3 },
  { type: 'activation', fn: smooth ? 'sigmoid' : 'relu' },
  { type: 'dense', units: outputs, bias: false, init: { std: 0.5 } },
];
const DIGITS = { preset: 'mnist', classes: [3, 8], perClass: 6, size: 14 };

const spec = (over: Record<string, unknown> = {}) => ({
  data: { preset: 'gauss-images', n: 12, channels: 2, size: 8, seed: 3 },
  model: { layers: everyLayer(1), alpha: 1, loss: 'mse' },
  optimizer: { kind: 'gd' },
  lr: 0.05,
  stop: { maxSteps: 20 },
  seed: 1,
  ...over,
});

describe('layered RunSpec validation', () => {
  const bad: [string, unknown, RegExp][] = [
    [
      'an even kernel with same padding',
      { layers: [conv(2, 4, { padding: 'same' }), { type: 'flatten' }, { type: 'dense', units: 1 }] },
      /^invalid RunSpec: model\.layers\[0\]\.kernel must be odd with padding "same", got 4/,
    ],
    ['an unknown layer type', { layers: [{ type: 'lstm' }] }, /^invalid RunSpec: model\.layers\[0\]\.type must be one of conv2d, dense/],
    [
      'dense on an image',
      { layers: [{ type: 'dense', units: 1 }] },
      /model\.layers\[0\] \(dense\) needs a flat input, got 2×8×8 \(C×H×W\): add \{ "type": "flatten" \}/,
    ],
    [
      'a residual block that changes the shape',
      { layers: [{ type: 'residual', layers: [conv(5, 3, { padding: 'same' })] }, { type: 'flatten' }, { type: 'dense', units: 1 }] },
      /model\.layers\[0\] \(residual\) block maps 2×8×8 \(C×H×W\) to 5×8×8/,
    ],
    [
      'a kernel larger than the image',
      { layers: [conv(2, 9), { type: 'flatten' }, { type: 'dense', units: 1 }] },
      /model\.layers\[0\]\.kernel 9 does not fit the 2×8×8/,
    ],
    ['an image output', { layers: [conv(2, 3)] }, /model\.layers end in an image of 2×6×6: add flatten and a dense layer/],
    ['an unknown activation', { layers: [{ type: 'activation', fn: 'swish' }] }, /model\.layers\[0\]\.fn must be one of identity, relu/],
    ['a bad init', { layers: [conv(2, 3, { init: { std: 'huge' } })] }, /model\.layers\[0\]\.init\.std must be a number or "d_in\^-gamma"/],
    ['a nested bad field', { layers: [{ type: 'residual', layers: [conv(2, 3, { stride: 0 })] }] }, /model\.layers\[0\]\.layers\[0\]\.stride must be ≥ 1/],
    ['a layer norm with eps 0', { layers: [{ type: 'layernorm', eps: 0 }] }, /model\.layers\[0\]\.eps must be > 0, got 0/],
    ['an embedding of an image', { layers: [{ type: 'embedding', vocab: 10, dim: 4 }] }, /model\.layers\[0\] \(embedding\) needs a flat input of token ids/],
    ['learned positions on a flat vector', { layers: [{ type: 'flatten' }, { type: 'positional' }] }, /model\.layers\[1\] \(positional\) needs an image input/],
    [
      'softmax-ce with one output',
      { layers: [{ type: 'flatten' }, { type: 'dense', units: 1 }], loss: 'softmax-ce' },
      /model\.loss softmax-ce needs at least 2 outputs/,
    ],
  ];
  it.each(bad)('names the problem: %s', (_, model, message) => {
    expect(() => validateLayeredSpec(spec({ model }))).toThrow(message);
  });

  it('fills defaults and keeps the two-layer form apart', () => {
    const s = validateLayeredSpec(spec({ model: { layers: [conv(2, 3), { type: 'flatten' }, { type: 'dense', units: 1 }] } }));
    expect(s.model.layers[0]).toEqual({
      type: 'conv2d',
      filters: 2,
      kernel: 3,
      stride: 1,
      padding: 'valid',
      bias: true,
      init: { std: 'd_in^-gamma', gamma: 0.5 },
    });
    expect(s.model.loss).toBe('mse');
    expect(s.lr).toMatchObject({ value: 0.05, warmupSteps: 0, decay: 'constant' });
    expect(inputShape(s.data)).toEqual({ C: 2, H: 8, W: 8, flat: false });
    expect(() => validateAnySpec({ ...spec(), model: { width: 10, activation: 'relu' } })).toThrow(/invalid RunSpec: data\.channels is not a known field/);
  });

  it('rejects halve-and-restart with mini-batches, and a batch larger than the data', async () => {
    expect(() => validateLayeredSpec(spec({ batch: { size: 4 }, lr: { value: 0.1, halveOnIncrease: true } }))).toThrow(
      /lr\.halveOnIncrease cannot be used with mini-batches/,
    );
    await expect(createEngine('wasm', wasm).run(spec({ batch: { size: 13 } }))).rejects.toThrow(/batch\.size 13 exceeds the 12 samples/);
  });

  it('rejects inputs of an embedding that are not token ids of its vocabulary', async () => {
    const tokens = (bad: number) => ({
      data: {
        x: [
          [1, 2, 3],
          [4, bad, 6],
        ],
        y: [1, -1],
      },
      model: { layers: [{ type: 'embedding', vocab: 10, dim: 2 }, { type: 'flatten' }, { type: 'dense', units: 1 }] },
    });
    for (const bad of [10, 2.5, -1]) {
      await expect(createEngine('wasm', wasm).run(spec(tokens(bad)))).rejects.toThrow(
        `data.x sample 1 holds ${bad}, not a token id of the embedding's vocabulary 0 … 9`,
      );
    }
  });
});

/** Loss and gradient (flat, in parameter order) of the program at Philox parameters θ, on the WASM
 * kernels; `mutate` may change the program first (to show that a wrong gradient fails the check). */
function lossAndGradient(s: LayeredRunSpec, mutate: (p: Program) => Program = (p) => p) {
  const shape = inputShape(s.data),
    shapes = inferShapes(s.model.layers, shape);
  const mark = wasm.heap.mark();
  const samples = makeSamples(s, shapes[shapes.length - 1].C, wasm.heap, wasm.kernels);
  const program = mutate(buildProgram(s.model, s.optimizer, shape, samples.n, wasm.kernels.pow64));
  const exec = new CpuProgram(wasm.heap, wasm.kernels, program);
  exec.view(program.input).set(samples.x);
  exec.view(program.target).set(samples.y);
  const theta = program.params.map((p, j) => {
    // a layer norm's gain and shift (constant at init) drawn too, so that their gradients are tested off 1 and 0
    wasm.kernels.philox_normal(exec.ptr[p.param], program.tensors[p.param].size, Math.fround(p.fill === undefined ? p.std : 0.5), 7, 0, 5, j);
    return exec.view(p.param);
  });
  exec.forwardNow();
  exec.backwardNow();
  const grad = program.params.flatMap((p) => Array.from(exec.view(p.grad)));
  return { loss: () => exec.forwardNow(), theta, grad, release: () => wasm.heap.release(mark) };
}

/** Step of the central differences (f32 losses: smaller steps drown in rounding, larger ones in curvature and kinks). */
const H = 3e-3;

/** cos and relative error between the program's gradient and central differences (every 3rd parameter, step H, f32). */
function gradientCheck(s: LayeredRunSpec, mutate?: (p: Program) => Program): { cos: number; relErr: number } {
  const g = lossAndGradient(s, mutate);
  try {
    const numeric: number[] = [],
      analytic: number[] = [];
    let offset = 0;
    for (const theta of g.theta) {
      for (let i = 0; i < theta.length; i += 3) {
        const keep = theta[i],
          h = H;
        theta[i] = keep + h;
        const up = g.loss();
        theta[i] = keep - h;
        const down = g.loss();
        theta[i] = keep;
        numeric.push((up - down) / (2 * h));
        analytic.push(g.grad[offset + i]);
      }
      offset += theta.length;
    }
    const dot = numeric.reduce((acc, v, i) => acc + v * analytic[i], 0);
    return {
      cos: dot / (Math.hypot(...numeric) * Math.hypot(...analytic)),
      relErr: Math.hypot(...numeric.map((v, i) => v - analytic[i])) / Math.hypot(...analytic),
    };
  } finally {
    g.release();
  }
}

/** Sequences of 6 tokens from a vocabulary of 13 through every sequence layer: embedding, learned positions,
 * layer norm, causal attention and a per-token dense map (conv 1×1) with GELU in residual blocks (post-LN),
 * then a dense read-out of the last position. */
const TOKEN_NET = () =>
  validateLayeredSpec(
    spec({
      data: {
        x: Array.from({ length: 10 }, (_, i) => Array.from({ length: 6 }, (_, j) => (i * 5 + j * 3) % 13)),
        y: Array.from({ length: 10 }, (_, i) => (i % 3) - 1),
      },
      model: {
        layers: [
          { type: 'embedding', vocab: 13, dim: 4, init: { std: 0.7 } },
          { type: 'positional', init: { std: 0.3 } },
          { type: 'layernorm' },
          { type: 'residual', layers: [{ type: 'attention', dk: 3, dv: 2, init: { std: 0.6 } }] },
          { type: 'layernorm' },
          { type: 'residual', layers: [conv(4, 1, { init: { std: 0.5 } }), { type: 'activation', fn: 'gelu' }] },
          { type: 'layernorm', eps: 1e-3 },
          { type: 'lastposition' },
          { type: 'dense', units: 1, init: { std: 0.4 } },
        ],
        loss: 'mse',
      },
    }),
  );

const MSE_NET = () => validateLayeredSpec(spec({ model: { layers: everyLayer(1, true), alpha: 2, loss: 'mse' } }));
const CE_NET = () => validateLayeredSpec(spec({ model: { layers: everyLayer(2, true), alpha: 2, loss: 'softmax-ce' }, data: DIGITS }));

describe('the training program', () => {
  it.each([
    ['mse', MSE_NET],
    ['softmax-ce', CE_NET],
    ['tokens', TOKEN_NET],
  ])('gradients match central differences of the loss (%s)', (_, net) => {
    const { cos, relErr } = gradientCheck(net());
    expect(cos).toBeGreaterThan(0.9999);
    expect(relErr).toBeLessThan(0.01);
  });

  it('the check sees a wrong gradient: the residual skip path dropped', () => {
    const noSkip = (p: Program): Program => {
      const at = p.backward.findIndex((c) => c.kernel === 'add_inplace');
      expect(at).toBeGreaterThan(0);
      return { ...p, backward: p.backward.filter((_, i) => i !== at) };
    };
    expect(gradientCheck(MSE_NET(), noSkip).relErr).toBeGreaterThan(0.05);
  });
});

describe('accuracy', () => {
  it('takes the first largest output of each row as the class, and counts it against labels or one-hot rows', () => {
    const f = Float32Array.of(0.1, 0.7, 0.7, /* row 1 */ 2, -1, 0.5, /* row 2 */ -3, -2, -2.5);
    expect([0, 1, 2].map((i) => argmaxRow(f, i, 3))).toEqual([1, 0, 1]);
    const labelled = { name: 't', n: 3, input: { H: 1, W: 1, C: 1, flat: true }, x: new Float32Array(3), y: Float32Array.of(1, 2, 1), classes: 3 };
    expect(accuracy(f, labelled)).toBeCloseTo(2 / 3, 12);
    const oneHot = { ...labelled, y: Float32Array.of(0, 1, 0, 1, 0, 0, 0, 0, 1), classes: undefined };
    expect(accuracy(f, oneHot)).toBeCloseTo(2 / 3, 12);
  });
});

describe('layered training', () => {
  const train = async (backend: string, over: Record<string, unknown>) => {
    const t: AnyTrajectory = await createEngine(backend, wasm).run(spec(over));
    if (!isLayered(t)) throw new Error('expected a layered trajectory');
    return t as LayeredTrajectory;
  };

  it.each([
    ['GD, full batch', {}],
    [
      'Adam, mini-batches of 5, clipping, warm-up + cosine',
      {
        optimizer: { kind: 'adam' },
        batch: { size: 5 },
        clip: { maxNorm: 0.05 },
        lr: { value: 0.01, warmupSteps: 4, decay: 'cosine', decaySteps: 15, minFactor: 0.1 },
      },
    ],
    [
      'AdamW, softmax-ce on digits',
      { optimizer: { kind: 'adamw', weightDecay: 0.1 }, model: { layers: everyLayer(2), loss: 'softmax-ce' }, data: DIGITS, lr: 0.005 },
    ],
  ])('WASM and the reference twins give the same bits: %s', async (_, over) => {
    const [a, b] = [await train('wasm', over), await train('reference', over)];
    expect(a.steps).toBe(20);
    expect(await trajectoryHash(a)).toBe(await trajectoryHash(b));
    expect(a.finalLoss).toBeLessThan(a.initialLoss);
  });

  it('a validated spec validates again to itself (trajectories carry validated specs that users rerun)', () => {
    for (const lr of [0.01, { value: 1, warmupSteps: 4, decay: 'cosine', decaySteps: 10, minFactor: 0.2 }]) {
      const once = validateLayeredSpec(spec({ lr }));
      expect(validateLayeredSpec(once)).toEqual(once);
    }
  });

  it('the schedule warms up linearly and decays by a cosine to minFactor', () => {
    const lr = validateLayeredSpec(spec({ lr: { value: 1, warmupSteps: 4, decay: 'cosine', decaySteps: 10, minFactor: 0.2 } })).lr;
    for (let t = 0; t < 14; t++) {
      const want = Math.min(1, (t + 1) / 4) * (0.2 + 0.8 * 0.5 * (1 + Math.cos((Math.PI * Math.min(t, 10)) / 10)));
      expect(scheduledRate(lr, 1, t, wasm.kernels.sin64)).toBeCloseTo(want, 6);
    }
  });

  it('clipping caps the step: a tiny maxNorm moves the weights less than no clipping', async () => {
    const free = await train('wasm', { stop: { maxSteps: 1 } });
    const clipped = await train('wasm', { stop: { maxSteps: 1 }, clip: { maxNorm: 1e-3 } });
    const moved = (t: LayeredTrajectory) => Math.hypot(...t.snapshots[1].params.map((v, i) => v - t.snapshots[0].params[i]));
    expect(moved(clipped)).toBeCloseTo(0.05 * 1e-3, 6); // lr · maxNorm
    expect(moved(free)).toBeGreaterThan(10 * moved(clipped));
  });

  it('mini-batches are a Philox shuffle: every sample once per epoch, another order per epoch and seed', async () => {
    const order = (seed: number, epoch: number) => Array.from(epochOrder(wasm.kernels, wasm.heap, 12, seed, epoch));
    for (const [seed, epoch] of [
      [1, 0],
      [1, 1],
      [2, 0],
    ])
      expect([...order(seed, epoch)].sort((p, q) => p - q)).toEqual([...Array(12).keys()]);
    expect(order(1, 1)).not.toEqual(order(1, 0));
    expect(order(2, 0)).not.toEqual(order(1, 0));
    expect(order(1, 0)).toEqual(order(1, 0));
    const batched = await train('wasm', { batch: { size: 4 }, stop: { maxSteps: 6 } });
    const full = await train('wasm', { stop: { maxSteps: 6 } });
    expect(batched.shape.batch).toBe(4);
    expect(batched.loss[0]).not.toBe(full.loss[0]); // the first loss is of a batch of 4, not of all 12
  });

  it('stops with the tensor named when training diverges', async () => {
    await expect(train('wasm', { lr: 1e30 })).rejects.toThrow(/training diverged at step \d+: .* holds (NaN|-?Infinity) at index \d+/);
  });
});
