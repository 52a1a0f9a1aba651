// The layer kinds of a sequential network (`model.layers` of a RunSpec): their JSON form, validation
// with the bad layer and field named, and shape inference end to end, so a model whose shapes do
// not fit stops before anything trains. Activations are NHWC; `flatten` keeps the bytes (HWC order).
import { ACTIVATIONS, type ActivationName } from '../engine/activations.js';
import { SpecError, obj, num, noExtra, type Obj } from '../engine/fields.js';

/** Initial std of a layer's weights and biases: a number, or d_in^−γ with d_in the fan-in. */
export type LayerInit = { std: number } | { std: 'd_in^-gamma'; gamma: number };

export type LayerSpec =
  | { type: 'conv2d'; filters: number; kernel: number; stride: number; padding: 'valid' | 'same'; bias: boolean; init: LayerInit }
  | { type: 'dense'; units: number; bias: boolean; init: LayerInit }
  | { type: 'activation'; fn: ActivationName | 'identity' }
  | { type: 'avgpool2d'; size: number }
  | { type: 'maxpool2d'; size: number }
  | { type: 'flatten' }
  | { type: 'layernorm'; eps: number }
  | { type: 'embedding'; vocab: number; dim: number; init: LayerInit }
  | { type: 'positional'; init: LayerInit }
  | { type: 'attention'; dk: number; dv: number; bias: boolean; init: LayerInit }
  | { type: 'lastposition' }
  | { type: 'residual'; layers: LayerSpec[] };

/** Shape of one sample between layers: an image (H × W × C) or a flat vector (C features, H = W = 1). */
export interface Shape {
  H: number;
  W: number;
  C: number;
  flat: boolean;
}

export const shapeSize = (s: Shape) => s.H * s.W * s.C;
const describeShape = (s: Shape) => (s.flat ? `${s.C}` : `${s.C}×${s.H}×${s.W} (C×H×W)`);

/** The default initialisation: std = d_in^−½ (the standard scale of SCIENCE.md). */
const DEFAULT_INIT: LayerInit = { std: 'd_in^-gamma', gamma: 0.5 };
const LAYER_TYPES = [
  'conv2d',
  'dense',
  'activation',
  'avgpool2d',
  'maxpool2d',
  'flatten',
  'layernorm',
  'embedding',
  'positional',
  'attention',
  'lastposition',
  'residual',
];

function bool(v: unknown, path: string, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new SpecError(path, `must be true or false, got ${JSON.stringify(v)}`);
  return v;
}

function validateInit(v: unknown, path: string): LayerInit {
  if (v === undefined) return DEFAULT_INIT;
  const o = obj(v, path);
  if (o.std === 'd_in^-gamma') {
    noExtra(o, ['std', 'gamma'], path);
    return { std: 'd_in^-gamma', gamma: num(o.gamma, `${path}.gamma`) };
  }
  noExtra(o, ['std'], path);
  if (typeof o.std === 'string') throw new SpecError(`${path}.std`, `must be a number or "d_in^-gamma" (with gamma), got ${JSON.stringify(o.std)}`);
  return { std: num(o.std, `${path}.std`, { min: 0, exclusiveMin: true }) };
}

function validateLayer(v: unknown, path: string): LayerSpec {
  const o: Obj = obj(v, path);
  const type = o.type;
  if (typeof type !== 'string' || !LAYER_TYPES.includes(type))
    throw new SpecError(`${path}.type`, `must be one of ${LAYER_TYPES.join(', ')}, got ${JSON.stringify(type)}`);
  const pos = (key: string, max: number) => num(o[key], `${path}.${key}`, { int: true, min: 1, max });
  switch (type) {
    case 'conv2d': {
      noExtra(o, ['type', 'filters', 'kernel', 'stride', 'padding', 'bias', 'init'], path);
      const kernel = pos('kernel', 63);
      const padding = o.padding === undefined ? 'valid' : o.padding;
      if (padding !== 'valid' && padding !== 'same') throw new SpecError(`${path}.padding`, `must be "valid" or "same", got ${JSON.stringify(padding)}`);
      if (padding === 'same' && kernel % 2 === 0) throw new SpecError(`${path}.kernel`, `must be odd with padding "same", got ${kernel}`);
      const stride = o.stride === undefined ? 1 : pos('stride', 63);
      return {
        type,
        filters: pos('filters', 65536),
        kernel,
        stride,
        padding,
        bias: bool(o.bias, `${path}.bias`, true),
        init: validateInit(o.init, `${path}.init`),
      };
    }
    case 'dense':
      noExtra(o, ['type', 'units', 'bias', 'init'], path);
      return { type, units: pos('units', 16_000_000), bias: bool(o.bias, `${path}.bias`, true), init: validateInit(o.init, `${path}.init`) };
    case 'activation': {
      noExtra(o, ['type', 'fn'], path);
      const names = ['identity', ...ACTIVATIONS.map((a) => a.name)];
      if (!names.includes(o.fn as string)) throw new SpecError(`${path}.fn`, `must be one of ${names.join(', ')}, got ${JSON.stringify(o.fn)}`);
      return { type, fn: o.fn as ActivationName | 'identity' };
    }
    case 'avgpool2d':
    case 'maxpool2d':
      noExtra(o, ['type', 'size'], path);
      return { type, size: pos('size', 64) };
    case 'flatten':
    case 'lastposition':
      noExtra(o, ['type'], path);
      return { type };
    case 'embedding':
      noExtra(o, ['type', 'vocab', 'dim', 'init'], path);
      return { type, vocab: pos('vocab', 1_000_000), dim: pos('dim', 65536), init: validateInit(o.init, `${path}.init`) };
    case 'attention': {
      noExtra(o, ['type', 'dk', 'dv', 'bias', 'init'], path);
      const dk = pos('dk', 65536);
      return { type, dk, dv: o.dv === undefined ? dk : pos('dv', 65536), bias: bool(o.bias, `${path}.bias`, true), init: validateInit(o.init, `${path}.init`) };
    }
    case 'positional':
      noExtra(o, ['type', 'init'], path);
      return { type, init: validateInit(o.init, `${path}.init`) };
    case 'layernorm':
      noExtra(o, ['type', 'eps'], path);
      return { type, eps: o.eps === undefined ? 1e-5 : num(o.eps, `${path}.eps`, { min: 0, exclusiveMin: true }) };
    default:
      noExtra(o, ['type', 'layers'], path);
      return { type: 'residual', layers: validateLayerList(o.layers, `${path}.layers`) };
  }
}

