// The JSON form of a user grid (`condensa suite --spec grid.json`) as TypeBox schemas: the grid, its
// derives and its claims. The source of schema/user-grid.schema.json and of the checks in user-grid.ts
// and derive.ts, which add what a schema cannot say (measure names, run labels, derive inputs).
import Type, { type Static } from 'typebox';
import { Closed, Positive } from '../engine/schema-parts.js';

const Id = Type.String({ pattern: '^[\\w.-]+$', description: 'letters, digits, "-", "_" or "."' });
const Name = Type.String({ minLength: 1 });

const DERIVE_STATS = ['mean', 'se', 'median', 'min', 'max'] as const;

const Derive = Closed(
  {
    id: Id,
    groupBy: Type.Array(Type.String({ minLength: 1 }), { description: 'spec field paths, e.g. ["init.gamma", "seed"]' }),
    slope: Type.Optional(Closed({ y: Name, x: Name, log: Type.Boolean() }, { description: 'least-squares slope of y against x (log–log with log)' })),
    quantile: Type.Optional(Closed({ of: Name, q: Type.Number({ minimum: 0, maximum: 1 }) })),
    mean: Type.Optional(Name),
    se: Type.Optional(Type.String({ minLength: 1, description: 'standard error of the mean' })),
    median: Type.Optional(Name),
    min: Type.Optional(Name),
    max: Type.Optional(Name),
  },
  {
    description: 'a value computed across runs, by groups of spec fields: exactly one of slope, quantile, mean, se, median, min, max',
    oneOf: ['slope', 'quantile', ...DERIVE_STATS].map((k) => ({ required: [k] })),
  },
);
export type DeriveJson = Static<typeof Derive>;

const Claim = Closed(
  {
    id: Type.String(),
    statement: Type.Optional(Type.String()),
    measure: Type.Optional(Name),
    runs: Type.Optional(Type.Array(Type.String(), { minItems: 1, description: 'run labels (default: every run)' })),
    derived: Type.Optional(Name),
    where: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'field path → value: the rows of the derived value to read' })),
    reduce: Type.Optional(Type.Enum(['min', 'max', 'mean'], { description: 'default mean' })),
    op: Type.Enum(['<', '<=', '>', '>=', '==']),
    threshold: Type.Number(),
  },
  {
    description: 'a measure of runs (measure, runs) or a derived value (derived, where) against a threshold',
    oneOf: [
      { required: ['measure'], not: { anyOf: [{ required: ['derived'] }, { required: ['where'] }] } },
      { required: ['derived'], not: { required: ['runs'] } },
    ],
  },
);

export const UserGrid = Closed(
  {
    $schema: Type.Optional(Type.String({ description: 'the schema this file follows (ignored)' })),
    id: Id,
    title: Type.Optional(Type.String()),
    paper: Type.Optional(Type.String()),
    figure: Type.Optional(Type.String()),
    base: Type.Object({}, { description: 'a RunSpec (urn:condensa:run-spec@1) before vary sets its fields' }),
    vary: Type.Optional(Type.Record(Type.String(), Type.Array(Type.Unknown(), { minItems: 1 }), { description: 'field path → values' })),
    measures: Type.Array(Type.String(), { minItems: 1 }),
    timeoutSeconds: Type.Optional(Positive({ description: 'per part (default 300)' })),
    derive: Type.Optional(Type.Array(Derive)),
    claims: Type.Optional(Type.Array(Claim)),
  },
  {
    description:
      'An experiment for condensa suite --spec GRID.json: a base RunSpec, the fields to vary (their Cartesian product gives the runs), measures, derived values and claims. The code (src/suite/user-grid.ts, src/suite/derive.ts) also checks what a schema cannot: measure names, run labels, derive inputs and groupBy paths.',
  },
);
export type UserGridJson = Static<typeof UserGrid>;
