// Read and check the JSON files the report commands take: suite results (schema.ts) and bench files
// (`condensa bench --json`). A file that is not what it should be stops with its name and the field.
// JSON has no NaN: a measure that was NaN comes back as null, and is read back as NaN (except in a grid
// figure's values, where null means "not measured" and stays null).
import { SNAPSHOT_POLICIES } from './compact.js';
import { readFileSync } from 'node:fs';
import { SCHEMA, BENCH_SCHEMA, schemaOf, type BenchRatio, type BenchRow, type SuiteResult } from './schema.js';

/** What `condensa bench --json` writes. */
export interface BenchFile {
  schema: typeof BENCH_SCHEMA;
  env: Record<string, unknown>;
  rows: BenchRow[];
  ratios: BenchRatio[];
}

type Obj = Record<string, unknown>;

const at = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** Field checks on one file: each names the file and the path of the field it rejects. */
class Fields {
  constructor(
    readonly file: string,
    readonly kind: string,
  ) {}

  fail(path: string, want: string, got: unknown): never {
    const shown = got === undefined ? 'nothing' : (JSON.stringify(got)?.slice(0, 60) ?? String(got));
    throw new Error(`${this.file} is not a valid ${this.kind}: field ${path || '(top level)'} must be ${want} (found ${shown})`);
  }

  obj(v: unknown, path: string): Obj {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(path, 'an object', v);
    return v as Obj;
  }

  arr(o: Obj, key: string, path: string): unknown[] {
    const v = o[key];
    if (!Array.isArray(v)) this.fail(at(path, key), 'an array', v);
    return v;
  }

  str(o: Obj, key: string, path: string): string {
    if (typeof o[key] !== 'string') this.fail(at(path, key), 'a string', o[key]);
    return o[key] as string;
  }

  bool(o: Obj, key: string, path: string): void {
    if (typeof o[key] !== 'boolean') this.fail(at(path, key), 'true or false', o[key]);
  }

  /** An exact number: counts, indices, sizes. */
  int(o: Obj, key: string, path: string): number {
    if (!Number.isInteger(o[key])) this.fail(at(path, key), 'an integer', o[key]);
    return o[key] as number;
  }

  /** A measured number; null (a NaN after JSON) becomes NaN again. */
  real(o: Obj, key: string, path: string): void {
    if (o[key] === null) o[key] = NaN;
    else if (typeof o[key] !== 'number') this.fail(at(path, key), 'a number', o[key]);
  }

  reals(o: Obj, key: string, path: string): number[] {
    const xs = this.arr(o, key, path);
    xs.forEach((x, i) => {
      if (x === null) xs[i] = NaN;
      else if (typeof x !== 'number') this.fail(`${at(path, key)}[${i}]`, 'a number', x);
    });
    return xs as number[];
  }

  ints(o: Obj, key: string, path: string): number[] {
    const xs = this.arr(o, key, path);
    xs.forEach((x, i) => Number.isInteger(x) || this.fail(`${at(path, key)}[${i}]`, 'an integer', x));
    return xs as number[];
  }

  /** A list of [x, y] points of measured numbers (null → NaN, as `reals`). */
  pairs(o: Obj, key: string, path: string): void {
    this.arr(o, key, path).forEach((p, i) => {
      const at_i = `${at(path, key)}[${i}]`;
      if (!Array.isArray(p) || p.length !== 2) this.fail(at_i, 'an [x, y] pair', p);
      p.forEach((x, k) => {
        if (x === null) p[k] = NaN;
        else if (typeof x !== 'number') this.fail(`${at_i}[${k}]`, 'a number', x);
      });
    });
  }

  oneOf<T extends string>(o: Obj, key: string, path: string, values: readonly T[]): T {
    if (!values.includes(o[key] as T)) this.fail(at(path, key), `one of ${values.join(', ')}`, o[key]);
    return o[key] as T;
  }

  optional(o: Obj, key: string, check: (v: unknown) => void): void {
    if (o[key] !== undefined) check(o[key]);
  }
}

const STATUS = ['passed', 'failed', 'incomplete'] as const;

