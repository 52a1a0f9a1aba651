// Run records taken on worker threads (src/suite/record-pool.ts) equal those taken on this thread
// (src/suite/run-record.ts), for two-layer runs and for layered runs on digits with a curve and their conv
// layers plotted; a part on a WASM worker pool, its runs handed over one per call, gives the part record
// of one thread; and a measure that fails in a worker rejects with its own message.
import { describe, it, expect, beforeAll } from 'vitest';
import { loadWasm } from '../src/wasm/node.js';
import type { WasmInstance } from '../src/wasm/load.js';
import { createEngine } from '../src/engine/index.js';
import { engineRunner, runPart } from '../src/suite/run-part.js';
import { openNodePool } from '../src/engine/node-pool.js';
import { projectByName } from '../src/suite/projects.js';
import { runRecord, type TrainedRun } from '../src/suite/run-record.js';
import { recordTaker } from '../src/suite/record-pool.js';
import { checkSuite, type SuitePart } from '../src/suite/define.js';
import { condensation } from '../suites/condensation.suite.js';
import { cnnCondensation } from '../suites/cnn-condensation.suite.js';

let wasm: WasmInstance;
beforeAll(async () => {
  wasm = await loadWasm();
});

const partOf = (suite: typeof condensation, id: string) => checkSuite(suite, 'ci').find((p) => p.id === id)!;
const train = (part: SuitePart): Promise<TrainedRun[]> =>
  engineRunner(createEngine('wasm', wasm)).runBatch(
    'wasm',
    part.runs.map((r) => r.spec),
  );

describe('record pool', () => {
  for (const [suite, id, curves] of [
    [condensation, 'T1.4', undefined],
    [cnnCondensation, 'T3.2-digits', ['medianCosV1']],
  ] as const) {
    it(`${suite.id} ${id}: the records from worker threads are this thread's`, async () => {
      const part = { ...partOf(suite, id), ...(curves ? { curves: [...curves] } : {}) };
      const runs = await train(part);
      const labels = part.runs.map((r) => r.label);
      expect(runs.length).toBeGreaterThan(1);
      const here = await Promise.all(runs.map((run, i) => runRecord(part, labels[i], run, wasm)));
      const take = recordTaker(part, runs.length, wasm);
      expect(await Promise.all(runs.map((run, i) => take(labels[i], run)))).toEqual(here);
    }, 120_000);
  }

  it('a part on a worker pool, its runs one per call, gives the records of one thread', async () => {
    const part = partOf(condensation, 'T1.4');
    const pool = openNodePool(wasm.module, 2);
    try {
      const pooled = engineRunner(createEngine('wasm', wasm, undefined, pool));
      expect(pooled.wasmPool).toBe(true);
      const [one, two] = await Promise.all([
        runPart(condensation, part, projectByName('wasm'), engineRunner(createEngine('wasm', wasm)), wasm),
        runPart(condensation, part, projectByName('wasm'), pooled, wasm),
      ]);
      expect(two.status).toBe('passed');
      expect(two.runs).toEqual(one.runs);
    } finally {
      pool.close();
    }
  }, 120_000);

  it('a measure that throws in a worker rejects with its message', async () => {
    const part = partOf(condensation, 'T1.4');
    const runs = await train(part);
    // medianCosZ is a two-layer measure: asked of a layered run it names itself
    const layered = await train(partOf(cnnCondensation, 'T3.2-digits'));
    const take = recordTaker({ ...part, measures: ['medianCosZ'] }, 2, wasm);
    await expect(take('layered', layered[0])).rejects.toThrow(/medianCosZ/);
    expect((await take('two-layer', runs[0])).measures.medianCosZ).toBeGreaterThan(0);
  }, 120_000);
});
