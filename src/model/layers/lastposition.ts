// lastposition: the C features of a sequence's last position as a flat vector (a decoder's read-out).
import Type from 'typebox';
import { Closed } from '../../engine/schema-parts.js';
import { call } from '../../kernels/index.js';
import { t } from '../program-builder.js';
import type { LayerDef } from './def.js';
import { requireImage, shapeSize } from './shape.js';

const LastPosition = Closed({ type: Type.Literal('lastposition') }, { description: 'the vector at the last position of a sequence' });

export const lastposition: LayerDef<typeof LastPosition, { type: 'lastposition' }> = {
  schema: LastPosition,
  withDefaults: (l) => ({ ...l }),
  output(l, s, path) {
    requireImage(l.type, s, path, 'it reads the last position of a sequence');
    return { H: 1, W: 1, C: s.C, flat: true };
  },
  hasParams: () => false,
  build(b, _, { x, input: s, output: out, name }) {
    const n = b.n,
      L = s.H * s.W,
      y = b.tensor(`${name} last position`, n * shapeSize(out), 'activation');
    b.fwd(call('last_position', { n, L, C: s.C, x: t(x), y: t(y) }));
    return {
      y,
      back: (g) => {
        const gx = b.tensor(`∇${name} input`, n * shapeSize(s), 'activation');
        b.bwd([call('last_position_backward', { n, L, C: s.C, g: t(g), gx: t(gx) })]);
        return gx;
      },
    };
  },
  flops: () => 0,
  tfjs:
    (_, s, { tf, n }) =>
    (x) =>
      tf.reshape(tf.slice(x, [0, s.H - 1, s.W - 1, 0], [-1, 1, 1, -1]), [n, s.C]),
};
