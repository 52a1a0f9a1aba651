// What a run selects, from its options (./run-options.ts), so that the CLI, the Playwright test file and
// the reporter (separate processes) agree: the suites (ids, the smoke subset, or a user grid), the bench
// and parity files carried into the result, what a software WebGPU adapter checks (a bit-check of a
// sample against WASM, or with --judge-all every claim) and which parts it leaves out then.
import type { SuiteDef, SuitePart } from './define.js';
import { userGridSuite } from './user-grid.js';
import { runOptions } from './run-options.js';
import { parseBenchFile, readJsonFile } from '../report/validate.js';
import { PARITY_SCHEMA, schemaOf, type PartRecord, type ProjectCheck, type SuiteResult } from '../report/schema.js';

/** The suites of `registry` this run selected (or the user grid, which then is the only suite). */
export function selectedSuites(registry: readonly SuiteDef[]): SuiteDef[] {
  const { spec, smoke, suites: ids } = runOptions();
  if (spec) return [userGridSuite(spec)];
  let suites = [...registry];
  if (smoke) suites = suites.filter((s) => s.smoke);
  if (ids.length) {
    const unknown = ids.find((id) => !registry.some((s) => s.id === id));
    if (unknown) throw new Error(`unknown suite "${unknown}" (available: ${registry.map((s) => s.id).join(', ')})`);
    suites = suites.filter((s) => ids.includes(s.id));
  }
  return suites;
}

/** The `condensa bench --json` and `condensa parity --json` files named for this run, checked. */
export function attachedSections(): Pick<SuiteResult, 'bench' | 'parity'> {
  const out: Pick<SuiteResult, 'bench' | 'parity'> = {};
  const { bench, parity } = runOptions();
  if (bench) out.bench = parseBenchFile(readJsonFile(bench), bench).rows;
  if (parity) {
    const p = readJsonFile(parity) as { schema?: unknown };
    if (schemaOf(p) !== PARITY_SCHEMA) throw new Error(`${parity}: not a condensa parity file (schema "${PARITY_SCHEMA}", from condensa parity --json)`);
    out.parity = p;
  }
  return out;
}

/** What a project checks: a software WebGPU adapter keeps the WASM order, so it bit-checks a sample
 * against WASM unless the run asked to judge every claim there (--judge-all). */
export function projectCheck(engine: string, softwareAdapter: boolean): ProjectCheck {
  return engine === 'webgpu' && softwareAdapter && !runOptions().judgeAll ? 'bits' : 'claims';
}

/** The record of a part left out of judging on a software adapter (--judge-all: a slow one without
 * --slow, or one that never runs there), or undefined when the part should run. */
export function partSkipped(suite: SuiteDef, part: SuitePart, project: string, softwareAdapter: boolean): PartRecord | undefined {
  if (!softwareAdapter) return undefined;
  const skipped = (error: string): PartRecord => ({ suite: suite.id, part: part.id, project, status: 'skipped', wallMs: 0, runs: [], error });
  if (part.notOnSoftware) return skipped(`not judged on a software adapter: ${part.notOnSoftware}`);
  if (!part.slowOnSoftware || runOptions().slow) return undefined;
  return skipped('slow on a software adapter: left out of the default budget, judged with --judge-all --slow');
}
