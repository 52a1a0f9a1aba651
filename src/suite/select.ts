// Which suites a run takes, read from the environment so that the CLI, the Playwright test file and
// the reporter (separate processes) agree: CONDENSA_SUITES (comma-separated ids), CONDENSA_SMOKE=1
// (the smoke subset), CONDENSA_SPEC (a user grid, which then is the only suite), CONDENSA_SCALE, and
// the bench and parity files to carry into the result (CONDENSA_BENCH, CONDENSA_PARITY), and whether
// parts marked slowOnSoftware run on a software adapter (CONDENSA_SLOW=1), and the seed offset of every
// run (CONDENSA_SEED_OFFSET, default 0), and how many workers train a WASM batch (CONDENSA_WORKERS,
// default every core), and whether a software WebGPU adapter judges every claim (CONDENSA_JUDGE_ALL=1)
// or bit-checks a sample of runs against WASM.
import { SNAPSHOT_POLICIES, type SnapshotPolicy } from '../report/compact.js';
import { SCALES, type Scale, type SuiteDef, type SuitePart } from './define.js';
import { userGridSuite } from './user-grid.js';
import { parseSeedOffset } from '../engine/seed-offset.js';
import { parseWorkers } from '../engine/worker-pool.js';
import { allCores } from '../engine/node-pool.js';
import { parseBenchFile, readJsonFile } from '../report/validate.js';
import { PARITY_SCHEMA, schemaOf, type PartRecord, type ProjectCheck, type SuiteResult } from '../report/schema.js';

export function selectedScale(): Scale {
  const s = process.env.CONDENSA_SCALE ?? 'ci';
  if (!(SCALES as readonly string[]).includes(s)) throw new Error(`unknown scale "${s}" (expected ${SCALES.join(' or ')})`);
  return s as Scale;
}

export function selectedSeedOffset(): number {
  const s = process.env.CONDENSA_SEED_OFFSET;
  return s ? parseSeedOffset(s, 'CONDENSA_SEED_OFFSET') : 0;
}

export function selectedWorkers(): number {
  const s = process.env.CONDENSA_WORKERS;
  return s ? parseWorkers(s, 'CONDENSA_WORKERS') : allCores();
}

/** Which runs' weight snapshots the written report keeps (condensa suite --snapshots; default figures). */
export function selectedSnapshots(): SnapshotPolicy {
  const s = process.env.CONDENSA_SNAPSHOTS || 'figures';
  if (!(SNAPSHOT_POLICIES as readonly string[]).includes(s)) throw new Error(`CONDENSA_SNAPSHOTS must be one of ${SNAPSHOT_POLICIES.join(', ')}, got "${s}"`);
  return s as SnapshotPolicy;
}

/** The suites of `registry` this run selected (or the user grid, which then is the only suite). */
export function selectedSuites(registry: readonly SuiteDef[]): SuiteDef[] {
  if (process.env.CONDENSA_SPEC) return [userGridSuite(process.env.CONDENSA_SPEC)];
  let suites = [...registry];
  if (process.env.CONDENSA_SMOKE === '1') suites = suites.filter((s) => s.smoke);
  const ids = process.env.CONDENSA_SUITES?.split(',').filter(Boolean);
  if (ids?.length) {
    const unknown = ids.find((id) => !registry.some((s) => s.id === id));
    if (unknown) throw new Error(`unknown suite "${unknown}" (available: ${registry.map((s) => s.id).join(', ')})`);
    suites = suites.filter((s) => ids.includes(s.id));
  }
  return suites;
}

/** The `condensa bench --json` and `condensa parity --json` files named for this run, checked. */
export function attachedSections(): Pick<SuiteResult, 'bench' | 'parity'> {
  const out: Pick<SuiteResult, 'bench' | 'parity'> = {};
  const bench = process.env.CONDENSA_BENCH,
    parity = process.env.CONDENSA_PARITY;
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
  return engine === 'webgpu' && softwareAdapter && process.env.CONDENSA_JUDGE_ALL !== '1' ? 'bits' : 'claims';
}

/** The record of a part left out of judging on a software adapter (--judge-all: a slow one without
 * --slow, or one that never runs there), or undefined when the part should run. */
export function partSkipped(suite: SuiteDef, part: SuitePart, project: string, softwareAdapter: boolean): PartRecord | undefined {
  if (!softwareAdapter) return undefined;
  const skipped = (error: string): PartRecord => ({ suite: suite.id, part: part.id, project, status: 'skipped', wallMs: 0, runs: [], error });
  if (part.notOnSoftware) return skipped(`not judged on a software adapter: ${part.notOnSoftware}`);
  if (!part.slowOnSoftware || process.env.CONDENSA_SLOW === '1') return undefined;
  return skipped('slow on a software adapter: left out of the default budget, judged with --judge-all --slow');
}
