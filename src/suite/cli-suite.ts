// `condensa suite`: check the options, then either hand the run to Playwright (runtime chromium: the
// suites as Playwright tests, driven by Playwright or Puppeteer) or run it in this process (runtime
// node). Options travel to the Playwright processes as CONDENSA_* variables (src/suite/select.ts).
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCALES } from './define.js';
import { parseSeedOffset } from '../engine/seed-offset.js';
import { parseWorkers } from '../engine/worker-pool.js';
import { allCores } from '../engine/node-pool.js';
import { DEFAULT_PROJECTS, projectByName } from './projects.js';
import { selectedScale, selectedSuites, attachedSections } from './select.js';
import { driverName } from '../runner/driver.js';
import { findChromium } from '../runner/chromium.js';
import { runSuitesInNode } from '../runner/node-suite.js';
import { assembleResult } from './result.js';
import { writeSuiteReport, summarize } from '../report/write.js';

export const PLAYWRIGHT_CONFIG = fileURLToPath(new URL('../../playwright.config.ts', import.meta.url));
export const PLAYWRIGHT_CLI = join(dirname(createRequire(import.meta.url).resolve('@playwright/test/package.json')), 'cli.js');

/** Run a Playwright command with the given environment, passing its output and exit code through. */
export function playwright(args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PLAYWRIGHT_CLI, ...args], { stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

export async function runSuites(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      scale: { type: 'string', default: 'ci' }, runtime: { type: 'string', default: 'chromium' }, driver: { type: 'string', default: 'playwright' },
      project: { type: 'string', multiple: true }, suite: { type: 'string', multiple: true }, smoke: { type: 'boolean', default: false },
      spec: { type: 'string' }, shard: { type: 'string' }, out: { type: 'string', default: 'reports' }, workers: { type: 'string' }, parallel: { type: 'string' },
      bench: { type: 'string' }, parity: { type: 'string' }, slow: { type: 'boolean', default: false }, 'seed-offset': { type: 'string', default: '0' },
    },
  });
  if (!(SCALES as readonly string[]).includes(values.scale!)) throw new Error(`unknown --scale "${values.scale}" (expected ${SCALES.join(' or ')})`);
  if (values.runtime !== 'chromium' && values.runtime !== 'node') throw new Error(`unknown --runtime "${values.runtime}" (expected chromium or node)`);
  if (values.shard && !/^\d+\/\d+$/.test(values.shard)) throw new Error(`--shard must look like 2/3, got "${values.shard}"`);
  const seedOffset = parseSeedOffset(values['seed-offset']!, '--seed-offset');
  const workers = values.workers === undefined ? allCores() : parseWorkers(values.workers, '--workers');
  const parallel = values.parallel === undefined ? 1 : parseWorkers(values.parallel, '--parallel');
  const driver = driverName(values.driver!);
  const projects = (values.project ?? DEFAULT_PROJECTS).map(projectByName);
  const env: Record<string, string> = {
    CONDENSA_SCALE: values.scale!, CONDENSA_DRIVER: driver, CONDENSA_OUT: values.out!, CONDENSA_SMOKE: values.smoke ? '1' : '',
    CONDENSA_SUITES: (values.suite ?? []).join(','), CONDENSA_SPEC: values.spec ?? '',
    CONDENSA_BENCH: values.bench ?? '', CONDENSA_PARITY: values.parity ?? '', CONDENSA_SLOW: values.slow ? '1' : '',
    CONDENSA_SEED_OFFSET: String(seedOffset), CONDENSA_WORKERS: String(workers), CONDENSA_PARALLEL: String(parallel),
  };
  Object.assign(process.env, env);
  const suites = selectedSuites(); // a bad grid, suite id or attached file stops here, before any browser starts
  const sections = attachedSections();
  if (suites.length === 0) throw new Error('no suite selected');
  if (values.runtime === 'node') {
    if (values.shard) throw new Error('--shard needs --runtime chromium (Playwright splits the tests)');
    const startedAt = new Date().toISOString();
    const { parts, projects: records } = await runSuitesInNode(suites, selectedScale(), projects, { seedOffset, workers }, (l) => console.log(`[condensa] ${l}`));
    const result = assembleResult({ suites, scale: selectedScale(), seedOffset, projects: records, parts, startedAt, command: `condensa suite ${args.join(' ')}`, sections });
    const files = await writeSuiteReport(result, values.out!);
    console.log(`\n${summarize(result)}\nwrote ${files.json}\nwrote ${files.html}`);
    return result.status === 'passed' ? 0 : 1;
  }
  await findChromium(); // a missing browser is named before Playwright starts
  return playwright(['test', '-c', PLAYWRIGHT_CONFIG, ...projects.flatMap((p) => ['--project', p.name]), ...(values.shard ? [`--shard=${values.shard}`] : [])], env);
}
