// dense: a fully connected layer on a flat input, weight [units, in] (a neuron per row), the linear map
// of linear.ts.
import Type, { type Static } from 'typebox';
import { SpecError } from '../../engine/fields.js';
import { Closed, Whole } from '../../engine/schema-parts.js';
import type { LayerDef } from './def.js';
import { biasField, biasOrDefault, initField, initOrDefault, initStd } from './fields.js';
import { linear, linearFlops, tfjsLinear } from './linear.js';
import { describeShape, shapeSize, type Shape } from './shape.js';

const Dense = Closed({ type: Type.Literal('dense'), units: Whole(1, 16_000_000), bias: biasField, init: initField });
type DenseSpec = Required<Static<typeof Dense>>;

/** the input features */
const fanIn = (_: DenseSpec, s: Shape) => shapeSize(s);

export const dense: LayerDef<typeof Dense, DenseSpec> = {
  schema: Dense,
  withDefaults: (l) => ({ type: l.type, units: l.units, bias: biasOrDefault(l.bias), init: initOrDefault(l.init) }),
  output(l, s, path) {
    if (!s.flat) throw new SpecError(path, `(dense) needs a flat input, got ${describeShape(s)}: add { "type": "flatten" } before it`);
    return { H: 1, W: 1, C: l.units, flat: true };
  },
  fanIn,
  hasParams: () => true,
  build(b, l, { x, input: s, path, name, needInputGrad }) {
    const lin = linear(b, name, path, 'dense', l, x, b.n, shapeSize(s), l.units, [l.units, shapeSize(s)], initStd(l.init, fanIn(l, s), b.pow));
    return {
      y: lin.y,
      back: (g) => {
        const gx = needInputGrad ? b.tensor(`∇${name} input`, b.n * shapeSize(s), 'activation') : undefined;
        b.bwd(lin.back(g, gx));
        return gx ?? -1;
      },
    };
  },
  flops: (l, { input, output, n, weightsBefore }) => linearFlops(n, shapeSize(input), output.C, weightsBefore),
  tfjs: (l, s, ctx) => tfjsLinear(ctx, shapeSize(s), l.units, l.bias),
};
