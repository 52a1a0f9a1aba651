// The bit-check of a software WebGPU adapter (src/suite/bit-check.ts): which runs it samples (one per
// kernel configuration, or all), how a run is cut to its first steps, how the first difference of two
// trajectories is named, and a whole check through the Node runner on Dawn/SwiftShader: the sampled runs
// have the WASM bits, no claim is judged there, and --judge-all judges every claim again.
// (A broken kernel failing the check: test/bit-check-broken-kernel.test.ts.)
import { describe, it, expect } from 'vitest';
import { kernelConfig, bitCheckSample, firstSteps, firstDifference } from '../src/suite/bit-check.js';
import type { SuiteDef, SuitePart } from '../src/suite/define.js';
import type { PlainTrajectory } from '../src/engine/trajectory.js';
import { projectByName } from '../src/suite/projects.js';
import { runSuitesInNode } from '../src/runner/node-suite.js';
import { assembleResult } from '../src/suite/result.js';
import { summarize } from '../src/report/write.js';
import { phaseDiagram } from '../suites/phase-diagram.suite.js';
import { cnnCondensation } from '../suites/cnn-condensation.suite.js';
import { PHASE_RELU, XTANH_ADAM_DROPOUT } from './specs.js';
import { withRunOptions } from './support.js';

const part = (runs: Record<string, unknown>[], bitCheck?: SuitePart['bitCheck']): SuitePart => ({
  id: 'p',
  runs: runs.map((spec, i) => ({ label: `r${i}`, spec })),
  measures: [],
  ...(bitCheck ? { bitCheck } : {}),
});

describe('the sample a software adapter checks', () => {
  it('one run per kernel configuration: seeds, scales, rates and stop rules do not count; shapes, kinds and switches do', () => {
    const same = [PHASE_RELU, { ...PHASE_RELU, seed: 9, init: { gamma: 0.5, gammaPrime: 0 }, lr: { value: 0.1 }, stop: { maxSteps: 5 } }];
    expect(new Set(same.map(kernelConfig)).size).toBe(1);
    const other = [
      { ...PHASE_RELU, model: { ...PHASE_RELU.model, width: 251 } },
      { ...PHASE_RELU, model: { ...PHASE_RELU.model, activation: 'tanh' } },
      { ...PHASE_RELU, optimizer: { kind: 'adam' } },
      { ...PHASE_RELU, dropout: { keep: 0.9 } },
      { ...PHASE_RELU, data: { preset: 'sin1d', n: 37 } },
      { ...PHASE_RELU, data: { preset: 'sin1d', n: 38 } },
    ];
    expect(new Set([...same, ...other].map(kernelConfig)).size).toBe(1 + other.length);
    expect(bitCheckSample(part([...same, XTANH_ADAM_DROPOUT, ...same]))).toEqual([0, 2]);
    expect(bitCheckSample(part([...same, XTANH_ADAM_DROPOUT], { runs: 'all' }))).toEqual([0, 1, 2]);
  });

  it('layered runs: layer inits and which items of a data set do not count; layer sizes and the batch do', () => {
    const digits = cnnCondensation.parts('ci').find((p) => p.id === 'T3.1-digits')!;
    expect(digits.runs.length).toBeGreaterThan(1);
    expect(bitCheckSample(digits)).toEqual([0]); // the seeds differ in their digits (data.offset) and init
    const [spec] = digits.runs.map((r) => r.spec as Record<string, any>);
    const wider = {
      ...spec,
      model: { ...spec.model, layers: spec.model.layers.map((l: any) => (l.type === 'conv2d' ? { ...l, filters: l.filters + 1 } : l)) },
    };
    const batched = { ...spec, batch: { size: 10 } };
    expect(new Set([spec, wider, batched].map(kernelConfig)).size).toBe(3);
  });

  it("the suites' parts: one run of each phase-diagram width and data set (4 points, digits), both T3.3 arms", () => {
    for (const p of phaseDiagram.parts('ci'))
      expect(
        bitCheckSample(p).map((i) => p.runs[i].label),
        p.id,
      ).toEqual(['gamma=0.5 gp=0 q=0 seed=0', 'mnist gamma=1 gp=0 q=0 seed=0']);
    const t33 = cnnCondensation.parts('ci').filter((p) => p.id.startsWith('T3.3'));
    expect(t33.map((p) => [p.id, bitCheckSample(p).length, p.bitCheck?.steps])).toEqual([
      ['T3.3-small', 1, 4],
      ['T3.3-standard', 1, 4],
    ]);
  });

  it('a run cut to its first steps keeps its schedule and only the snapshots inside', () => {
    const cut = firstSteps(PHASE_RELU, 300);
    expect(cut.stop).toEqual({ maxSteps: 300, lossBelow: 1e-9 });
    expect(cut.snapshots).toEqual([100]);
    expect(cut.lr).toEqual(PHASE_RELU.lr);
    expect(firstSteps(PHASE_RELU, 5000).stop).toEqual(PHASE_RELU.stop);
  });
});

