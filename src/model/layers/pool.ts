// avgpool2d and maxpool2d: non-overlapping size × size windows of each channel, floor(H/size) ×
// floor(W/size) of them; max takes the first maximum and keeps its index for the backward pass.
import Type, { type Static } from 'typebox';
import type * as Tf from '@tensorflow/tfjs-core';
import { SpecError } from '../../engine/fields.js';
import { Closed, Whole } from '../../engine/schema-parts.js';
import { call } from '../../kernels/index.js';
import { t } from '../program-builder.js';
import type { LayerDef } from './def.js';
import { describeShape, requireImage, shapeSize } from './shape.js';

const poolSchema = <T extends 'avgpool2d' | 'maxpool2d'>(type: T) => Closed({ type: Type.Literal(type), size: Whole(1, 64) });

function poolDef<T extends 'avgpool2d' | 'maxpool2d'>(type: T) {
  const schema = poolSchema(type);
  const def: LayerDef<typeof schema, Static<typeof schema>> = {
    schema,
    withDefaults: (l) => ({ ...l }),
    output(l, s, path) {
      requireImage(l.type, s, path, 'pool before flatten');
      if (l.size > s.H || l.size > s.W) throw new SpecError(`${path}.size`, `${l.size} is larger than the ${describeShape(s)} input`);
      return { H: Math.floor(s.H / l.size), W: Math.floor(s.W / l.size), C: s.C, flat: false };
    },
    hasParams: () => false,
    build(b, l, { x, input: s, output: out, name }) {
      const n = b.n,
        outSize = n * shapeSize(out);
      const geometry = { n, H: s.H, W: s.W, C: s.C, s: l.size };
      const y = b.tensor(`${name} ${l.type}`, outSize, 'activation');
      const idx = l.type === 'maxpool2d' ? b.tensor(`${name} argmax`, outSize, 'index') : -1;
      if (l.type === 'maxpool2d') b.fwd(call('maxpool_forward', { ...geometry, x: t(x), y: t(y), idx: t(idx) }));
      else b.fwd(call('avgpool_forward', { ...geometry, x: t(x), y: t(y) }));
      return {
        y,
        back: (g) => {
          const gx = b.tensor(`∇${name} input`, n * shapeSize(s), 'activation');
          b.bwd([
            l.type === 'maxpool2d'
              ? call('maxpool_backward', { ...geometry, gy: t(g), idx: t(idx), gx: t(gx) })
              : call('avgpool_backward', { ...geometry, gy: t(g), gx: t(gx) }),
          ]);
          return gx;
        },
      };
    },
    flops: () => 0,
    tfjs:
      (l, _, { tf }) =>
      (x) =>
        l.type === 'maxpool2d' ? tf.maxPool(x as Tf.Tensor4D, l.size, l.size, 'valid') : tf.avgPool(x as Tf.Tensor4D, l.size, l.size, 'valid'),
  };
  return def;
}

export const avgpool2d = poolDef('avgpool2d');
export const maxpool2d = poolDef('maxpool2d');
