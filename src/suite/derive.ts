// Derived values of a user grid: numbers computed across its runs, grouped by spec fields, so that a
// user can state a claim like "S_w > 0 at every condensed (γ, γ′)" on their own grid. Each derive
// groups rows (runs, or the rows of an earlier derive) by `groupBy` field paths and reduces each group:
//   { "id": "S_w", "slope": { "y": "RD", "x": "width", "log": true }, "groupBy": ["init", "seed"] }
//   { "id": "S_w_mean", "mean": "S_w", "groupBy": ["init"] }          also "se", "median", "min", "max"
//   { "id": "C4_q10", "quantile": { "of": "C4", "q": 0.1 }, "groupBy": ["init.gamma"] }
// An input is a measure of the grid or an earlier derive; an earlier derive's rows carry only its own
// groupBy fields, so a later groupBy must be a subset of them.
import { leastSquaresSlope } from '../science/slope.js';
import { mean, median, quantile } from '../science/stats.js';
import type { DeriveJson } from './grid-schema.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One row: the group's field values (by path) and a number. */
export interface DerivedRow {
  group: Record<string, unknown>;
  value: number;
}

type Reduce = (rows: { x?: number; y: number }[]) => number;

export interface DeriveDef {
  id: string;
  groupBy: string[];
  /** the measure or derive id each row reads (y of a slope) */
  of: string;
  /** a slope's x measure */
  x?: string;
  describe: string;
  reduce: Reduce;
}

/** The value at `path` ("init.gamma") of an object, undefined where the path leads nowhere. */
function valueAt(obj: unknown, path: string): unknown {
  let at = obj;
  for (const k of path.split('.')) at = isObject(at) ? at[k] : undefined;
  return at;
}

const STATS: Record<string, (xs: number[]) => number> = {
  mean,
  /** standard error of the mean: sample sd / √n (NaN for one row) */
  se: (xs) => Math.sqrt(xs.reduce((s, v) => s + (v - mean(xs)) ** 2, 0) / (xs.length - 1) / xs.length),
  median,
  min: (xs) => Math.min(...xs),
  max: (xs) => Math.max(...xs),
};

/** Check the grid's `derive` list (schema-checked) against its measures and earlier derives (error
 * messages name the entry and field). */
export function parseDerives(raw: DeriveJson[] | undefined, measures: readonly string[], bad: (field: string, why: string) => Error): DeriveDef[] {
  const known = new Map<string, string[] | 'measure'>(measures.map((m) => [m, 'measure']));
  return (raw ?? []).map((d, i): DeriveDef => {
    const at = `derive[${i}]`;
    if (known.has(d.id)) throw bad(`${at}.id`, `"${d.id}" is already a measure or a derive`);
    const groupBy = d.groupBy;
    const input = (name: string, field: string): string => {
      const source = known.get(name);
      if (!source)
        throw bad(`${at}.${field}`, `must name a measure of the grid or an earlier derive (${[...known.keys()].join(', ')}), got ${JSON.stringify(name)}`);
      const missing = source === 'measure' ? undefined : groupBy.find((g) => !source.includes(g));
      if (missing !== undefined)
        throw bad(`${at}.groupBy`, `"${missing}" is not a groupBy field of "${name}" (${(source as string[]).join(', ')}), whose rows it groups`);
      return name;
    };
    const kinds = ['slope', 'quantile', ...Object.keys(STATS)].filter((k) => k in d);
    let def: DeriveDef;
    if (kinds[0] === 'slope') {
      const s = d.slope!;
      const x = input(s.x, 'slope.x'),
        y = input(s.y, 'slope.y');
      if (known.get(x) !== 'measure' || known.get(y) !== 'measure') throw bad(`${at}.slope`, 'x and y must be measures of the runs');
      const log = s.log;
      const f = log ? Math.log : (v: number) => v;
      def = {
        id: d.id,
        groupBy,
        of: y,
        x,
        describe: `${log ? 'log–log ' : ''}slope of ${y} against ${x}`,
        reduce: (rows) =>
          rows.length < 2
            ? NaN
            : leastSquaresSlope(
                rows.map((r) => f(r.x!)),
                rows.map((r) => f(r.y)),
              ),
      };
    } else if (kinds[0] === 'quantile') {
      const q = d.quantile!;
      const of = input(q.of, 'quantile.of'),
        p = q.q;
      def = {
        id: d.id,
        groupBy,
        of,
        describe: `${p}-quantile of ${of}`,
        reduce: (rows) =>
          quantile(
            rows.map((r) => r.y),
            p,
          ),
      };
    } else {
      const stat = STATS[kinds[0]],
        of = input(d[kinds[0] as 'mean']!, kinds[0]);
      def = { id: d.id, groupBy, of, describe: `${kinds[0]} of ${of}`, reduce: (rows) => stat(rows.map((r) => r.y)) };
    }
    known.set(d.id, groupBy);
    return def;
  });
}

/** Every derive's rows, from the runs' specs and measures (runs without a measure are left out). */
export function computeDerived(defs: DeriveDef[], runs: { spec: Json; measures: Record<string, number> }[]): Map<string, DerivedRow[]> {
  const out = new Map<string, DerivedRow[]>();
  for (const d of defs) {
    const source = out.get(d.of);
    const rows = source
      ? source.map((r) => ({ group: Object.fromEntries(d.groupBy.map((g) => [g, r.group[g]])), y: r.value }))
      : runs
          .filter((r) => Number.isFinite(r.measures[d.of]) && (!d.x || Number.isFinite(r.measures[d.x])))
          .map((r) => ({
            group: Object.fromEntries(d.groupBy.map((g) => [g, valueAt(r.spec, g)])),
            y: r.measures[d.of],
            x: d.x ? r.measures[d.x] : undefined,
          }));
    const groups = new Map<string, { group: Record<string, unknown>; rows: { x?: number; y: number }[] }>();
    for (const r of rows) {
      const key = JSON.stringify(d.groupBy.map((g) => r.group[g]));
      if (!groups.has(key)) groups.set(key, { group: r.group, rows: [] });
      groups.get(key)!.rows.push(r);
    }
    out.set(
      d.id,
      [...groups.values()].map((g) => ({ group: g.group, value: d.reduce(g.rows) })),
    );
  }
  return out;
}

/** Whether a row's group matches `where` (field path → value; a path may reach into a grouped object). */
export function rowMatches(row: DerivedRow, where: Json): boolean {
  return Object.entries(where).every(([path, want]) => {
    const head = Object.keys(row.group).find((g) => path === g || path.startsWith(`${g}.`));
    if (head === undefined) return false;
    const got = path === head ? row.group[head] : valueAt(row.group[head], path.slice(head.length + 1));
    return JSON.stringify(got) === JSON.stringify(want);
  });
}
