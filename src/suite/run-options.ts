// The options of one `condensa suite` run, parsed once from the command line (src/suite/cli-suite.ts) and
// handed to the Playwright processes (playwright.config.ts, the test workers, the reporter) as one JSON
// value in CONDENSA_RUN; every reader takes them from runOptions(). Without CONDENSA_RUN (a test, a bare
// `playwright test`) the defaults hold.
import { SCALES, type Scale } from './define.js';
import { SNAPSHOT_POLICIES, type SnapshotPolicy } from '../report/compact.js';
import { DRIVERS } from '../runner/driver.js';
import type { DriverName } from '../runner/drivers/browser-driver.js';
import { parseSeedOffset } from '../engine/seed-offset.js';
import { parseWorkers } from '../engine/worker-pool.js';
import { allCores } from '../engine/node-pool.js';

export interface SuiteRunOptions {
  scale: Scale;
  driver: DriverName;
  /** where the report goes */
  out: string;
  /** the smoke subset only */
  smoke: boolean;
  /** suite ids to run; empty: every suite */
  suites: string[];
  /** a user grid, which then is the only suite */
  spec?: string;
  /** bench and parity files carried into the result */
  bench?: string;
  parity?: string;
  /** a software WebGPU adapter judges every claim instead of bit-checking a sample against WASM */
  judgeAll: boolean;
  /** with judgeAll: the parts marked slowOnSoftware run there too */
  slow: boolean;
  /** every run's seeds moved by this */
  seedOffset: number;
  /** workers that train a WASM batch; Playwright processes */
  workers: number;
  parallel: number;
  /** the command as typed, recorded in the result */
  command: string;
  /** whose weight snapshots the written report keeps */
  snapshots: SnapshotPolicy;
}

export const RUN_OPTIONS_ENV = 'CONDENSA_RUN';

export function defaultRunOptions(): SuiteRunOptions {
  return {
    scale: 'ci',
    driver: 'playwright',
    out: 'reports',
    smoke: false,
    suites: [],
    judgeAll: false,
    slow: false,
    seedOffset: 0,
    workers: allCores(),
    parallel: 1,
    command: process.argv.slice(1).join(' '),
    snapshots: 'figures',
  };
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], name: string): T {
  if (!(allowed as readonly unknown[]).includes(value))
    throw new Error(`${RUN_OPTIONS_ENV}.${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  return value as T;
}

/** This run's options: CONDENSA_RUN over the defaults, each field checked. */
export function runOptions(): SuiteRunOptions {
  const raw = process.env[RUN_OPTIONS_ENV];
  if (!raw) return defaultRunOptions();
  let given: Partial<SuiteRunOptions>;
  try {
    given = JSON.parse(raw) as Partial<SuiteRunOptions>;
  } catch (err) {
    throw new Error(`${RUN_OPTIONS_ENV} is not JSON: ${(err as Error).message}`);
  }
  const o = { ...defaultRunOptions(), ...given };
  oneOf(o.scale, SCALES, 'scale');
  oneOf(o.driver, DRIVERS, 'driver');
  oneOf(o.snapshots, SNAPSHOT_POLICIES, 'snapshots');
  parseSeedOffset(String(o.seedOffset), `${RUN_OPTIONS_ENV}.seedOffset`);
  parseWorkers(String(o.workers), `${RUN_OPTIONS_ENV}.workers`);
  parseWorkers(String(o.parallel), `${RUN_OPTIONS_ENV}.parallel`);
  if (!Array.isArray(o.suites) || o.suites.some((s) => typeof s !== 'string')) throw new Error(`${RUN_OPTIONS_ENV}.suites must be a list of suite ids`);
  return o;
}

/** The environment that hands `options` to another process. */
export const runOptionsEnv = (options: SuiteRunOptions): Record<string, string> => ({ [RUN_OPTIONS_ENV]: JSON.stringify(options) });