function checkSnapshot(f: Fields, v: unknown, path: string): void {
  const s = f.obj(v, path);
  f.int(s, 'step', path);
  const D = f.int(s, 'D', path);
  const n = f.ints(s, 'neurons', path).length;
  if (f.reals(s, 'a', path).length !== n) f.fail(`${path}.a`, `${n} numbers (one per kept neuron)`, (s.a as unknown[]).length);
  if (f.reals(s, 'w', path).length !== n * D) f.fail(`${path}.w`, `${n * D} numbers (neurons × D)`, (s.w as unknown[]).length);
  f.optional(s, 'kernel', (v) => {
    const kk = f.obj(v, `${path}.kernel`),
      C = f.int(kk, 'C', `${path}.kernel`),
      k = f.int(kk, 'k', `${path}.kernel`);
    if (C * k * k !== D) f.fail(`${path}.kernel`, `C·k·k = D (${D})`, `${C}·${k}·${k}`);
  });
  const order = f.ints(s, 'order', path);
  if (order.length !== n || new Set(order).size !== n || order.some((k) => k < 0 || k >= n)) {
    f.fail(`${path}.order`, `a permutation of 0 … ${n - 1}`, order.length > 8 ? `${order.length} indices` : order);
  }
}

function checkRun(f: Fields, v: unknown, path: string): void {
  const r = f.obj(v, path);
  for (const k of ['label', 'activation', 'stopReason', 'hash']) f.str(r, k, path);
  for (const k of ['seed', 'width', 'steps', 'restarts']) f.int(r, k, path);
  for (const k of ['lr', 'initialLoss', 'finalLoss']) f.real(r, k, path);
  const loss = f.obj(r.loss, `${path}.loss`);
  if (f.ints(loss, 'step', `${path}.loss`).length !== f.reals(loss, 'value', `${path}.loss`).length) {
    f.fail(`${path}.loss.value`, 'as long as loss.step', (loss.value as unknown[]).length);
  }
  const measures = f.obj(r.measures, `${path}.measures`);
  for (const k of Object.keys(measures)) f.real(measures, k, `${path}.measures`);
  f.optional(r, 'curves', () => {
    const curves = f.obj(r.curves, `${path}.curves`);
    for (const k of Object.keys(curves)) {
      const at = `${path}.curves.${k}`,
        c = f.obj(curves[k], at);
      if (f.ints(c, 'step', at).length !== f.reals(c, 'value', at).length) f.fail(`${at}.value`, 'as long as step', (c.value as unknown[]).length);
    }
  });
  if ('initial' in r !== 'final' in r) f.fail(path, 'both initial and final snapshots, or neither', Object.keys(r).join(', '));
  f.optional(r, 'initial', () => checkSnapshot(f, r.initial, `${path}.initial`));
  f.optional(r, 'final', () => checkSnapshot(f, r.final, `${path}.final`));
  f.optional(r, 'deeper', () => {
    f.arr(r, 'deeper', path).forEach((d, i) => {
      const at = `${path}.deeper[${i}]`,
        layer = f.obj(d, at);
      f.str(layer, 'layer', at);
      checkSnapshot(f, layer.initial, `${at}.initial`);
      checkSnapshot(f, layer.final, `${at}.final`);
    });
  });
}

function checkClaim(f: Fields, v: unknown, path: string): void {
  const c = f.obj(v, path);
  for (const k of ['suite', 'id', 'statement', 'source', 'project', 'engine']) f.str(c, k, path);
  for (const k of ['measured', 'threshold', 'margin']) f.real(c, k, path);
  f.oneOf(c, 'op', path, ['<', '<=', '>', '>=', '=='] as const);
  f.bool(c, 'pass', path);
  f.optional(c, 'notApplicable', () => f.str(c, 'notApplicable', path));
  f.ints(c, 'seeds', path);
  if (typeof c.pilot !== 'number' && typeof c.pilot !== 'string') f.fail(`${path}.pilot`, 'a number or a string', c.pilot);
}

function checkPart(f: Fields, v: unknown, path: string): void {
  const p = f.obj(v, path);
  for (const k of ['suite', 'part', 'project']) f.str(p, k, path);
  f.oneOf(p, 'status', path, ['passed', 'failed', 'error', 'missing', 'skipped'] as const);
  f.optional(p, 'error', () => f.str(p, 'error', path));
  f.real(p, 'wallMs', path);
  f.arr(p, 'runs', path).forEach((r, i) => checkRun(f, r, `${path}.runs[${i}]`));
  f.optional(p, 'bitCheck', (v) => checkBitCheck(f, v, `${path}.bitCheck`));
}

