// A user-defined experiment as a suite (`condensa suite --spec grid.json`): a base RunSpec, the
// fields to vary (their Cartesian product gives the runs), the measures to take and claims over
// them. Runs are grouped into parts by shape family, so WebGPU trains each group as one batch.
//   { "id": "my-grid", "title": "…", "base": { RunSpec }, "vary": { "init.gamma": [0.5, 1.75], "seed": [0, 1] },
//     "measures": ["C4", "clusters"], "timeoutSeconds": 300,
//     "claims": [{ "id": "c1", "statement": "…", "runs": ["init.gamma=1.75 seed=0"], "measure": "C4",
//                  "reduce": "min", "op": ">", "threshold": 0.9 }] }
// "derive" (src/suite/derive.ts) adds values computed across runs (slopes, seed means, standard errors,
// quantiles, by groups of spec fields); a claim reads one with "derived" in place of "measure", the rows
// it takes chosen by "where" (field path → value), and the report draws each derive as a table (and as
// a heat map when it is grouped by two numeric fields).
import { readFileSync } from 'node:fs';
import { schemaProblem } from '../engine/fields.js';
import type { ClaimOp, RunRecord, SuiteFigure } from '../report/schema.js';
import type { ClaimDef, SuiteDef, SuitePart } from './define.js';
import { measureName, type MeasureName } from './measures.js';
import { NEEDS_CRITICAL_POINT, CRITICAL_GRAD } from './measures/embedding.js';
import { UserGrid, type UserGridJson } from './grid-schema.js';
import { parseDerives, computeDerived, rowMatches, type DeriveDef, type DerivedRow } from './derive.js';

