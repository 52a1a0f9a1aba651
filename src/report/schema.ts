// The suite result JSON (`reports/suite-<device>.json`): what one `condensa suite` run on one device
// produced, as TypeBox schemas (the source of schema/suite-result.schema.json and of the types here),
// and the bench and parity files beside it. Versioned by SCHEMA; the HTML page, `report merge` and
// `report compare` read only this. Plain JSON throughout: a NaN is written as null and read back as NaN.
import Type, { type StaticDecode } from 'typebox';
import type { AdapterRecord } from '../webgpu/device.js';
import type { NodeEnvironment } from '../environment.js';
import { Closed } from '../engine/schema-parts.js';

export const SCHEMA = 'condensa/suite-result@1';
/** `condensa bench --json` and `condensa parity --json` files; schema/ holds the JSON Schema of each (urn:condensa:<name>@1). */
export const BENCH_SCHEMA = 'condensa/bench@1';
export const PARITY_SCHEMA = 'condensa/parity@1';

/** Markers of files written before the markers shared one style, read as their current form. */
const LEGACY_SCHEMAS: Record<string, string> = { 'condensa.bench/1': BENCH_SCHEMA, 'condensa.parity/1': PARITY_SCHEMA };

/** A file's schema marker, legacy markers read as today's. */
export function schemaOf(json: unknown): string | undefined {
  const s = typeof json === 'object' && json !== null ? (json as { schema?: unknown }).schema : undefined;
  return typeof s === 'string' ? (LEGACY_SCHEMAS[s] ?? s) : undefined;
}

/** A measured number: NaN and infinities are written as null, and read back as NaN. */
const real = (description = 'a measured number; NaN and infinities are written as null') =>
  Type.Codec(Type.Union([Type.Number(), Type.Null()], { description }))
    .Decode((v) => v ?? NaN)
    .Encode((v) => v);
export const Real = real();
export const Reals = Type.Array(Real);
export const Ints = Type.Array(Type.Integer());

/** The machine a file comes from (src/environment.ts). */
const EnvironmentFields = Type.Object({
  os: Type.String(),
  cpu: Type.String(),
  cores: Type.Integer(),
  memoryGiB: Type.Integer(),
  node: Type.String(),
  v8: Type.String(),
  timerResolutionMs: Real,
  ci: Type.Boolean(),
  wasm: Type.Object({ simd: Type.Boolean() }),
});
export const Environment = Type.Unsafe<NodeEnvironment>(EnvironmentFields);

/** The WebGPU adapter a project ran on (src/webgpu/device.ts). */
export const Adapter = Type.Unsafe<AdapterRecord>(
  Type.Object({
    vendor: Type.String(),
    architecture: Type.String(),
    device: Type.Optional(Type.String({ description: 'the GPU model as Dawn reports it, e.g. "nvidia-h200" (empty where the browser masks it)' })),
    description: Type.String(),
    isFallbackAdapter: Type.Boolean(),
    software: Type.Boolean({ description: 'SwiftShader (or another CPU rasteriser): figures from it are CPU figures' }),
    limits: Type.Optional(Type.Record(Type.String(), Type.Number())),
    features: Type.Optional(Type.Array(Type.String())),
    runtime: Type.Optional(Type.String()),
    timestampQuantization: Type.Optional(
      Type.Boolean({ description: "with timestamp-query: whether the device rounds timestamps to 65.536 µs (Dawn's timestamp_quantization toggle, measured)" }),
    ),
  }),
);

/** One row of `condensa bench`: an implementation of a task at a size, timed with tinybench. */
export const BenchRow = Type.Object({
  task: Type.String(),
  impl: Type.String(),
  variant: Type.Optional(Type.String({ description: 'the kernel variant a WebGPU implementation ran (e.g. "tiled", "large-blocks")' })),
  gpuWork: Type.Optional(
    Type.Object(
      { dispatches: Type.Number(), submits: Type.Number(), readBacks: Type.Number() },
      { description: 'our WebGPU rows: compute dispatches, queue submits and buffer read-backs per timed call (the mean over its calls)' },
    ),
  ),
  size: Type.String(),
  device: Type.String({ description: 'bench files from before BenchRow.device lack it: rerun condensa bench --json' }),
  medianMs: real('median wall time per call, or per training step for train-step rows'),
  gpuMedianMs: Type.Optional(Real),
  gflops: Real,
  runsPerSecond: Type.Optional(Real),
  rme: Real,
  samples: Type.Integer(),
});
export type BenchRow = StaticDecode<typeof BenchRow>;

