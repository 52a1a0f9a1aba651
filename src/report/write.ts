// Write a suite result as compact JSON and as its HTML page, each to a temporary name first and then
// renamed, so a crash mid-write never leaves a half report, keeping the weight snapshots that the
// snapshot policy names (./compact.ts); print the verdicts and where the files went.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../cli/write.js';
import type { SuiteResult } from './schema.js';
import { bitCheckText } from './bit-check-text.js';
import { renderSuiteHtml } from './html.js';
import { formatVerdict } from '../suite/claims.js';
import { compactResult, type SnapshotPolicy } from './compact.js';
import { runOptions } from '../suite/run-options.js';

/** <dir>/<prefix>-<device>[-shard-i-of-n].{json,html}; prefix "suite", or "run-<spec name>" for `condensa run` */
export async function writeSuiteReport(
  full: SuiteResult,
  dir: string,
  prefix = 'suite',
  snapshots: SnapshotPolicy = runOptions().snapshots,
): Promise<{ json: string; html: string }> {
  mkdirSync(dir, { recursive: true });
  const result = compactResult(full, snapshots);
  const base = join(
    dir,
    `${prefix}-${result.run.device.replace(/[^\w.-]+/g, '_')}${result.run.shard ? `-shard-${result.run.shard.replace('/', '-of-')}` : ''}`,
  );
  const html = await renderSuiteHtml(result);
  writeFileAtomic(`${base}.json`, JSON.stringify(result) + '\n');
  writeFileAtomic(`${base}.html`, html);
  return { json: `${base}.json`, html: `${base}.html` };
}

/** The projects whose claims were judged, in words. */
const judgedOn = (result: SuiteResult): string =>
  result.projects
    .filter((p) => p.check !== 'bits')
    .map((p) => p.name)
    .join(', ') || 'no project of this run';

/** The verdicts, the per-project times and the overall status, for the terminal. */
export function summarize(result: SuiteResult): string {
  const lines: string[] = [];
  for (const s of result.suites) {
    lines.push(`suite ${s.id}: ${s.status.toUpperCase()}`);
    for (const p of s.parts.filter((x) => x.status === 'error' || x.status === 'missing' || x.status === 'skipped' || (x.bitCheck && x.status === 'failed')))
      lines.push(`  ${p.status} part ${p.part} on ${p.project}${p.error ? `: ${p.error}` : ''}`);
    for (const project of result.projects.filter((p) => p.check === 'bits')) {
      const line = bitCheckText(s.parts.filter((p) => p.project === project.name));
      if (line) lines.push(`  ${line} on ${project.name}; claims judged on ${judgedOn(result)}`);
    }
    for (const v of s.claims) lines.push(`  ${formatVerdict(v)}`);
  }
  for (const p of result.projects)
    lines.push(
      `project ${p.name}: ${(p.wallMs / 1000).toFixed(1)} s${p.adapter?.software ? ' (software adapter: CPU figures)' : ''}${p.check === 'bits' ? ', runs bit-checked against WASM' : ''}`,
    );
  lines.push(`overall: ${result.status.toUpperCase()}${result.run.complete ? '' : ' (run incomplete)'}`);
  return lines.join('\n');
}
