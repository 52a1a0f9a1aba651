// The HTML page of one suite result: status, run, environment, projects, claims, each suite's own
// figures (grid heat maps, curves, tables) and per run the loss curve, cosine heat maps and
// orientation–amplitude scatter (drawn in the page by src/report/page/).
import type { SuiteResult } from './schema.js';
import { reportDocument } from './document.js';

export async function renderSuiteHtml(result: SuiteResult): Promise<string> {
  return reportDocument(`Condensa ${result.status}: ${result.run.device} (${result.run.scale}, ${result.run.commit.slice(0, 12)})`, {
    id: 'condensa-result',
    value: result,
  });
}