function checkBitCheck(f: Fields, v: unknown, path: string): void {
  const b = f.obj(v, path);
  for (const k of ['checked', 'of']) f.int(b, k, path);
  f.optional(b, 'steps', () => f.int(b, 'steps', path));
  f.arr(b, 'runs', path).forEach((r, i) => {
    const run = f.obj(r, `${path}.runs[${i}]`);
    for (const k of ['label', 'wasm', 'webgpu']) f.str(run, k, `${path}.runs[${i}]`);
    f.int(run, 'steps', `${path}.runs[${i}]`);
    f.optional(run, 'firstDifference', () => f.str(run, 'firstDifference', `${path}.runs[${i}]`));
  });
}

/** The labelled point sets of a figure (grid lines and markers, curves). */
function checkPointSets(f: Fields, o: Obj, key: string, path: string): void {
  f.arr(o, key, path).forEach((v, i) => {
    const p = f.obj(v, `${at(path, key)}[${i}]`);
    f.str(p, 'label', `${at(path, key)}[${i}]`);
    f.pairs(p, 'points', `${at(path, key)}[${i}]`);
  });
}

/** A strictly increasing grid axis. */
function checkAxis(f: Fields, o: Obj, key: string, path: string): number {
  const xs = f.reals(o, key, path);
  if (xs.length === 0 || xs.some((x, i) => !Number.isFinite(x) || (i > 0 && x <= xs[i - 1]))) f.fail(at(path, key), 'increasing finite numbers', xs);
  return xs.length;
}

function checkGrid(f: Fields, g: Obj, path: string): void {
  for (const k of ['xLabel', 'yLabel', 'valueLabel']) f.str(g, k, path);
  const [nx, ny] = [checkAxis(f, g, 'x', path), checkAxis(f, g, 'y', path)];
  const rows = f.arr(g, 'values', path);
  if (rows.length !== ny) f.fail(`${path}.values`, `${ny} rows (one per y)`, rows.length);
  rows.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== nx) f.fail(`${path}.values[${i}]`, `${nx} values (one per x)`, row);
    row.forEach((x, j) => x === null || typeof x === 'number' || f.fail(`${path}.values[${i}][${j}]`, 'a number or null (not measured)', x));
  });
  f.optional(g, 'center', () => f.real(g, 'center', path));
  for (const k of ['lines', 'markers']) f.optional(g, k, () => checkPointSets(f, g, k, path));
}

function checkLines(f: Fields, g: Obj, path: string): void {
  for (const k of ['xLabel', 'yLabel']) f.str(g, k, path);
  for (const k of ['logX', 'logY']) f.optional(g, k, () => f.bool(g, k, path));
  checkPointSets(f, g, 'series', path);
}

/** A table's cells are strings or numbers (null → NaN), one per column. */
function checkTable(f: Fields, g: Obj, path: string): void {
  const columns = f.arr(g, 'columns', path);
  columns.forEach((c, i) => typeof c === 'string' || f.fail(`${path}.columns[${i}]`, 'a string', c));
  f.arr(g, 'rows', path).forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== columns.length) f.fail(`${path}.rows[${i}]`, `${columns.length} cells (one per column)`, row);
    row.forEach((c, j) => {
      if (c === null) row[j] = NaN;
      else if (typeof c !== 'string' && typeof c !== 'number') f.fail(`${path}.rows[${i}][${j}]`, 'a string or a number', c);
    });
  });
}

const FIGURE_CHECKS = { grid: checkGrid, lines: checkLines, table: checkTable };

function checkFigure(f: Fields, v: unknown, path: string): void {
  const g = f.obj(v, path);
  for (const k of ['id', 'title', 'project']) f.str(g, k, path);
  f.optional(g, 'caption', () => f.str(g, 'caption', path));
  FIGURE_CHECKS[f.oneOf(g, 'kind', path, ['grid', 'lines', 'table'] as const)](f, g, path);
}

function checkProject(f: Fields, v: unknown, path: string): void {
  const p = f.obj(v, path);
  f.str(p, 'name', path);
  f.oneOf(p, 'engine', path, ['wasm', 'webgpu'] as const);
  f.oneOf(p, 'runtime', path, ['chromium', 'node'] as const);
  f.optional(p, 'driver', () => f.oneOf(p, 'driver', path, ['playwright', 'puppeteer'] as const));
  f.optional(p, 'adapter', (a) => {
    const o = f.obj(a, `${path}.adapter`);
    for (const k of ['vendor', 'architecture', 'description']) f.str(o, k, `${path}.adapter`);
    f.bool(o, 'isFallbackAdapter', `${path}.adapter`);
    f.bool(o, 'software', `${path}.adapter`);
  });
  f.optional(p, 'check', () => f.oneOf(p, 'check', path, ['claims', 'bits'] as const));
  f.optional(p, 'browser', (b) => {
    const o = f.obj(b, `${path}.browser`);
    for (const k of ['name', 'version']) f.str(o, k, `${path}.browser`);
  });
  f.real(p, 'wallMs', path);
}

