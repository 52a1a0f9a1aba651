// `condensa report compare`: the regression gate between two runs. Claims are matched by suite, id and
// project (pass → fail, or a claim gone, is a regression); bench rows by task, impl, device and size,
// where a slower median counts only beyond max(threshold, 2·√(rme_base² + rme_new²)) — the noise gate.
// Either side may be a suite result or a `condensa bench --json` file.
import { SCHEMA, BENCH_SCHEMA, schemaOf, type BenchRow, type ClaimVerdict, type SuiteResult } from './schema.js';
import { num } from './number.js';
import { parseBenchFile, parseSuiteResult, readJsonFile, type BenchFile } from './validate.js';

export type Comparable = SuiteResult | BenchFile;

const DEFAULT_THRESHOLD = 0.1;

/** A suite result or a bench file from disk; any other file is named with what was expected. */
export function loadComparable(path: string): Comparable {
  const json = readJsonFile(path);
  const schema = schemaOf(json);
  if (schema === SCHEMA) return parseSuiteResult(json, path);
  if (schema === BENCH_SCHEMA) return parseBenchFile(json, path);
  throw new Error(
    `${path} is neither a condensa suite result (schema "${SCHEMA}") nor a bench file from condensa bench --json (schema "${BENCH_SCHEMA}"): its schema field is ${JSON.stringify((json as { schema?: unknown } | null)?.schema) ?? 'missing'}`,
  );
}

type Verdict = 'regression' | 'improvement' | 'same' | 'noise' | 'new' | 'gone';

interface ClaimChange {
  kind: 'claim';
  key: string;
  base?: ClaimVerdict;
  next?: ClaimVerdict;
  verdict: Verdict;
}

interface BenchChange {
  kind: 'bench';
  key: string;
  base?: BenchRow;
  next?: BenchRow;
  /** next/base − 1 of the median time */
  change: number;
  /** the relative change a slowdown must exceed to count */
  gate: number;
  verdict: Verdict;
}

interface Comparison {
  changes: (ClaimChange | BenchChange)[];
  /** what could not be compared (a side without claims or bench rows) */
  notes: string[];
  regressions: number;
  improvements: number;
}

const claimsOf = (c: Comparable) => ('suites' in c ? c.suites.flatMap((s) => s.claims) : undefined);
const benchOf = (c: Comparable) => ('rows' in c ? c.rows : c.bench);
const claimKey = (c: ClaimVerdict) => `${c.suite}/${c.id} [${c.project}]`;
const benchKey = (r: BenchRow) => `${r.task} ${r.impl} ${r.size} [${r.device}]`;

/** Keys of both sides in order (base first, then what only `next` has), with the item of each side. */
function pair<T>(base: T[], next: T[], key: (x: T) => string): { key: string; base?: T; next?: T }[] {
  const b = new Map(base.map((x) => [key(x), x]));
  const n = new Map(next.map((x) => [key(x), x]));
  return [...new Set([...b.keys(), ...n.keys()])].map((k) => ({ key: k, base: b.get(k), next: n.get(k) }));
}

function claimVerdict(base?: ClaimVerdict, next?: ClaimVerdict): Verdict {
  if (!next) return 'gone';
  if (!base) return 'new';
  if (base.pass && !next.pass) return 'regression';
  if (!base.pass && next.pass) return 'improvement';
  return 'same';
}

/** The noise gate: a change is real beyond the threshold and beyond twice the combined margin of error. */
function noiseGate(base: BenchRow, next: BenchRow, threshold: number): number {
  return Math.max(threshold, (2 * Math.hypot(base.rme, next.rme)) / 100);
}

function benchChange(key: string, threshold: number, base?: BenchRow, next?: BenchRow): BenchChange {
  if (!base || !next) return { kind: 'bench', key, base, next, change: NaN, gate: NaN, verdict: next ? 'new' : 'gone' };
  const change = next.medianMs / base.medianMs - 1;
  const gate = noiseGate(base, next, threshold);
  const verdict = change > gate ? 'regression' : change < -gate ? 'improvement' : 'noise';
  return { kind: 'bench', key, base, next, change, gate, verdict };
}

