// flatten: an image becomes a flat vector of its H·W·C features; the bytes stay (HWC order), so it emits no call.
import Type from 'typebox';
import { Closed } from '../../engine/schema-parts.js';
import type { LayerDef } from './def.js';
import { shapeSize } from './shape.js';

const Flatten = Closed({ type: Type.Literal('flatten') });

export const flatten: LayerDef<typeof Flatten, { type: 'flatten' }> = {
  schema: Flatten,
  withDefaults: (l) => ({ ...l }),
  output: (_, s) => ({ H: 1, W: 1, C: shapeSize(s), flat: true }),
  hasParams: () => false,
  build: (_, __, { x }) => ({ y: x, back: (g) => g }),
  flops: () => 0,
  tfjs:
    (_, __, { tf, n }) =>
    (x) =>
      tf.reshape(x, [n, -1]),
};
