// The report page script (bundled into the HTML by src/report/document.ts): reads the JSON block the
// page carries, one suite result (#condensa-result), several to compare (#condensa-results) or a
// site's index (#condensa-site), and
// draws the page into <main id="report">.
import type { SuiteResult } from '../schema.js';
import { el } from './dom.js';
import { resultSections, suiteView } from './result.js';
import { mergedSections } from './merged.js';
import { siteSections } from './site.js';
import type { SiteData } from '../site.js';

function readJson(id: string): unknown {
  const block = document.getElementById(id);
  return block ? JSON.parse(block.textContent ?? '') : undefined;
}

/** Open or close every part at once. */
function toolbar(): HTMLElement {
  const setAll = (open: boolean) => () => document.querySelectorAll('details.part').forEach((d) => ((d as HTMLDetailsElement).open = open));
  const button = (text: string, open: boolean) => {
    const b = el('button', { type: 'button' }, text);
    b.addEventListener('click', setAll(open));
    return b;
  };
  return el('div', { class: 'toolbar' }, button('expand all parts', true), button('collapse all parts', false));
}

function render(main: HTMLElement): void {
  const one = readJson('condensa-result') as SuiteResult | undefined;
  const many = readJson('condensa-results') as SuiteResult[] | undefined;
  const site = readJson('condensa-site') as SiteData | undefined;
  if (site) main.replaceChildren(el('h1', {}, 'Condensa across devices'), ...siteSections(site));
  else if (one) main.replaceChildren(el('h1', {}, 'Condensa suite result'), toolbar(), resultSections(one, suiteView([one])));
  else if (many) main.replaceChildren(el('h1', {}, `Condensa across ${many.length} devices`), toolbar(), ...mergedSections(many));
  else throw new Error('this page carries no condensa-result, condensa-results or condensa-site JSON block');
}

render(document.getElementById('report')!);
