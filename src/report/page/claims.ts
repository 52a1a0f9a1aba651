// The claim table of a suite: what was asserted, on which project, the measured value against its
// threshold, the margin, the verdict in colour, the seeds read, the f64 pilot value and the source.
import type { ClaimVerdict } from '../schema.js';
import { el, table } from './dom.js';
import { num, verdict } from './format.js';

const OP_TEXT: Record<ClaimVerdict['op'], string> = { '<': '<', '<=': '≤', '>': '>', '>=': '≥', '==': '=' };

export const opThreshold = (c: ClaimVerdict) => `${OP_TEXT[c.op]} ${num(c.threshold)}`;

export function claimTable(claims: ClaimVerdict[]): HTMLElement {
  if (claims.length === 0) return el('p', { class: 'note' }, 'This suite recorded no claims.');
  return table(
    ['id', 'statement', 'project', 'measured', 'holds if', 'margin', 'verdict', 'seeds', 'pilot (f64)', 'source'],
    claims.map((c) => [
      el('b', {}, c.id), { content: c.statement, class: 'text' }, c.project,
      { content: num(c.measured), class: 'num' },
      { content: opThreshold(c), class: 'num' },
      { content: num(c.margin), class: 'num' },
      verdict(c.pass, c.notApplicable),
      c.seeds.join(', '),
      { content: typeof c.pilot === 'number' ? num(c.pilot) : c.pilot, class: typeof c.pilot === 'number' ? 'num' : undefined },
      { content: el('span', { class: 'source' }, c.source), class: 'text' },
    ]));
}