function diffResults(base: Comparable, next: Comparable, opts: { threshold?: number } = {}): Comparison {
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  const changes: Comparison['changes'] = [];
  const notes: string[] = [];
  const [cb, cn] = [claimsOf(base), claimsOf(next)];
  if (cb && cn) {
    for (const p of pair(cb, cn, claimKey)) changes.push({ kind: 'claim', ...p, verdict: claimVerdict(p.base, p.next) });
  } else {
    notes.push(`claims not compared: ${cb || cn ? `the ${cb ? 'new' : 'base'} side is a bench file` : 'both sides are bench files'}`);
  }
  const [bb, bn] = [benchOf(base), benchOf(next)];
  if (bb?.length && bn?.length) {
    for (const p of pair(bb, bn, benchKey)) changes.push(benchChange(p.key, threshold, p.base, p.next));
  } else if (bb?.length || bn?.length) {
    notes.push(`bench rows not compared: the ${bb?.length ? 'new' : 'base'} side has none`);
  }
  // a claim gone from the new run is a regression; a bench row gone is only listed (bench runs are filtered)
  const regressions = changes.filter((c) => c.verdict === 'regression' || (c.kind === 'claim' && c.verdict === 'gone')).length;
  const improvements = changes.filter((c) => c.verdict === 'improvement').length;
  return { changes, notes, regressions, improvements };
}

const TAG: Record<Verdict, string> = {
  regression: 'REGRESSION',
  improvement: 'improved',
  same: 'same verdict',
  noise: 'within noise',
  new: 'new',
  gone: 'gone',
};

const signed = (x: number) => `${x >= 0 ? '+' : ''}${num(x)}`;

function claimLine(c: ClaimChange): string {
  const pass = (v?: ClaimVerdict) => (v ? (v.pass ? 'pass' : 'fail') : '–');
  const measured =
    c.base && c.next
      ? `${num(c.base.measured)} → ${num(c.next.measured)} (Δ ${signed(c.next.measured - c.base.measured)})`
      : `${c.base ? num(c.base.measured) : '–'} → ${c.next ? num(c.next.measured) : '–'}`;
  const tag = c.verdict === 'gone' ? 'GONE (regression)' : c.verdict === 'new' && !c.next?.pass ? 'new, failing' : TAG[c.verdict];
  return `${tag.padEnd(18)} claim ${c.key}: ${measured}, ${pass(c.base)} → ${pass(c.next)}`;
}

function benchLine(b: BenchChange): string {
  const ms = (r?: BenchRow) => (r ? `${num(r.medianMs)} ms ± ${r.rme.toFixed(1)}%` : '–');
  const delta = Number.isNaN(b.change) ? '' : ` (${b.change >= 0 ? '+' : '−'}${Math.abs(b.change * 100).toFixed(1)}%, gate ±${(b.gate * 100).toFixed(1)}%)`;
  return `${TAG[b.verdict].padEnd(18)} bench ${b.key}: ${ms(b.base)} → ${ms(b.next)}${delta}`;
}

/** The comparison as text lines: one per claim and bench row, the notes, and a closing count. */
function formatComparison(c: Comparison): string[] {
  return [
    ...c.changes.map((x) => (x.kind === 'claim' ? claimLine(x) : benchLine(x))),
    ...c.notes.map((n) => `note: ${n}`),
    `${c.regressions} regression${c.regressions === 1 ? '' : 's'}, ${c.improvements} improvement${c.improvements === 1 ? '' : 's'}`,
  ];
}

/** Compare two runs; `regressions` > 0 should fail the command. */
export function compareResults(base: Comparable, next: Comparable, opts: { threshold?: number } = {}): { lines: string[]; regressions: number } {
  const c = diffResults(base, next, opts);
  return { lines: formatComparison(c), regressions: c.regressions };
}
