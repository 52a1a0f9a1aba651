// The first problem of a value against a TypeBox schema, as the field path it is at (`model.layers[3].kernel`),
// what that field must be and what it holds, so a malformed spec or file stops with one clear message.
// A union (anyOf) is read the way a person reads a spec: a key no form knows, then the form whose tags
// (consts and enums, e.g. `type`, `kind`, `preset`) the value has, else the tags' allowed values.
import type { TProperties, TSchema } from 'typebox';
import { Value } from 'typebox/value';

export class SpecError extends Error {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`invalid RunSpec: ${path} ${problem}`);
    this.name = 'SpecError';
  }
}

/** A field's problem: `path` then `text` ("must be an integer", "is not a known field (…)"), and the value held. */
export interface FieldProblem {
  path: string;
  text: string;
  got: unknown;
  /** false where the text says it all (an unknown key, "exactly one of") */
  showGot: boolean;
}

type Json = Record<string, unknown>;
type Schema = Json & { anyOf?: Json[]; properties?: Record<string, Json>; required?: string[] };
interface Error_ {
  keyword: string;
  schemaPath: string;
  instancePath: string;
  params: Json;
  message: string;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const pointer = (p: string) =>
  p === '' || p === '#'
    ? []
    : p
        .replace(/^#?\//, '')
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
const join = (path: string, key: string) => (/^\d+$/.test(key) ? `${path}[${key}]` : path ? `${path}.${key}` : key);

/** `$defs` of every cyclic schema inside `root`, by name, so `$ref`s resolve. */
function collectDefs(node: unknown, defs: Json = {}): Json {
  if (Array.isArray(node)) node.forEach((n) => collectDefs(n, defs));
  else if (isObject(node)) {
    if (isObject(node.$defs)) Object.assign(defs, node.$defs);
    Object.values(node).forEach((n) => collectDefs(n, defs));
  }
  return defs;
}

const deref = (s: Schema, defs: Json): Schema => (typeof s.$ref === 'string' && !s.anyOf && !s.type ? deref(defs[s.$ref] as Schema, defs) : s);

/** The sub-schema at a schemaPath of an error (which steps through `$ref`s). */
function schemaAt(root: Schema, path: string, defs: Json): Schema {
  let at: Schema = root;
  for (const k of pointer(path)) at = (at[k] === undefined ? (deref(at, defs) as Json)[k] : at[k]) as Schema;
  return deref(at, defs);
}

function valueAt(root: unknown, path: string): unknown {
  let at = root;
  for (const k of pointer(path)) at = (at as Json)?.[k];
  return at;
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

/** What a schema asks for, in words: its const, its enum, its type or its forms. */
function describe(s: Schema, defs: Json): string {
  s = deref(s, defs);
  if ('const' in s) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return `one of ${s.enum.join(', ')}`;
  if (s.anyOf) return [...new Set(s.anyOf.map((b) => describe(b, defs)))].join(' or ');
  return TYPE_WORDS[String(s.type)] ?? 'given';
}

/** Whether the value has the tag (const, enum or JSON type) a property schema asks for. */
function tagFits(s: Schema, v: unknown, defs: Json): boolean {
  s = deref(s, defs);
  if ('const' in s) return s.const === v;
  if (Array.isArray(s.enum)) return s.enum.includes(v);
  if (s.anyOf) return s.anyOf.some((b) => tagFits(b, v, defs));
  if (s.type === 'integer' || s.type === 'number') return typeof v === 'number';
  if (s.type === 'array') return Array.isArray(v);
  if (s.type === 'object') return isObject(v);
  if (s.type === 'null') return v === null;
  return s.type === undefined || typeof v === s.type;
}

/** The forms of a union, nested unions flattened. */
const formsOf = (u: Schema, defs: Json): Schema[] => u.anyOf!.map((b) => deref(b, defs)).flatMap((b) => (b.anyOf ? formsOf(b, defs) : [b]));

/** Keys that tell a union's forms apart: a const in some form (`type`, `kind`, `preset`, `std`). */
const tagKeys = (forms: Schema[], defs: Json) => [
  ...new Set(forms.flatMap((b) => Object.entries(b.properties ?? {}).flatMap(([k, p]) => ('const' in deref(p, defs) ? [k] : [])))),
];

function unionProblem(u: Schema, v: unknown, path: string, rootName: string, defs: Json): FieldProblem {
  const forms = formsOf(u, defs);
  const objects = isObject(v) && forms.every((b) => b.type === 'object');
  const tags = objects ? tagKeys(forms, defs) : [];
  const fits = (b: Schema) =>
    objects
      ? tags.every((k) => !(k in (v as Json)) || (b.properties?.[k] !== undefined && tagFits(b.properties[k], (v as Json)[k], defs)))
      : tagFits(b, v, defs);
  const fitting = forms.filter(fits);
  if (objects) {
    const unknown = Object.keys(v as Json).find((k) => forms.every((b) => b.properties?.[k] === undefined));
    if (unknown !== undefined) {
      const known = [...new Set((fitting.length ? fitting : forms).flatMap((b) => Object.keys(b.properties ?? {})))];
      return { path: join(path || rootName, unknown), text: `is not a known field (expected ${known.join(', ')})`, got: undefined, showGot: false };
    }
  }
  if (fitting.length === 0) {
    const tag = tags.find((k) => k in (v as Json));
    const at = tag === undefined ? forms : forms.filter((b) => b.properties?.[tag] !== undefined);
    const wants = at.map((b) => deref(tag === undefined ? b : b.properties![tag], defs));
    const values = wants.flatMap((w) => ('const' in w ? [w.const] : Array.isArray(w.enum) ? w.enum : [undefined]));
    const text = values.every((x) => x !== undefined)
      ? `one of ${[...new Set(values)].join(', ')}`
      : [...new Set(wants.map((w) => describe(w, defs)))].join(' or ');
    return {
      path: tag === undefined ? path || rootName : join(path, tag),
      text: `must be ${text}`,
      got: tag === undefined ? v : (v as Json)[tag],
      showGot: true,
    };
  }
  const count = (b: Schema) => Value.Errors(defs as TProperties, b as TSchema, v).filter((e) => e.keyword !== 'boolean').length;
  const best = fitting.reduce((a, b) => (count(b) < count(a) ? b : a));
  return schemaProblem(best, v, path, rootName, defs)!;
}

/** The problem one (non-union) error names; a schema's `title` says what it must be in words. */
function leafProblem(e: Error_, root: Schema, value: unknown, path: string, rootName: string, defs: Json): FieldProblem {
  const at = pointer(e.instancePath).reduce(join, path);
  const got = valueAt(value, e.instancePath),
    p = e.params;
  const problem = (text: string, where = at || rootName, shown: unknown = got) => ({ path: where, text, got: shown, showGot: true });
  const titled = schemaAt(root, e.schemaPath, defs).title;
  if (typeof titled === 'string' && !['required', 'additionalProperties', 'oneOf'].includes(e.keyword)) return problem(`must be ${titled}`);
  switch (e.keyword) {
    case 'type':
      return problem(`must be ${TYPE_WORDS[String(p.type)] ?? String(p.type)}`);
    case 'const':
      return problem(`must be ${JSON.stringify(p.allowedValue)}`);
    case 'enum':
      return problem(`must be one of ${(p.allowedValues as unknown[]).join(', ')}`);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return problem(`must be ${{ '>=': '≥', '<=': '≤' }[String(p.comparison)] ?? p.comparison} ${p.limit}`);
    case 'minItems':
      return problem(p.limit === 1 ? 'must be a non-empty array' : `must have at least ${p.limit} items`);
    case 'minLength':
      return problem(p.limit === 1 ? 'must be a non-empty string' : `must have at least ${p.limit} characters`);
    case 'pattern':
      return problem(`must be a name matching ${p.pattern}`);
    case 'uniqueItems':
      return problem('must not repeat an item');
    case 'required': {
      const key = (p.requiredProperties as string[])[0];
      const s = schemaAt(root, e.schemaPath, defs).properties?.[key];
      return { path: join(at, key), text: `must be ${s ? describe(s, defs) : 'given'}`, got: undefined, showGot: true };
    }
    case 'additionalProperties': {
      const known = Object.keys(schemaAt(root, e.schemaPath, defs).properties ?? {});
      const key = (p.additionalProperties as string[])[0];
      return { path: join(at || rootName, key), text: `is not a known field (expected ${known.join(', ')})`, got: undefined, showGot: false };
    }
    case 'oneOf': {
      const forms = schemaAt(root, e.schemaPath, defs).oneOf as Schema[];
      return { path: at || rootName, text: `must have exactly one of ${forms.flatMap((f) => f.required ?? []).join(', ')}`, got, showGot: false };
    }
    case 'dependentRequired':
      return problem(`must have ${(p.dependencies as string[]).join(', ')} with ${p.property}`, at || rootName, Object.keys(got as Json).join(', '));
    default:
      return problem(e.message);
  }
}

/** How many steps into the value a schema path goes (`properties/k` and `items` step in, `anyOf/i` does not). */
function instanceDepth(schemaPath: string): number {
  const segs = pointer(schemaPath);
  let n = 0;
  for (let i = 0; i < segs.length; i++) {
    if (['properties', 'patternProperties', 'prefixItems'].includes(segs[i])) (n++, i++);
    else if (['items', 'additionalProperties'].includes(segs[i])) n++;
    else if (['anyOf', 'allOf', 'oneOf', '$defs'].includes(segs[i])) i++;
  }
  return n;
}

/** The first problem of `value` against `schema`, or undefined when it fits; paths start at `path`
 * (`rootName` stands for the value itself when `path` is empty). Unknown keys come first, then the
 * fields in the schema's order. */
export function schemaProblem(schema: TSchema, value: unknown, path = '', rootName = '(top level)', defs = collectDefs(schema)): FieldProblem | undefined {
  const root = schema as Schema;
  const keys = Object.keys(root.properties ?? {});
  const rank = (e: Error_) => {
    const head = pointer(e.instancePath)[0] ?? (e.keyword === 'required' ? (e.params.requiredProperties as string[])[0] : undefined);
    return head === undefined ? -1 : keys.indexOf(head);
  };
  const errors = (Value.Errors(defs as TProperties, schema, value) as Error_[]).filter((e) => e.keyword !== 'boolean').sort((a, b) => rank(a) - rank(b));
  if (errors.length === 0) return undefined;
  const first = errors[0];
  const union = first.schemaPath.indexOf('/anyOf/');
  if (union < 0) return leafProblem(first, root, value, path, rootName, defs);
  const unionPath = first.schemaPath.slice(0, union);
  const instance = pointer(first.instancePath).slice(0, instanceDepth(unionPath));
  const at = instance.reduce((v, k) => (v as Json)?.[k], value);
  return unionProblem(schemaAt(root, unionPath, defs), at, instance.reduce(join, path), rootName, defs);
}

/** Check a RunSpec part against its schema: a SpecError names the first problem (`spec` is the whole spec). */
export function checkSpec(schema: TSchema, value: unknown, path = ''): void {
  const p = schemaProblem(schema, value, path, 'spec');
  if (p) throw new SpecError(p.path, p.showGot ? `${p.text}, got ${p.got === undefined ? 'nothing' : JSON.stringify(p.got)}` : p.text);
}
