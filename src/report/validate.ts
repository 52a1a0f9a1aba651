// Read and check the JSON files the report commands take: suite results and bench files (`condensa bench
// --json`), against their schemas (schema.ts), then what a schema cannot say (array lengths that must
// agree, permutations, increasing axes). A file that is not what it should be stops with its name and the
// field. JSON has no NaN: a measure that was NaN comes back as null and is read back as NaN (except in a
// grid figure's values, where null means "not measured" and stays null).
import { readFileSync } from 'node:fs';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { schemaProblem } from '../engine/fields.js';
import {
  SCHEMA,
  BENCH_SCHEMA,
  BenchFile as BenchFileSchema,
  SuiteResult as SuiteResultSchema,
  type PlotSnapshot,
  type SuiteFigure,
  type SuiteResult,
} from './schema.js';
import type { StaticDecode } from 'typebox';

/** What `condensa bench --json` writes. */
export type BenchFile = Omit<StaticDecode<typeof BenchFileSchema>, 'schema'> & { schema: typeof BENCH_SCHEMA };

/** The checks of one file: each failure names the file and the path of the field it rejects. */
function reader(file: string, kind: string) {
  return (path: string, want: string, got: unknown): never => {
    const shown = got === undefined ? 'nothing' : (JSON.stringify(got)?.slice(0, 60) ?? String(got));
    throw new Error(`${file} is not a valid ${kind}: field ${path || '(top level)'} ${want} (found ${shown})`);
  };
}
type Fail = ReturnType<typeof reader>;

/** The file decoded by its schema (nulls read as NaN), or the first problem named. */
function decode<T extends TSchema>(schema: T, json: unknown, fail: Fail): StaticDecode<T> {
  const p = schemaProblem(schema, json);
  if (p) fail(p.path, p.text, p.showGot ? p.got : undefined);
  return Value.Decode(schema, structuredClone(json)) as StaticDecode<T>;
}

function checkSnapshot(fail: Fail, s: PlotSnapshot, path: string): void {
  const n = s.neurons.length;
  if (s.a.length !== n) fail(`${path}.a`, `must be ${n} numbers (one per kept neuron)`, s.a.length);
  if (s.w.length !== n * s.D) fail(`${path}.w`, `must be ${n * s.D} numbers (neurons × D)`, s.w.length);
  if (s.kernel && s.kernel.C * s.kernel.k * s.kernel.k !== s.D)
    fail(`${path}.kernel`, `must have C·k·k = D (${s.D})`, `${s.kernel.C}·${s.kernel.k}·${s.kernel.k}`);
  const order = s.order;
  if (order.length !== n || new Set(order).size !== n || order.some((k) => k < 0 || k >= n)) {
    fail(`${path}.order`, `must be a permutation of 0 … ${n - 1}`, order.length > 8 ? `${order.length} indices` : order);
  }
}

const sameLength = (fail: Fail, c: { step: number[]; value: number[] }, path: string) =>
  c.step.length === c.value.length || fail(`${path}.value`, 'must be as long as step', c.value.length);

/** A strictly increasing grid axis. */
function checkAxis(fail: Fail, xs: number[], path: string): void {
  if (xs.some((x, i) => !Number.isFinite(x) || (i > 0 && x <= xs[i - 1]))) fail(path, 'must be increasing finite numbers', xs);
}

function checkFigure(fail: Fail, g: SuiteFigure, path: string): void {
  if (g.kind === 'grid') {
    checkAxis(fail, g.x, `${path}.x`);
    checkAxis(fail, g.y, `${path}.y`);
    if (g.values.length !== g.y.length) fail(`${path}.values`, `must be ${g.y.length} rows (one per y)`, g.values.length);
    g.values.forEach((row, i) => row.length === g.x.length || fail(`${path}.values[${i}]`, `must be ${g.x.length} values (one per x)`, row));
  }
  if (g.kind === 'table')
    g.rows.forEach((row, i) => row.length === g.columns.length || fail(`${path}.rows[${i}]`, `must be ${g.columns.length} cells (one per column)`, row));
}

/** Check a parsed suite result (a copy is checked and returned; nulls in measures become NaN). */
export function parseSuiteResult(json: unknown, name: string): SuiteResult {
  const fail = reader(name, `condensa suite result (${SCHEMA})`);
  const r = decode(SuiteResultSchema, json, fail);
  r.suites.forEach((s, i) => {
    s.figures?.forEach((g, j) => checkFigure(fail, g, `suites[${i}].figures[${j}]`));
    s.parts.forEach((p, j) =>
      p.runs.forEach((run, k) => {
        const at = `suites[${i}].parts[${j}].runs[${k}]`;
        sameLength(fail, run.loss, `${at}.loss`);
        Object.entries(run.curves ?? {}).forEach(([key, c]) => sameLength(fail, c, `${at}.curves.${key}`));
        if (run.initial) checkSnapshot(fail, run.initial, `${at}.initial`);
        if (run.final) checkSnapshot(fail, run.final, `${at}.final`);
        run.deeper?.forEach((d, l) => {
          checkSnapshot(fail, d.initial, `${at}.deeper[${l}].initial`);
          checkSnapshot(fail, d.final, `${at}.deeper[${l}].final`);
        });
      }),
    );
  });
  return r;
}

/** Check a parsed `condensa bench --json` file (a copy, as parseSuiteResult; legacy markers read as today's). */
export function parseBenchFile(json: unknown, name: string): BenchFile {
  const fail = reader(name, `condensa bench file (${BENCH_SCHEMA})`);
  return { ...decode(BenchFileSchema, json, fail), schema: BENCH_SCHEMA };
}

/** A file's JSON, or an error that names the file. */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${path} is not JSON: ${(err as Error).message}`);
  }
}
