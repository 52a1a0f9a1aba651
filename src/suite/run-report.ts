// The report of `condensa run SPEC.json`: one trained RunSpec as a one-part suite with no claims, so
// a user's own experiment gets the same JSON and HTML page (measures, loss curve, heat maps,
// orientation scatter) as the reproduction suites.
import { basename } from 'node:path';
import type { WasmInstance } from '../wasm/load.js';
import { trajectoryHash, toPlain, type Trajectory } from '../engine/trajectory.js';
import type { AdapterRecord } from '../webgpu/device.js';
import type { SuiteDef } from './define.js';
import type { MeasureName } from './measures.js';
import { runPart } from './run-part.js';
import { assembleResult } from './result.js';
import { writeSuiteReport } from '../report/write.js';

const MEASURES_1D: MeasureName[] = ['RD', 'C4', 'clusters', 'active', 'medianCosZ', 'steps', 'finalLoss', 'restarts'];
const MEASURES: MeasureName[] = ['RD', 'medianCosZ', 'minCosZ', 'lines99', 'steps', 'finalLoss', 'restarts'];

export async function writeRunReport(o: {
  specPath: string;
  trajectory: Trajectory;
  engine: 'wasm' | 'webgpu';
  adapter?: AdapterRecord;
  wasm: WasmInstance;
  out: string;
  command: string;
  startedAt: string;
}): Promise<{ json: string; html: string }> {
  const name = basename(o.specPath).replace(/\.json$/, '');
  const part = {
    id: 'run',
    runs: [{ label: name, spec: o.trajectory.spec as unknown as Record<string, unknown> }],
    measures: o.trajectory.shape.D === 2 ? MEASURES_1D : MEASURES,
  };
  const suite: SuiteDef = {
    id: `run-${name}`,
    title: `condensa run ${o.specPath}`,
    paper: 'user experiment',
    figure: '',
    parts: () => [part],
    claims: () => [],
  };
  const project = {
    name: o.engine === 'webgpu' ? `webgpu-${o.adapter?.software ? 'swiftshader' : 'gpu'}` : 'wasm',
    engine: o.engine,
    adapter: 'swiftshader' as const,
  };
  const hash = await trajectoryHash(o.trajectory);
  const record = await runPart(suite, part, project, { runBatch: async () => [{ hash, trajectory: toPlain(o.trajectory) }] }, o.wasm);
  if (record.error) throw new Error(`cannot report the run: ${record.error}`);
  const result = assembleResult({
    suites: [suite],
    scale: 'ci',
    parts: [record],
    startedAt: o.startedAt,
    command: o.command,
    projects: [{ name: project.name, engine: o.engine, runtime: 'node', ...(o.adapter ? { adapter: o.adapter } : {}), wallMs: 0 }],
  });
  return writeSuiteReport(result, o.out, `run-${name}`, 'all');
}
