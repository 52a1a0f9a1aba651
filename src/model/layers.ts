// The layers of a sequential network (`model.layers` of a RunSpec): the registry of layer kinds, each
// declared once as a LayerDef in src/model/layers/<kind>.ts, and what the rest of the code asks of a layer
// list, dispatched through it: the JSON schema, validation with defaults, shape inference end to end (so a
// model whose shapes do not fit stops before anything trains), the program's layers, the FLOPs of a
// training step and the tfjs network. A new kind is a file in layers/ and a line in LAYERS.
// Activations are NHWC; `flatten` keeps the bytes (HWC order).
import Type, { type TSchema } from 'typebox';
import { checkSpec } from '../engine/fields.js';
import type { Built, ProgramBuilder } from './program-builder.js';
import { LAYER_REF, type AnyLayer, type LayerDef, type LayerLists, type TfjsContext, type TfjsLayer } from './layers/def.js';
import type { Shape } from './layers/shape.js';
import { activation } from './layers/activation.js';
import { attention } from './layers/attention.js';
import { conv2d } from './layers/conv2d.js';
import { dense } from './layers/dense.js';
import { embedding } from './layers/embedding.js';
import { flatten } from './layers/flatten.js';
import { lastposition } from './layers/lastposition.js';
import { layernorm } from './layers/layernorm.js';
import { avgpool2d, maxpool2d } from './layers/pool.js';
import { positional } from './layers/positional.js';
import { residual, type ResidualSpec } from './layers/residual.js';

export { shapeSize, type Shape } from './layers/shape.js';
export type { LayerInit } from './layers/fields.js';

/** Every layer kind by its `type`, in the order of the schema's union. */
const LAYERS = { conv2d, dense, activation, avgpool2d, maxpool2d, flatten, layernorm, embedding, positional, attention, lastposition, residual };

type SpecOf<D> = D extends LayerDef<TSchema, infer S> ? S : never;
/** A layer as validated: its JSON form with every default filled in (a residual block holds layers of any kind). */
export type LayerSpec = SpecOf<(typeof LAYERS)[Exclude<keyof typeof LAYERS, 'residual'>]> | ResidualSpec<LayerSpec>;

/** One layer, any kind; a list of at least one (a Cyclic schema: residual blocks hold lists). */
export const LayerList = Type.Cyclic(
  {
    [LAYER_REF]: Type.Union(Object.values(LAYERS).map((def) => def.schema)),
    Layers: Type.Array(Type.Ref(LAYER_REF), { minItems: 1 }),
  },
  'Layers',
);

/** The declaration of a layer's kind (the schema has checked that there is one). */
const defOf = (l: AnyLayer): LayerDef<TSchema, AnyLayer> => LAYERS[l.type as keyof typeof LAYERS];

/** Output shape of layer `l` on input `s`, or a SpecError naming the layer and the mismatch. */
const layerOutput = (l: AnyLayer, s: Shape, path: string): Shape => defOf(l).output(l, s, path, lists);

const hasParams = (l: AnyLayer): boolean => defOf(l).hasParams(l, lists);

/** The layers' parameters and forward calls appended to `b`, in order: their output, its shape and the
 * emitter of their backward calls (last layer first). A layer gets its input gradient when `needInputGrad`
 * or a layer before it in the list trains. */
export function buildLayers(
  b: ProgramBuilder,
  layers: readonly AnyLayer[],
  x: number,
  s: Shape,
  path: string,
  name: string,
  needInputGrad: boolean,
): Built & { shape: Shape } {
  const built: Built[] = [];
  let y = x,
    shape = s;
  layers.forEach((l, i) => {
    // a layer needs its input gradient unless everything before it in the network is data
    const needs = needInputGrad || built.some((_, j) => hasParams(layers[j]));
    const output = layerOutput(l, shape, `${path}[${i}]`);
    const r = defOf(l).build(b, l, { x: y, input: shape, output, path: `${path}[${i}]`, name: `${name}[${i}]`, needInputGrad: needs }, lists);
    built.push(r);
    y = r.y;
    shape = output;
  });
  return {
    y,
    shape,
    back: (g) => built.reduceRight((gi, layer) => (gi < 0 ? gi : layer.back(gi)), g),
  };
}

/** FLOPs of the layers in a training step of n samples; an input gradient counts once a layer before has weights. */
function listFlops(layers: readonly AnyLayer[], input: Shape, n: number, weightsBefore: boolean): number {
  let flops = 0,
    shape = input;
  layers.forEach((l, i) => {
    const output = layerOutput(l, shape, `layers[${i}]`);
    flops += defOf(l).flops(l, { input: shape, output, n, weightsBefore }, lists);
    weightsBefore ||= hasParams(l);
    shape = output;
  });
  return flops;
}

/** The layers in tfjs, their variables made in order: the composed forward function. */
export function tfjsLayers(layers: readonly AnyLayer[], input: Shape, ctx: TfjsContext): TfjsLayer {
  let shape = input;
  const fns = layers.map((l, i) => {
    const fn = defOf(l).tfjs(l, shape, ctx, lists);
    shape = layerOutput(l, shape, `layers[${i}]`);
    return fn;
  });
  return (x) => fns.reduce((u, fn) => fn(u), x);
}

/** The registry's list operations, handed to the kinds that hold a list (residual). */
const lists: LayerLists = {
  withDefaults: (layers, path) => layers.map((l, i) => defOf(l as AnyLayer).withDefaults(l, `${path}[${i}]`, lists)),
  output: (layers, s, path) => layers.reduce((sh, l, i) => layerOutput(l, sh, `${path}[${i}]`), s),
  hasParams: (layers) => layers.some(hasParams),
  build: buildLayers,
  flops: listFlops,
  tfjs: tfjsLayers,
};

/** Check a layer list against its schema and return it with defaults filled in. */
export function validateLayerList(v: unknown, path: string): LayerSpec[] {
  checkSpec(LayerList, v, path);
  return lists.withDefaults(v as unknown[], path) as LayerSpec[];
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

/**
 * FLOPs of one training step of n samples, the matrix products only (each kind's `flops`): a linear map
 * (conv2d as the patch matrix · kernel, dense, an attention projection) of R rows from I to O features costs 2·R·I·O
 * forward, as much for its weight gradient and as much again for its input gradient, which the program
 * skips while no layer before it has weights; attention's QKᵀ and A·V cost 2·n·P·(dk + dv) over the
 * P = L(L+1)/2 causal pairs forward and twice that backward. Lookups (embedding), additions (positional,
 * residual, bias), layer norms, softmax and activations are not counted.
 */
export const trainingStepFlops = (layers: LayerSpec[], input: Shape, n: number): number => listFlops(layers, input, n, false);
