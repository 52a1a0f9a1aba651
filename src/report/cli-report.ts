// `condensa report merge | compare | shards`: the cross-device page, the regression gate, and one
// report from the blob reports of a sharded Playwright run (Playwright's own merge-reports, with the
// condensa reporter from playwright.config.ts).
import { parseArgs } from 'node:util';
import { writeFileSync, mkdirSync, existsSync, mkdtempSync, readdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parseSuiteResult, readJsonFile } from './validate.js';
import { renderMergedHtml } from './merge.js';
import { compareResults, loadComparable } from './compare.js';
import { playwright, PLAYWRIGHT_CONFIG } from '../suite/cli-suite.js';

const USAGE = 'usage: condensa report merge A.json B.json … [--out PATH] | compare BASE.json NEW.json [--threshold F] | shards DIR… [--scale ci|full] [--out DIR]';

export async function runReport(args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  if (verb === 'merge') {
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { out: { type: 'string', default: 'reports/merged.html' } } });
    if (positionals.length < 1) throw new Error(`report merge needs result files\n${USAGE}`);
    const html = await renderMergedHtml(positionals.map((p) => parseSuiteResult(readJsonFile(p), p)));
    mkdirSync(dirname(values.out!), { recursive: true });
    writeFileSync(values.out!, html);
    console.log(`wrote ${values.out}`);
    return 0;
  }
  if (verb === 'compare') {
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { threshold: { type: 'string', default: '0.10' } } });
    if (positionals.length !== 2) throw new Error(`report compare needs two files\n${USAGE}`);
    const threshold = Number(values.threshold);
    if (!(threshold >= 0)) throw new Error(`--threshold must be a number ≥ 0, got "${values.threshold}"`);
    const { lines, regressions } = compareResults(loadComparable(positionals[0]), loadComparable(positionals[1]), { threshold });
    console.log(lines.join('\n'));
    return regressions > 0 ? 1 : 0;
  }
  if (verb === 'shards') {
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { scale: { type: 'string', default: 'ci' }, out: { type: 'string', default: 'reports' } } });
    if (positionals.length === 0) throw new Error(`report shards needs the folders holding the shards' blob reports\n${USAGE}`);
    // merge-reports reads one folder: gather every shard's blob zip into a fresh one
    const gathered = mkdtempSync(join(tmpdir(), 'condensa-blobs-'));
    for (const dir of positionals) {
      if (!existsSync(dir)) throw new Error(`report shards: no folder ${dir}`);
      const zips = readdirSync(dir).filter((f) => f.endsWith('.zip'));
      if (zips.length === 0) throw new Error(`report shards: ${dir} holds no blob report (.zip)`);
      zips.forEach((z) => copyFileSync(join(dir, z), join(gathered, `${basename(dir)}-${z}`)));
    }
    return playwright(['merge-reports', '-c', PLAYWRIGHT_CONFIG, gathered], { CONDENSA_SCALE: values.scale!, CONDENSA_OUT: values.out! });
  }
  console.error(USAGE);
  return 2;
}
