// The claim table of a suite: one row per claim (what was asserted and when it holds), a column per
// project with the measured value, the verdict in colour and the margin, then the seeds read, the f64
// pilot value and the source.
import type { ClaimVerdict } from '../schema.js';
import { el, table, type Cell } from './dom.js';
import { num, verdict } from './format.js';

const OP_TEXT: Record<ClaimVerdict['op'], string> = { '<': '<', '<=': '≤', '>': '>', '>=': '≥', '==': '=' };

export const opThreshold = (c: ClaimVerdict) => `${OP_TEXT[c.op]} ${num(c.threshold)}`;

function projectCell(c: ClaimVerdict | undefined): Cell {
  if (!c) return { content: '–', class: 'dim' };
  const v = verdict(c.pass, c.notApplicable);
  return {
    content: el('span', {}, el('span', { class: v.class }, v.content), ' ', num(c.measured), el('span', { class: 'dim' }, ` (margin ${num(c.margin)})`)),
    class: 'num',
  };
}

export function claimTable(claims: ClaimVerdict[]): HTMLElement {
  if (claims.length === 0) return el('p', { class: 'note' }, 'This suite recorded no claims.');
  const projects = [...new Set(claims.map((c) => c.project))];
  const ids = [...new Set(claims.map((c) => c.id))];
  return table(
    ['id', 'statement', 'holds if', ...projects, 'seeds', 'pilot (f64)', 'source'],
    ids.map((id) => {
      const row = claims.filter((c) => c.id === id),
        c = row[0];
      return [
        el('b', {}, id),
        { content: c.statement, class: 'text' },
        { content: opThreshold(c), class: 'num' },
        ...projects.map((p) => projectCell(row.find((x) => x.project === p))),
        [...new Set(row.flatMap((x) => x.seeds))].join(', '),
        { content: typeof c.pilot === 'number' ? num(c.pilot) : c.pilot, class: typeof c.pilot === 'number' ? 'num' : undefined },
        { content: el('span', { class: 'source' }, c.source), class: 'text' },
      ];
    }),
  );
}
