// Small TypeBox building blocks the spec and file schemas share: closed objects (unknown keys are
// errors), positive numbers, whole numbers in a range, seeds.
import Type, { type TProperties, type TSchemaOptions } from 'typebox';

/** An object whose unknown keys are errors. */
export const Closed = <P extends TProperties>(properties: P, options: TSchemaOptions = {}) =>
  Type.Object(properties, { additionalProperties: false, ...options });

export const Positive = (options: TSchemaOptions = {}) => Type.Number({ exclusiveMinimum: 0, ...options });

/** A whole number from `minimum` to `maximum` (when given). */
export const Whole = (minimum: number, maximum?: number, options: TSchemaOptions = {}) =>
  Type.Integer({ minimum, ...(maximum === undefined ? {} : { maximum }), ...options });

export const Seed = (description: string) => Whole(0, 0xffffffff, { description });
