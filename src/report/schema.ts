// The suite result JSON (`reports/suite-<device>.json`): what one `condensa suite` run on one device
// produced. Versioned by SCHEMA; the HTML page, `report merge` and `report compare` read only this.
// Plain JSON throughout (numbers, strings, arrays), so a result survives files, pages and merges.
import type { AdapterRecord } from '../webgpu/device.js';
import type { NodeEnvironment } from '../environment.js';

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

/** One row of `condensa bench`: an implementation of a task at a size, timed with tinybench. */
export interface BenchRow {
  task: string;
  impl: string;
  device: string;
  size: string;
  /** median wall time per call, or per training step for train-step rows */
  medianMs: number;
  /** median GPU time (timestamp-query, tinybench's samples and rme) on the same basis, where the adapter has it */
  gpuMedianMs?: number;
  gflops: number;
  runsPerSecond?: number;
  rme: number;
  samples: number;
}

/** One ratio column: how many times faster one implementation is than another at a size. */
export interface BenchRatio {
  what: string;
  size: string;
  value: number;
}

export type ClaimOp = '<' | '<=' | '>' | '>=' | '==';

/** A claim's verdict on one project (engine + adapter). */
export interface ClaimVerdict {
  suite: string;
  /** e.g. "T1.4a" */
  id: string;
  /** what is asserted, in words, e.g. "C4 at γ = 1.75 (condensed)" */
  statement: string;
  /** where the claim and threshold come from, e.g. "SCIENCE.md §3.6 T1.4" */
  source: string;
  project: string;
  engine: string;
  measured: number;
  op: ClaimOp;
  threshold: number;
  /** signed distance to the threshold, positive when the claim holds (for '==': −|measured − threshold|) */
  margin: number;
  pass: boolean;
  /** set when the claim does not apply to these runs (e.g. no critical point was reached for a claim
   * about critical points): the reason; such a verdict has pass false and fails nothing */
  notApplicable?: string;
  /** seeds of the runs the claim read */
  seeds: number[];
  /** the f64 pilot value of SCIENCE.md, or a range in words */
  pilot: number | string;
}

/** A weight snapshot prepared for plots: at most PLOT_NEURONS neurons (the largest amplitudes),
 * `order` lists them so that clusters are contiguous (rows of the cosine heat map). */
export interface PlotSnapshot {
  step: number;
  /** weights per neuron (d + 1, bias last) */
  D: number;
  /** the indices of the kept neurons in the network */
  neurons: number[];
  /** kept neurons' output weights and input weights (neurons.length × D, row-major) */
  a: number[];
  w: number[];
  /** a permutation of 0 … neurons.length − 1: the row order that shows clusters as blocks */
  order: number[];
  /** conv kernels (layered runs): each neuron is C channels of k × k, flattened in (c, dy, dx) order */
  kernel?: { C: number; k: number };
}

export interface RunRecord {
  /** the run's name within its part, e.g. "gamma=1.75" */
  label: string;
  seed: number;
  width: number;
  activation: string;
  steps: number;
  stopReason: string;
  restarts: number;
  lr: number;
  initialLoss: number;
  finalLoss: number;
  /** SHA-256 of the trajectory (src/engine/trajectory.ts) */
  hash: string;
  /** the loss curve, thinned to at most LOSS_POINTS points */
  loss: { step: number[]; value: number[] };
  /** the suite's measures of this run (name → value) */
  measures: Record<string, number>;
  /** measures along training, one value per weight snapshot (name → curve), where the part asks for them */
  curves?: Record<string, { step: number[]; value: number[] }>;
  /** first and last snapshot, for the heat maps and the orientation scatter; absent where the report
   * keeps no snapshot of this run (run.snapshots) */
  initial?: PlotSnapshot;
  final?: PlotSnapshot;
  /** layered runs: more weight layers (the conv layers after the first, or those the part names), each as its neurons' first and last snapshot */
  deeper?: { layer: string; initial: PlotSnapshot; final: PlotSnapshot }[];
}

export interface PartRecord {
  suite: string;
  part: string;
  project: string;
  /** skipped: with --judge-all, a part a software adapter does not judge (slow without --slow, or never
   * there; the reason is in `error`); failed on a bit-checking project: its sample left the WASM bits */
  status: 'passed' | 'failed' | 'error' | 'missing' | 'skipped';
  /** the error that stopped the part (bad spec, lost device, time-out, …) */
  error?: string;
  wallMs: number;
  /** runs trained and judged (empty where the part was bit-checked) */
  runs: RunRecord[];
  /** on a software WebGPU adapter: the sampled runs checked against WASM, hash for hash (the claims are judged on WASM) */
  bitCheck?: BitCheckRecord;
}

