// The suite machinery: claims and their margins, suite declarations, user grids, result statuses,
// the condensation suite's claims on the WASM engine in Node (every one fails when the regime is
// flipped; that they hold at ci scale is checked where the suite runs in CI, `condensa suite`
// in npm test), and the runners' failures: no adapter, a missing browser, a time-out.
import { describe, it, expect, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWasm } from '../src/wasm/node.js';
import { runSuiteOnWasm, withRunOptions, withSpecs } from './support.js';
import type { WasmInstance } from '../src/wasm/load.js';
import { checkSuite, type SuiteDef } from '../src/suite/define.js';
import { judgeClaims } from '../src/suite/claims.js';
import { assembleResult } from '../src/suite/result.js';
import { userGridSuite } from '../src/suite/user-grid.js';
import { projectByName } from '../src/suite/projects.js';
import { runSuitesInNode } from '../src/runner/node-suite.js';
import { condensation } from '../suites/condensation.suite.js';
import { SUITES } from '../suites/index.js';
import { PHASE_RELU } from './specs.js';
import type { PartRecord, SuiteFigure, SuiteResult } from '../src/report/schema.js';
import { logLogSlope } from '../src/science/slope.js';

const GRID = new URL('./grids/condense-small.json', import.meta.url).pathname;
const SLOPES = new URL('./grids/phase-slopes.json', import.meta.url).pathname;
const CLI = new URL('../bin/condensa.js', import.meta.url).pathname;
const wasmProject = projectByName('wasm');
let wasm: WasmInstance;
beforeAll(async () => {
  wasm = await loadWasm();
});

const runOnWasm = (suite: SuiteDef) => runSuiteOnWasm(suite, wasm);

/** The same suite with the regime flipped: γ 1.75 ↔ 0.5, and std 1e-6 ↔ 1e-2, under the same labels. */
function flipped(suite: SuiteDef): SuiteDef {
  const flip = (spec: Record<string, any>) => {
    const init = { ...spec.init };
    if (init.gamma !== undefined) init.gamma = init.gamma === 1.75 ? 0.5 : 1.75;
    if (init.beta1 !== undefined) init.beta1 = init.beta2 = init.beta1 === 1e-6 ? 1e-2 : 1e-6;
    return { ...spec, init };
  };
  return withSpecs(suite, flip);
}

describe('suite declarations', () => {
  it.each(SUITES.flatMap((s) => (['ci', 'full'] as const).map((scale) => [s.id, scale, s] as const)))(
    '%s at %s scale: unique parts and runs, valid RunSpecs, every run a claim reads declared',
    (_, scale, suite) => {
      expect(checkSuite(suite, scale).length).toBeGreaterThan(0);
    },
  );
});

describe('claims', () => {
  const suite: SuiteDef = {
    id: 's',
    title: 't',
    paper: 'p',
    figure: 'f',
    parts: () => [
      {
        id: 'p',
        runs: [
          { label: 'a', spec: PHASE_RELU },
          { label: 'b', spec: PHASE_RELU },
        ],
        measures: ['C4'],
      },
    ],
    claims: () => [
      { id: 'lt', statement: 'x', source: 'here', pilot: 1, uses: ['p/a', 'p/b'], value: (ms) => Math.max(...ms.map((m) => m.C4)), op: '<', threshold: 0.5 },
      { id: 'ge', statement: 'y', source: 'here', pilot: 1, uses: ['p/b'], value: (ms) => ms[0].C4, op: '>=', threshold: 0.3 },
    ],
  };
  const record = (c4: number[]): PartRecord => ({
    suite: 's',
    part: 'p',
    project: 'wasm',
    status: 'passed',
    wallMs: 1,
    runs: c4.map((v, i) => ({ label: 'ab'[i], seed: i, measures: { C4: v } }) as never),
  });

  it('records measured value, signed margin, seeds and pass', () => {
    const { verdicts, pending } = judgeClaims(suite, 'ci', [record([0.2, 0.4])], 'wasm', 'wasm');
    expect(pending).toEqual([]);
    expect(verdicts.map((v) => [v.id, v.measured, v.pass, Number(v.margin.toFixed(6)), v.seeds])).toEqual([
      ['lt', 0.4, true, 0.1, [0, 1]],
      ['ge', 0.4, true, 0.1, [1]],
    ]);
    expect(judgeClaims(suite, 'ci', [record([0.2, 0.6])], 'wasm', 'wasm').verdicts[0]).toMatchObject({ pass: false, margin: expect.closeTo(-0.1, 9) });
  });

  it('a NaN measure fails its claim; a missing run leaves it pending', () => {
    expect(judgeClaims(suite, 'ci', [record([NaN, 0.4])], 'wasm', 'wasm').verdicts[0].pass).toBe(false);
    expect(judgeClaims(suite, 'ci', [], 'wasm', 'wasm').pending).toEqual(['lt', 'ge']);
  });

  it('a suite whose claim reads an undeclared run is refused', () => {
    const bad = { ...suite, claims: () => [{ ...suite.claims('ci')[0], uses: ['p/zz'] }] };
    expect(() => checkSuite(bad, 'ci')).toThrow(/claim lt reads run "p\/zz"/);
  });

  it('statuses: a failed claim fails the suite, a missing part makes it incomplete', () => {
    const base = {
      suites: [suite],
      scale: 'ci' as const,
      projects: [{ name: 'wasm', engine: 'wasm' as const, runtime: 'node' as const, wallMs: 0 }],
      startedAt: new Date().toISOString(),
      command: 'test',
    };
    expect(assembleResult({ ...base, parts: [record([0.2, 0.4])] }).status).toBe('passed');
    expect(assembleResult({ ...base, parts: [record([0.2, 0.9])] }).status).toBe('failed');
    const missing = assembleResult({ ...base, parts: [] });
    expect([missing.status, missing.run.complete, missing.suites[0].parts[0].status]).toEqual(['incomplete', false, 'missing']);
  });
});

