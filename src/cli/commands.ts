// The table of `condensa` subcommands: options, help and examples, and a `run` that loads the modules
// it needs only when it runs (so `--help` and `--version` start in a fraction of a second).
import type { CommandDef } from './options.js';
import { str, list, flag, UsageError } from './options.js';
import { PROJECTS, DEFAULT_PROJECTS } from '../suite/projects.js';

const ADAPTERS = ['auto', 'swiftshader', 'gpu'] as const;

const bench: CommandDef = {
  name: 'bench',
  summary: 'Kernel, training-step and sweep benchmarks (tinybench), WASM SIMD and WebGPU beside the tfjs backends, with ratios and the environment.',
  options: {
    json: { type: 'string', arg: 'PATH', help: 'also write the rows, ratios and environment as JSON' },
    quick: { type: 'boolean', default: false, help: 'shorter time budgets per task' },
    filter: { type: 'string', arg: 'TEXT', help: 'only the tasks whose "task impl size" contains TEXT' },
    skip: { type: 'string', multiple: true, arg: 'TEXT', help: 'leave out the tasks whose "task impl size" contains TEXT' },
    webgpu: { type: 'string', default: 'auto', choices: [...ADAPTERS, 'off'], help: 'the WebGPU adapter for the webgpu rows, or off' },
    sweep: { type: 'boolean', default: false, help: 'add the phase-grid sweep (200 runs)' },
  },
  examples: ['condensa bench --quick --webgpu swiftshader --json reports/bench.json'],
  async run({ values }) {
    const { runBench } = await import('../bench/run.js');
    const webgpu = str(values, 'webgpu') as (typeof ADAPTERS)[number] | 'off';
    await runBench({
      json: str(values, 'json'),
      quick: flag(values, 'quick'),
      filter: str(values, 'filter'),
      skip: list(values, 'skip'),
      webgpu,
      sweep: flag(values, 'sweep'),
    });
    return 0;
  },
};

const run: CommandDef = {
  name: 'run',
  summary:
    'Train one RunSpec and write its report (JSON + HTML). stdout holds only the summary JSON (steps, losses, trajectory hash); progress goes to stderr.',
  args: 'SPEC.json',
  positionals: [1, 1],
  options: {
    backend: { type: 'string', default: 'wasm', choices: ['wasm', 'reference', 'webgpu'], help: 'the engine' },
    adapter: { type: 'string', default: 'auto', choices: ADAPTERS, help: 'the WebGPU adapter (with --backend webgpu)' },
    out: { type: 'string', arg: 'PATH', help: 'also write the whole trajectory as JSON' },
    report: { type: 'string', default: 'reports', arg: 'DIR', help: 'where the run report goes' },
  },
  examples: ['condensa run examples/condensed.json', 'condensa run spec.json --backend webgpu --adapter swiftshader'],
  async run({ values, positionals, typed }) {
    const { runSpecCommand } = await import('./run-spec.js');
    return runSpecCommand(positionals[0], {
      backend: str(values, 'backend')!,
      adapter: str(values, 'adapter') as (typeof ADAPTERS)[number],
      out: str(values, 'out'),
      report: str(values, 'report')!,
      typed,
    });
  },
};