export function validateLayerList(v: unknown, path: string): LayerSpec[] {
  if (!Array.isArray(v) || v.length === 0) throw new SpecError(path, 'must be a non-empty array of layers');
  return v.map((l, i) => validateLayer(l, `${path}[${i}]`));
}

/** Output shape of layer `l` on input `s`, or a SpecError naming the layer and the mismatch. */
export function layerOutput(l: LayerSpec, s: Shape, path: string): Shape {
  const image = (what: string) => {
    if (s.flat) throw new SpecError(path, `(${l.type}) needs an image input, got a flat vector of ${s.C} (${what})`);
  };
  switch (l.type) {
    case 'conv2d': {
      image('put it before flatten');
      const pad = l.padding === 'same' ? (l.kernel - 1) / 2 : 0;
      const H = Math.floor((s.H + 2 * pad - l.kernel) / l.stride) + 1,
        W = Math.floor((s.W + 2 * pad - l.kernel) / l.stride) + 1;
      if (H < 1 || W < 1) throw new SpecError(`${path}.kernel`, `${l.kernel} does not fit the ${describeShape(s)} input`);
      return { H, W, C: l.filters, flat: false };
    }
    case 'dense':
      if (!s.flat) throw new SpecError(path, `(dense) needs a flat input, got ${describeShape(s)}: add { "type": "flatten" } before it`);
      return { H: 1, W: 1, C: l.units, flat: true };
    case 'avgpool2d':
    case 'maxpool2d':
      image('pool before flatten');
      if (l.size > s.H || l.size > s.W) throw new SpecError(`${path}.size`, `${l.size} is larger than the ${describeShape(s)} input`);
      return { H: Math.floor(s.H / l.size), W: Math.floor(s.W / l.size), C: s.C, flat: false };
    case 'flatten':
      return { H: 1, W: 1, C: shapeSize(s), flat: true };
    case 'activation':
    case 'layernorm':
      return s;
    case 'embedding':
      if (!s.flat) throw new SpecError(path, `(embedding) needs a flat input of token ids (one per position), got ${describeShape(s)}`);
      return { H: 1, W: s.C, C: l.dim, flat: false };
    case 'positional':
      image('a learned position vector is added at each position of a sequence or image');
      return s;
    case 'attention':
      image('attention mixes the positions of a sequence: put it before flatten');
      return s;
    case 'lastposition':
      image('it reads the last position of a sequence');
      return { H: 1, W: 1, C: s.C, flat: true };
    case 'residual': {
      const out = l.layers.reduce((sh, inner, i) => layerOutput(inner, sh, `${path}.layers[${i}]`), s);
      if (out.H !== s.H || out.W !== s.W || out.C !== s.C || out.flat !== s.flat) {
        throw new SpecError(path, `(residual) block maps ${describeShape(s)} to ${describeShape(out)}: output = input + block(input) needs equal shapes`);
      }
      return s;
    }
  }
}

/** Shapes after every top-level layer, checking the whole list; the last is the network's output. */
export function inferShapes(layers: LayerSpec[], input: Shape, path = 'model.layers'): Shape[] {
  const shapes: Shape[] = [];
  layers.reduce((s, l, i) => {
    const out = layerOutput(l, s, `${path}[${i}]`);
    shapes.push(out);
    return out;
  }, input);
  return shapes;
}

/** d_in of a layer's weight matrix: C·k·k (conv2d), the input features (dense), the vector width of an
 * embedding or position table (its matrix's second dimension, as in PyTorch's weight.shape[1]). */
export function fanIn(l: LayerSpec & { type: 'conv2d' | 'dense' | 'embedding' | 'positional' }, s: Shape): number {
  if (l.type === 'conv2d') return s.C * l.kernel * l.kernel;
  if (l.type === 'dense') return shapeSize(s);
  return l.type === 'embedding' ? l.dim : s.C;
}

/** The std a layer's init gives for fan-in d_in, with the module's pow for the d_in^−γ family. */
export function initStd(init: LayerInit, dIn: number, pow: (x: number, y: number) => number): number {
  return typeof init.std === 'number' ? init.std : pow(dIn, -init.gamma);
}