const REDUCE = {
  min: (xs: number[]) => Math.min(...xs),
  max: (xs: number[]) => Math.max(...xs),
  mean: (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length,
};

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A copy of `obj` with the value at a dotted field path set. A whole number indexes a list that is there
 * (`model.layers.0.init.std`); objects missing on the way are created, list entries are not. */
function setPath(obj: Json, path: string, value: unknown): Json {
  const out = structuredClone(obj);
  const keys = path.split('.');
  let at: Json | unknown[] = out;
  keys.forEach((k, i) => {
    const last = i === keys.length - 1;
    if (Array.isArray(at)) {
      if (!/^\d+$/.test(k) || Number(k) >= at.length)
        throw new Error(`${keys.slice(0, i).join('.')} is a list of ${at.length}, so "${k}" names no entry of it`);
      const entry = at[Number(k)];
      if (last) at[Number(k)] = value;
      else if (isObject(entry) || Array.isArray(entry)) at = entry;
      else throw new Error(`${keys.slice(0, i + 1).join('.')} is ${JSON.stringify(entry)}, which has no fields`);
      return;
    }
    if (last) at[k] = value;
    else {
      if (!isObject(at[k]) && !Array.isArray(at[k])) at[k] = {};
      at = at[k] as Json | unknown[];
    }
  });
  return out;
}

/** Runs that share one WebGPU batch: two-layer runs of the same data, width, activation, optimiser kind,
 * dropout, R1 penalty and sgd on or off; layered runs (each keeps its own program in the batch) of the same data. */
function shapeKey(spec: Json): string {
  const m = (spec.model ?? {}) as Json,
    o = (spec.optimizer ?? {}) as Json;
  if (Array.isArray(m.layers)) return JSON.stringify(['layered', spec.data]);
  return JSON.stringify([spec.data, m.width, m.activation, o.kind, Boolean(spec.dropout), Boolean(spec.r1Penalty), Boolean(spec.sgd)]);
}

export function userGridSuite(path: string): SuiteDef {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read grid ${path}: ${(err as Error).message}`);
  }
  const bad = (field: string, why: string) => new Error(`grid ${path}: ${field} ${why}`);
  const problem = schemaProblem(UserGrid, json);
  if (problem) throw bad(problem.path, problem.showGot ? `${problem.text}, got ${JSON.stringify(problem.got) ?? 'nothing'}` : problem.text);
  const grid = json as UserGridJson;
  let runs = [{ label: '', spec: grid.base as Json }];
  for (const [k, values] of Object.entries(grid.vary ?? {})) {
    const set = (spec: Json, v: unknown) => {
      try {
        return setPath(spec, k, v);
      } catch (err) {
        throw bad(`vary["${k}"]`, (err as Error).message);
      }
    };
    runs = runs.flatMap((r) => values.map((v) => ({ label: `${r.label}${r.label ? ' ' : ''}${k}=${JSON.stringify(v)}`, spec: set(r.spec, v) })));
  }
  if (runs.length === 1) runs[0].label = 'base';
  const listed = grid.measures.map((m) => measureName(m));
  // claims on critical-point measures need each run's verdict (epCritical) and ‖∇R‖ (epGrad) beside them
  const critical = listed.some((m) => NEEDS_CRITICAL_POINT.includes(m));
  const measures: MeasureName[] = [...new Set([...listed, ...(critical ? (['epCritical', 'epGrad'] as MeasureName[]) : [])])];
  const timeoutSeconds = grid.timeoutSeconds ?? 300;
  const byShape = new Map<string, SuitePart>();
  for (const r of runs) {
    const key = shapeKey(r.spec);
    if (!byShape.has(key)) byShape.set(key, { id: `group-${byShape.size + 1}`, runs: [], measures, timeoutSeconds });
    byShape.get(key)!.runs.push(r);
  }
  const parts = [...byShape.values()];
  const partOf = new Map(parts.flatMap((p) => p.runs.map((r) => [r.label, p.id] as const)));
  const derives = parseDerives(grid.derive, measures, bad);
  const allKeys = parts.flatMap((p) => p.runs.map((r) => `${p.id}/${r.label}`));
  const specOf = new Map(runs.map((r) => [r.label, r.spec as Json]));
  const derivedOver = (keys: string[], measuresOf: (Record<string, number> | undefined)[]) =>
    computeDerived(
      derives,
      keys.flatMap((k, i) => (measuresOf[i] ? [{ spec: specOf.get(k.slice(k.indexOf('/') + 1))!, measures: measuresOf[i]! }] : [])),
    );
  const claims = (grid.claims ?? []).map((c, i): ClaimDef => {
    const at = `claims[${i}]`;
    const reduce = REDUCE[c.reduce ?? 'mean'];
    const common = { id: c.id, source: `user grid ${path}`, pilot: 'n/a', op: c.op as ClaimOp, threshold: c.threshold };
    if (c.derived !== undefined) {
      if (c.measure !== undefined) throw bad(at, 'takes "derived" (with "where") or "measure" (with "runs"), not both');
      const d = derives.find((x) => x.id === c.derived);
      if (!d) throw bad(`${at}.derived`, `names no derive "${c.derived}" (derives: ${derives.map((x) => x.id).join(', ') || 'none'})`);
      const where = c.where ?? {};
      const pick = (rows: DerivedRow[]) => rows.filter((r) => rowMatches(r, where)).map((r) => r.value);
      return {
        ...common,
        statement: c.statement ?? `${c.reduce ?? 'mean'} ${d.id} (${d.describe})`,
        uses: allKeys,
        value: (ms) => {
          const picked = pick(derivedOver(allKeys, ms).get(d.id)!);
          return picked.length === 0 ? NaN : reduce(picked);
        },
      };
    }
    const measure = measureName(String(c.measure));
    if (!measures.includes(measure)) throw bad(`${at}.measure`, `"${measure}" is not in measures`);
    const labels = c.runs ?? runs.map((r) => r.label);
    const unknown = labels.find((l) => !partOf.has(l));
    if (unknown !== undefined) throw bad(`${at}.runs`, `names no run "${unknown}" (runs: ${runs.map((r) => r.label).join(', ')})`);
    return {
      ...common,
      statement: c.statement ?? `${c.reduce ?? 'mean'} ${measure}`,
      uses: labels.map((l) => `${partOf.get(l)}/${l}`),
      value: (ms: Record<string, number>[]) => reduce(ms.map((m) => m[measure])),
      ...(NEEDS_CRITICAL_POINT.includes(measure) ? { notApplicable: noCriticalPoint } : {}),
    };
  });
  const figures = (_scale: unknown, run: (key: string) => RunRecord | undefined, project: string): SuiteFigure[] =>
    derivedFigures(
      derives,
      derivedOver(
        allKeys,
        allKeys.map((k) => run(k)?.measures),
      ),
      project,
    );
  return {
    id: grid.id,
    title: grid.title ?? grid.id,
    paper: grid.paper ?? 'user experiment',
    figure: grid.figure ?? '',
    parts: () => parts,
    claims: () => claims,
    ...(derives.length ? { figures } : {}),
  };
}

const cell = (v: unknown) => (typeof v === 'number' ? v : JSON.stringify(v));

/** Each derive as a table; one grouped by two numeric fields also as a heat map. */
function derivedFigures(derives: DeriveDef[], rows: Map<string, DerivedRow[]>, project: string): SuiteFigure[] {
  return derives.flatMap((d): SuiteFigure[] => {
    const rs = rows.get(d.id)!;
    if (rs.length === 0) return [];
    const table: SuiteFigure = {
      id: `derive-${d.id}`,
      kind: 'table',
      project,
      title: `${d.id}: ${d.describe}, by ${d.groupBy.join(', ')}`,
      columns: [...d.groupBy, d.id],
      rows: rs.map((r) => [...d.groupBy.map((g) => cell(r.group[g])), r.value]),
    };
    const numeric = d.groupBy.length === 2 && rs.every((r) => d.groupBy.every((g) => typeof r.group[g] === 'number'));
    if (!numeric) return [table];
    const [gx, gy] = d.groupBy;
    const axis = (g: string) => [...new Set(rs.map((r) => r.group[g] as number))].sort((a, b) => a - b);
    const x = axis(gx),
      y = axis(gy);
    const values = y.map((vy) => x.map((vx) => rs.find((r) => r.group[gx] === vx && r.group[gy] === vy)?.value ?? null));
    return [
      table,
      { id: `derive-${d.id}-map`, kind: 'grid', project, title: `${d.id} over (${gx}, ${gy})`, xLabel: gx, yLabel: gy, valueLabel: d.id, x, y, values },
    ];
  });
}

/** Why a claim on critical-point measures does not apply: the runs whose polished point is not critical. */
function noCriticalPoint(ms: Record<string, number>[]): string | undefined {
  const missed = ms.filter((m) => m.epCritical !== 1);
  if (missed.length === 0) return undefined;
  const worst = Math.max(...missed.map((m) => m.epGrad));
  return `no critical point reached in ${missed.length} of ${ms.length} runs (‖∇R‖ ${worst.toExponential(2)} > ${CRITICAL_GRAD} after f64 L-BFGS and Newton), so the theorems on critical points say nothing here`;
}
