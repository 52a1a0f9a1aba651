// The condensa Playwright reporter: collects the part and project records the suite tests attach,
// records a test that ended without one (crash, time-out, browser missing) as an errored part with
// its reason, then judges every claim, writes reports/suite-<device>.{json,html} and prints the
// verdicts. It makes the run fail when a claim failed or the run is incomplete; when no part ran
// (Playwright's --list) it writes nothing. It also runs under
// `playwright merge-reports`, turning merged shard blobs into one report.
import type { Reporter, FullConfig, Suite, TestCase, TestResult, FullResult } from '@playwright/test/reporter';
import type { PartRecord, ProjectRecord } from './schema.js';
import type { SuiteDef } from '../suite/define.js';
import { assembleResult } from '../suite/result.js';
import { selectedSuites, attachedSections } from '../suite/select.js';
import { runOptions } from '../suite/run-options.js';
import { projectByName } from '../suite/projects.js';
import { writeSuiteReport, summarize } from './write.js';
import { bitCheckText } from './bit-check-text.js';

const attached = <T>(result: TestResult, name: string): T | undefined => {
  const a = result.attachments.find((x) => x.name === name && x.body);
  return a ? (JSON.parse(a.body!.toString('utf8')) as T) : undefined;
};

export default class CondensaReporter implements Reporter {
  private readonly out: string;
  private readonly registry: readonly SuiteDef[];
  private readonly parts = new Map<string, PartRecord>();
  private readonly projects = new Map<string, ProjectRecord>();
  private projectNames: string[] = [];
  private shard?: string;
  private readonly startedAt = new Date().toISOString();

  /** `suites`: the registry the run selects from (playwright.config.ts hands in suites/index.ts) */
  constructor(options: { out?: string; suites: readonly SuiteDef[] }) {
    this.out = options.out ?? 'reports';
    this.registry = options.suites;
  }

  onBegin(config: FullConfig, suite: Suite): void {
    this.projectNames = suite.suites.filter((s) => s.allTests().length > 0).map((s) => s.title);
    if (config.shard) this.shard = `${config.shard.current}/${config.shard.total}`;
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const project = test.parent.project()?.name ?? '?';
    const [suiteId, partId] = test.titlePath().slice(-2);
    const projectRecord = attached<ProjectRecord>(result, 'condensa-project');
    if (projectRecord) this.projects.set(project, projectRecord);
    // a time-out closes the page under the running part: say so, whatever the part recorded after
    const timedOut = result.status === 'timedOut' ? `timed out after ${(result.duration / 1000).toFixed(0)} s (the part's budget)` : undefined;
    const recorded = attached<PartRecord>(result, 'condensa-part');
    const part: PartRecord =
      recorded && !timedOut
        ? recorded
        : {
            suite: suiteId,
            part: partId,
            project,
            status: 'error',
            wallMs: result.duration,
            runs: [],
            error: timedOut ?? (result.error?.message ?? `test ${result.status}`).split('\n')[0],
          };
    this.parts.set(`${project}/${suiteId}/${partId}`, part);
    const what = bitCheckText([part]) ?? `${part.runs.length} runs`;
    console.log(`[condensa] ${part.status} ${suiteId}/${partId} on ${project}: ${what}, ${(part.wallMs / 1000).toFixed(1)} s`);
  }

  async onEnd(result: FullResult): Promise<{ status?: FullResult['status'] }> {
    if (this.parts.size === 0) {
      // `-- --list`, or a --grep that matched nothing: no run, so no report (never a report of nothing)
      console.log('[condensa] no part ran: no report written');
      return {};
    }
    const projects = this.projectNames.map((name) => this.projects.get(name) ?? { ...pickProject(name), runtime: 'chromium' as const, wallMs: 0 });
    const options = runOptions();
    const suiteResult = assembleResult({
      suites: selectedSuites(this.registry),
      scale: options.scale,
      seedOffset: options.seedOffset,
      projects,
      parts: [...this.parts.values()],
      startedAt: this.startedAt,
      command: options.command,
      shard: this.shard,
      sections: attachedSections(),
    });
    if (result.status !== 'passed' && suiteResult.status === 'passed') suiteResult.status = 'incomplete';
    const files = await writeSuiteReport(suiteResult, this.out);
    console.log(`\n${summarize(suiteResult)}\nwrote ${files.json}\nwrote ${files.html}`);
    return { status: suiteResult.status === 'passed' && result.status === 'passed' ? 'passed' : 'failed' };
  }

  printsToStdio(): boolean {
    return true;
  }
}

function pickProject(name: string): Pick<ProjectRecord, 'name' | 'engine'> {
  const p = projectByName(name);
  return { name: p.name, engine: p.engine };
}
