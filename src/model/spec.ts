// The layered form of a RunSpec (`model: { layers: [...] }`): a sequential network with residual
// blocks, per-layer initialisation, an output scale α and an MSE or softmax cross-entropy loss;
// mini-batches, GD/Adam/AdamW, clipping by global norm and a learning-rate schedule. Validation
// names the field and checks shapes end to end, before anything trains.
import Type, { type Static } from 'typebox';
import { SpecError, checkSpec } from '../engine/fields.js';
import { Closed, Positive, Whole } from '../engine/schema-parts.js';
import {
  AdamFields,
  Adam,
  Gd,
  Halving,
  RowsPreset,
  Rows,
  RunControl,
  adamDefaults,
  checkRows,
  runControl,
  validateRunSpec,
  type DataSpec,
  type RunSpec,
} from '../engine/spec.js';
import { ImageDataSpec, isImageData, validateImageData } from '../engine/images.js';
import { LayerList, validateLayerList, inferShapes, type LayerSpec, type Shape } from './layers.js';
import { SEQ_LEN } from '../engine/anchor-task.js';

const AdamW = Closed({ kind: Type.Literal('adamw'), ...AdamFields, weightDecay: Type.Optional(Type.Number({ minimum: 0, description: 'default 0.01' })) });

const LayeredLr = Closed(
  {
    value: Positive(),
    warmupSteps: Type.Optional(Whole(0)),
    decay: Type.Optional(Type.Enum(['constant', 'cosine'])),
    decaySteps: Type.Optional(Whole(0, undefined, { description: 'the steps from lr to minFactor·lr (needed with decay "cosine")' })),
    minFactor: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    ...Halving,
  },
  { description: 'lr_t = value · warm-up factor min(1, (t+1)/warmupSteps) · decay factor (cosine to minFactor over decaySteps)' },
);

export const LayeredSpec = Closed(
  {
    data: Type.Union([RowsPreset, Rows, ImageDataSpec]),
    model: Closed({
      layers: LayerList,
      alpha: Type.Optional(Positive({ description: 'output scale: f = (1/α)·(last layer output), default 1' })),
      loss: Type.Optional(
        Type.Enum(['mse', 'softmax-ce'], {
          description: 'mse: R = (1/(2·n·K))·Σ(f − y)² over n samples and K outputs; softmax-ce: mean cross-entropy of class labels',
        }),
      ),
    }),
    optimizer: Type.Union([Gd, Adam, AdamW]),
    lr: Type.Union([Positive(), LayeredLr]),
    batch: Type.Optional(Closed({ size: Whole(1) }, { description: 'mini-batches of size samples, reshuffled every epoch (Philox); absent: full batch' })),
    clip: Type.Optional(Closed({ maxNorm: Positive() }, { description: 'scale the gradient down to global norm maxNorm when it is longer' })),
    ...RunControl,
  },
  { description: 'a layered model: conv2d, dense, pooling, attention, residual blocks' },
);

type LayeredJson = Static<typeof LayeredSpec>;

export type LayeredOptimizerSpec =
  | { kind: 'gd' }
  | { kind: 'adam'; beta1: number; beta2: number; eps: number }
  | { kind: 'adamw'; beta1: number; beta2: number; eps: number; weightDecay: number };

/** lr_t = value · warm-up factor min(1, (t+1)/warmupSteps) · decay factor (cosine to minFactor over decaySteps). */
export type LayeredLrSpec = Required<Omit<Static<typeof LayeredLr>, 'decay'>> & { decay: 'constant' | 'cosine' };

export interface LayeredModelSpec {
  layers: LayerSpec[];
  /** output scale: f = (1/α)·(last layer's output) */
  alpha: number;
  /** mse: R = (1/(2·n·K))·Σ(f − y)² over n samples and K outputs; softmax-ce: mean cross-entropy of class labels */
  loss: 'mse' | 'softmax-ce';
}

export interface LayeredRunSpec extends Pick<RunSpec, 'stop' | 'snapshots' | 'lossEvery' | 'seed'> {
  data: DataSpec | ImageDataSpec;
  model: LayeredModelSpec;
  optimizer: LayeredOptimizerSpec;
  lr: LayeredLrSpec;
  /** mini-batches of `size` samples, reshuffled every epoch (Philox); absent: full batch */
  batch?: { size: number };
  /** scale the gradient down to global norm maxNorm when it is longer */
  clip?: { maxNorm: number };
}

const isLayeredModel = (model: unknown): boolean => typeof model === 'object' && model !== null && 'layers' in model;