/** One ratio column: how many times faster one implementation is than another at a size. */
export const BenchRatio = Closed({ what: Type.String(), size: Type.String(), value: Real });
export type BenchRatio = StaticDecode<typeof BenchRatio>;

export const ClaimOp = Type.Enum(['<', '<=', '>', '>=', '==']);
export type ClaimOp = StaticDecode<typeof ClaimOp>;

/** A claim's verdict on one project (engine + adapter). */
export const ClaimVerdict = Type.Object({
  suite: Type.String(),
  id: Type.String({ description: 'e.g. "T1.4a"' }),
  statement: Type.String({ description: 'what is asserted, in words, e.g. "C4 at γ = 1.75 (condensed)"' }),
  source: Type.String({ description: 'where the claim and threshold come from, e.g. "SCIENCE.md §3.6 T1.4"' }),
  project: Type.String(),
  engine: Type.String(),
  measured: Real,
  op: ClaimOp,
  threshold: Real,
  margin: real("signed distance to the threshold, positive when the claim holds (for '==': −|measured − threshold|)"),
  pass: Type.Boolean(),
  notApplicable: Type.Optional(
    Type.String({
      description: 'why the claim does not apply to these runs (e.g. no critical point reached); such a verdict has pass false and fails nothing',
    }),
  ),
  seeds: Type.Unsafe<number[]>({ ...Ints, description: 'seeds of the runs the claim read' }),
  pilot: Type.Union([Type.Number(), Type.String()], { description: 'the f64 pilot value of SCIENCE.md, or a range in words' }),
});
export type ClaimVerdict = StaticDecode<typeof ClaimVerdict>;

/** A weight snapshot prepared for plots: at most PLOT_NEURONS neurons (the largest amplitudes),
 * `order` lists them so that clusters are contiguous (rows of the cosine heat map). */
export const PlotSnapshot = Type.Object({
  step: Type.Integer(),
  D: Type.Integer({ description: 'weights per neuron (d + 1, bias last)' }),
  neurons: Type.Unsafe<number[]>({ ...Ints, description: 'the indices of the kept neurons in the network' }),
  a: Type.Unsafe<number[]>({ ...Reals, description: "kept neurons' output weights" }),
  w: Type.Unsafe<number[]>({ ...Reals, description: "kept neurons' input weights (neurons.length × D, row-major)" }),
  order: Type.Unsafe<number[]>({ ...Ints, description: 'a permutation of 0 … neurons.length − 1: the row order that shows clusters as blocks' }),
  kernel: Type.Optional(
    Type.Object(
      { C: Type.Integer(), k: Type.Integer() },
      { description: 'conv kernels (layered runs): each neuron is C channels of k × k, flattened in (c, dy, dx) order' },
    ),
  ),
});
export type PlotSnapshot = StaticDecode<typeof PlotSnapshot>;

const Curve = Type.Object({ step: Ints, value: Reals });

export const RunRecord = Type.Object(
  {
    label: Type.String({ description: 'the run\'s name within its part, e.g. "gamma=1.75"' }),
    seed: Type.Integer(),
    width: Type.Integer(),
    activation: Type.String(),
    steps: Type.Integer(),
    stopReason: Type.String(),
    restarts: Type.Integer(),
    lr: Real,
    initialLoss: Real,
    finalLoss: Real,
    hash: Type.String({ description: 'SHA-256 of the trajectory (src/engine/trajectory.ts)' }),
    loss: Type.Unsafe<{ step: number[]; value: number[] }>({ ...Curve, description: 'the loss curve, thinned to at most LOSS_POINTS points' }),
    measures: Type.Record(Type.String(), Real, { description: "the suite's measures of this run (name → value)" }),
    curves: Type.Optional(Type.Record(Type.String(), Curve, { description: 'measures along training, one value per weight snapshot (name → curve)' })),
    initial: Type.Optional(PlotSnapshot),
    final: Type.Optional(PlotSnapshot),
    deeper: Type.Optional(
      Type.Array(Type.Object({ layer: Type.String(), initial: PlotSnapshot, final: PlotSnapshot }), {
        description: "layered runs: more weight layers, each as its neurons' first and last snapshot",
      }),
    ),
  },
  { dependentRequired: { initial: ['final'], final: ['initial'] } },
);
export type RunRecord = StaticDecode<typeof RunRecord>;

