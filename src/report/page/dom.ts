// Small DOM builders for the report page: elements from tag, attributes and children, and tables whose
// cells may carry a class (pass/fail colours) and a tooltip. Text always goes in as text, never as HTML.
export type Child = Node | string | number | null | undefined | false;
export type Cell = Child | { content: Child; class?: string; title?: string };

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === true) node.setAttribute(k, '');
    else if (typeof v === 'string') node.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

function cell(tag: 'td' | 'th', c: Cell): HTMLTableCellElement {
  if (c !== null && typeof c === 'object' && !(c instanceof Node)) return el(tag, { class: c.class, title: c.title }, c.content);
  return el(tag, {}, c);
}

export function table(head: string[], rows: Cell[][]): HTMLElement {
  return el(
    'div',
    { class: 'table-wrap' },
    el(
      'table',
      { class: 'grid' },
      el('thead', {}, el('tr', {}, ...head.map((h) => cell('th', h)))),
      el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c) => cell('td', c))))),
    ),
  );
}

/** Two-column key/value table (run info, environment). */
export function facts(rows: [string, Child][]): HTMLElement {
  return el('table', { class: 'facts' }, ...rows.map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, v))));
}

/** A <details> whose body is built the first time it opens (plots are drawn only when seen). */
export function lazyDetails(summary: Child[], open: boolean, body: () => Child[]): HTMLDetailsElement {
  const d = el('details', { class: 'part', open }, el('summary', {}, ...summary));
  let built = false;
  const build = () => {
    if (built || !d.open) return;
    built = true;
    d.append(el('div', { class: 'details-body' }, ...body()));
  };
  d.addEventListener('toggle', build);
  build();
  return d;
}