const parity: CommandDef = {
  name: 'parity',
  summary:
    'WebGPU against WASM: every kernel within its declared tolerance, and five trajectories side by side; or, with --trace, a layered run replayed call by call, naming the first call over its budget.',
  options: {
    runtime: { type: 'string', default: 'node', choices: ['node', 'chromium'], help: 'Dawn in Node or WebGPU in headless Chromium (--trace: node)' },
    adapter: { type: 'string', default: 'swiftshader', choices: ADAPTERS, help: 'the WebGPU adapter' },
    json: { type: 'string', arg: 'PATH', help: 'write the parity file (with --trace: the trace file)' },
    trace: {
      type: 'string',
      arg: 'SPEC.json',
      help: 'replay this layered RunSpec on WASM and WebGPU call by call and name the first kernel call over its budget',
    },
    steps: { type: 'string', default: '20', arg: 'N', help: "with --trace: trace at most N steps (the run's own maxSteps when smaller)" },
    'gpu-forms': {
      type: 'boolean',
      default: false,
      help: "with --trace: run the kernels' GPU forms (tiled and split-K GEMMs, reductions split 256 ways) whatever the adapter, e.g. to check a new variant on SwiftShader",
    },
  },
  examples: ['condensa parity --json reports/parity.json', 'condensa parity --trace spec.json --adapter gpu --steps 5 --json reports/trace.json'],
  async run({ values }) {
    const { writeJsonAtomic } = await import('./write.js');
    const adapter = str(values, 'adapter') as (typeof ADAPTERS)[number];
    const [spec, path] = [str(values, 'trace'), str(values, 'json')];
    if (spec !== undefined) {
      if (str(values, 'runtime') !== 'node') throw new UsageError('condensa parity: --trace runs in Node (Dawn): leave out --runtime chromium');
      const steps = Number(str(values, 'steps'));
      if (!Number.isInteger(steps) || steps < 1) throw new UsageError(`condensa parity: --steps must be a whole number ≥ 1, got "${str(values, 'steps')}"`);
      const { parityTrace } = await import('../webgpu/parity-report.js');
      const trace = await parityTrace(spec, adapter, steps, values['gpu-forms'] === true);
      if (path) console.error(`wrote ${writeJsonAtomic(path, trace)}`);
      return trace.pass ? 0 : 1;
    }
    const { parityReport } = await import('../webgpu/parity-report.js');
    const report = await parityReport(str(values, 'runtime') as 'node' | 'chromium', adapter);
    if (path) console.error(`wrote ${writeJsonAtomic(path, report)}`);
    return report.pass ? 0 : 1;
  },
};

const suite: CommandDef = {
  name: 'suite',
  summary: 'Run the reproduction suites headless, check every claim, write the report (JSON + HTML); exit 1 when a claim fails.',
  options: {
    scale: { type: 'string', default: 'ci', choices: ['ci', 'full'], help: "run sizes: ci (minutes on 2 cores) or full (the papers' sizes, for a GPU)" },
    runtime: { type: 'string', default: 'chromium', choices: ['chromium', 'node'], help: 'browser pages (Playwright/Puppeteer) or in-process' },
    driver: { type: 'string', default: 'playwright', choices: ['playwright', 'puppeteer'], help: 'the browser driver' },
    project: { type: 'string', multiple: true, choices: PROJECTS.map((p) => p.name), help: `engine and adapter (default: ${DEFAULT_PROJECTS.join(' and ')})` },
    suite: { type: 'string', multiple: true, arg: 'ID', help: 'only this suite' },
    smoke: { type: 'boolean', default: false, help: 'one small part per suite' },
    spec: { type: 'string', arg: 'GRID.json', help: 'a user grid through the same claim machinery' },
    shard: { type: 'string', arg: 'I/N', help: 'run shard I of N (Playwright)' },
    out: { type: 'string', default: 'reports', arg: 'DIR', help: 'where the report goes' },
    bench: { type: 'string', arg: 'BENCH.json', help: 'attach a bench file to the report' },
    parity: { type: 'string', arg: 'PARITY.json', help: 'attach a parity file to the report' },
    workers: { type: 'string', arg: 'N', help: 'WASM worker threads (default: every core)' },
    parallel: { type: 'string', arg: 'N', help: 'Playwright processes, each with its own browser (default: one per project, at most one per core)' },
    'judge-all': {
      type: 'boolean',
      default: false,
      help: 'on a software WebGPU adapter, train every run and judge every claim (default: bit-check a sample against WASM)',
    },
    slow: { type: 'boolean', default: false, help: 'with --judge-all: also the parts marked slow on a software adapter' },
    'seed-offset': { type: 'string', default: '0', arg: 'N', help: 'move every seed of every run by N' },
    snapshots: {
      type: 'string',
      default: 'figures',
      choices: ['all', 'figures', 'none'],
      help: 'whose weight snapshots the report keeps: every run, the first 2 runs of each part, or none',
    },
  },
  passThrough: 'Arguments after -- go to Playwright as they are, e.g. -- --grep T1.4 or -- --list.',
  examples: [
    'condensa suite',
    'condensa suite --suite condensation --runtime node',
    'condensa suite --project webgpu-gpu --scale full',
    'condensa suite -- --grep phase-diagram',
  ],
  async run({ values, passed, typed, suites }) {
    const { runSuites } = await import('../suite/cli-suite.js');
    return runSuites(
      {
        scale: str(values, 'scale')!,
        runtime: str(values, 'runtime')!,
        driver: str(values, 'driver')!,
        projects: list(values, 'project'),
        suites: list(values, 'suite'),
        smoke: flag(values, 'smoke'),
        spec: str(values, 'spec'),
        shard: str(values, 'shard'),
        out: str(values, 'out')!,
        bench: str(values, 'bench'),
        parity: str(values, 'parity'),
        workers: str(values, 'workers'),
        parallel: str(values, 'parallel'),
        judgeAll: flag(values, 'judge-all'),
        slow: flag(values, 'slow'),
        seedOffset: str(values, 'seed-offset')!,
        snapshots: str(values, 'snapshots')!,
      },
      passed,
      typed,
      await suites(),
    );
  },
};

