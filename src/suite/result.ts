// Assemble a SuiteResult from the part records one run produced (any runner, any shard): every part
// each project should have run is listed (absent ones as "missing"), every claim is judged on each
// project, and the statuses follow one rule: a failed claim fails its suite; a missing or broken
// part, or a claim left pending, makes it incomplete; only a suite with every claim passed passes.
// A project that bit-checks (a software WebGPU adapter) judges no claim: its parts pass when their
// sampled runs have the WASM bits and fail otherwise. With --judge-all, a slow part skipped on a software
// adapter (no --slow) is listed as skipped and its claims are not judged on that project; the terminal
// summary and the page say so.
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { nodeEnvironment } from '../environment.js';
import { SCHEMA, type PartRecord, type ProjectRecord, type RunRecord, type SuiteFigure, type SuiteRecord, type SuiteResult } from '../report/schema.js';
import { checkSuite, type Scale, type SuiteDef } from './define.js';
import { judgeClaims, fails } from './claims.js';

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

export interface ResultInput {
  suites: readonly SuiteDef[];
  scale: Scale;
  /** every run's seeds moved by this (condensa suite --seed-offset) */
  seedOffset?: number;
  projects: ProjectRecord[];
  parts: PartRecord[];
  startedAt: string;
  command: string;
  shard?: string;
  /** bench rows and parity report carried into the result */
  sections?: Pick<SuiteResult, 'bench' | 'parity'>;
}

function suiteRecord(suite: SuiteDef, input: ResultInput): SuiteRecord {
  const expected = checkSuite(suite, input.scale);
  const parts: PartRecord[] = [];
  const claims: SuiteRecord['claims'] = [];
  const figures: SuiteFigure[] = [];
  /** the parts each claim reads */
  const partsRead = new Map(suite.claims(input.scale).map((c) => [c.id, c.uses.map((u) => u.split('/')[0])]));
  let pending = 0;
  for (const project of input.projects) {
    const own = expected.map(
      (p) =>
        input.parts.find((r) => r.suite === suite.id && r.part === p.id && r.project === project.name) ?? {
          suite: suite.id,
          part: p.id,
          project: project.name,
          status: 'missing' as const,
          wallMs: 0,
          runs: [],
        },
    );
    if (project.check === 'bits') {
      parts.push(...own);
      continue;
    }
    const judged = judgeClaims(
      suite,
      input.scale,
      own.filter((r) => r.status !== 'error'),
      project.name,
      project.engine,
    );
    // a claim left unjudged only because it reads a skipped slow part is reported by that part, not pending
    const skipped = new Set(own.filter((r) => r.status === 'skipped').map((r) => r.part));
    pending += judged.pending.filter((id) => !partsRead.get(id)!.some((p) => skipped.has(p))).length;
    claims.push(...judged.verdicts);
    const failedParts = new Set(judged.verdicts.filter(fails).flatMap((v) => partsRead.get(v.id)!));
    if (suite.figures) {
      const runs = new Map<string, RunRecord>(own.flatMap((r) => r.runs.map((run) => [`${r.part}/${run.label}`, run])));
      if (runs.size) figures.push(...suite.figures(input.scale, (key) => runs.get(key), project.name));
    }
    parts.push(...own.map((r) => (r.status === 'passed' && failedParts.has(r.part) ? { ...r, status: 'failed' as const } : r)));
  }
  const broken = parts.some((p) => p.status === 'error' || p.status === 'missing') || pending > 0;
  const status = claims.some(fails) || parts.some((p) => p.status === 'failed') ? 'failed' : broken ? 'incomplete' : 'passed';
  return { id: suite.id, title: suite.title, paper: suite.paper, figure: suite.figure, status, claims, ...(figures.length ? { figures } : {}), parts };
}

export function assembleResult(input: ResultInput): SuiteResult {
  const suites = input.suites.map((s) => suiteRecord(s, input));
  const projects = input.projects.map((p) => ({ ...p, wallMs: input.parts.filter((r) => r.project === p.name).reduce((s, r) => s + r.wallMs, 0) }));
  const finishedAt = new Date().toISOString();
  const complete = suites.every((s) => s.parts.every((p) => p.status !== 'error' && p.status !== 'missing'));
  const status = suites.some((s) => s.status === 'failed') ? 'failed' : suites.every((s) => s.status === 'passed') ? 'passed' : 'incomplete';
  const device = process.env.CONDENSA_DEVICE || os.hostname();
  return {
    schema: SCHEMA,
    run: {
      id: `${device}-${input.startedAt.replace(/[:.]/g, '-')}`,
      device,
      commit: git(['rev-parse', 'HEAD']) || 'unknown',
      dirty: git(['status', '--porcelain', '--untracked-files=no']) !== '',
      scale: input.scale,
      seedOffset: input.seedOffset ?? 0,
      startedAt: input.startedAt,
      finishedAt,
      complete,
      ...(input.shard ? { shard: input.shard } : {}),
      command: input.command,
    },
    environment: { ...nodeEnvironment(), hostname: os.hostname() },
    projects,
    suites,
    ...input.sections,
    status,
  };
}
