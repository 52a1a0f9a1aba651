// `condensa report merge | compare | shards`: the cross-device page, the regression gate, and one
// report from the blob reports of a sharded Playwright run (Playwright's own merge-reports, with the
// condensa reporter from playwright.config.ts).
import { existsSync, mkdtempSync, readdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../cli/write.js';
import { parseSuiteResult, parseBenchFile, readJsonFile } from './validate.js';
import { BENCH_SCHEMA, schemaOf } from './schema.js';
import { renderMergedHtml } from './merge.js';
import { compareResults, loadComparable } from './compare.js';
import { playwright, PLAYWRIGHT_CONFIG } from '../suite/cli-suite.js';
import { defaultRunOptions, runOptionsEnv } from '../suite/run-options.js';
import { parseScale } from '../suite/define.js';

/** Suite results, each with the bench files of its device (bench env.device = run.device) as its bench rows. */
export async function mergeCommand(files: string[], out: string): Promise<number> {
  const jsons = files.map((p) => ({ p, json: readJsonFile(p) as { schema?: unknown } }));
  const results = jsons.filter((j) => schemaOf(j.json) !== BENCH_SCHEMA).map(({ p, json }) => parseSuiteResult(json, p));
  for (const { p, json } of jsons.filter((j) => schemaOf(j.json) === BENCH_SCHEMA)) {
    const bench = parseBenchFile(json, p);
    const owner = results.find((r) => r.run.device === bench.env.device);
    if (!owner)
      throw new Error(
        `report merge: ${p} comes from device ${JSON.stringify(bench.env.device)}, and no suite result does (devices: ${results.map((r) => r.run.device).join(', ') || 'none'}); condensa report site shows bench files on their own`,
      );
    owner.bench = [...(owner.bench ?? []), ...bench.rows];
  }
  const html = await renderMergedHtml(results);
  console.log(`wrote ${writeFileAtomic(out, html)}`);
  return 0;
}

export function compareCommand(base: string, next: string, thresholdText: string): number {
  const threshold = Number(thresholdText);
  if (!(threshold >= 0)) throw new Error(`--threshold must be a number ≥ 0, got "${thresholdText}"`);
  const { lines, regressions } = compareResults(loadComparable(base), loadComparable(next), { threshold });
  console.log(lines.join('\n'));
  return regressions > 0 ? 1 : 0;
}

export function shardsCommand(dirs: string[], scale: string, out: string): Promise<number> {
  const options = runOptionsEnv({ ...defaultRunOptions(), scale: parseScale(scale), out });
  // merge-reports reads one folder: gather every shard's blob zip into a fresh one
  const gathered = mkdtempSync(join(tmpdir(), 'condensa-blobs-'));
  for (const dir of dirs) {
    if (!existsSync(dir)) throw new Error(`report shards: no folder ${dir}`);
    const zips = readdirSync(dir).filter((f) => f.endsWith('.zip'));
    if (zips.length === 0) throw new Error(`report shards: ${dir} holds no blob report (.zip)`);
    zips.forEach((z) => copyFileSync(join(dir, z), join(gathered, `${basename(dir)}-${z}`)));
  }
  return playwright(['merge-reports', '-c', PLAYWRIGHT_CONFIG, gathered], options);
}