/** One run trained on both engines by a bit-check. */
export const BitCheckRun = Type.Object({
  label: Type.String(),
  steps: Type.Integer({ minimum: 0, description: 'steps the WebGPU run trained' }),
  wasm: Type.String({ description: 'the WASM trajectory hash' }),
  webgpu: Type.String({ description: 'the WebGPU trajectory hash' }),
  firstDifference: Type.Optional(Type.String({ description: 'where the trajectories first part, when the hashes differ' })),
});
export type BitCheckRun = StaticDecode<typeof BitCheckRun>;

export const BitCheckRecord = Type.Object(
  {
    checked: Type.Integer({ minimum: 0, description: 'runs checked (one per kernel configuration, or all)' }),
    of: Type.Integer({ minimum: 0, description: "the part's runs" }),
    steps: Type.Optional(Type.Integer({ minimum: 0, description: 'each checked run trained only its first steps steps' })),
    runs: Type.Array(BitCheckRun),
  },
  { description: 'on a software WebGPU adapter: the sampled runs checked against WASM, hash for hash (the claims are judged on WASM)' },
);
export type BitCheckRecord = StaticDecode<typeof BitCheckRecord>;

export const PartRecord = Type.Object({
  suite: Type.String(),
  part: Type.String(),
  project: Type.String(),
  status: Type.Enum(['passed', 'failed', 'error', 'missing', 'skipped'], {
    description: 'skipped: with --judge-all, a part a software adapter does not judge; failed on a bit-checking project: its sample left the WASM bits',
  }),
  error: Type.Optional(Type.String({ description: 'the error that stopped the part (bad spec, lost device, time-out, …)' })),
  wallMs: Real,
  runs: Type.Array(RunRecord, { description: 'runs trained and judged (empty where the part was bit-checked)' }),
  bitCheck: Type.Optional(BitCheckRecord),
});
export type PartRecord = StaticDecode<typeof PartRecord>;

export const ProjectCheck = Type.Enum(['claims', 'bits'], {
  description:
    'what the project checks: the claims on its own runs, or a sample of runs against WASM bit for bit (a software adapter); absent in older results: claims',
});
export type ProjectCheck = StaticDecode<typeof ProjectCheck>;

export const ProjectRecord = Type.Object({
  name: Type.String({ description: 'e.g. "wasm", "webgpu-swiftshader", "webgpu-gpu"' }),
  engine: Type.Enum(['wasm', 'webgpu']),
  runtime: Type.Enum(['chromium', 'node']),
  driver: Type.Optional(Type.Enum(['playwright', 'puppeteer'])),
  adapter: Type.Optional(Adapter),
  browser: Type.Optional(
    Type.Unsafe<{ name: string; version: string; path: string; source: string; flags: string[] }>(Type.Object({ name: Type.String(), version: Type.String() })),
  ),
  check: Type.Optional(ProjectCheck),
  wallMs: real("summed wall time of the project's parts"),
});
export type ProjectRecord = StaticDecode<typeof ProjectRecord>;

const Point = Type.Unsafe<[number, number]>(Type.Array(Real, { minItems: 2, maxItems: 2, title: 'an [x, y] pair' }));
const PointSets = Type.Array(Type.Object({ label: Type.String(), points: Type.Array(Point) }));
const FigureHead = { id: Type.String(), title: Type.String(), project: Type.String(), caption: Type.Optional(Type.String()) };

