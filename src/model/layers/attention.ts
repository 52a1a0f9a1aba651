// attention: causal single-head self-attention over the H·W positions of each sample: per-position
// projections Q, K (C → dk) and V (C → dv), A = softmax(QKᵀ/√dk) over each position and those before it,
// Z = AV, output Z·W_Oᵀ (dv → C). The projections are linear maps (linear.ts, dense neurons) whose d_in
// is their input width.
import Type, { type Static } from 'typebox';
import type * as Tf from '@tensorflow/tfjs-core';
import { Closed, Whole } from '../../engine/schema-parts.js';
import { call } from '../../kernels/index.js';
import { t } from '../program-builder.js';
import type { LayerDef, TfjsContext, TfjsLayer } from './def.js';
import { biasField, biasOrDefault, initField, initOrDefault, initStd } from './fields.js';
import { linear, linearFlops, tfjsLinear } from './linear.js';
import { requireImage, shapeSize } from './shape.js';

const Attention = Closed({
  type: Type.Literal('attention'),
  dk: Whole(1, 65536),
  dv: Type.Optional(Whole(1, 65536, { description: 'default dk' })),
  bias: biasField,
  init: initField,
});
type AttentionSpec = Required<Static<typeof Attention>>;

const f32 = Math.fround;

/** Added to attention scores in tfjs: 0 where position a may read position b ≤ a, −1e9 (a weight of 0 after softmax) above. */
const causalMask = ({ tf }: TfjsContext, L: number) =>
  tf.tensor2d(
    Float32Array.from({ length: L * L }, (_, i) => (i % L <= Math.floor(i / L) ? 0 : -1e9)),
    [L, L],
  );

export const attention: LayerDef<typeof Attention, AttentionSpec> = {
  schema: Attention,
  withDefaults: (l) => ({ type: l.type, dk: l.dk, dv: l.dv ?? l.dk, bias: biasOrDefault(l.bias), init: initOrDefault(l.init) }),
  output(l, s, path) {
    requireImage(l.type, s, path, 'attention mixes the positions of a sequence: put it before flatten');
    return s;
  },
  hasParams: () => true,
  build(b, l, { x, input: s, path, name, needInputGrad }) {
    const n = b.n,
      inSize = n * shapeSize(s);
    // per-token Q, K, V projections (d → dk, dk, dv), A = softmax(QKᵀ/√dk) below the diagonal, Z = AV, out = Z·Woᵀ (dv → d)
    const L = s.H * s.W,
      rows = n * L,
      d = s.C;
    const proj = (what: string, input: number, inF: number, outF: number) =>
      linear(b, `${name}.${what}`, path, 'dense', l, input, rows, inF, outF, [outF, inF], initStd(l.init, inF, b.pow));
    const q = proj('query', x, d, l.dk),
      k = proj('key', x, d, l.dk),
      v = proj('value', x, d, l.dv);
    const A = b.tensor(`${name} attention`, n * L * L, 'activation'),
      Z = b.tensor(`${name} mixed values`, rows * l.dv, 'activation');
    const core = { n, L, dk: l.dk, dv: l.dv, scale: f32(1 / Math.sqrt(l.dk)), Q: t(q.y), K: t(k.y), V: t(v.y) };
    b.fwd(call('attention_forward', { ...core, A: t(A), Z: t(Z) }));
    const o = proj('output', Z, l.dv, d);
    return {
      y: o.y,
      back: (g) => {
        const gZ = b.tensor(`∇${name} mixed values`, rows * l.dv, 'activation'),
          gS = b.tensor(`∇${name} scores`, n * L * L, 'activation'),
          gQ = b.tensor(`∇${name} query`, rows * l.dk, 'activation'),
          gK = b.tensor(`∇${name} key`, rows * l.dk, 'activation'),
          gV = b.tensor(`∇${name} value`, rows * l.dv, 'activation');
        b.bwd([...o.back(g, gZ), call('attention_backward', { ...core, A: t(A), gZ: t(gZ), gS: t(gS), gQ: t(gQ), gK: t(gK), gV: t(gV) })]);
        if (!needInputGrad) {
          b.bwd([...q.back(gQ, undefined), ...k.back(gK, undefined), ...v.back(gV, undefined)]);
          return -1;
        }
        // the input feeds three projections: its gradient is the sum of theirs
        const gx = b.tensor(`∇${name} input`, inSize, 'activation'),
          gk = b.tensor(`∇${name} input via key`, inSize, 'activation'),
          gv = b.tensor(`∇${name} input via value`, inSize, 'activation');
        b.bwd([
          ...q.back(gQ, gx),
          ...k.back(gK, gk),
          ...v.back(gV, gv),
          call('add_inplace', { n: inSize, x: t(gx), y: t(gk) }),
          call('add_inplace', { n: inSize, x: t(gx), y: t(gv) }),
        ]);
        return gx;
      },
    };
  },
  /** the four projections (the output one always with its input gradient), and QKᵀ and A·V: 2·n·P·(dk + dv)
   * over the P = L(L+1)/2 causal pairs forward, twice that backward */
  flops(l, { input: s, n, weightsBefore }) {
    const L = s.H * s.W,
      rows = n * L;
    const qkv = [l.dk, l.dk, l.dv].reduce((sum, f) => sum + linearFlops(rows, s.C, f, weightsBefore), 0);
    return qkv + linearFlops(rows, l.dv, s.C, true) + 3 * 2 * n * ((L * (L + 1)) / 2) * (l.dk + l.dv);
  },
  tfjs(l, s, ctx) {
    const { tf, n } = ctx;
    const L = s.H * s.W,
      [q, k, v] = [l.dk, l.dk, l.dv].map((f) => tfjsLinear(ctx, s.C, f, l.bias)),
      o = tfjsLinear(ctx, l.dv, s.C, l.bias),
      mask = ctx.constant(causalMask(ctx, L));
    return (x) => {
      const rows = tf.reshape(x, [n * L, s.C]);
      const seq = (proj: TfjsLayer, f: number) => tf.reshape(proj(rows), [n, L, f]) as Tf.Tensor3D;
      const scores = tf.add(tf.mul(tf.matMul(seq(q, l.dk), seq(k, l.dk), false, true), 1 / Math.sqrt(l.dk)), mask);
      const z = tf.matMul(tf.softmax(scores), seq(v, l.dv));
      return tf.reshape(o(tf.reshape(z, [n * L, l.dv])), [n, s.H, s.W, s.C]);
    };
  },
};
