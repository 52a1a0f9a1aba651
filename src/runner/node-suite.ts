// `condensa suite --runtime node`: the same suites without a browser, for fast local loops: the WASM
// engine on a pool of worker threads (or in this thread with --workers 1) and WebGPU through Dawn (on a
// software adapter a bit-check of each part against WASM, src/suite/bit-check.ts). A project whose
// adapter cannot be opened gets its parts recorded as errors with the reason; the other projects still run.
import { loadWasm } from '../wasm/node.js';
import type { WasmInstance } from '../wasm/load.js';
import { openNodePool } from '../engine/node-pool.js';
import type { WorkerPool } from '../engine/worker-pool.js';
import { createEngine } from '../engine/index.js';
import { openNodeDevice } from '../webgpu/node.js';
import type { GpuContext } from '../webgpu/device.js';
import type { PartRecord, ProjectRecord } from '../report/schema.js';
import { checkSuite, type Scale, type SuiteDef } from '../suite/define.js';
import type { ProjectDef } from '../suite/projects.js';
import { runPart, engineRunner, inTurnOrTogether } from '../suite/run-part.js';
import { partSkipped, projectCheck } from '../suite/select.js';
import { bitCheckPart } from '../suite/bit-check.js';
import { bitCheckText } from '../report/bit-check-text.js';

/** `workers` threads train each WASM batch (1: in this thread). */
export async function runSuitesInNode(
  suites: SuiteDef[],
  scale: Scale,
  projects: ProjectDef[],
  opts: { seedOffset: number; workers: number },
  log: (line: string) => void,
): Promise<{ parts: PartRecord[]; projects: ProjectRecord[] }> {
  const wasm = await loadWasm();
  // a bit-check trains its sample on WASM too, so any project may need the pool
  const pool = opts.workers > 1 ? openNodePool(wasm.module, opts.workers) : undefined;
  try {
    return await runProjects(suites, scale, projects, wasm, pool, opts.seedOffset, log);
  } finally {
    pool?.close();
  }
}

async function runProjects(
  suites: SuiteDef[],
  scale: Scale,
  projects: ProjectDef[],
  wasm: WasmInstance,
  pool: WorkerPool | undefined,
  seedOffset: number,
  log: (line: string) => void,
): Promise<{ parts: PartRecord[]; projects: ProjectRecord[] }> {
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
    const check = projectCheck(project.engine, Boolean(gpu?.adapter.software));
    records.push({ name: project.name, engine: project.engine, runtime: 'node', ...(gpu ? { adapter: gpu.adapter } : {}), check, wallMs: 0 });
    const engine = failure ? undefined : createEngine(project.engine, wasm, gpu, pool);
    const runner = engine && engineRunner(engine);
    const truth = check === 'bits' ? engineRunner(createEngine('wasm', wasm, undefined, pool)) : undefined;
    const jobs = suites.flatMap((suite) =>
      checkSuite(suite, scale).map((part) => async (): Promise<PartRecord> => {
        const record: PartRecord = failure
          ? { suite: suite.id, part: part.id, project: project.name, status: 'error', error: failure, wallMs: 0, runs: [] }
          : check === 'bits'
            ? await bitCheckPart(suite, part, project, { truth: truth!, checked: runner! }, seedOffset)
            : (partSkipped(suite, part, project.name, Boolean(gpu?.adapter.software)) ?? (await runPart(suite, part, project, runner!, wasm, seedOffset)));
        const what = bitCheckText([record]) ?? `${record.runs.length} runs`;
        log(
          `${record.status === 'passed' ? 'ran' : record.status} ${suite.id}/${part.id} on ${project.name}: ${what}, ${(record.wallMs / 1000).toFixed(1)} s${record.error ? ` — ${record.error}` : ''}`,
        );
        return record;
      }),
    );
    // on a worker pool every part's runs queue at once (no core waits for a part's last run); else in turn
    parts.push(...(await inTurnOrTogether(jobs, runner?.concurrent ?? false)));
    gpu?.device.destroy();
  }
  return { parts, projects: records };
}
