// activation: σ applied elementwise by the WASM module's own kernel (act_forward writes σ and σ′; the
// backward multiplies the gradient by σ′ in place); identity emits nothing. Its tfjs form is the
// activation entry's (src/engine/activations.ts).
import Type, { type Static } from 'typebox';
import { ACTIVATIONS, activationByName, type ActivationName } from '../../engine/activations.js';
import { Closed } from '../../engine/schema-parts.js';
import { call } from '../../kernels/index.js';
import { t } from '../program-builder.js';
import type { LayerDef } from './def.js';
import { shapeSize } from './shape.js';

const ActivationLayer = Closed({ type: Type.Literal('activation'), fn: Type.Enum(['identity', ...ACTIVATIONS.map((a) => a.name)]) });
interface ActivationSpec {
  type: 'activation';
  fn: ActivationName | 'identity';
}

export const activation: LayerDef<typeof ActivationLayer, ActivationSpec> = {
  schema: ActivationLayer,
  withDefaults: (l: Static<typeof ActivationLayer>) => ({ type: l.type, fn: l.fn as ActivationName | 'identity' }),
  output: (_, s) => s,
  hasParams: () => false,
  build(b, l, { x, output: out, name }) {
    if (l.fn === 'identity') return { y: x, back: (g) => g };
    const outSize = b.n * shapeSize(out);
    const y = b.tensor(`${name} ${l.fn}`, outSize, 'activation'),
      d = b.tensor(`${name} ${l.fn}′`, outSize, 'activation');
    b.fwd(call('act_forward', { kind: activationByName(l.fn).kind, n: outSize, z: t(x), h: t(y), d: t(d) }));
    return { y, back: (g) => (b.bwd([call('mul_inplace', { n: outSize, x: t(g), y: t(d) })]), g) };
  },
  flops: () => 0,
  tfjs:
    (l, _, { tf }) =>
    (x) =>
      l.fn === 'identity' ? x : activationByName(l.fn).tfjs(tf, x),
};
