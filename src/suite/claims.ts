// Judge a suite's claims on one project's part records: each claim reads the measures of the runs it
// names, compares the value with its threshold and records measured value, margin, seeds and the
// pilot value. A claim whose runs are not all present (a shard, a part that failed) is pending; one
// that does not apply to its runs (ClaimDef.notApplicable) is reported with the reason, neither
// passing nor failing.
import type { ClaimOp, ClaimVerdict, PartRecord, RunRecord } from '../report/schema.js';
import type { ClaimDef, Scale, SuiteDef } from './define.js';

const HOLDS: Record<ClaimOp, (v: number, t: number) => boolean> = {
  '<': (v, t) => v < t,
  '<=': (v, t) => v <= t,
  '>': (v, t) => v > t,
  '>=': (v, t) => v >= t,
  '==': (v, t) => v === t,
};

/** Signed distance to the threshold, positive when the claim holds. */
function margin(op: ClaimOp, v: number, t: number): number {
  if (op === '==') return -Math.abs(v - t);
  return op === '<' || op === '<=' ? t - v : v - t;
}

/** The run records a claim reads, or undefined when one is missing. */
function usedRuns(claim: ClaimDef, parts: PartRecord[]): RunRecord[] | undefined {
  const runs: RunRecord[] = [];
  for (const use of claim.uses) {
    const slash = use.indexOf('/');
    const run = parts.find((p) => p.part === use.slice(0, slash))?.runs.find((r) => r.label === use.slice(slash + 1));
    if (!run) return undefined;
    runs.push(run);
  }
  return runs;
}

function judgeClaim(suite: SuiteDef, claim: ClaimDef, parts: PartRecord[], project: string, engine: string): ClaimVerdict | undefined {
  const runs = usedRuns(claim, parts);
  if (!runs) return undefined;
  const measures = runs.map((r) => r.measures);
  const notApplicable = claim.notApplicable?.(measures);
  const measured = claim.value(measures);
  const pass = !notApplicable && Number.isFinite(measured) && HOLDS[claim.op](measured, claim.threshold);
  return {
    suite: suite.id,
    id: claim.id,
    statement: claim.statement,
    source: claim.source,
    project,
    engine,
    measured,
    op: claim.op,
    threshold: claim.threshold,
    margin: margin(claim.op, measured, claim.threshold),
    pass,
    ...(notApplicable ? { notApplicable } : {}),
    seeds: [...new Set(runs.map((r) => r.seed))].sort((a, b) => a - b),
    pilot: claim.pilot,
  };
}

/** Verdicts of every claim whose runs are all in `parts`, and the ids of the claims still pending. */
export function judgeClaims(
  suite: SuiteDef,
  scale: Scale,
  parts: PartRecord[],
  project: string,
  engine: string,
): { verdicts: ClaimVerdict[]; pending: string[] } {
  const verdicts: ClaimVerdict[] = [];
  const pending: string[] = [];
  for (const claim of suite.claims(scale)) {
    const v = judgeClaim(suite, claim, parts, project, engine);
    if (v) verdicts.push(v);
    else pending.push(claim.id);
  }
  return { verdicts, pending };
}

/** A verdict that fails its suite: a claim that applies and does not hold. */
export const fails = (v: ClaimVerdict): boolean => !v.pass && !v.notApplicable;

/** One line per verdict, e.g. "PASS T1.4a C4 at γ = 1.75: 0.981 > 0.9 (margin 0.081) [wasm]". */
export function formatVerdict(v: ClaimVerdict): string {
  const num = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(4)).toString() : String(x));
  if (v.notApplicable) return `N/A  ${v.suite} ${v.id} ${v.statement}: not applicable, ${v.notApplicable} [${v.project}]`;
  return `${v.pass ? 'PASS' : 'FAIL'} ${v.suite} ${v.id} ${v.statement}: ${num(v.measured)} ${v.op} ${num(v.threshold)} (margin ${num(v.margin)}, pilot ${v.pilot}) [${v.project}]`;
}