function layeredOptimizer(o: LayeredJson['optimizer']): LayeredOptimizerSpec {
  if (o.kind === 'gd') return { kind: 'gd' };
  if (o.kind === 'adam') return { kind: 'adam', ...adamDefaults(o) };
  return { kind: 'adamw', ...adamDefaults(o), weightDecay: o.weightDecay ?? 0.01 };
}

function layeredLr(v: LayeredJson['lr']): LayeredLrSpec {
  const defaults = { warmupSteps: 0, decay: 'constant' as const, decaySteps: 0, minFactor: 0, halveOnIncrease: false, maxHalvings: 30 };
  if (typeof v === 'number') return { value: v, ...defaults };
  const decay = v.decay ?? 'constant';
  // 0 (unused) is what a validated constant schedule holds, so a validated spec validates again
  if (decay === 'cosine' && !v.decaySteps)
    throw new SpecError('lr.decaySteps', `is needed with decay "cosine" (the steps from lr to minFactor·lr), ≥ 1, got ${v.decaySteps ?? 'nothing'}`);
  return {
    value: v.value,
    warmupSteps: v.warmupSteps ?? 0,
    decay,
    decaySteps: v.decaySteps ?? 0,
    minFactor: v.minFactor ?? 0,
    halveOnIncrease: v.halveOnIncrease ?? false,
    maxHalvings: v.maxHalvings ?? 30,
  };
}

/** Per-sample input shape of the data: images as H × W × C, rows as a flat vector. */
export function inputShape(data: DataSpec | ImageDataSpec): Shape {
  if ('x' in data && isImageData(data)) {
    const img = (data as { x: number[][][][] }).x[0];
    return { C: img.length, H: img[0].length, W: img[0][0].length, flat: false };
  }
  if ('preset' in data && data.preset === 'gauss-images') return { C: data.channels ?? 3, H: data.size ?? 8, W: data.size ?? 8, flat: false };
  if ('preset' in data && data.preset === 'mnist') return { C: 1, H: data.size ?? 28, W: data.size ?? 28, flat: false };
  if ('preset' in data && data.preset === 'anchor') return { H: 1, W: 1, C: SEQ_LEN, flat: true };
  if ('x' in data) return { H: 1, W: 1, C: (data.x as number[][])[0].length, flat: true };
  const dims: Record<string, number> = { 'luo2021-4pt': 1, sin5d: 5, sin3d: 3, sin1d: 1, overview1d: 1, teacher10d: 10 };
  return { H: 1, W: 1, C: dims[data.preset], flat: true };
}

/** Check a parsed JSON value whose model has `layers` and return it with defaults filled in. */
export function validateLayeredSpec(value: unknown): LayeredRunSpec {
  checkSpec(LayeredSpec, value);
  const s = value as LayeredJson;
  const data = isImageData(s.data) ? validateImageData(s.data, 'data') : { ...(s.data as DataSpec) };
  if ('x' in data && !isImageData(data)) checkRows(data as Static<typeof Rows>);
  const layers = validateLayerList(s.model.layers, 'model.layers');
  const loss = s.model.loss ?? 'mse';
  const shapes = inferShapes(layers, inputShape(data));
  const out = shapes[shapes.length - 1];
  if (!out.flat) throw new SpecError('model.layers', `end in an image of ${out.C}×${out.H}×${out.W}: add flatten and a dense layer for the outputs`);
  if (loss === 'softmax-ce' && out.C < 2) throw new SpecError('model.loss', `softmax-ce needs at least 2 outputs (classes), the last layer gives ${out.C}`);
  const lr = layeredLr(s.lr);
  if (s.batch && lr.halveOnIncrease) throw new SpecError('lr.halveOnIncrease', 'cannot be used with mini-batches (the batch loss is noisy)');
  const batch = s.batch && { size: s.batch.size },
    clip = s.clip && { maxNorm: s.clip.maxNorm };
  return { data, model: { layers, alpha: s.model.alpha ?? 1, loss }, optimizer: layeredOptimizer(s.optimizer), lr, batch, clip, ...runControl(s) };
}

/** Validate either form of a RunSpec: layered when the model has `layers`, else the two-layer form. */
export function validateAnySpec(value: unknown): RunSpec | LayeredRunSpec {
  const model = typeof value === 'object' && value !== null ? (value as { model?: unknown }).model : undefined;
  return isLayeredModel(model) ? validateLayeredSpec(value) : validateRunSpec(value);
}

export const isLayeredSpec = (s: RunSpec | LayeredRunSpec): s is LayeredRunSpec => isLayeredModel(s.model);
