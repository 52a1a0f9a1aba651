// positional: a learned vector added at each position of a sequence or image, a table [H·W, C] (added as
// a bias over each sample's H·W·C features).
import Type, { type Static } from 'typebox';
import { Closed } from '../../engine/schema-parts.js';
import { call } from '../../kernels/index.js';
import { t } from '../program-builder.js';
import type { LayerDef } from './def.js';
import { initField, initOrDefault, initStd } from './fields.js';
import { requireImage, shapeSize, type Shape } from './shape.js';

const Positional = Closed({ type: Type.Literal('positional'), init: initField }, { description: 'a learned vector added at each position' });
type PositionalSpec = Required<Static<typeof Positional>>;

/** the table's vector width C (its second dimension) */
const fanIn = (_: PositionalSpec, s: Shape) => s.C;

export const positional: LayerDef<typeof Positional, PositionalSpec> = {
  schema: Positional,
  withDefaults: (l) => ({ type: l.type, init: initOrDefault(l.init) }),
  output(l, s, path) {
    requireImage(l.type, s, path, 'a learned position vector is added at each position of a sequence or image');
    return s;
  },
  fanIn,
  hasParams: () => true,
  build(b, l, { x, input: s, output: out, path, name }) {
    const n = b.n,
      outSize = n * shapeSize(out);
    const F = shapeSize(s),
      table = b.param(`${name}.table`, path, 'positional', [s.H * s.W, s.C], true, initStd(l.init, fanIn(l, s), b.pow));
    const y = b.tensor(`${name} output`, outSize, 'activation');
    b.fwd(call('scale_to', { n: outSize, x: t(x), c: 1, y: t(y) }));
    b.fwd(call('bias_add', { rows: n, F, z: t(y), b: t(table.param) }));
    return { y, back: (g) => (b.bwd([call('bias_grad', { rows: n, F, g: t(g), db: t(table.grad) })]), g) };
  },
  flops: () => 0,
  tfjs(_, s, ctx) {
    const table = ctx.weights([s.H, s.W, s.C]);
    return (x) => ctx.tf.add(x, table);
  },
};
