// embedding: token ids (a flat input of L integers in [0, vocab)) → an L-position sequence (1 × L × dim)
// of their rows in a table [vocab, dim]; the table's gradient sums, per token, the rows that hold it.
import Type, { type Static } from 'typebox';
import type * as Tf from '@tensorflow/tfjs-core';
import { SpecError } from '../../engine/fields.js';
import { Closed, Whole } from '../../engine/schema-parts.js';
import { call } from '../../kernels/index.js';
import { t } from '../program-builder.js';
import type { LayerDef } from './def.js';
import { initField, initOrDefault, initStd } from './fields.js';
import { describeShape, shapeSize } from './shape.js';

const Embedding = Closed({ type: Type.Literal('embedding'), vocab: Whole(1, 1_000_000), dim: Whole(1, 65536), init: initField });
type EmbeddingSpec = Required<Static<typeof Embedding>>;

/** the table's vector width (its second dimension, as in PyTorch's weight.shape[1]) */
const fanIn = (l: EmbeddingSpec) => l.dim;

export const embedding: LayerDef<typeof Embedding, EmbeddingSpec> = {
  schema: Embedding,
  withDefaults: (l) => ({ type: l.type, vocab: l.vocab, dim: l.dim, init: initOrDefault(l.init) }),
  output(l, s, path) {
    if (!s.flat) throw new SpecError(path, `(embedding) needs a flat input of token ids (one per position), got ${describeShape(s)}`);
    return { H: 1, W: s.C, C: l.dim, flat: false };
  },
  fanIn,
  hasParams: () => true,
  build(b, l, { x, output: out, path, name }) {
    const rows = b.n * out.W,
      table = b.param(`${name}.table`, path, 'embedding', [l.vocab, l.dim], false, initStd(l.init, fanIn(l), b.pow));
    const y = b.tensor(`${name} output`, b.n * shapeSize(out), 'activation');
    b.fwd(call('embedding_forward', { rows, dim: l.dim, tokens: t(x), table: t(table.param), y: t(y) }));
    // the input is token ids: data, with no gradient
    return {
      y,
      back: (g) => (b.bwd([call('embedding_grad', { rows, dim: l.dim, vocab: l.vocab, tokens: t(x), g: t(g), dtable: t(table.grad) })]), -1),
    };
  },
  flops: () => 0,
  tfjs(l, s, ctx) {
    const { tf } = ctx;
    const table = ctx.weights([l.vocab, l.dim]) as Tf.Tensor2D;
    return (x) => tf.reshape(ctx.gather(table, tf.reshape(x, [-1]) as Tf.Tensor1D), [ctx.n, 1, s.C, l.dim]);
  },
};
