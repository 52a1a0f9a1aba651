// conv2d: F kernels k × k over an NHWC image, stride s, padding "valid" or "same" (odd k only). In the
// program the linear map on the image's patches (patches · Kᵀ, the patches gathered inside the GEMM, no
// im2col buffer), so conv and dense share one; its backward is the filter gradient (a GEMM, again on the
// patches) and, when asked, the input gradient conv_input_grad (g · K scattered back over the windows, no
// column buffer either). Kernel tensor [F, C, k, k]: one kernel flattened over C·k·k in (c, dy, dx) order
// is a neuron.
import Type, { type Static } from 'typebox';
import type * as Tf from '@tensorflow/tfjs-core';
import { SpecError } from '../../engine/fields.js';
import { Closed, Whole } from '../../engine/schema-parts.js';
import type { LayerDef } from './def.js';
import { biasField, biasOrDefault, initField, initOrDefault, initStd } from './fields.js';
import { linear, linearFlops } from './linear.js';
import { describeShape, requireImage, shapeSize, type Shape } from './shape.js';

const Conv2d = Closed({
  type: Type.Literal('conv2d'),
  filters: Whole(1, 65536),
  kernel: Whole(1, 63, { description: 'k of the k × k kernel; odd with padding "same"' }),
  stride: Type.Optional(Whole(1, 63)),
  padding: Type.Optional(Type.Enum(['valid', 'same'], { description: 'default valid' })),
  bias: biasField,
  init: initField,
});
type Conv2dSpec = Required<Static<typeof Conv2d>>;

/** Zeros on each side of the image. */
const padOf = (l: Conv2dSpec) => (l.padding === 'same' ? (l.kernel - 1) / 2 : 0);
/** C·k·k */
const fanIn = (l: Conv2dSpec, s: Shape) => s.C * l.kernel * l.kernel;

export const conv2d: LayerDef<typeof Conv2d, Conv2dSpec> = {
  schema: Conv2d,
  withDefaults(l, path) {
    const padding = l.padding ?? 'valid';
    if (padding === 'same' && l.kernel % 2 === 0) throw new SpecError(`${path}.kernel`, `must be odd with padding "same", got ${l.kernel}`);
    return { type: l.type, filters: l.filters, kernel: l.kernel, stride: l.stride ?? 1, padding, bias: biasOrDefault(l.bias), init: initOrDefault(l.init) };
  },
  output(l, s, path) {
    requireImage(l.type, s, path, 'put it before flatten');
    const pad = padOf(l);
    const H = Math.floor((s.H + 2 * pad - l.kernel) / l.stride) + 1,
      W = Math.floor((s.W + 2 * pad - l.kernel) / l.stride) + 1;
    if (H < 1 || W < 1) throw new SpecError(`${path}.kernel`, `${l.kernel} does not fit the ${describeShape(s)} input`);
    return { H, W, C: l.filters, flat: false };
  },
  fanIn,
  hasParams: () => true,
  build(b, l, { x, input: s, output: out, path, name, needInputGrad }) {
    const n = b.n,
      inSize = n * shapeSize(s);
    const pad = padOf(l),
      k = l.kernel;
    const rows = n * out.H * out.W,
      ckk = s.C * k * k;
    const geometry = { n, H: s.H, W: s.W, C: s.C, k, stride: l.stride, pad };
    const lin = linear(b, name, path, 'conv2d', l, { x, geometry }, rows, ckk, l.filters, [l.filters, s.C, k, k], initStd(l.init, fanIn(l, s), b.pow));
    return {
      y: lin.y,
      back: (g) => {
        const gx = needInputGrad ? b.tensor(`∇${name} input`, inSize, 'activation') : undefined;
        b.bwd(lin.back(g, gx));
        return gx ?? -1;
      },
    };
  },
  flops: (l, { input, output, n, weightsBefore }) => linearFlops(n * output.H * output.W, fanIn(l, input), output.C, weightsBefore),
  tfjs(l, s, ctx) {
    const { tf } = ctx;
    // the first layer with weights needs no input gradient: nothing before it trains
    const inputGrad = ctx.variables.length > 0;
    const k = ctx.weights([l.kernel, l.kernel, s.C, l.filters]) as Tf.Tensor4D,
      b = l.bias ? ctx.variable(tf.zeros([l.filters])) : undefined;
    const conv = ctx.conv2d(padOf(l), l.stride, inputGrad);
    return (x) => (b ? tf.add(conv(x as Tf.Tensor4D, k), b) : conv(x as Tf.Tensor4D, k));
  },
};