describe('where two trajectories first part', () => {
  const base: PlainTrajectory = {
    backend: 'wasm',
    spec: PHASE_RELU as never,
    shape: { n: 4, D: 2, m: 2 },
    scales: {} as never,
    loss: [1, 0.5, 0.25],
    lossEvery: 10,
    initialLoss: 1,
    finalLoss: 0.25,
    steps: 20,
    stopReason: 'max-steps',
    lr: 0.1,
    restarts: 0,
    snapshots: [{ step: 20, a: [1, 2], w: [3, 4, 5, 6] }],
    wallMs: 0,
  };
  it('names the first recorded step whose loss differs', () => {
    const other = { ...base, loss: [1, 0.5, 0.2500001] };
    expect(firstDifference(base, other)).toBe('the loss first differs at step 20 (losses recorded every 10 steps): WASM 0.25, WebGPU 0.2500001');
  });
  it('else how the runs ended, else the first snapshot whose weights differ', () => {
    expect(firstDifference(base, { ...base, restarts: 1 })).toMatch(
      /WASM ended after 20 steps \(max-steps, 0 restarts.*WebGPU after 20 \(max-steps, 1 restarts/,
    );
    const w = { ...base, snapshots: [{ step: 20, a: [1, 2], w: [3, 4, 5.5, 6] }] };
    expect(firstDifference(base, w)).toBe('the losses agree at every recorded step; the weights first differ in the snapshot of step 20 (w[2])');
  });
});

describe('a bit-check through the Node runner (Dawn, SwiftShader)', () => {
  const suite: SuiteDef = {
    id: 'bits',
    title: 'bit-check',
    paper: '-',
    figure: '-',
    parts: () => [
      { id: 'relu', runs: [0, 1, 2].map((seed) => ({ label: `seed=${seed}`, spec: { ...PHASE_RELU, seed, stop: { maxSteps: 300 } } })), measures: ['C4'] },
      { id: 'xtanh-adam-dropout', runs: [{ label: 'a', spec: { ...XTANH_ADAM_DROPOUT, stop: { maxSteps: 200 } } }], measures: ['C4'] },
    ],
    claims: () => [{ id: 'c1', statement: 'C4 at seed 0', source: '-', pilot: '-', uses: ['relu/seed=0'], value: ([m]) => m.C4, op: '>=', threshold: 0 }],
  };
  const projects = [projectByName('wasm'), projectByName('webgpu-swiftshader')];

  it('checks one run of each configuration against WASM, judges no claim there, and says so', async () => {
    const { parts, projects: records } = await runSuitesInNode([suite], 'ci', projects, { seedOffset: 0, workers: 1 }, () => {});
    expect(records.map((p) => p.check)).toEqual(['claims', 'bits']);
    const swift = parts.filter((p) => p.project === 'webgpu-swiftshader');
    expect(swift.map((p) => [p.part, p.status, p.bitCheck?.checked, p.bitCheck?.of, p.runs.length])).toEqual([
      ['relu', 'passed', 1, 3, 0],
      ['xtanh-adam-dropout', 'passed', 1, 1, 0],
    ]);
    // the sampled run's hash is the WASM project's own run's hash
    const wasmRun = parts.find((p) => p.project === 'wasm' && p.part === 'relu')!.runs[0];
    expect(swift[0].bitCheck!.runs[0]).toEqual({ label: 'seed=0', steps: 300, wasm: wasmRun.hash, webgpu: wasmRun.hash });
    const result = assembleResult({ suites: [suite], scale: 'ci', projects: records, parts, startedAt: new Date().toISOString(), command: 'test' });
    expect(result.suites[0].claims.map((c) => c.project)).toEqual(['wasm']);
    expect(result.status).toBe('passed');
    expect(summarize(result)).toContain('2 of 4 runs bit-checked, 2 = WASM on webgpu-swiftshader; claims judged on wasm');
  });

  it('--judge-all trains every run on the software adapter and judges the claims there too', async () => {
    const { parts, projects: records } = await withRunOptions({ judgeAll: true }, () =>
      runSuitesInNode([suite], 'ci', [projects[1]], { seedOffset: 0, workers: 1 }, () => {}),
    );
    expect(records[0].check).toBe('claims');
    expect(parts.map((p) => [p.part, p.runs.length, p.bitCheck])).toEqual([
      ['relu', 3, undefined],
      ['xtanh-adam-dropout', 1, undefined],
    ]);
    const result = assembleResult({ suites: [suite], scale: 'ci', projects: records, parts, startedAt: new Date().toISOString(), command: 'test' });
    expect(result.suites[0].claims.map((c) => `${c.project} ${c.id} ${c.pass}`)).toEqual(['webgpu-swiftshader c1 true']);
  });
});