describe('user grids (condensa suite --spec)', () => {
  it('expand the varied fields into runs grouped by shape family', () => {
    const suite = userGridSuite(GRID);
    const [part] = checkSuite(suite, 'ci');
    expect(part.runs.map((r) => r.label)).toEqual(['init.gamma=0.5', 'init.gamma=1.75']);
    expect(part.runs.map((r) => (r.spec.init as { gamma: number }).gamma)).toEqual([0.5, 1.75]);
  });

  it('vary any field path, list indices included, and name a path that misses', () => {
    const dir = mkdtempSync(join(tmpdir(), 'grid-'));
    const layers = [
      { type: 'conv2d', filters: 4, kernel: 3, init: { std: 1e-3 } },
      { type: 'activation', fn: 'relu' },
      { type: 'flatten' },
      { type: 'dense', units: 1, init: { std: 1e-3 } },
    ];
    const base = {
      data: { preset: 'gauss-images', n: 8, size: 6, channels: 1 },
      model: { layers, loss: 'mse' },
      optimizer: { kind: 'gd' },
      lr: 0.05,
      stop: { maxSteps: 5 },
      seed: 0,
    };
    const grid = (vary: object) => {
      const p = join(dir, 'g.json');
      writeFileSync(p, JSON.stringify({ id: 'layers', title: 't', base, vary, measures: ['finalLoss'], claims: [] }));
      return userGridSuite(p);
    };
    const [part] = checkSuite(grid({ 'model.layers.0.init.std': [1e-8, 1e-2] }), 'ci');
    expect(part.runs.map((r) => r.label)).toEqual(['model.layers.0.init.std=1e-8', 'model.layers.0.init.std=0.01']);
    const got = part.runs.map((r) => (r.spec.model as { layers: typeof layers }).layers);
    expect(got.map((l) => [l.length, l[0].init?.std, l[3].init?.std])).toEqual([
      [4, 1e-8, 1e-3],
      [4, 1e-2, 1e-3],
    ]);
    expect(() => grid({ 'model.layers.9.init.std': [1] })).toThrow(
      /vary\["model.layers.9.init.std"\] model.layers is a list of 4, so "9" names no entry of it/,
    );
    expect(() => grid({ 'model.layers.first.init': [1] })).toThrow(/model.layers is a list of 4, so "first" names no entry of it/);
  });

  it('name the field that is wrong', () => {
    const dir = mkdtempSync(join(tmpdir(), 'grid-'));
    const write = (g: object) => {
      const p = join(dir, 'g.json');
      writeFileSync(p, JSON.stringify(g));
      return p;
    };
    const good = JSON.parse(readFileSync(GRID, 'utf8'));
    expect(() => userGridSuite(write({ ...good, measures: ['C5'] }))).toThrow(/unknown measure "C5"/);
    expect(() => userGridSuite(write({ ...good, claims: [{ ...good.claims[0], op: '≈' }] }))).toThrow(/claims\[0\]\.op must be one of/);
    expect(() => userGridSuite(write({ ...good, claims: [{ ...good.claims[0], runs: ['nope'] }] }))).toThrow(/claims\[0\]\.runs names no run "nope"/);
    expect(() => userGridSuite(join(dir, 'absent.json'))).toThrow(/cannot read grid/);
    const badSpec = userGridSuite(write({ ...good, vary: { 'model.width': [200, 201] }, claims: [] }));
    expect(() => checkSuite(badSpec, 'ci')).toThrow(/run "group-2\/model.width=201": invalid RunSpec: model.width must be even with asi/);
    const slopes = JSON.parse(readFileSync(SLOPES, 'utf8'));
    const derive = (d: object[]) => () => userGridSuite(write({ ...slopes, derive: d, claims: [] }));
    expect(derive([{ id: 'S', slope: { y: 'C4', x: 'width', log: true }, groupBy: ['seed'] }])).toThrow(
      /derive\[0\]\.slope\.y must name a measure of the grid or an earlier derive \(RD, width\), got "C4"/,
    );
    expect(
      derive([
        { id: 'S', mean: 'RD', groupBy: ['seed'] },
        { id: 'T', mean: 'S', groupBy: ['init.gamma'] },
      ]),
    ).toThrow(/derive\[1\]\.groupBy "init.gamma" is not a groupBy field of "S" \(seed\)/);
    expect(derive([{ id: 'S', mean: 'RD', se: 'RD', groupBy: [] }])).toThrow(/derive\[0\] must have exactly one of slope, quantile, mean, se/);
    expect(() => userGridSuite(write({ ...slopes, claims: [{ ...slopes.claims[0], derived: 'S_x' }] }))).toThrow(
      /claims\[0\]\.derived names no derive "S_x" \(derives: S_w, S_w_mean, S_w_se, RD_q90\)/,
    );
  });

  it('derive slopes, seed means, standard errors and quantiles across runs, claim on them and draw them', async () => {
    const suite = userGridSuite(SLOPES);
    const parts = await runSuiteOnWasm(suite, wasm);
    const { verdicts, pending } = judgeClaims(suite, 'ci', parts, 'wasm', 'wasm');
    expect(pending).toEqual([]);
    expect(verdicts.map((v) => [v.id, v.pass])).toEqual([
      ['d1', true],
      ['d2', true],
      ['d3', true],
    ]);
    const byKey = new Map(parts.flatMap((p) => p.runs.map((r) => [`${p.part}/${r.label}`, r] as const)));
    const rd = (g: number, gp: number, s: number) =>
      [250, 500, 1000].map((m) => [...byKey.values()].find((r) => r.label === `init.gamma=${g} init.gammaPrime=${gp} model.width=${m} seed=${s}`)!.measures.RD);
    const slopes = [0, 1].map((s) => logLogSlope([250, 500, 1000], rd(1.75, 0, s)));
    const figures = suite.figures!('ci', (k) => byKey.get(k as `${string}/${string}`), 'wasm');
    const table = (id: string) => figures.find((f) => f.id === id) as Extract<SuiteFigure, { kind: 'table' }>;
    expect(
      table('derive-S_w')
        .rows.filter((r) => r[0] === 1.75 && r[1] === 0)
        .map((r) => r[3]),
    ).toEqual(slopes);
    const mean = table('derive-S_w_mean').rows.find((r) => r[0] === 1.75 && r[1] === 0)![2] as number;
    const se = table('derive-S_w_se').rows.find((r) => r[0] === 1.75 && r[1] === 0)![2] as number;
    expect(mean).toBeCloseTo((slopes[0] + slopes[1]) / 2, 12);
    expect(se).toBeCloseTo(Math.abs(slopes[0] - slopes[1]) / 2, 12);
    expect(verdicts.find((v) => v.id === 'd3')!.measured).toBe(Math.min(...slopes));
    const map = figures.find((f) => f.id === 'derive-S_w_mean-map') as Extract<SuiteFigure, { kind: 'grid' }>;
    expect([map.x, map.y, map.values.flat().every((v) => typeof v === 'number')]).toEqual([[0.5, 1.75], [0, 0.2], true]);
  });
});