/** A suite-level figure, computed in Node from the runs' measures of one project. */
export const SuiteFigure = Type.Union([
  Type.Object(
    {
      ...FigureHead,
      kind: Type.Literal('grid'),
      xLabel: Type.String(),
      yLabel: Type.String(),
      valueLabel: Type.String(),
      x: Type.Array(Type.Number(), { minItems: 1 }),
      y: Type.Array(Type.Number(), { minItems: 1 }),
      values: Type.Array(Type.Array(Type.Union([Type.Number(), Type.Null()])), { description: 'values[yi][xi], null where not measured' }),
      center: Type.Optional(real('a diverging colour scale centred here (e.g. 0 for a sign)')),
      lines: Type.Optional(
        Type.Unsafe<{ label: string; points: [number, number][] }[]>({ ...PointSets, description: 'lines drawn over the grid, in data coordinates' }),
      ),
      markers: Type.Optional(Type.Unsafe<{ label: string; points: [number, number][] }[]>({ ...PointSets, description: 'points marked over the grid' })),
    },
    { description: 'a heat map over a grid, e.g. S_w over (γ, γ′)' },
  ),
  Type.Object(
    {
      ...FigureHead,
      kind: Type.Literal('lines'),
      xLabel: Type.String(),
      yLabel: Type.String(),
      logX: Type.Optional(Type.Boolean()),
      logY: Type.Optional(Type.Boolean()),
      series: PointSets,
    },
    { description: 'curves, e.g. log RD against log m with one series per γ' },
  ),
  Type.Object(
    {
      ...FigureHead,
      kind: Type.Literal('table'),
      columns: Type.Array(Type.String()),
      rows: Type.Array(
        Type.Array(
          Type.Codec(Type.Union([Type.String(), Type.Number(), Type.Null()]))
            .Decode((v) => v ?? NaN)
            .Encode((v) => v),
        ),
      ),
    },
    { description: 'a small table, e.g. Hessian eigenvalue counts before/after a split; null cells are NaN' },
  ),
]);
export type SuiteFigure = StaticDecode<typeof SuiteFigure>;

const Status = Type.Enum(['passed', 'failed', 'incomplete']);

export const SuiteRecord = Type.Object({
  id: Type.String(),
  title: Type.String(),
  paper: Type.String(),
  figure: Type.String(),
  status: Type.Unsafe<'passed' | 'failed' | 'incomplete'>({
    ...Status,
    description: 'passed: every claim passed on every project that ran it; incomplete: a part is missing or errored',
  }),
  claims: Type.Array(ClaimVerdict),
  figures: Type.Optional(Type.Array(SuiteFigure, { description: "the suite's own figures (phase heat map, slopes, spectra), per project" })),
  parts: Type.Array(PartRecord),
});
export type SuiteRecord = StaticDecode<typeof SuiteRecord>;

/** What `condensa parity --json` writes. */
const Pair = Type.Object({ wasm: Real, webgpu: Real });
export const ParityFile = Type.Object(
  {
    schema: Type.Enum([PARITY_SCHEMA, 'condensa.parity/1']),
    createdAt: Type.String(),
    runtime: Type.Enum(['node', 'chromium']),
    browser: Type.Optional(Type.String()),
    env: Environment,
    adapter: Adapter,
    kernels: Type.Array(
      Closed({
        kernel: Type.String(),
        case: Type.String(),
        tolerance: Type.Enum(['exact', 'ulp', 'dot']),
        worstRatio: Real,
        worstIndex: Type.Integer(),
        maxAbsError: Real,
        exactFraction: Real,
        pass: Type.Boolean(),
      }),
    ),
    trajectories: Type.Array(
      Type.Object({
        name: Type.String(),
        steps: Pair,
        stopReason: Type.Optional(Type.Object({ wasm: Type.String(), webgpu: Type.String() })),
        restarts: Type.Optional(Pair),
        bitIdentical: Type.Boolean(),
        lossRelDiffMax: Real,
        lossRelDiffCurve: Type.Optional(Type.Array(Type.Unsafe<[number, number]>(Type.Array(Real, { minItems: 2, maxItems: 2, title: 'an [x, y] pair' })))),
        weightRelDiff: Type.Optional(Type.Array(Type.Object({ step: Type.Integer(), rel: Real }))),
        cosineMaxAbsDiff: Type.Optional(Real),
        rd: Pair,
        clusters: Type.Optional(Type.Union([Pair, Type.Null()])),
        oracleRelError: Type.Optional(Type.Union([Pair, Type.Null()])),
      }),
    ),
    pass: Type.Boolean(),
  },
  {
    description:
      'What condensa parity --json writes: every WGSL kernel × shape against WASM (largest error as a fraction of its declared budget) and five trajectories on both engines. Files written before the markers shared one style say condensa.parity/1.',
  },
);

