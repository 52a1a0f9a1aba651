// The site's index page (condensa report site): the devices with links to their full pages and data,
// the device × claim matrix, and the bench matrix: a row per task × implementation × size, a column
// per device holding GFLOP/s (runs/s for sweeps, ms where no rate applies) and the speed-up over the
// tfjs baseline measured in the same run, a geometric-mean line per device and baseline, and a chart
// of those geometric means.
import { plot, barX, ruleX } from '@observablehq/plot';
import type { SiteData } from '../site.js';
import type { BenchRatio, BenchRow } from '../schema.js';
import { el, table, type Cell } from './dom.js';
import { badge, num } from './format.js';
import { claimsMatrix } from './merged.js';
import { plotBox } from './plots.js';
import { adapterName } from '../../webgpu/device.js';

type Bench = SiteData['benches'][number];

const rowKey = (r: BenchRow) => `${r.task}\u0000${r.impl}\u0000${r.size}`;

/** The rate a row is read by: runs/s for sweeps, GFLOP/s where the task counts flops, else ms per call. */
const rate = (r: BenchRow): string =>
  r.runsPerSecond !== undefined ? `${num(r.runsPerSecond)} runs/s` : r.gflops > 0 ? `${num(r.gflops)} GFLOP/s` : `${num(r.medianMs)} ms`;

/** The same run's speed-up of this row over its tfjs baseline ("gemm webgpu vs tfjs-webgpu (speed-up)"), if the bench computed one. */
function ratioOf(b: Bench, r: BenchRow): BenchRatio | undefined {
  return b.bench.ratios.find((q) => q.size === r.size && q.what.startsWith(`${r.task} ${r.impl} vs tfjs-`));
}

/** "webgpu vs tfjs-webgpu" out of "gemm webgpu vs tfjs-webgpu (speed-up)". */
const pairOf = (q: BenchRatio, task: string) => q.what.slice(task.length + 1).replace(/\s*\(.*\)$/, '');

function geometricMeans(benches: Bench[]): { device: string; pair: string; value: number; count: number }[] {
  const out: { device: string; pair: string; value: number; count: number }[] = [];
  for (const b of benches) {
    const byPair = new Map<string, number[]>();
    for (const r of b.bench.rows) {
      const q = ratioOf(b, r);
      if (q && q.value > 0) byPair.set(pairOf(q, r.task), [...(byPair.get(pairOf(q, r.task)) ?? []), q.value]);
    }
    for (const [pair, values] of byPair)
      out.push({ device: b.label, pair, value: Math.exp(values.reduce((s, v) => s + Math.log(v), 0) / values.length), count: values.length });
  }
  return out;
}

function benchMatrix(benches: Bench[]): HTMLElement[] {
  const keys: string[] = [],
    first = new Map<string, BenchRow>();
  for (const b of benches)
    for (const r of b.bench.rows)
      if (!first.has(rowKey(r))) {
        first.set(rowKey(r), r);
        keys.push(rowKey(r));
      }
  const cell = (b: Bench, key: string): Cell => {
    const r = b.bench.rows.find((x) => rowKey(x) === key);
    if (!r) return { content: '–', class: 'missing' };
    const q = ratioOf(b, r);
    return {
      content: el('span', {}, rate(r), q ? el('span', { class: q.value >= 1 ? 'ok' : 'bad' }, ` ${num(q.value)}×`) : null),
      class: 'num',
      title: `${num(r.medianMs)} ms per call, ± ${num(r.rme)} %, ${r.device}`,
    };
  };
  const means = geometricMeans(benches);
  const pairs = [...new Set(means.map((m) => m.pair))];
  const rows: Cell[][] = keys.map((k) => {
    const r = first.get(k)!;
    return [r.task, r.impl, r.size, ...benches.map((b) => cell(b, k))];
  });
  for (const pair of pairs) {
    rows.push([
      { content: el('b', {}, 'geometric mean'), class: 'text' },
      pair,
      'speed-up over the rows above',
      ...benches.map((b) => {
        const m = means.find((x) => x.device === b.label && x.pair === pair);
        return m ? { content: el('b', {}, `${num(m.value)}×`), class: 'num', title: `over ${m.count} rows` } : { content: '–', class: 'missing' };
      }),
    ]);
  }
  const chart = means.length
    ? plotBox('bench-geomean', () =>
        plot({
          title: 'geometric-mean speed-up over the tfjs baseline, same device and run',
          width: 620,
          height: 40 + 28 * means.length,
          marginLeft: 260,
          x: { type: 'log', label: 'speed-up (×, log)', grid: true, tickFormat: num },
          y: { label: null, domain: means.map((m) => `${m.device}: ${m.pair}`) },
          marks: [
            barX(means, {
              x1: 1,
              x2: 'value',
              y: (m) => `${m.device}: ${m.pair}`,
              fill: (m) => (m.value >= 1 ? '#2e7d32' : '#c62828'),
              title: (m) => `${num(m.value)}× over ${m.count} rows`,
            }),
            ruleX([1]),
          ],
        }),
      )
    : null;
  return [table(['task', 'impl', 'size', ...benches.map((b) => b.label)], rows), ...(chart ? [chart] : [])];
}

function deviceTable(site: SiteData): HTMLElement {
  const rows: Cell[][] = [
    ...site.results.map((r) => {
      const claims = r.result.suites.flatMap((s) => s.claims);
      const adapters = r.result.projects
        .map((p) => (p.adapter ? `${p.name}: ${adapterName(p.adapter)}${p.adapter.software ? ' (software: CPU figures)' : ''}` : p.name))
        .join('; ');
      return [
        el('b', {}, r.label),
        'suite result',
        badge(r.result.status),
        `${claims.filter((c) => c.pass).length} / ${claims.length}`,
        r.result.run.scale,
        { content: `${r.result.environment.cpu} × ${r.result.environment.cores}; ${adapters}`, class: 'text' },
        el('span', {}, el('a', { href: r.page }, 'full report'), ' · ', el('a', { href: r.data }, 'JSON')),
      ];
    }),
    ...site.benches.map((b) => {
      const { webgpu } = b.bench.env;
      const gpu = typeof webgpu === 'object' ? `; WebGPU ${adapterName(webgpu.adapter)}${webgpu.adapter.software ? ' (software: CPU figures)' : ''}` : '';
      return [
        el('b', {}, b.label),
        'bench file',
        '–',
        `${b.bench.rows.length} rows`,
        '–',
        { content: `${b.bench.env.cpu} × ${b.bench.env.cores}${gpu}`, class: 'text' },
        el('a', { href: b.data }, 'JSON'),
      ];
    }),
  ];
  return table(['device', 'file', 'status', 'claims held / rows', 'scale', 'hardware', 'links'], rows);
}

export function siteSections(site: SiteData): HTMLElement[] {
  return [
    el('h2', {}, 'Devices'),
    deviceTable(site),
    ...(site.results.length
      ? [
          el('h2', {}, 'Claims across devices'),
          claimsMatrix(
            site.results.map((r) => r.result),
            site.results.map((r) => r.label),
          ),
        ]
      : []),
    ...(site.benches.length ? [el('h2', {}, 'Benchmarks across devices'), ...benchMatrix(site.benches)] : []),
  ];
}
