// The LayerDef interface: everything about one layer kind, declared once in src/model/layers/<kind>.ts
// and registered by its type in src/model/layers.ts: its JSON schema, defaults and checks, shape, fan-in,
// parameters, forward and backward kernel calls, FLOPs and tfjs form. Also what those members are handed:
// where a layer sits in the program, the tfjs context (the bench's; model/ does not import bench/) and the
// registry's operations on a nested list of layers (a residual block).
import type { Static, TSchema } from 'typebox';
import type * as Tf from '@tensorflow/tfjs-core';
import type { Built, ProgramBuilder } from '../program-builder.js';
import type { Shape } from './shape.js';

/** The name of one layer of any kind in the layer list's cyclic schema (src/model/layers.ts LayerList): what
 * a kind that holds a list refers to. */
export const LAYER_REF = 'Layer';

/** A layer of any kind, as written or as validated: its kind's name and its fields. */
export interface AnyLayer {
  type: string;
}

/** One layer kind: JSON form `Schema`, validated form `Spec`. */
export interface LayerDef<Schema extends TSchema, Spec extends AnyLayer> {
  /** The JSON form in a RunSpec (TypeBox): `type` the kind's name as a literal, every field checked. */
  schema: Schema;
  /** The layer as validated: every default filled in, and what the schema cannot say checked (a SpecError at `path`). */
  withDefaults(json: Static<Schema>, path: string, lists: LayerLists): Spec;
  /** Shape of one sample after the layer, or a SpecError naming the layer at `path` and the mismatch. */
  output(l: Spec, input: Shape, path: string, lists: LayerLists): Shape;
  /** d_in of its weight matrix, the fan-in of an init d_in^−γ (kinds with weights drawn from one). */
  fanIn?(l: Spec, input: Shape): number;
  /** Whether it holds trainable tensors (the program needs input gradients only after a layer that does). */
  hasParams(l: Spec, lists: LayerLists): boolean;
  /** Its trainable tensors and forward calls, appended to `b`; its output tensor and the emitter of its backward calls. */
  build(b: ProgramBuilder, l: Spec, at: LayerSite, lists: LayerLists): Built;
  /** FLOPs of its matrix products in one training step (forward, weight gradients, input gradient when counted). */
  flops(l: Spec, at: FlopSite, lists: LayerLists): number;
  /** The same layer in tfjs: its variables made now through `tf`, its forward function returned. */
  tfjs(l: Spec, input: Shape, tf: TfjsContext, lists: LayerLists): TfjsLayer;
}

/** Where a layer sits in the program being built. */
interface LayerSite {
  /** its input tensor */
  x: number;
  /** the shapes of one sample before and after it */
  input: Shape;
  output: Shape;
  /** its path in the spec ("model.layers[2].layers[0]") and its tensors' name prefix ("layers[2].layers[0]") */
  path: string;
  name: string;
  /** whether its input gradient is needed (a layer before it trains) */
  needInputGrad: boolean;
}

/** Where a layer sits in a FLOP count. */
interface FlopSite {
  input: Shape;
  output: Shape;
  /** samples per step */
  n: number;
  /** a layer before it has weights: its input gradient is counted */
  weightsBefore: boolean;
}

/** A layer's forward function in tfjs. */
export type TfjsLayer = (x: Tf.Tensor) => Tf.Tensor;

/** What a layer's tfjs form is handed by the bench (src/bench/tfjs-network.ts): the namespace and its helpers. */
export interface TfjsContext {
  /** the @tensorflow/tfjs-core namespace, on the backend being timed */
  tf: typeof Tf;
  /** samples per batch */
  n: number;
  /** the trainable tensors made so far, in order */
  variables: readonly Tf.Variable[];
  /** a new trainable tensor of `shape`, uniform in [−0.1, 0.1) */
  weights(shape: number[]): Tf.Variable;
  /** a new trainable tensor that starts at `init` */
  variable(init: Tf.Tensor): Tf.Variable;
  /** `x`, disposed with the step */
  constant<T extends Tf.Tensor>(x: T): T;
  /** conv2d with stride `stride` and `pad` zeros on each side; the input gradient only when `inputGrad` */
  conv2d(pad: number, stride: number, inputGrad: boolean): (x: Tf.Tensor4D, k: Tf.Tensor4D) => Tf.Tensor4D;
  /** the rows `ids` of `table` (its gradient summing the rows of repeated ids) */
  gather(table: Tf.Tensor2D, ids: Tf.Tensor1D): Tf.Tensor2D;
}

/** The registry's operations on a list of layers, for the kinds that hold one (a residual block). */
export interface LayerLists {
  withDefaults(layers: readonly unknown[], path: string): AnyLayer[];
  /** the shape after the last layer */
  output(layers: readonly AnyLayer[], input: Shape, path: string): Shape;
  hasParams(layers: readonly AnyLayer[]): boolean;
  build(b: ProgramBuilder, layers: readonly AnyLayer[], x: number, input: Shape, path: string, name: string, needInputGrad: boolean): Built;
  /** FLOPs of the list; `weightsBefore` as in FlopSite, carried through the list */
  flops(layers: readonly AnyLayer[], input: Shape, n: number, weightsBefore: boolean): number;
  tfjs(layers: readonly AnyLayer[], input: Shape, tf: TfjsContext): TfjsLayer;
}
