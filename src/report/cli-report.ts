// `condensa report merge | compare | shards`: the cross-device page, the regression gate, and one
// report from the blob reports of a sharded Playwright run (Playwright's own merge-reports, with the
// condensa reporter from playwright.config.ts).
import { existsSync, mkdtempSync, readdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { writeFileAtomic } from '../cli/write.js';
import { parseSuiteResult, readJsonFile } from './validate.js';
import { renderMergedHtml } from './merge.js';
import { compareResults, loadComparable } from './compare.js';
import { playwright, PLAYWRIGHT_CONFIG } from '../suite/cli-suite.js';

export async function mergeCommand(files: string[], out: string): Promise<number> {
  const html = await renderMergedHtml(files.map((p) => parseSuiteResult(readJsonFile(p), p)));
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
  // merge-reports reads one folder: gather every shard's blob zip into a fresh one
  const gathered = mkdtempSync(join(tmpdir(), 'condensa-blobs-'));
  for (const dir of dirs) {
    if (!existsSync(dir)) throw new Error(`report shards: no folder ${dir}`);
    const zips = readdirSync(dir).filter((f) => f.endsWith('.zip'));
    if (zips.length === 0) throw new Error(`report shards: ${dir} holds no blob report (.zip)`);
    zips.forEach((z) => copyFileSync(join(dir, z), join(gathered, `${basename(dir)}-${z}`)));
  }
  return playwright(['merge-reports', '-c', PLAYWRIGHT_CONFIG, gathered], { CONDENSA_SCALE: scale, CONDENSA_OUT: out });
}