function checkBenchRow(f: Fields, v: unknown, path: string): void {
  const r = f.obj(v, path);
  for (const k of ['task', 'impl', 'size']) f.str(r, k, path);
  if (typeof r.device !== 'string')
    f.fail(`${path}.device`, 'a string (bench files from before BenchRow.device lack it: rerun condensa bench --json)', r.device);
  for (const k of ['medianMs', 'gflops', 'rme']) f.real(r, k, path);
  for (const k of ['gpuMedianMs', 'runsPerSecond']) f.optional(r, k, () => f.real(r, k, path));
}

/** Check a parsed suite result (a copy is checked and returned; nulls in measures become NaN). */
export function parseSuiteResult(json: unknown, name: string): SuiteResult {
  const f = new Fields(name, `condensa suite result (${SCHEMA})`);
  const o = f.obj(structuredClone(json), '');
  if (o.schema !== SCHEMA) f.fail('schema', `"${SCHEMA}"`, o.schema);
  const run = f.obj(o.run, 'run');
  for (const k of ['id', 'device', 'commit', 'startedAt', 'finishedAt', 'command']) f.str(run, k, 'run');
  f.bool(run, 'dirty', 'run');
  f.bool(run, 'complete', 'run');
  f.oneOf(run, 'scale', 'run', ['ci', 'full'] as const);
  f.optional(run, 'shard', () => f.str(run, 'shard', 'run'));
  f.optional(run, 'seedOffset', () => f.int(run, 'seedOffset', 'run'));
  f.optional(run, 'snapshots', () => f.oneOf(run, 'snapshots', 'run', SNAPSHOT_POLICIES));
  const env = f.obj(o.environment, 'environment');
  for (const k of ['os', 'cpu', 'node', 'v8', 'hostname']) f.str(env, k, 'environment');
  for (const k of ['cores', 'memoryGiB']) f.int(env, k, 'environment');
  f.real(env, 'timerResolutionMs', 'environment');
  f.bool(env, 'ci', 'environment');
  f.bool(f.obj(env.wasm, 'environment.wasm'), 'simd', 'environment.wasm');
  f.arr(o, 'projects', '').forEach((p, i) => checkProject(f, p, `projects[${i}]`));
  f.arr(o, 'suites', '').forEach((v, i) => {
    const path = `suites[${i}]`;
    const s = f.obj(v, path);
    for (const k of ['id', 'title', 'paper', 'figure']) f.str(s, k, path);
    f.oneOf(s, 'status', path, STATUS);
    f.arr(s, 'claims', path).forEach((c, j) => checkClaim(f, c, `${path}.claims[${j}]`));
    f.optional(s, 'figures', () => f.arr(s, 'figures', path).forEach((g, j) => checkFigure(f, g, `${path}.figures[${j}]`)));
    f.arr(s, 'parts', path).forEach((p, j) => checkPart(f, p, `${path}.parts[${j}]`));
  });
  f.optional(o, 'bench', () => f.arr(o, 'bench', '').forEach((r, i) => checkBenchRow(f, r, `bench[${i}]`)));
  f.oneOf(o, 'status', '', STATUS);
  return o as unknown as SuiteResult;
}

/** Check a parsed `condensa bench --json` file (a copy, as parseSuiteResult). */
export function parseBenchFile(json: unknown, name: string): BenchFile {
  const f = new Fields(name, `condensa bench file (${BENCH_SCHEMA})`);
  const o = f.obj(structuredClone(json), '');
  if (schemaOf(o) !== BENCH_SCHEMA) f.fail('schema', `"${BENCH_SCHEMA}"`, o.schema);
  o.schema = BENCH_SCHEMA;
  f.obj(o.env, 'env');
  f.arr(o, 'rows', '').forEach((r, i) => checkBenchRow(f, r, `rows[${i}]`));
  f.arr(o, 'ratios', '');
  return o as unknown as BenchFile;
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
