// Playwright runs the reproduction suites (suites/suites.spec.ts) headless, one project per engine
// and adapter (src/suite/projects.ts). `condensa suite` hands its options in (CONDENSA_RUN,
// src/suite/run-options.ts) and picks the projects; the condensa reporter, handed the suite registry, writes reports/suite-<device>.{json,html}. With --shard each
// machine also writes a blob report (reports/blob-I-of-N); `condensa report shards DIR…` merges them
// into one report through Playwright's merge-reports.
import { defineConfig } from '@playwright/test';
import { PROJECTS } from './src/suite/projects.js';
import { SUITES } from './suites/index.js';
import { runOptions } from './src/suite/run-options.js';

const { out, parallel } = runOptions();
/** each shard's blob report in its own folder (a blob reporter empties its folder when it starts) */
const shard = process.argv.find((a) => a.startsWith('--shard='))?.slice('--shard='.length);

export default defineConfig({
  testDir: 'suites',
  testMatch: 'suites.spec.ts',
  outputDir: `${out}/.playwright`,
  // Playwright's test processes (`condensa suite --parallel N`); the WASM engine's workers are --workers
  workers: parallel,
  forbidOnly: true,
  retries: 0,
  reporter: [
    ['list'],
    ['./src/report/playwright-reporter.ts', { out, suites: SUITES }],
    ...(shard ? [['blob', { outputDir: `${out}/blob-${shard.replace('/', '-of-')}` }] as ['blob', object]] : []),
  ],
  projects: PROJECTS.map((p) => ({ name: p.name, metadata: { engine: p.engine, adapter: p.adapter } })),
});
