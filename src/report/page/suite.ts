// One suite on the page: title, paper, figure, status, claim table, then per project the suite's own
// figures (figures.ts) and its parts. A part is a collapsible block (status, error, wall time) holding
// the loss curves of its runs and, per run, the cosine heat maps before and after (for a CNN, of every
// conv layer, and the first layer's kernels as images) and, for 1-d inputs, the orientation scatter; on a
// software adapter, the table of its runs bit-checked against WASM.
import type { BitCheckRecord, PartRecord, PlotSnapshot, RunRecord, SuiteRecord } from '../schema.js';
import { bitCheckText } from '../bit-check-text.js';
import { el, facts, lazyDetails, table } from './dom.js';
import { badge, duration, num } from './format.js';
import { claimTable } from './claims.js';
import { cosineHeatmap, kernelImages, lossPlot, orientationScatter } from './plots.js';
import { projectFigures } from './figures.js';

/** The run's weight plots: cosine heat maps before and after (every conv layer of a CNN, and the first
 * layer's kernels as images), and for 1-d inputs the orientation scatter. */
function weightPlots(initial: PlotSnapshot, final: PlotSnapshot, deeper: RunRecord['deeper']): (HTMLElement | null)[] {
  const plots = [cosineHeatmap(initial, 'initial'), cosineHeatmap(final, 'final')];
  if (final.D === 2) plots.push(orientationScatter(initial, 'initial'), orientationScatter(final, 'final'));
  if (initial.kernel && final.kernel)
    plots.push(kernelImages({ ...initial, kernel: initial.kernel }, 'initial'), kernelImages({ ...final, kernel: final.kernel }, 'final'));
  for (const d of deeper ?? []) plots.push(cosineHeatmap(d.initial, `${d.layer} initial`), cosineHeatmap(d.final, `${d.layer} final`));
  return [
    el('div', { class: 'plots' }, ...plots),
    final.D === 2
      ? null
      : el('p', { class: 'note' }, `${final.D} weights per neuron: cosine heat maps only (the orientation scatter is drawn for 1-d inputs).`),
    el('p', { class: 'note' }, `${final.neurons.length} neurons kept (largest amplitudes), rows ordered so that clusters are blocks.`),
  ];
}

function runCard(r: RunRecord, snapshots: string): HTMLElement {
  const measures = Object.entries(r.measures);
  return el(
    'div',
    { class: 'run' },
    el('div', { class: 'run-title' }, el('b', {}, r.label), el('span', { class: 'dim' }, ` seed ${r.seed} · m = ${r.width} · ${r.activation}`)),
    el(
      'div',
      { class: 'run-facts' },
      facts([
        ['steps', `${r.steps} (${r.stopReason}${r.restarts ? `, ${r.restarts} restarts` : ''})`],
        ['learning rate', num(r.lr)],
        ['loss', `${num(r.initialLoss)} → ${num(r.finalLoss)}`],
        ['hash', el('code', { title: r.hash }, r.hash.slice(0, 16))],
      ]),
      measures.length ? facts(measures.map(([k, v]) => [k, num(v)])) : null,
    ),
    ...(r.initial && r.final
      ? weightPlots(r.initial, r.final, r.deeper)
      : [el('p', { class: 'note' }, `No weight snapshots of this run in the report (--snapshots ${snapshots}; \`all\` keeps every run's).`)]),
  );
}

/** A bit-checked part's runs: label, steps, whether the two hashes match, and where they first part. */
function bitCheckTable(b: BitCheckRecord): HTMLElement {
  return table(
    ['run', 'steps', 'WASM hash', 'WebGPU = WASM'],
    b.runs.map((r) => [
      r.label,
      { content: String(r.steps), class: 'num' },
      el('code', { title: r.wasm }, r.wasm.slice(0, 16)),
      r.firstDifference ? el('span', {}, badge('failed'), ` ${r.firstDifference}`) : badge('passed'),
    ]),
  );
}

function partBlock(p: PartRecord, open: boolean, snapshots: string): HTMLElement {
  const what = bitCheckText([p]) ?? `${p.runs.length} runs`;
  return lazyDetails([el('b', {}, p.part), ' ', badge(p.status), el('span', { class: 'dim' }, ` ${what} · wall ${duration(p.wallMs)}`)], open, () => [
    p.error ? el('pre', { class: 'error' }, p.error) : null,
    p.bitCheck
      ? bitCheckTable(p.bitCheck)
      : p.runs.length
        ? el('div', { class: 'plots' }, lossPlot(p.runs))
        : el('p', { class: 'note' }, 'No runs were recorded for this part.'),
    ...p.runs.map((r) => runCard(r, snapshots)),
  ]);
}

export interface SuiteView {
  /** open every part at load (a small page); otherwise only the parts that did not pass */
  openAll: boolean;
  /** the result's snapshot policy, named where a run has none */
  snapshots: string;
}

export function suiteSection(s: SuiteRecord, view: SuiteView): HTMLElement {
  const figures = s.figures ?? [];
  const projects = [...new Set([...s.parts.map((p) => p.project), ...figures.map((f) => f.project)])];
  return el(
    'section',
    { class: 'suite' },
    el('h4', {}, badge(s.status), ' ', s.title, el('span', { class: 'dim' }, ` · ${s.id}`)),
    el('p', { class: 'cite' }, `${s.paper} · ${s.figure}`),
    claimTable(s.claims),
    ...projects.map((name) =>
      el(
        'div',
        { class: 'project-parts' },
        el('h5', {}, `project ${name}`),
        s.parts.some((p) => p.project === name && p.bitCheck)
          ? el(
              'p',
              { class: 'note' },
              `${bitCheckText(s.parts.filter((p) => p.project === name))} on this software adapter, which keeps the WASM order: the claims are judged on WASM, not again here.`,
            )
          : null,
        projectFigures(figures, name),
        ...s.parts.filter((p) => p.project === name).map((p) => partBlock(p, view.openAll || p.status !== 'passed', view.snapshots)),
      ),
    ),
  );
}