describe('the condensation suite on WASM (Node)', () => {
  it('every claim fails when the regime is flipped (large init where small is claimed, and back)', async () => {
    const suite = flipped(condensation);
    const { verdicts } = judgeClaims(suite, 'ci', await runOnWasm(suite), 'wasm', 'wasm');
    expect(verdicts.length).toBe(condensation.claims('ci').length);
    expect(verdicts.filter((v) => v.pass).map((v) => `${v.id} ${v.measured}`)).toEqual([]);
  });

  it('T2.2 fails when its large-init arm is trained from small init (std 1e-4: it aligns, the contrast vanishes)', async () => {
    // only the regime T2.2 is about flips: the std 1e-2 arm starts from 1e-4 (still small: RD ≈ 200, it
    // condenses), the std 1e-6 arm it is contrasted with stays; T4.1a/b read that arm alone and still hold
    const suite = withSpecs(
      {
        ...condensation,
        parts: (scale) => condensation.parts(scale).filter((p) => p.id === 'T4.1-5d' || p.id === 'T2.2-5d'),
        claims: (scale) => condensation.claims(scale).filter((c) => ['T4.1a', 'T4.1b', 'T2.2'].includes(c.id)),
      },
      (spec, _, part) => (part === 'T2.2-5d' ? { ...spec, init: { ...(spec.init as object), beta1: 1e-4, beta2: 1e-4 } } : spec),
    );
    const { verdicts } = judgeClaims(suite, 'ci', await runOnWasm(suite), 'wasm', 'wasm');
    expect(verdicts.map((v) => `${v.id} ${v.pass}`)).toEqual(['T4.1a true', 'T4.1b true', 'T2.2 false']);
    expect(Math.abs(verdicts[2].measured)).toBeLessThan(0.01);
  });
});

