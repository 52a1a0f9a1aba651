// Every selected suite as Playwright tests: one test per (suite, part) in each project. A test trains
// its part in the engine page, takes the measures in Node, attaches the part record for the report
// (src/report/playwright-reporter.ts judges all claims there) and checks at once the claims that read
// only this part, so a failing claim also fails its test by name. On a software WebGPU adapter (which
// keeps the WASM order) a test bit-checks a sample of the part's runs against WASM in the same page
// instead, and fails by the run and the first differing step; --judge-all judges there too, where a part
// marked slowOnSoftware is recorded as skipped unless the run asked for --slow (tag @slow).
import { expect } from '@playwright/test';
import { test } from '../src/runner/playwright-fixtures.js';
import { loadWasm } from '../src/wasm/node.js';
import { checkSuite } from '../src/suite/define.js';
import { judgeClaims, formatVerdict } from '../src/suite/claims.js';
import { runPart } from '../src/suite/run-part.js';
import { bitCheckPart } from '../src/suite/bit-check.js';
import { selectedSuites, partSkipped } from '../src/suite/select.js';
import { runOptions } from '../src/suite/run-options.js';
import { SUITES } from './index.js';

const { scale, seedOffset } = runOptions();
const wasm = loadWasm();

for (const suite of selectedSuites(SUITES)) {
  test.describe(suite.id, () => {
    for (const part of checkSuite(suite, scale)) {
      test(part.id, { tag: part.slowOnSoftware ? '@slow' : [] }, async ({ enginePage, project, projectRecord }, testInfo) => {
        test.setTimeout((part.timeoutSeconds ?? 300) * 1000 * (scale === 'full' ? 20 : 1));
        await testInfo.attach('condensa-project', { body: JSON.stringify(projectRecord), contentType: 'application/json' });
        const software = project.engine === 'webgpu' && Boolean(projectRecord.adapter?.software);
        const record =
          projectRecord.check === 'bits'
            ? await bitCheckPart(suite, part, project, { truth: enginePage, checked: enginePage }, seedOffset)
            : (partSkipped(suite, part, project.name, software) ?? (await runPart(suite, part, project, enginePage, await wasm, seedOffset)));
        await testInfo.attach('condensa-part', { body: JSON.stringify(record), contentType: 'application/json' });
        if (record.status === 'skipped') test.skip(true, record.error);
        if (record.status !== 'passed') throw new Error(`${suite.id}/${part.id} on ${project.name}: ${record.error}`);
        if (projectRecord.check === 'bits') return;
        for (const v of judgeClaims(suite, scale, [record], project.name, project.engine).verdicts) expect.soft(v.pass, formatVerdict(v)).toBe(true);
      });
    }
  });
}
