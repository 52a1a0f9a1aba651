// The cross-device page: an overview per device, the claims matrix (claim × device, measured value in
// its verdict's colour), projects and adapters per device, bench rows side by side, then each device's
// own sections as on its single page.
import type { BenchRow, ClaimVerdict, SuiteResult } from '../schema.js';
import { el, table, type Cell } from './dom.js';
import { badge, duration, num, statusClass } from './format.js';
import { projectsTable } from './header.js';
import { opThreshold } from './claims.js';
import { resultSections, suiteView } from './result.js';

/** Column names: the device, its shard when sharded, and the run id when two results still share a name. */
function deviceLabels(results: SuiteResult[]): string[] {
  const base = results.map((r) => `${r.run.device}${r.run.shard ? ` (shard ${r.run.shard})` : ''}`);
  return base.map((b, i) => (base.indexOf(b) === base.lastIndexOf(b) ? b : `${b} [${results[i].run.id}]`));
}

/** Rows of `key` in first-seen order across results, and each result's items by key. */
function alignBy<T>(lists: T[][], key: (x: T) => string): { keys: string[]; first: Map<string, T>; at: Map<string, T[]>[] } {
  const first = new Map<string, T>();
  const at = lists.map((xs) => {
    const m = new Map<string, T[]>();
    for (const x of xs) {
      const k = key(x);
      if (!first.has(k)) first.set(k, x);
      m.set(k, [...(m.get(k) ?? []), x]);
    }
    return m;
  });
  return { keys: [...first.keys()], first, at };
}

function overview(results: SuiteResult[], labels: string[]): HTMLElement {
  return table(
    ['device', 'status', 'claims held', 'commit', 'scale', 'finished', 'projects wall time'],
    results.map((r, i) => {
      const claims = r.suites.flatMap((s) => s.claims);
      return [
        el('b', {}, labels[i]),
        badge(r.status),
        `${claims.filter((c) => c.pass).length} / ${claims.length}`,
        `${r.run.commit.slice(0, 12)}${r.run.dirty ? ' (dirty)' : ''}`,
        r.run.scale,
        r.run.finishedAt,
        { content: duration(r.projects.reduce((t, p) => t + p.wallMs, 0)), class: 'num' },
      ];
    }),
  );
}

export function claimsMatrix(results: SuiteResult[], labels: string[]): HTMLElement {
  const { keys, first, at } = alignBy(
    results.map((r) => r.suites.flatMap((s) => s.claims)),
    (c: ClaimVerdict) => `${c.suite}\u0000${c.id}\u0000${c.project}`,
  );
  if (keys.length === 0) return el('p', { class: 'note' }, 'No result recorded a claim.');
  return table(
    ['suite', 'claim', 'statement', 'project', 'holds if', ...labels],
    keys.map((k) => {
      const c = first.get(k)!;
      const cells: Cell[] = at.map((m) => {
        const v = m.get(k)?.[0];
        return v
          ? { content: num(v.measured), class: `num ${statusClass(v.pass ? 'pass' : 'fail')}`, title: `${v.pass ? 'pass' : 'fail'}, margin ${num(v.margin)}` }
          : { content: 'not run', class: 'missing' };
      });
      return [c.suite, el('b', {}, c.id), { content: c.statement, class: 'text' }, c.project, { content: opThreshold(c), class: 'num' }, ...cells];
    }),
  );
}

function benchSideBySide(results: SuiteResult[], labels: string[]): HTMLElement {
  const { keys, first, at } = alignBy(
    results.map((r) => r.bench ?? []),
    (b: BenchRow) => `${b.task}\u0000${b.impl}\u0000${b.size}`,
  );
  return table(
    ['task', 'impl', 'size', ...labels.map((l) => `${l}: median ms ± rme %`)],
    keys.map((k) => {
      const b = first.get(k)!;
      const cells: Cell[] = at.map((m) => {
        const rows = m.get(k);
        if (!rows) return { content: '–', class: 'missing' };
        return { content: rows.map((r) => `${num(r.medianMs)} ± ${num(r.rme)}%`).join('; '), class: 'num', title: rows.map((r) => r.device).join('; ') };
      });
      return [b.task, b.impl, b.size, ...cells];
    }),
  );
}

export function mergedSections(results: SuiteResult[]): HTMLElement[] {
  const labels = deviceLabels(results);
  const view = suiteView(results);
  const withBench = results.some((r) => r.bench?.length);
  return [
    overview(results, labels),
    el('h2', {}, 'Claims across devices'),
    claimsMatrix(results, labels),
    el('h2', {}, 'Projects and adapters'),
    ...results.flatMap((r, i) => [el('h3', {}, labels[i]), projectsTable(r.projects)]),
    withBench ? el('h2', {}, 'Benchmark rows side by side') : null,
    withBench ? benchSideBySide(results, labels) : null,
    ...results.map((r, i) => el('section', { class: 'device' }, resultSections(r, view))),
  ].filter((x): x is HTMLElement => x !== null);
}