describe('runner failures give a clear message and an honest report', () => {
  it('a project without its adapter: its parts are errors naming why, the result is incomplete', async () => {
    const { parts, projects } = await runSuitesInNode(
      [userGridSuite(GRID)],
      'ci',
      [wasmProject, projectByName('webgpu-gpu')],
      { seedOffset: 0, workers: 1 },
      () => {},
    );
    const gpuParts = parts.filter((p) => p.project === 'webgpu-gpu');
    expect(gpuParts.every((p) => p.status === 'error' && /no WebGPU device for webgpu-gpu/.test(p.error!))).toBe(true);
    const result = assembleResult({ suites: [userGridSuite(GRID)], scale: 'ci', projects, parts, startedAt: new Date().toISOString(), command: 'test' });
    // the wasm verdicts are kept: g1 passes, g2 (C4 > 0.9 at γ = 0.5) fails, so the suite fails
    expect(result.suites[0].claims.map((c) => `${c.project} ${c.id} ${c.pass}`)).toEqual(['wasm g1 true', 'wasm g2 false']);
    expect([result.status, result.run.complete]).toEqual(['failed', false]);
  });

  it('--judge-all: a slow part is skipped on SwiftShader without --slow, listed as such, and its claims are not pending', async () => {
    const grid = userGridSuite(GRID);
    const slow: SuiteDef = { ...grid, parts: (scale) => grid.parts(scale).map((p) => ({ ...p, slowOnSoftware: true })) };
    const swift = projectByName('webgpu-swiftshader');
    const { parts, projects } = await withRunOptions({ judgeAll: true }, () =>
      runSuitesInNode([slow], 'ci', [wasmProject, swift], { seedOffset: 0, workers: 1 }, () => {}),
    );
    expect(parts.map((p) => `${p.project} ${p.status}`)).toEqual(['wasm passed', 'webgpu-swiftshader skipped']);
    expect(parts[1].error).toMatch(/judged with --judge-all --slow/);
    const result = assembleResult({ suites: [slow], scale: 'ci', projects, parts, startedAt: new Date().toISOString(), command: 'test' });
    expect(result.suites[0].claims.map((c) => c.project)).toEqual(['wasm', 'wasm']);
    expect(result.suites[0].status).toBe('failed'); // g2 fails on wasm; nothing is pending
    expect(result.run.complete).toBe(true);
  });

  it('a part marked notOnSoftware: skipped with its reason under --judge-all (even with --slow), its first bitCheck.steps bit-checked otherwise', async () => {
    const grid = userGridSuite(GRID);
    const gpuOnly: SuiteDef = {
      ...grid,
      parts: (scale) => grid.parts(scale).map((p) => ({ ...p, notOnSoftware: 'hours on a CPU adapter', bitCheck: { steps: 50 } })),
    };
    const swift = [projectByName('webgpu-swiftshader')];
    const judged = await withRunOptions({ judgeAll: true, slow: true }, () => runSuitesInNode([gpuOnly], 'ci', swift, { seedOffset: 0, workers: 1 }, () => {}));
    expect(judged.parts.map((p) => [p.status, p.error])).toEqual([['skipped', 'not judged on a software adapter: hours on a CPU adapter']]);
    const { parts } = await runSuitesInNode([gpuOnly], 'ci', swift, { seedOffset: 0, workers: 1 }, () => {});
    expect(parts.map((p) => [p.status, p.bitCheck?.steps, p.bitCheck?.runs.map((r) => r.steps)])).toEqual([['passed', 50, [50]]]);
    const { bitCheck, ...noSteps } = gpuOnly.parts('ci')[0];
    expect(bitCheck).toBeDefined();
    expect(() => checkSuite({ ...gpuOnly, parts: () => [noSteps] }, 'ci')).toThrow(/notOnSoftware, so its bit-check needs bitCheck.steps/);
  });

  it("--seed-offset N moves every run's seeds by N and the result records it; 0 keeps the suite's own runs", async () => {
    const grid = userGridSuite(GRID);
    const seeded: SuiteDef = {
      ...grid,
      parts: (scale) =>
        grid
          .parts(scale)
          .map((p) => ({ ...p, runs: p.runs.map((r) => ({ ...r, spec: { ...r.spec, data: { preset: 'sin1d', n: 8 }, stop: { maxSteps: 200 } } })) })),
    };
    const [own, moved] = await Promise.all(
      [0, 7].map((offset) => runSuitesInNode([seeded], 'ci', [wasmProject], { seedOffset: offset, workers: 1 }, () => {})),
    );
    expect(own.parts[0].runs.map((r) => r.seed)).toEqual([0, 0]);
    expect(moved.parts[0].runs.map((r) => r.seed)).toEqual([7, 7]);
    own.parts[0].runs.forEach((r, i) => expect(moved.parts[0].runs[i].hash).not.toBe(r.hash));
    const again = await runSuitesInNode([seeded], 'ci', [wasmProject], { seedOffset: 0, workers: 1 }, () => {});
    expect(again.parts[0].runs.map((r) => r.hash)).toEqual(own.parts[0].runs.map((r) => r.hash));
    const result = assembleResult({
      suites: [seeded],
      scale: 'ci',
      seedOffset: 7,
      projects: moved.projects,
      parts: moved.parts,
      startedAt: new Date().toISOString(),
      command: 'test',
    });
    expect(result.run.seedOffset).toBe(7);
    expect(result.suites[0].claims.every((c) => c.seeds.every((seed) => seed === 7))).toBe(true);
  });

  it('a bad --seed-offset stops with a message before anything runs', () => {
    const r = spawnSync(process.execPath, [CLI, 'suite', '--spec', GRID, '--seed-offset', '1.5'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/--seed-offset must be an integer from 0 to 1000000, got "1.5"/);
  });

  it('a missing browser is named before anything runs', () => {
    const r = spawnSync(process.execPath, [CLI, 'suite', '--spec', GRID], {
      encoding: 'utf8',
      env: { ...process.env, CHROME_PATH: '/nonexistent/chrome' },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/CHROME_PATH is set to \/nonexistent\/chrome, but no file is there/);
  });

  it('a part that times out in Chromium is an error in the report, the run incomplete, other claims kept', () => {
    const dir = mkdtempSync(join(tmpdir(), 'suite-'));
    const grid = JSON.parse(readFileSync(GRID, 'utf8'));
    // a second shape family (ReLU on sin1d until R < 1e-5: it never gets there) that cannot finish in 3 s
    grid.vary = { data: [{ preset: 'luo2021-4pt' }, { preset: 'sin1d' }] };
    grid.base.stop = { maxSteps: 3_000_000, lossBelow: 1e-5 };
    grid.timeoutSeconds = 3;
    grid.claims = [{ id: 'g1', statement: 'C4 on the 4 points', runs: ['data={"preset":"luo2021-4pt"}'], measure: 'C4', op: '>', threshold: 0.9 }];
    writeFileSync(join(dir, 'grid.json'), JSON.stringify(grid));
    const r = spawnSync(process.execPath, [CLI, 'suite', '--spec', join(dir, 'grid.json'), '--project', 'wasm', '--out', dir], {
      encoding: 'utf8',
      timeout: 170_000,
      env: { ...process.env, CONDENSA_DEVICE: 'timeout-test' },
    });
    expect(r.status).not.toBe(0);
    const result: SuiteResult = JSON.parse(readFileSync(join(dir, 'suite-timeout-test.json'), 'utf8'));
    const parts = result.suites[0].parts;
    expect(parts.map((p) => p.status)).toContain('error');
    expect(parts.find((p) => p.status === 'error')!.error).toMatch(/timed out after 3 s/);
    expect([result.status, result.run.complete]).toEqual(['incomplete', false]);
    expect(result.run.command).toBe(`condensa suite --spec ${join(dir, 'grid.json')} --project wasm --out ${dir}`);
    expect(result.suites[0].claims.map((c) => `${c.id} ${c.pass}`)).toEqual(['g1 true']);
  }, 180_000);
});
