// The Playwright test fixtures of the suites: one engine page per worker and project, opened through
// the driver the run's options name (Playwright by default, or Puppeteer), and the project's record
// (engine, adapter, what it checks, browser and flags) that every test attaches for the report.
import { test as base } from '@playwright/test';
import { openEnginePage, type EnginePage } from './page.js';
import { projectByName, type ProjectDef } from '../suite/projects.js';
import { projectCheck } from '../suite/select.js';
import { runOptions } from '../suite/run-options.js';
import type { ProjectRecord } from '../report/schema.js';

export interface SuiteWorkerFixtures {
  project: ProjectDef;
  enginePage: EnginePage;
  projectRecord: ProjectRecord;
}

export const test = base.extend<object, SuiteWorkerFixtures>({
  project: [async ({}, use, workerInfo) => use(projectByName(workerInfo.project.name)), { scope: 'worker' }],
  enginePage: [
    async ({ project }, use) => {
      const page = await openEnginePage({
        adapter: project.adapter,
        driver: runOptions().driver,
        workers: runOptions().workers,
      });
      try {
        await use(page);
      } finally {
        await page.close();
      }
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  projectRecord: [
    async ({ project, enginePage }, use) => {
      // a webgpu project must get its adapter (webgpu-gpu refuses a software one); wasm needs none
      const adapter = project.engine === 'webgpu' ? await enginePage.adapter() : undefined;
      await use({
        name: project.name,
        engine: project.engine,
        runtime: 'chromium',
        driver: enginePage.driver,
        ...(adapter ? { adapter } : {}),
        check: projectCheck(project.engine, Boolean(adapter?.software)),
        browser: {
          name: 'chromium',
          version: enginePage.browserVersion,
          path: enginePage.chromium.path,
          source: enginePage.chromium.source,
          flags: enginePage.flags,
        },
        wallMs: 0,
      });
    },
    { scope: 'worker', timeout: 120_000 },
  ],
});
