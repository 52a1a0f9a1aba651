// The layers of a sequential network (`model.layers` of a RunSpec): their validated form (the JSON
// schemas are in layer-schemas.ts), defaults, and shape inference end to end, so a model whose shapes
// do not fit stops before anything trains. Activations are NHWC; `flatten` keeps the bytes (HWC order).
import type { Static } from 'typebox';
import type { ActivationName } from '../engine/activations.js';
import { SpecError, checkSpec } from '../engine/fields.js';
import { LayerList, type LayerInit as LayerInitSchema } from './layer-schemas.js';

/** Initial std of a layer's weights and biases: a number, or d_in^−γ with d_in the fan-in. */
export type LayerInit = Static<typeof LayerInitSchema>;

type LayerJson = Static<typeof LayerList>[number];
/** A layer as validated: its JSON form with every default filled in. */
export type LayerSpec = LayerJson extends infer L
  ? L extends { type: 'residual' }
    ? { type: 'residual'; layers: LayerSpec[] }
    : L extends { type: 'activation' }
      ? { type: 'activation'; fn: ActivationName | 'identity' }
      : Required<L>
  : never;

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

/** A checked layer with its defaults, and what a schema cannot say: an odd kernel with padding "same". */
function withDefaults(l: LayerJson, path: string): LayerSpec {
  const init = 'init' in l ? (l.init ?? DEFAULT_INIT) : DEFAULT_INIT;
  const bias = 'bias' in l ? (l.bias ?? true) : true;
  switch (l.type) {
    case 'conv2d': {
      const padding = l.padding ?? 'valid';
      if (padding === 'same' && l.kernel % 2 === 0) throw new SpecError(`${path}.kernel`, `must be odd with padding "same", got ${l.kernel}`);
      return { type: l.type, filters: l.filters, kernel: l.kernel, stride: l.stride ?? 1, padding, bias, init };
    }
    case 'dense':
      return { type: l.type, units: l.units, bias, init };
    case 'activation':
      return { type: l.type, fn: l.fn as ActivationName | 'identity' };
    case 'embedding':
      return { type: l.type, vocab: l.vocab, dim: l.dim, init };
    case 'attention':
      return { type: l.type, dk: l.dk, dv: l.dv ?? l.dk, bias, init };
    case 'positional':
      return { type: l.type, init };
    case 'layernorm':
      return { type: l.type, eps: l.eps ?? 1e-5 };
    case 'residual':
      return { type: l.type, layers: (l.layers as LayerJson[]).map((inner, i) => withDefaults(inner, `${path}.layers[${i}]`)) };
    default:
      return { ...l };
  }
}

/** Check a layer list against its schema and return it with defaults filled in. */
export function validateLayerList(v: unknown, path: string): LayerSpec[] {
  checkSpec(LayerList, v, path);
  return (v as LayerJson[]).map((l, i) => withDefaults(l, `${path}[${i}]`));
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
