// `condensa suite`: check the options (src/cli/commands.ts parsed them), then either hand the run to
// Playwright (runtime chromium: the suites as Playwright tests, driven by Playwright or Puppeteer, with
// whatever followed -- passed on) or run it in this process (runtime node). The options, parsed here once,
// travel to the Playwright processes as one JSON value (./run-options.ts), the typed command with them.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseSeedOffset } from '../engine/seed-offset.js';
import { parseWorkers } from '../engine/worker-pool.js';
import { allCores } from '../engine/node-pool.js';
import { DEFAULT_PROJECTS, projectByName } from './projects.js';
import { selectedSuites, attachedSections } from './select.js';
import { runOptions, runOptionsEnv, type SuiteRunOptions } from './run-options.js';
import { parseScale, type SuiteDef } from './define.js';
import { driverName } from '../runner/driver.js';
import { findChromium } from '../runner/chromium.js';
import { runSuitesInNode } from '../runner/node-suite.js';
import { assembleResult } from './result.js';
import { writeSuiteReport, summarize } from '../report/write.js';

export const PLAYWRIGHT_CONFIG = fileURLToPath(new URL('../../playwright.config.ts', import.meta.url));
const playwrightCli = (): string => join(dirname(createRequire(import.meta.url).resolve('@playwright/test/package.json')), 'cli.js');

/** Playwright compiles no TypeScript under node_modules, so an installed condensa (npx, a dependency) has
 * tsx's loader load its config and suites in every Playwright process; a clone needs nothing. */
function tsxWhenInstalled(): Record<string, string> {
  if (!PLAYWRIGHT_CONFIG.split(sep).includes('node_modules')) return {};
  const loader = `--import=${pathToFileURL(createRequire(import.meta.url).resolve('tsx'))}`;
  return { NODE_OPTIONS: [process.env.NODE_OPTIONS, loader].filter(Boolean).join(' ') };
}

/** Run a Playwright command with the given environment, passing its output and exit code through. */
export function playwright(args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [playwrightCli(), ...args], { stdio: 'inherit', env: { ...process.env, ...tsxWhenInstalled(), ...env } });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

export interface SuiteOptions {
  scale: string;
  runtime: string;
  driver: string;
  projects?: string[];
  suites?: string[];
  smoke: boolean;
  spec?: string;
  shard?: string;
  out: string;
  bench?: string;
  parity?: string;
  workers?: string;
  parallel?: string;
  judgeAll: boolean;
  slow: boolean;
  seedOffset: string;
  snapshots: string;
}

/** `condensa suite`: `passed` (what followed --) goes to Playwright; `typed` is recorded in the result. */
export async function runSuites(values: SuiteOptions, passed: string[], typed: string, registry: readonly SuiteDef[]): Promise<number> {
  if (values.shard && !/^\d+\/\d+$/.test(values.shard)) throw new Error(`--shard must look like 2/3, got "${values.shard}"`);
  if (values.slow && !values.judgeAll) throw new Error('--slow needs --judge-all (a bit-check samples every part, slow ones included)');
  const seedOffset = parseSeedOffset(values.seedOffset, '--seed-offset');
  const workers = values.workers === undefined ? allCores() : parseWorkers(values.workers, '--workers');
  const driver = driverName(values.driver);
  const projects = (values.projects ?? DEFAULT_PROJECTS).map(projectByName);
  // the projects side by side by default: a WASM part of 3 runs leaves one of 2 cores idle, and the
  // SwiftShader project fills it (npm run suite on 2 cores: 6.8 min against 8.8 one project at a time)
  const parallel = values.parallel === undefined ? Math.min(projects.length, allCores()) : parseWorkers(values.parallel, '--parallel');
  const options: SuiteRunOptions = {
    scale: parseScale(values.scale),
    driver,
    out: values.out,
    smoke: values.smoke,
    suites: values.suites ?? [],
    ...(values.spec ? { spec: values.spec } : {}),
    ...(values.bench ? { bench: values.bench } : {}),
    ...(values.parity ? { parity: values.parity } : {}),
    judgeAll: values.judgeAll,
    slow: values.slow,
    seedOffset,
    workers,
    parallel,
    command: typed,
    snapshots: values.snapshots as SuiteRunOptions['snapshots'],
  };
  const env = runOptionsEnv(options);
  Object.assign(process.env, env);
  runOptions(); // checks the snapshot policy and the rest, as every process that reads them will
  const suites = selectedSuites(registry); // a bad grid, suite id or attached file stops here, before any browser starts
  const sections = attachedSections();
  if (suites.length === 0) throw new Error('no suite selected');
  if (values.runtime === 'node') {
    if (values.shard) throw new Error('--shard needs --runtime chromium (Playwright splits the tests)');
    if (passed.length) throw new Error('arguments after -- go to Playwright: they need --runtime chromium');
    const startedAt = new Date().toISOString();
    const { parts, projects: records } = await runSuitesInNode(suites, options.scale, projects, { seedOffset, workers }, (l) => console.log(`[condensa] ${l}`));
    const result = assembleResult({ suites, scale: options.scale, seedOffset, projects: records, parts, startedAt, command: typed, sections });
    const files = await writeSuiteReport(result, values.out);
    console.log(`\n${summarize(result)}\nwrote ${files.json}\nwrote ${files.html}`);
    return result.status === 'passed' ? 0 : 1;
  }
  await findChromium(); // a missing browser is named before Playwright starts
  return playwright(
    ['test', '-c', PLAYWRIGHT_CONFIG, ...projects.flatMap((p) => ['--project', p.name]), ...(values.shard ? [`--shard=${values.shard}`] : []), ...passed],
    env,
  );
}
