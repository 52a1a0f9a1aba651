// The JSON Schema documents of schema/ (draft 2020-12, ids urn:condensa:<name>@1), built from the TypeBox
// schemas the code validates with, so the two cannot drift: scripts/gen-schemas.ts writes them and
// test/schemas.test.ts checks the committed files equal them. Pieces several files share live in
// `common` and are referenced from there; the layer list's cyclic definitions become local `$defs`.
import type { TSchema } from 'typebox';
import { TwoLayerSpec } from './engine/spec.js';
import { LayeredSpec } from './model/spec.js';
import { UserGrid } from './suite/grid-schema.js';
import { Adapter, BenchFile, BenchRow, Environment, Ints, ParityFile, Real, Reals, SuiteResult } from './report/schema.js';

type Json = Record<string, unknown>;
const DRAFT = 'https://json-schema.org/draft/2020-12/schema';
const COMMON = 'urn:condensa:common@1';
const SHARED: Record<string, TSchema> = { real: Real, reals: Reals, ints: Ints, environment: Environment, adapter: Adapter, benchRow: BenchRow };

/** Plain JSON of a schema: shared pieces as references to `common` (except in common itself), cyclic
 * definitions lifted into `defs` with their references made local. */
function plain(node: unknown, defs: Json, shared: Map<string, string>): unknown {
  if (Array.isArray(node)) return node.map((n) => plain(n, defs, shared));
  if (typeof node !== 'object' || node === null) return node;
  const ref = shared.get(JSON.stringify(node));
  if (ref !== undefined) return { $ref: `${COMMON}#/$defs/${ref}` };
  const o = node as Json;
  if (o.$defs && typeof o.$ref === 'string') {
    for (const [k, v] of Object.entries(o.$defs as Json)) {
      const { $id: _id, ...rest } = v as Json;
      defs[k] = plain(rest, defs, shared);
    }
    return { $ref: `#/$defs/${o.$ref}` };
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(o))
    out[k] = k === '$ref' && typeof v === 'string' && !v.includes(':') && !v.startsWith('#') ? `#/$defs/${v}` : plain(v, defs, shared);
  return out;
}

function document(name: string, title: string, schema: Json | TSchema, shared = new Map(Object.entries(SHARED).map(([k, s]) => [JSON.stringify(s), k]))): Json {
  const defs: Json = {};
  const body = plain(schema, defs, shared) as Json;
  return { $schema: DRAFT, $id: `urn:condensa:${name}@1`, title, ...body, ...(Object.keys(defs).length ? { $defs: defs } : {}) };
}

/** Every document of schema/, by file name. */
export function schemaDocuments(): Record<string, Json> {
  const runSpec = {
    description:
      "One training run (condensa run SPEC.json): the two-layer network of the papers, or a layered model (model.layers). The code's validator (src/engine/spec.ts, src/model/spec.ts) also checks what a schema cannot: luo2021 needs init by gamma, asi needs an even width, layer shapes must chain, odd kernels with padding same, softmax-ce needs two outputs.",
    oneOf: [TwoLayerSpec, LayeredSpec],
  };
  const common = { $defs: Object.fromEntries(Object.entries(SHARED).map(([k, s]) => [k, plain(s, {}, new Map())])) };
  return {
    'run-spec.schema.json': document('run-spec', 'Condensa RunSpec', runSpec),
    'user-grid.schema.json': document('user-grid', 'Condensa user grid', UserGrid),
    'suite-result.schema.json': document('suite-result', 'Condensa suite result', SuiteResult),
    'bench.schema.json': document('bench', 'Condensa bench file', BenchFile),
    'parity.schema.json': document('parity', 'Condensa parity file', ParityFile),
    'common.schema.json': document('common', 'Pieces the Condensa file schemas share', common, new Map()),
  };
}
