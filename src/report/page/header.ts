// The head of a result's page: overall status (big, coloured), run, environment, and the projects
// table (engine, runtime, browser, WebGPU adapter; a software adapter is labelled as CPU figures).
import type { ProjectRecord, SuiteResult } from '../schema.js';
import { el, facts, table, type Cell } from './dom.js';
import { badge, duration, num } from './format.js';

function elapsed(r: SuiteResult['run']): string {
  const ms = Date.parse(r.finishedAt) - Date.parse(r.startedAt);
  return Number.isFinite(ms) ? ` (${duration(ms)})` : '';
}

export function statusBanner(result: SuiteResult): HTMLElement {
  const claims = result.suites.flatMap((s) => s.claims);
  const passed = claims.filter((c) => c.pass).length;
  const notApplicable = claims.filter((c) => c.notApplicable).length;
  return el(
    'div',
    { class: 'banner' },
    badge(result.status, true),
    el(
      'span',
      { class: 'banner-text' },
      `${passed} of ${claims.length} claims hold${notApplicable ? ` (${notApplicable} not applicable)` : ''} · ${result.suites.length} suites · ${result.projects.length} projects`,
      result.run.complete ? '' : ' · run incomplete: a part did not finish',
    ),
  );
}

export function runFacts(result: SuiteResult): HTMLElement {
  const r = result.run;
  return facts([
    ['device', r.device],
    ['commit', `${r.commit}${r.dirty ? ' (dirty working tree)' : ''}`],
    ['scale', r.scale],
    ['seed offset', String(r.seedOffset ?? 0)],
    ['started', r.startedAt],
    ['finished', `${r.finishedAt}${elapsed(r)}`],
    ['command', el('code', {}, r.command)],
    ['shard', r.shard ?? '–'],
    ['weight snapshots', r.snapshots ?? 'all'],
    ['run id', r.id],
  ]);
}

export function environmentFacts(result: SuiteResult): HTMLElement {
  const e = result.environment;
  return facts([
    ['host', e.hostname],
    ['OS', e.os],
    ['CPU', `${e.cpu} × ${e.cores} cores, ${e.memoryGiB} GiB`],
    ['Node', `${e.node} (V8 ${e.v8})`],
    ['WASM SIMD', e.wasm.simd ? 'yes' : 'no'],
    ['timer resolution', `${num(e.timerResolutionMs)} ms`],
    ['CI', e.ci ? 'yes' : 'no'],
  ]);
}

function adapterCell(p: ProjectRecord): Cell {
  const a = p.adapter;
  if (!a) return '–';
  const text = [a.vendor, a.architecture, a.device, a.description].filter(Boolean).join(' · ') || '(adapter gave no info)';
  return { content: el('span', {}, text, a.software ? el('span', { class: 'badge warn small' }, 'software adapter: CPU figures') : ''), class: 'text' };
}

export function projectsTable(projects: ProjectRecord[]): HTMLElement {
  return table(
    ['project', 'engine', 'checks', 'runtime', 'driver', 'browser', 'adapter (vendor · architecture · device · description)', 'fallback adapter', 'wall time'],
    projects.map((p) => [
      el('b', {}, p.name),
      p.engine,
      p.check === 'bits' ? { content: 'bits: a sample of runs = WASM', title: 'a software adapter keeps the WASM order: claims are judged on WASM' } : 'claims',
      p.runtime,
      p.driver ?? '–',
      p.browser ? `${p.browser.name} ${p.browser.version}` : '–',
      adapterCell(p),
      p.adapter ? (p.adapter.isFallbackAdapter ? 'yes' : 'no') : '–',
      { content: duration(p.wallMs), class: 'num' },
    ]),
  );
}
