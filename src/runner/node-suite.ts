// `condensa suite --runtime node`: the same suites without a browser, for fast local loops: the WASM
// engine in-process and WebGPU through Dawn. A project whose adapter cannot be opened gets its
// parts recorded as errors with the reason; the other projects still run.
import { loadWasm } from '../wasm/node.js';
import { createEngine } from '../engine/index.js';
import { openNodeDevice } from '../webgpu/node.js';
import type { GpuContext } from '../webgpu/device.js';
import type { PartRecord, ProjectRecord } from '../report/schema.js';
import { checkSuite, type Scale, type SuiteDef } from '../suite/define.js';
import type { ProjectDef } from '../suite/projects.js';
import { runPart, engineRunner } from '../suite/run-part.js';
import { partSkipped } from '../suite/select.js';

export async function runSuitesInNode(suites: SuiteDef[], scale: Scale, projects: ProjectDef[], seedOffset: number, log: (line: string) => void): Promise<{ parts: PartRecord[]; projects: ProjectRecord[] }> {
  const wasm = await loadWasm();
  const parts: PartRecord[] = [];
  const records: ProjectRecord[] = [];
  for (const project of projects) {
    let gpu: GpuContext | undefined;
    let failure: string | undefined;
    if (project.engine === 'webgpu') {
      try {
        gpu = await openNodeDevice(project.adapter);
      } catch (err) {
        failure = `no WebGPU device for ${project.name}: ${(err as Error).message}`;
        log(failure);
      }
    }
    records.push({ name: project.name, engine: project.engine, runtime: 'node', ...(gpu ? { adapter: gpu.adapter } : {}), wallMs: 0 });
    const engine = failure ? undefined : createEngine(project.engine, wasm, gpu);
    const runner = engine && engineRunner(engine);
    for (const suite of suites) {
      for (const part of checkSuite(suite, scale)) {
        const record: PartRecord = failure
          ? { suite: suite.id, part: part.id, project: project.name, status: 'error', error: failure, wallMs: 0, runs: [] }
          : partSkipped(suite, part, project.name, Boolean(gpu?.adapter.software)) ?? await runPart(suite, part, project, runner!, wasm, seedOffset);
        log(`${record.status === 'passed' ? 'ran' : record.status} ${suite.id}/${part.id} on ${project.name}: ${record.runs.length} runs, ${(record.wallMs / 1000).toFixed(1)} s${record.error ? ` — ${record.error}` : ''}`);
        parts.push(record);
      }
    }
    gpu?.device.destroy();
  }
  return { parts, projects: records };
}
