// The fields several layer kinds share, `init` (the initial std of weights and biases) and `bias`: their
// schemas, their defaults, and the std an init gives for a fan-in.
import Type, { type Static } from 'typebox';
import { Closed, Positive } from '../../engine/schema-parts.js';

const LayerInitSchema = Type.Union([Closed({ std: Positive() }), Closed({ std: Type.Literal('d_in^-gamma'), gamma: Type.Number() })]);
/** Initial std of a layer's weights and biases: a number, or d_in^−γ with d_in the fan-in (default d_in^−½). */
export type LayerInit = Static<typeof LayerInitSchema>;

export const initField = Type.Optional(LayerInitSchema);
export const biasField = Type.Optional(Type.Boolean({ description: 'add a bias (default true)' }));

/** The default initialisation: std = d_in^−½ (the standard scale of SCIENCE.md). */
const DEFAULT_INIT: LayerInit = { std: 'd_in^-gamma', gamma: 0.5 };

export const initOrDefault = (init: LayerInit | undefined): LayerInit => init ?? DEFAULT_INIT;
export const biasOrDefault = (bias: boolean | undefined): boolean => bias ?? true;

/** The std a layer's init gives for fan-in d_in, with the module's pow for the d_in^−γ family. */
export function initStd(init: LayerInit, dIn: number, pow: (x: number, y: number) => number): number {
  return typeof init.std === 'number' ? init.std : pow(dIn, -init.gamma);
}
