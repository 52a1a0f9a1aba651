// A suite's own figures on the page (SuiteRecord.figures): per project a row of blocks, each with its
// title, the grid heat map, the curves or the table, and its caption.
import type { SuiteFigure } from '../schema.js';
import { el, table } from './dom.js';
import { num } from './format.js';
import { plotBox } from './plots.js';
import { gridPlot } from './grid-figure.js';
import { linesPlot } from './lines-figure.js';

function figureBody(f: SuiteFigure): HTMLElement {
  switch (f.kind) {
    case 'grid':
      return plotBox(`figure-${f.id}`, () => gridPlot(f));
    case 'lines':
      return plotBox(`figure-${f.id}`, () => linesPlot(f));
    case 'table':
      return table(
        f.columns,
        f.rows.map((r) => r.map((c) => (typeof c === 'number' ? { content: num(c), class: 'num' } : c))),
      );
  }
}

function figureBlock(f: SuiteFigure): HTMLElement {
  return el(
    'div',
    { class: 'figure', 'data-figure': f.kind },
    el('div', { class: 'figure-title' }, f.title),
    figureBody(f),
    f.caption ? el('p', { class: 'note' }, f.caption) : null,
  );
}

/** The figures of one project, or nothing when it has none. */
export function projectFigures(figures: SuiteFigure[], project: string): HTMLElement | null {
  const mine = figures.filter((f) => f.project === project);
  return mine.length ? el('div', { class: 'figures' }, ...mine.map(figureBlock)) : null;
}
