// The shape of one sample between layers (NHWC: an image H × W × C, or a flat vector of C features), its
// size and its description in messages, and the check of the kinds that need an image (or a sequence).
import { SpecError } from '../../engine/fields.js';

/** Shape of one sample between layers: an image (H × W × C) or a flat vector (C features, H = W = 1). */
export interface Shape {
  H: number;
  W: number;
  C: number;
  flat: boolean;
}

export const shapeSize = (s: Shape) => s.H * s.W * s.C;
export const describeShape = (s: Shape) => (s.flat ? `${s.C}` : `${s.C}×${s.H}×${s.W} (C×H×W)`);

/** A SpecError at `path` unless `s` is an image (a sequence is a 1 × L image); `why` says what the layer does with it. */
export function requireImage(type: string, s: Shape, path: string, why: string): void {
  if (s.flat) throw new SpecError(path, `(${type}) needs an image input, got a flat vector of ${s.C} (${why})`);
}