export const SuiteResult = Type.Object(
  {
    schema: Type.Literal(SCHEMA),
    run: Type.Object({
      id: Type.String(),
      device: Type.String({ description: 'short name of the device the run came from (CONDENSA_DEVICE, else the host name)' }),
      commit: Type.String(),
      dirty: Type.Boolean(),
      scale: Type.Enum(['ci', 'full']),
      seedOffset: Type.Optional(Type.Integer({ description: "every run's seeds moved by this (condensa suite --seed-offset; absent in older results)" })),
      startedAt: Type.String(),
      finishedAt: Type.String(),
      complete: Type.Boolean({ description: 'false when a part failed to finish (crash, time-out, missing browser): claims kept, verdict not green' }),
      shard: Type.Optional(Type.String()),
      command: Type.String(),
      snapshots: Type.Optional(
        Type.Enum(['all', 'figures', 'none'], {
          description: "which runs' weight snapshots the written report keeps (src/report/compact.ts; absent in older results: all)",
        }),
      ),
    }),
    environment: Type.Unsafe<NodeEnvironment & { hostname: string }>(Type.Object({ ...EnvironmentFields.properties, hostname: Type.String() })),
    projects: Type.Array(ProjectRecord),
    suites: Type.Array(SuiteRecord),
    parity: Type.Optional(Type.Unknown({ description: 'merged in from condensa parity --json (urn:condensa:parity@1; not checked here)' })),
    bench: Type.Optional(Type.Array(BenchRow, { description: 'merged in from condensa bench --json' })),
    status: Type.Unsafe<'passed' | 'failed' | 'incomplete'>({ ...Status, description: 'passed only when every suite passed' }),
  },
  {
    description:
      "What one condensa suite run on one device produced (reports/suite-<device>.json). The code's reader (src/report/validate.ts) also checks what a schema cannot: snapshot array lengths against D and the kept neurons, permutations, increasing grid axes, table rows as long as their columns.",
  },
);
export type SuiteResult = StaticDecode<typeof SuiteResult>;

/** What `condensa bench --json` writes (its env: the machine's, whatever of it the writer knew). */
export const BenchFile = Type.Object(
  {
    schema: Type.Enum([BENCH_SCHEMA, 'condensa.bench/1']),
    createdAt: Type.Optional(Type.String()),
    env: Type.Object({
      ...Type.Partial(EnvironmentFields).properties,
      hostname: Type.Optional(Type.String()),
      device: Type.Optional(Type.String({ description: "the device's name on merged pages and sites (CONDENSA_DEVICE, else the host name)" })),
      webgpu: Type.Optional(
        Type.Union([
          Type.Literal('off'),
          Type.Object({
            adapter: Adapter,
            model: Type.Optional(Type.String({ description: 'the GPU model (src/webgpu/device.ts adapterModel)' })),
            timestampQuery: Type.Optional(Type.Boolean()),
            dawnFlags: Type.Optional(
              Type.String({
                description: "Dawn's create options, space-separated (files before the timestamp fix: CONDENSA_DAWN_FLAGS, empty for the default)",
              }),
            ),
          }),
        ]),
      ),
    }),
    rows: Type.Array(BenchRow),
    ratios: Type.Array(BenchRatio),
  },
  {
    description:
      'What condensa bench --json writes: the rows (one per task × implementation × size), the same-run ratios and the environment. Files written before the markers shared one style say condensa.bench/1.',
  },
);

export const PLOT_NEURONS = 240;
export const LOSS_POINTS = 400;
