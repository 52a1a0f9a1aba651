// Everything one suite result shows: its head (status, run, environment), projects, suites, and the
// bench and parity sections when present. The single-result page is this; the merged page repeats it
// per device.
import type { SuiteResult } from '../schema.js';
import { el } from './dom.js';
import { environmentFacts, projectsTable, runFacts, statusBanner } from './header.js';
import { suiteSection, type SuiteView } from './suite.js';
import { benchTable } from './bench.js';
import { paritySection } from './parity.js';

export function resultSections(result: SuiteResult, view: SuiteView): HTMLElement {
  return el(
    'div',
    { class: 'result' },
    el(
      'header',
      {},
      el(
        'h2',
        { class: 'device-title' },
        `device ${result.run.device}`,
        el('span', { class: 'dim' }, ` · ${result.run.scale} · ${result.run.commit.slice(0, 12)}`),
      ),
      statusBanner(result),
      el(
        'div',
        { class: 'cards' },
        el('div', { class: 'card' }, el('h3', {}, 'Run'), runFacts(result)),
        el('div', { class: 'card' }, el('h3', {}, 'Environment'), environmentFacts(result)),
      ),
    ),
    el('h3', {}, 'Projects'),
    projectsTable(result.projects),
    el('h3', {}, `Suites (${result.suites.length})`),
    ...(result.suites.length ? result.suites.map((s) => suiteSection(s, view)) : [el('p', { class: 'note' }, 'No suite ran.')]),
    result.bench ? el('h3', {}, `Benchmark (${result.bench.length} rows)`) : null,
    result.bench ? benchTable(result.bench) : null,
    result.parity === undefined ? null : el('h3', {}, 'WebGPU parity'),
    ...(result.parity === undefined ? [] : paritySection(result.parity)),
  );
}

/** Pages with at most this many runs open every part at load; larger ones open only parts that did not pass. */
const OPEN_ALL_RUNS = 16;

export function suiteView(results: SuiteResult[]): SuiteView {
  const runs = results.flatMap((r) => r.suites.flatMap((s) => s.parts.flatMap((p) => p.runs))).length;
  return { openAll: runs <= OPEN_ALL_RUNS, snapshots: results.map((r) => r.run.snapshots).find(Boolean) ?? 'all' };
}
