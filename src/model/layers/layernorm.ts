// layernorm: the C features at each position (a flat vector's features, an image's channels per pixel)
// normalised, x̂ = (x − μ)/√(σ² + eps), then y = x̂·gain + shift; gain starts at 1, shift at 0.
import Type, { type Static } from 'typebox';
import { Closed, Positive } from '../../engine/schema-parts.js';
import { call } from '../../kernels/index.js';
import { t } from '../program-builder.js';
import type { LayerDef } from './def.js';
import { shapeSize } from './shape.js';

const LayerNorm = Closed({ type: Type.Literal('layernorm'), eps: Type.Optional(Positive({ description: 'default 1e-5' })) });
type LayerNormSpec = Required<Static<typeof LayerNorm>>;

const f32 = Math.fround;

export const layernorm: LayerDef<typeof LayerNorm, LayerNormSpec> = {
  schema: LayerNorm,
  withDefaults: (l) => ({ type: l.type, eps: l.eps ?? 1e-5 }),
  output: (_, s) => s,
  hasParams: () => true,
  build(b, l, { x, input: s, output: out, path, name, needInputGrad }) {
    const n = b.n,
      outSize = n * shapeSize(out);
    const rows = n * s.H * s.W,
      F = s.C,
      invF = f32(1 / F);
    const gain = b.param(`${name}.gain`, path, 'layernorm', [F], true, 0, 1),
      shift = b.param(`${name}.shift`, path, 'layernorm', [F], true, 0, 0);
    const y = b.tensor(`${name} output`, outSize, 'activation'),
      xhat = b.tensor(`${name} x̂`, outSize, 'activation'),
      rstd = b.tensor(`${name} 1/σ`, rows, 'activation');
    b.fwd(
      call('layernorm_forward', {
        rows,
        F,
        invF,
        eps: f32(l.eps),
        x: t(x),
        gamma: t(gain.param),
        beta: t(shift.param),
        y: t(y),
        xhat: t(xhat),
        rstd: t(rstd),
      }),
    );
    return {
      y,
      back: (g) => {
        // ∇shift = Σ_rows g, ∇gain = Σ_rows g·x̂ (column sums), then the input gradient
        const gh = b.tensor(`∇${name} output·x̂`, outSize, 'activation');
        b.bwd([
          call('bias_grad', { rows, F, g: t(g), db: t(shift.grad) }),
          call('scale_to', { n: outSize, x: t(g), c: 1, y: t(gh) }),
          call('mul_inplace', { n: outSize, x: t(gh), y: t(xhat) }),
          call('bias_grad', { rows, F, g: t(gh), db: t(gain.grad) }),
        ]);
        if (!needInputGrad) return -1;
        const gx = b.tensor(`∇${name} input`, n * shapeSize(s), 'activation');
        b.bwd([call('layernorm_backward', { rows, F, invF, g: t(g), xhat: t(xhat), rstd: t(rstd), gamma: t(gain.param), gx: t(gx) })]);
        return gx;
      },
    };
  },
  flops: () => 0,
  tfjs(l, s, ctx) {
    const { tf } = ctx;
    const gain = ctx.variable(tf.ones([s.C])),
      shift = ctx.variable(tf.zeros([s.C]));
    return (x) => {
      const { mean, variance } = tf.moments(x, -1, true);
      return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, l.eps))), gain), shift);
    };
  },
};
