// Field checks shared by every part of a RunSpec's validation: each failure is a SpecError that names
// the field by its path (e.g. `model.layers[3].kernel`), so a malformed spec stops with a message.

export class SpecError extends Error {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`invalid RunSpec: ${path} ${problem}`);
    this.name = 'SpecError';
  }
}

export type Obj = Record<string, unknown>;

export function obj(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new SpecError(path, `must be an object, got ${JSON.stringify(v)}`);
  return v as Obj;
}
export function num(v: unknown, path: string, opts: { int?: boolean; min?: number; max?: number; exclusiveMin?: boolean } = {}): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new SpecError(path, `must be a finite number, got ${JSON.stringify(v)}`);
  if (opts.int && !Number.isInteger(v)) throw new SpecError(path, `must be an integer, got ${v}`);
  if (opts.min !== undefined && (opts.exclusiveMin ? v <= opts.min : v < opts.min))
    throw new SpecError(path, `must be ${opts.exclusiveMin ? '>' : '≥'} ${opts.min}, got ${v}`);
  if (opts.max !== undefined && v > opts.max) throw new SpecError(path, `must be ≤ ${opts.max}, got ${v}`);
  return v;
}
export function optNum(o: Obj, key: string, path: string, opts: Parameters<typeof num>[2] = {}): number | undefined {
  return o[key] === undefined ? undefined : num(o[key], `${path}.${key}`, opts);
}
/** The first key of `o` that is not `allowed`, if any. */
export const extraKey = (o: Obj, allowed: string[]): string | undefined => Object.keys(o).find((k) => !allowed.includes(k));

export function noExtra(o: Obj, allowed: string[], path: string): void {
  const k = extraKey(o, allowed);
  if (k !== undefined) throw new SpecError(`${path}.${k}`, `is not a known field (expected ${allowed.join(', ')})`);
}
