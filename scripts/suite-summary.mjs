// Compacts a suite result JSON for transport: the run record, environment, projects, every claim
// verdict and every part's status and wall time, with each run's scalars (no loss curves, no weights).
// usage: node scripts/suite-summary.mjs RESULT.json > SUMMARY.json
import { readFileSync } from 'node:fs';

const KEEP = ['label', 'seed', 'steps', 'stopReason', 'restarts', 'lr', 'initialLoss', 'finalLoss', 'hash', 'width', 'measures'];
const result = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const pick = (run) => Object.fromEntries(KEEP.filter((k) => k in run).map((k) => [k, run[k]]));
const summary = {
  schema: result.schema,
  run: result.run,
  environment: result.environment,
  projects: result.projects,
  status: result.status,
  suites: result.suites.map((s) => ({
    id: s.id,
    status: s.status,
    claims: s.claims,
    parts: s.parts.map((p) => ({
      part: p.part,
      project: p.project,
      status: p.status,
      wallMs: p.wallMs,
      ...(p.error ? { error: p.error } : {}),
      runs: p.runs.map(pick),
    })),
  })),
};
process.stdout.write(JSON.stringify(summary) + '\n');
