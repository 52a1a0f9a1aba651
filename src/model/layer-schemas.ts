// The JSON form of each layer kind of `model.layers`, as TypeBox schemas: one exported const per kind
// (each can move to its kind's own module; `@public` until one imports it), the layer union and the
// list (residual blocks nest lists). The types in layers.ts and schema/run-spec.schema.json come from here.
import Type from 'typebox';
import { ACTIVATIONS } from '../engine/activations.js';
import { Closed, Positive, Whole } from '../engine/schema-parts.js';

/** Initial std of a layer's weights and biases: a number, or d_in^−γ with d_in the fan-in (default d_in^−½). */
export const LayerInit = Type.Union([Closed({ std: Positive() }), Closed({ std: Type.Literal('d_in^-gamma'), gamma: Type.Number() })]);
const init = Type.Optional(LayerInit);
const bias = Type.Optional(Type.Boolean({ description: 'add a bias (default true)' }));

/** @public */
export const Conv2d = Closed({
  type: Type.Literal('conv2d'),
  filters: Whole(1, 65536),
  kernel: Whole(1, 63, { description: 'k of the k × k kernel; odd with padding "same"' }),
  stride: Type.Optional(Whole(1, 63)),
  padding: Type.Optional(Type.Enum(['valid', 'same'], { description: 'default valid' })),
  bias,
  init,
});
/** @public */
export const Dense = Closed({ type: Type.Literal('dense'), units: Whole(1, 16_000_000), bias, init });
/** @public */
export const ActivationLayer = Closed({ type: Type.Literal('activation'), fn: Type.Enum(['identity', ...ACTIVATIONS.map((a) => a.name)]) });
/** @public */
export const AvgPool2d = Closed({ type: Type.Literal('avgpool2d'), size: Whole(1, 64) });
/** @public */
export const MaxPool2d = Closed({ type: Type.Literal('maxpool2d'), size: Whole(1, 64) });
/** @public */
export const Flatten = Closed({ type: Type.Literal('flatten') });
/** @public */
export const LayerNorm = Closed({ type: Type.Literal('layernorm'), eps: Type.Optional(Positive({ description: 'default 1e-5' })) });
/** @public */
export const Embedding = Closed({ type: Type.Literal('embedding'), vocab: Whole(1, 1_000_000), dim: Whole(1, 65536), init });
/** @public */
export const Positional = Closed({ type: Type.Literal('positional'), init }, { description: 'a learned vector added at each position' });
/** @public */
export const Attention = Closed({
  type: Type.Literal('attention'),
  dk: Whole(1, 65536),
  dv: Type.Optional(Whole(1, 65536, { description: 'default dk' })),
  bias,
  init,
});
/** @public */
export const LastPosition = Closed({ type: Type.Literal('lastposition') }, { description: 'the vector at the last position of a sequence' });
/** @public */
export const Residual = Closed(
  { type: Type.Literal('residual'), layers: Type.Array(Type.Ref('Layer'), { minItems: 1 }) },
  { description: 'output = input + layers(input)' },
);

/** One layer, any kind; a list of at least one (a Cyclic schema: residual blocks hold lists). */
export const LayerList = Type.Cyclic(
  {
    Layer: Type.Union([Conv2d, Dense, ActivationLayer, AvgPool2d, MaxPool2d, Flatten, LayerNorm, Embedding, Positional, Attention, LastPosition, Residual]),
    Layers: Type.Array(Type.Ref('Layer'), { minItems: 1 }),
  },
  'Layers',
);
