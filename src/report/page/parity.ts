// The parity section of a result (`condensa parity --json` merged in): its kernel and trajectory rows as
// compact tables when it has them, otherwise the JSON as it is.
import { el, table, type Cell } from './dom.js';
import { num, verdict } from './format.js';

type Row = Record<string, unknown>;

/** One table cell from a parity field: numbers formatted, pass/fail coloured, {wasm, webgpu} pairs as "a / b". */
function parityCell(key: string, v: unknown): Cell {
  if (typeof v === 'boolean') return key === 'pass' ? verdict(v) : v ? 'yes' : 'no';
  if (typeof v === 'number') return { content: num(v), class: 'num' };
  if (v === null || v === undefined) return '–';
  if (Array.isArray(v)) return el('span', { class: 'dim' }, `${v.length} points`);
  if (typeof v === 'object')
    return Object.values(v as Row)
      .map((x) => (typeof x === 'number' ? num(x) : String(x)))
      .join(' / ');
  return String(v).length > 24 ? { content: String(v), class: 'text' } : String(v);
}

function rowsTable(rows: Row[]): HTMLElement {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const head = keys.map((k) => {
    const pair = rows.map((r) => r[k]).find((v) => v && typeof v === 'object' && !Array.isArray(v));
    return pair ? `${k} (${Object.keys(pair).join(' / ')})` : k;
  });
  return table(
    head,
    rows.map((r) => keys.map((k) => parityCell(k, r[k]))),
  );
}

const isRows = (v: unknown): v is Row[] => Array.isArray(v) && v.every((r) => r && typeof r === 'object' && !Array.isArray(r));

export function paritySection(parity: unknown): HTMLElement[] {
  const p = parity as Row;
  if (!p || typeof p !== 'object' || !isRows(p.kernels) || !isRows(p.trajectories)) {
    return [el('pre', { class: 'json' }, JSON.stringify(parity, null, 2))];
  }
  const adapter = p.adapter as Row | undefined;
  const summary = [
    typeof p.pass === 'boolean' ? (p.pass ? 'all parity checks pass' : 'parity checks FAIL') : '',
    typeof p.runtime === 'string' ? `runtime ${p.runtime}${typeof p.browser === 'string' ? ` (${p.browser})` : ''}` : '',
    adapter
      ? `adapter ${[adapter.vendor, adapter.architecture, adapter.description].filter(Boolean).join(' · ')}${adapter.software ? ' (software adapter: CPU figures)' : ''}`
      : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return [
    el('p', {}, summary),
    el('h4', {}, `kernels (${p.kernels.length})`),
    rowsTable(p.kernels),
    el('h4', {}, `trajectories (${p.trajectories.length})`),
    rowsTable(p.trajectories),
  ];
}
