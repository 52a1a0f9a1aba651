// What a reproduction suite declares (suites/<id>.suite.ts): its paper and figure, its parts (named
// groups of RunSpecs; the runs of a part share a shape family, so WebGPU trains them as one batch),
// the measures taken on each run, and the claims with thresholds from SCIENCE.md. No engine code:
// the runners (Playwright pages, Puppeteer, Node) execute parts; src/suite/claims.ts judges claims.
import type { ClaimOp, RunRecord, SuiteFigure } from '../report/schema.js';
import type { MeasureName } from './measures.js';
import { validateAnySpec } from '../model/spec.js';

export type Scale = 'ci' | 'full';
export const SCALES: readonly Scale[] = ['ci', 'full'];

/** The seeds a part trains at each scale: a few at ci, more at full (every suite's seed lists have this form). */
export type SeedsByScale = Readonly<Record<Scale, readonly number[]>>;

/** A scale named on the command line, or an error naming the choices. */
export function parseScale(text: string): Scale {
  if (!(SCALES as readonly string[]).includes(text)) throw new Error(`unknown scale "${text}" (expected ${SCALES.join(' or ')})`);
  return text as Scale;
}

/** The label of a run that differs from its part's other runs by its seed alone. */
export const seedLabel = (seed: number) => `seed=${seed}`;
/** A run's handle, "part/label": how claims (`uses`) and figures (`run(key)`) name the run a part declared. */
export const runKey = (part: string, label: string) => `${part}/${label}`;

export interface SuiteRun {
  /** unique within the suite's part, e.g. "gamma=1.75" */
  label: string;
  /** a RunSpec (validated by the engine) */
  spec: Record<string, unknown>;
}

export interface SuitePart {
  id: string;
  runs: SuiteRun[];
  /** measures taken on every run of the part */
  measures: MeasureName[];
  /** wall-time budget of the part on a software adapter, seconds (the Playwright test timeout) */
  timeoutSeconds?: number;
  /** with --judge-all, too slow for `npm run suite`'s budget on a software WebGPU adapter (SwiftShader): judged
   * there only with --slow; always runs on WASM and on a GPU */
  slowOnSoftware?: boolean;
  /** with --judge-all, never judged on a software WebGPU adapter, even with --slow: why (e.g. the hours it
   * would take there); such a part's bit-check trains only its first bitCheck.steps steps */
  notOnSoftware?: string;
  /** how a software adapter checks the part against WASM (by default one run per kernel configuration,
   * trained whole): every run, and/or only each checked run's first `steps` steps */
  bitCheck?: { runs?: 'all'; steps?: number };
  /** layered runs: measures along training, one value per snapshot (RunRecord.curves) */
  curves?: MeasureName[];
  /** layered runs: the weight layers ("model.layers[i]…" paths) whose first and last snapshots the report
   * draws besides the first weight layer (default: every conv layer after the first) */
  plotLayers?: string[];
}

/** A claim reads measures of named runs ("part/label") and compares one number with a threshold. */
export interface ClaimDef {
  id: string;
  statement: string;
  source: string;
  /** the f64 pilot value of SCIENCE.md (or a range in words) */
  pilot: number | string;
  /** the runs it reads, as "part/label" */
  uses: string[];
  /** the measured value, from the used runs' measures (in the order of `uses`) */
  value: (measures: Record<string, number>[]) => number;
  op: ClaimOp;
  threshold: number;
  /** why the claim does not apply to these measures (in the order of `uses`), or undefined when it does */
  notApplicable?: (measures: Record<string, number>[]) => string | undefined;
}

/** The suites a run can select from, loaded on demand: the CLI's entry (bin/condensa.js) hands in
 * suites/index.ts, so nothing under src/ imports suites/. */
export type SuiteRegistry = () => Promise<readonly SuiteDef[]>;

export interface SuiteDef {
  id: string;
  title: string;
  paper: string;
  figure: string;
  parts(scale: Scale): SuitePart[];
  claims(scale: Scale): ClaimDef[];
  /** figures drawn from one project's runs ("part/label" → run record, undefined when not run) */
  figures?: (scale: Scale, run: (key: string) => RunRecord | undefined, project: string) => SuiteFigure[];
  /** small enough for the smoke subset (the Puppeteer cross-check in CI) */
  smoke?: boolean;
}

/** Check a suite declaration before anything runs: unique part ids and run labels, valid RunSpecs,
 * claims reading runs that exist. */
export function checkSuite(suite: SuiteDef, scale: Scale): SuitePart[] {
  const parts = suite.parts(scale);
  const keys = new Set<string>();
  const ids = new Set<string>();
  for (const p of parts) {
    if (ids.has(p.id)) throw new Error(`suite ${suite.id}: part "${p.id}" is declared twice`);
    ids.add(p.id);
    if (p.runs.length === 0) throw new Error(`suite ${suite.id}: part "${p.id}" has no runs`);
    if (p.notOnSoftware && p.bitCheck?.steps === undefined)
      throw new Error(`suite ${suite.id}: part "${p.id}" is notOnSoftware, so its bit-check needs bitCheck.steps (how many steps a software adapter trains)`);
    for (const r of p.runs) {
      const key = runKey(p.id, r.label);
      if (keys.has(key)) throw new Error(`suite ${suite.id}: run "${key}" is declared twice`);
      keys.add(key);
      try {
        validateAnySpec(r.spec);
      } catch (err) {
        throw new Error(`suite ${suite.id}: run "${key}": ${(err as Error).message}`);
      }
    }
  }
  for (const c of suite.claims(scale)) {
    const missing = c.uses.find((u) => !keys.has(u));
    if (missing) throw new Error(`suite ${suite.id}: claim ${c.id} reads run "${missing}", which no part of the ${scale} scale declares`);
  }
  return parts;
}