const reportMerge: CommandDef = {
  name: 'report merge',
  summary: 'One cross-device comparison page from several suite results; a bench file joins the result of the same device.',
  args: 'FILE…',
  positionals: [1, Infinity],
  options: { out: { type: 'string', default: 'reports/merged.html', arg: 'PATH', help: 'the page to write' } },
  async run({ values, positionals }) {
    const { mergeCommand } = await import('../report/cli-report.js');
    return mergeCommand(positionals, str(values, 'out')!);
  },
};

const reportSite: CommandDef = {
  name: 'report site',
  summary:
    "A static site from suite results and bench files of several devices: device × claim and bench matrices, charts, each device's full report a click away. Opens from file://, deploys to GitHub Pages as it is.",
  args: 'FILE…',
  positionals: [1, Infinity],
  options: { out: { type: 'string', default: 'reports/site', arg: 'DIR', help: 'the folder to write (index.html, devices/, data/)' } },
  examples: ['condensa report site reports/laptop/suite-laptop.json reports/gpu/suite-h100.json bench-laptop.json bench-h100.json --out site'],
  async run({ values, positionals }) {
    const { buildSite } = await import('../report/site.js');
    const { index, pages } = await buildSite(positionals, str(values, 'out')!);
    console.log(`wrote ${index}${pages.map((p) => `\nwrote ${p}`).join('')}`);
    return 0;
  },
};

const reportCompare: CommandDef = {
  name: 'report compare',
  summary: 'Per-claim and per-bench changes between two results; exit 1 on a regression.',
  args: 'BASE.json NEW.json',
  positionals: [2, 2],
  options: { threshold: { type: 'string', default: '0.10', arg: 'F', help: 'relative slow-down that counts as a bench regression' } },
  async run({ values, positionals }) {
    const { compareCommand } = await import('../report/cli-report.js');
    return compareCommand(positionals[0], positionals[1], str(values, 'threshold')!);
  },
};

const reportShards: CommandDef = {
  name: 'report shards',
  summary: 'One report from the blob reports of a sharded Playwright run.',
  args: 'DIR…',
  positionals: [1, Infinity],
  options: {
    scale: { type: 'string', default: 'ci', choices: ['ci', 'full'], help: 'the scale the shards ran at' },
    out: { type: 'string', default: 'reports', arg: 'DIR', help: 'where the report goes' },
  },
  async run({ values, positionals }) {
    const { shardsCommand } = await import('../report/cli-report.js');
    return shardsCommand(positionals, str(values, 'scale')!, str(values, 'out')!);
  },
};

const env: CommandDef = {
  name: 'env',
  summary: 'The environment record every figure carries: CPU, cores, memory, Node, the browser found, the WebGPU adapter and its limits.',
  options: {
    json: { type: 'boolean', default: false, help: 'print JSON instead of a table' },
    adapter: { type: 'string', default: 'auto', choices: ADAPTERS, help: 'the WebGPU adapter to open through Dawn' },
  },
  async run({ values }) {
    const { envCommand } = await import('./env-command.js');
    return envCommand(flag(values, 'json'), str(values, 'adapter') as (typeof ADAPTERS)[number]);
  },
};

export const COMMANDS: readonly CommandDef[] = [suite, run, bench, parity, env, reportMerge, reportSite, reportCompare, reportShards];
