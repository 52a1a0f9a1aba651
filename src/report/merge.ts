// `condensa report merge`: one page comparing suite results from several devices (claims matrix,
// adapters, bench rows side by side), followed by each device's own page sections.
import type { SuiteResult } from './schema.js';
import { reportDocument } from './document.js';

export async function renderMergedHtml(results: SuiteResult[]): Promise<string> {
  if (results.length === 0) throw new Error('report merge needs at least one suite result');
  const failed = results.filter((r) => r.status !== 'passed').length;
  const devices = results.map((r) => r.run.device).join(', ');
  return reportDocument(`Condensa across ${results.length} devices (${devices}): ${failed ? `${failed} not passed` : 'all passed'}`, {
    id: 'condensa-results',
    value: results,
  });
}
