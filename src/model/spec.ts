// The layered form of a RunSpec (`model: { layers: [...] }`): a sequential network with residual
// blocks, per-layer initialisation, an output scale α and an MSE or softmax cross-entropy loss;
// mini-batches, GD/Adam/AdamW, clipping by global norm and a learning-rate schedule. Validation
// names the field and checks shapes end to end, before anything trains.
import { SpecError, obj, num, optNum, noExtra } from '../engine/fields.js';
import { validateData, validateOptimizer, validateRunControl, validateRunSpec, type DataSpec, type RunSpec } from '../engine/spec.js';
import { validateImageData, isImageData, type ImageDataSpec } from '../engine/images.js';
import { validateLayerList, inferShapes, type LayerSpec, type Shape } from './layers.js';
import { SEQ_LEN } from '../engine/anchor-task.js';

export type LayeredOptimizerSpec =
  | { kind: 'gd' }
  | { kind: 'adam'; beta1: number; beta2: number; eps: number }
  | { kind: 'adamw'; beta1: number; beta2: number; eps: number; weightDecay: number };

/** lr_t = value · warm-up factor min(1, (t+1)/warmupSteps) · decay factor (cosine to minFactor over decaySteps). */
export interface LayeredLrSpec {
  value: number;
  warmupSteps: number;
  decay: 'constant' | 'cosine';
  decaySteps: number;
  minFactor: number;
  halveOnIncrease: boolean;
  maxHalvings: number;
}

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

function validateLayeredOptimizer(v: unknown): LayeredOptimizerSpec {
  const o = obj(v, 'optimizer');
  if (o.kind !== 'adamw') {
    const base = validateOptimizer(v);
    return base.kind === 'gd' ? base : { kind: 'adam', beta1: base.beta1!, beta2: base.beta2!, eps: base.eps! };
  }
  const { weightDecay, ...adam } = o;
  const base = validateOptimizer({ ...adam, kind: 'adam' });
  if (base.kind !== 'adam') throw new SpecError('optimizer.kind', 'must be "gd", "adam" or "adamw"');
  return { kind: 'adamw', beta1: base.beta1!, beta2: base.beta2!, eps: base.eps!, weightDecay: num(weightDecay ?? 0.01, 'optimizer.weightDecay', { min: 0 }) };
}

function validateLayeredLr(v: unknown): LayeredLrSpec {
  const defaults = { warmupSteps: 0, decay: 'constant' as const, decaySteps: 0, minFactor: 0, halveOnIncrease: false, maxHalvings: 30 };
  if (typeof v === 'number') return { value: num(v, 'lr', { min: 0, exclusiveMin: true }), ...defaults };
  const o = obj(v, 'lr');
  noExtra(o, ['value', 'warmupSteps', 'decay', 'decaySteps', 'minFactor', 'halveOnIncrease', 'maxHalvings'], 'lr');
  const decay = o.decay ?? 'constant';
  if (decay !== 'constant' && decay !== 'cosine') throw new SpecError('lr.decay', `must be "constant" or "cosine", got ${JSON.stringify(decay)}`);
  const halve = o.halveOnIncrease ?? false;
  if (typeof halve !== 'boolean') throw new SpecError('lr.halveOnIncrease', 'must be true or false');
  // 0 (unused) is what a validated constant schedule holds, so a validated spec validates again
  const decaySteps = optNum(o, 'decaySteps', 'lr', { int: true, min: decay === 'cosine' ? 1 : 0 });
  if (decay === 'cosine' && decaySteps === undefined) throw new SpecError('lr.decaySteps', 'is needed with decay "cosine" (the steps from lr to minFactor·lr)');
  return {
    value: num(o.value, 'lr.value', { min: 0, exclusiveMin: true }),
    warmupSteps: optNum(o, 'warmupSteps', 'lr', { int: true, min: 0 }) ?? 0,
    decay,
    decaySteps: decaySteps ?? 0,
    minFactor: optNum(o, 'minFactor', 'lr', { min: 0, max: 1 }) ?? 0,
    halveOnIncrease: halve,
    maxHalvings: optNum(o, 'maxHalvings', 'lr', { int: true, min: 0, max: 60 }) ?? 30,
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
  const dims: Record<string, number> = { 'luo2021-4pt': 1, sin5d: 5, sin1d: 1, overview1d: 1, teacher10d: 10 };
  return { H: 1, W: 1, C: dims[data.preset], flat: true };
}

/** Check a parsed JSON value whose model has `layers` and return it with defaults filled in. */
export function validateLayeredSpec(value: unknown): LayeredRunSpec {
  const s = obj(value, 'spec');
  noExtra(s, ['$schema', 'data', 'model', 'optimizer', 'lr', 'batch', 'clip', 'stop', 'snapshots', 'lossEvery', 'seed'], 'spec');
  const data = isImageData(s.data) ? validateImageData(s.data, 'data') : validateData(s.data);
  const m = obj(s.model, 'model');
  noExtra(m, ['layers', 'alpha', 'loss'], 'model');
  const layers = validateLayerList(m.layers, 'model.layers');
  const loss = m.loss ?? 'mse';
  if (loss !== 'mse' && loss !== 'softmax-ce') throw new SpecError('model.loss', `must be "mse" or "softmax-ce", got ${JSON.stringify(loss)}`);
  const alpha = optNum(m, 'alpha', 'model', { min: 0, exclusiveMin: true }) ?? 1;
  const shapes = inferShapes(layers, inputShape(data));
  const out = shapes[shapes.length - 1];
  if (!out.flat) throw new SpecError('model.layers', `end in an image of ${out.C}×${out.H}×${out.W}: add flatten and a dense layer for the outputs`);
  if (loss === 'softmax-ce' && out.C < 2) throw new SpecError('model.loss', `softmax-ce needs at least 2 outputs (classes), the last layer gives ${out.C}`);
  const lr = validateLayeredLr(s.lr);
  let batch: LayeredRunSpec['batch'];
  if (s.batch !== undefined) {
    const b = obj(s.batch, 'batch');
    noExtra(b, ['size'], 'batch');
    batch = { size: num(b.size, 'batch.size', { int: true, min: 1 }) };
    if (lr.halveOnIncrease) throw new SpecError('lr.halveOnIncrease', 'cannot be used with mini-batches (the batch loss is noisy)');
  }
  let clip: LayeredRunSpec['clip'];
  if (s.clip !== undefined) {
    const c = obj(s.clip, 'clip');
    noExtra(c, ['maxNorm'], 'clip');
    clip = { maxNorm: num(c.maxNorm, 'clip.maxNorm', { min: 0, exclusiveMin: true }) };
  }
  return { data, model: { layers, alpha, loss }, optimizer: validateLayeredOptimizer(s.optimizer), lr, batch, clip, ...validateRunControl(s) };
}

/** Validate either form of a RunSpec: layered when the model has `layers`, else the two-layer form. */
export function validateAnySpec(value: unknown): RunSpec | LayeredRunSpec {
  const model = typeof value === 'object' && value !== null ? (value as { model?: unknown }).model : undefined;
  return isLayeredModel(model) ? validateLayeredSpec(value) : validateRunSpec(value);
}

export const isLayeredSpec = (s: RunSpec | LayeredRunSpec): s is LayeredRunSpec => isLayeredModel(s.model);