/** One run trained on both engines by a bit-check. */
export interface BitCheckRun {
  label: string;
  /** steps the WebGPU run trained */
  steps: number;
  /** the two trajectory hashes */
  wasm: string;
  webgpu: string;
  /** where the trajectories first part, when the hashes differ */
  firstDifference?: string;
}

export interface BitCheckRecord {
  /** runs checked (one per kernel configuration, or all) and the part's runs */
  checked: number;
  of: number;
  /** each checked run trained only its first `steps` steps (a part too slow to train whole on a software adapter) */
  steps?: number;
  runs: BitCheckRun[];
}

export type ProjectCheck = 'claims' | 'bits';

export interface ProjectRecord {
  /** e.g. "wasm", "webgpu-swiftshader", "webgpu-gpu" */
  name: string;
  engine: 'wasm' | 'webgpu';
  runtime: 'chromium' | 'node';
  driver?: 'playwright' | 'puppeteer';
  adapter?: AdapterRecord;
  browser?: { name: string; version: string; path: string; source: string; flags: string[] };
  /** what the project checks: the claims on its own runs, or (a software WebGPU adapter, which keeps the
   * WASM order) a sample of runs against WASM bit for bit; absent in older results: claims */
  check?: ProjectCheck;
  /** summed wall time of the project's parts */
  wallMs: number;
}

/** A suite-level figure, computed in Node from the runs' measures of one project. */
export type SuiteFigure = { id: string; title: string; project: string; caption?: string } & (
  | {
      /** a heat map over a grid, e.g. S_w over (γ, γ′): values[yi][xi], null where not measured */
      kind: 'grid';
      xLabel: string;
      yLabel: string;
      valueLabel: string;
      x: number[];
      y: number[];
      values: (number | null)[][];
      /** a diverging colour scale centred here (e.g. 0 for a sign) */
      center?: number;
      /** lines drawn over the grid (e.g. theoretical boundaries), in data coordinates */
      lines?: { label: string; points: [number, number][] }[];
      /** points marked over the grid (e.g. measured zero crossings) */
      markers?: { label: string; points: [number, number][] }[];
    }
  | {
      /** curves, e.g. log RD against log m with one series per γ */
      kind: 'lines';
      xLabel: string;
      yLabel: string;
      logX?: boolean;
      logY?: boolean;
      series: { label: string; points: [number, number][] }[];
    }
  | {
      /** a small table, e.g. Hessian eigenvalue counts before/after a split */
      kind: 'table';
      columns: string[];
      rows: (string | number)[][];
    }
);

export interface SuiteRecord {
  id: string;
  title: string;
  paper: string;
  figure: string;
  /** passed: every claim passed on every project that ran it; incomplete: a part is missing or errored */
  status: 'passed' | 'failed' | 'incomplete';
  claims: ClaimVerdict[];
  /** the suite's own figures (phase heat map, slopes, spectra), per project */
  figures?: SuiteFigure[];
  parts: PartRecord[];
}

export interface SuiteResult {
  schema: typeof SCHEMA;
  run: {
    id: string;
    /** short name of the device the run came from (CONDENSA_DEVICE, else the host name) */
    device: string;
    commit: string;
    dirty: boolean;
    scale: 'ci' | 'full';
    /** every run's seeds moved by this (condensa suite --seed-offset; 0: the suites' own seeds; absent in older results) */
    seedOffset?: number;
    startedAt: string;
    finishedAt: string;
    /** false when a part failed to finish (crash, time-out, missing browser): claims kept, verdict not green */
    complete: boolean;
    shard?: string;
    command: string;
    /** which runs' weight snapshots the written report keeps (src/report/compact.ts; absent in older results: all) */
    snapshots?: 'all' | 'figures' | 'none';
  };
  environment: NodeEnvironment & { hostname: string };
  projects: ProjectRecord[];
  suites: SuiteRecord[];
  /** optional sections merged in from `condensa parity --json` and `condensa bench --json` */
  parity?: unknown;
  bench?: BenchRow[];
  /** passed only when every suite passed */
  status: 'passed' | 'failed' | 'incomplete';
}

export const PLOT_NEURONS = 240;
export const LOSS_POINTS = 400;
