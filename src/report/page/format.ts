// How numbers, durations and verdicts read on the report page (one place, so every table agrees).
import { el } from './dom.js';

export { num } from '../number.js';

export function duration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const min = Math.floor(ms / 60_000);
  return min < 60 ? `${min} min ${Math.round((ms % 60_000) / 1000)} s` : `${Math.floor(min / 60)} h ${min % 60} min`;
}

/** A status word in its colour: passed/pass green, failed/fail/error red, incomplete/missing/skipped amber. */
export function badge(status: string, big = false): HTMLElement {
  return el('span', { class: `badge ${statusClass(status)}${big ? ' big' : ''}` }, status);
}

export function statusClass(status: string): string {
  if (status === 'passed' || status === 'pass') return 'ok';
  if (status === 'failed' || status === 'fail' || status === 'error') return 'bad';
  return 'warn';
}

export const verdict = (pass: boolean, notApplicable?: string) =>
  notApplicable
    ? { content: `n/a: ${notApplicable}`, class: statusClass('skipped') }
    : { content: pass ? 'pass' : 'fail', class: statusClass(pass ? 'pass' : 'fail') };
