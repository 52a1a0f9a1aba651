// residual: output = input + block(input), the block a list of layers of any kind (nested through the
// registry's list operations, handed in as `lists`: this file does not import the registry) whose output
// shape must equal its input's.
import Type from 'typebox';
import { SpecError } from '../../engine/fields.js';
import { Closed } from '../../engine/schema-parts.js';
import { call } from '../../kernels/index.js';
import { t } from '../program-builder.js';
import { LAYER_REF, type AnyLayer, type LayerDef } from './def.js';
import { describeShape, shapeSize } from './shape.js';

const Residual = Closed(
  { type: Type.Literal('residual'), layers: Type.Array(Type.Ref(LAYER_REF), { minItems: 1 }) },
  { description: 'output = input + layers(input)' },
);
/** A validated residual block whose layers are of type L. */
export interface ResidualSpec<L extends AnyLayer = AnyLayer> {
  type: 'residual';
  layers: L[];
}

export const residual: LayerDef<typeof Residual, ResidualSpec> = {
  schema: Residual,
  withDefaults: (l, path, lists) => ({ type: l.type, layers: lists.withDefaults(l.layers, `${path}.layers`) }),
  output(l, s, path, lists) {
    const out = lists.output(l.layers, s, `${path}.layers`);
    if (out.H !== s.H || out.W !== s.W || out.C !== s.C || out.flat !== s.flat) {
      throw new SpecError(path, `(residual) block maps ${describeShape(s)} to ${describeShape(out)}: output = input + block(input) needs equal shapes`);
    }
    return s;
  },
  hasParams: (l, lists) => lists.hasParams(l.layers),
  build(b, l, { x, input: s, output: out, path, name }, lists) {
    const inSize = b.n * shapeSize(s),
      outSize = b.n * shapeSize(out);
    const block = lists.build(b, l.layers, x, s, `${path}.layers`, `${name}.layers`, true);
    let y = block.y;
    if (y === x) {
      // a block that computes nothing: y = 2x
      y = b.tensor(`${name} output`, outSize, 'activation');
      b.fwd(call('scale_to', { n: outSize, x: t(x), c: 2, y: t(y) }));
      return {
        y,
        back: (g) => {
          const gx = b.tensor(`∇${name} input`, inSize, 'activation');
          b.bwd([call('scale_to', { n: inSize, x: t(g), c: 2, y: t(gx) })]);
          return gx;
        },
      };
    }
    b.fwd(call('add_inplace', { n: outSize, x: t(y), y: t(x) }));
    return {
      y,
      back: (g) => {
        // the block may scale g in place (activations), so the skip path keeps a copy
        const skip = b.tensor(`∇${name} skip`, outSize, 'activation');
        b.bwd([call('scale_to', { n: outSize, x: t(g), c: 1, y: t(skip) })]);
        const gx = block.back(g);
        b.bwd([call('add_inplace', { n: inSize, x: t(gx), y: t(skip) })]);
        return gx;
      },
    };
  },
  flops: (l, { input, n, weightsBefore }, lists) => lists.flops(l.layers, input, n, weightsBefore),
  tfjs(l, s, ctx, lists) {
    const block = lists.tfjs(l.layers, s, ctx);
    return (x) => ctx.tf.add(x, block(x));
  },
};
