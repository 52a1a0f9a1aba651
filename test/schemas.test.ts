// The JSON Schemas in schema/: the committed files are what src/schema-documents.ts builds from the
// TypeBox schemas the code validates with (`npm run schemas` writes them), and Ajv (draft 2020-12,
// strict) holds them against what Condensa reads and writes: every RunSpec of every suite and example,
// every grid in test/grids, a suite result and a bench file written here, and the parity and bench files
// from the NVIDIA runs. The code's validators and the schemas judge the same fixtures, valid and broken,
// alike.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync, readdirSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import { SUITES } from '../suites/index.js';
import { validateAnySpec } from '../src/model/spec.js';
import { userGridSuite } from '../src/suite/user-grid.js';
import { parseSuiteResult, parseBenchFile } from '../src/report/validate.js';
import { runSuitesInNode } from '../src/runner/node-suite.js';
import { assembleResult } from '../src/suite/result.js';
import { compactResult } from '../src/report/compact.js';
import { projectByName } from '../src/suite/projects.js';
import { runBench } from '../src/bench/run.js';
import type { SuiteResult } from '../src/report/schema.js';
import { schemaDocuments } from '../src/schema-documents.js';

const SCHEMA_DIR = new URL('../schema/', import.meta.url).pathname;
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const schemas: Record<string, ValidateFunction> = {};

beforeAll(() => {
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true, allowUnionTypes: true });
  const files = readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.schema.json'));
  for (const f of files) ajv.addSchema(readJson(join(SCHEMA_DIR, f)));
  for (const f of files) schemas[f.replace('.schema.json', '')] = ajv.getSchema(readJson(join(SCHEMA_DIR, f)).$id)!;
});

const check = (name: string, value: unknown) => {
  const ok = schemas[name](value);
  return { ok, errors: JSON.stringify(schemas[name].errors?.slice(0, 3)) };
};
const codeAccepts = (f: () => unknown) => {
  try {
    f();
    return true;
  } catch {
    return false;
  }
};

/** A valid two-layer spec and a valid layered one; the broken fixtures are small edits of these. */
const TWO_LAYER = readJson(new URL('../examples/condensed-relu.json', import.meta.url).pathname);
const LAYERED = {
  data: { preset: 'gauss-images', n: 8, channels: 1, size: 6 },
  model: { layers: [{ type: 'conv2d', filters: 2, kernel: 3 }, { type: 'activation', fn: 'tanh' }, { type: 'flatten' }, { type: 'dense', units: 1 }] },
  optimizer: { kind: 'adamw', weightDecay: 0.01 },
  lr: { value: 0.01, warmupSteps: 2, decay: 'cosine', decaySteps: 10 },
  batch: { size: 4 },
  stop: { maxSteps: 10 },
  seed: 1,
};
const edit = <T>(base: T, f: (x: any) => void): T => {
  const x = structuredClone(base);
  f(x);
  return x;
};

describe('JSON Schemas (schema/)', () => {
  it('the committed files are what the TypeBox schemas generate (npm run schemas)', () => {
    const generated = schemaDocuments();
    expect(readdirSync(SCHEMA_DIR).sort()).toEqual(Object.keys(generated).sort());
    for (const [file, doc] of Object.entries(generated)) expect(readJson(join(SCHEMA_DIR, file)), `schema/${file}: run npm run schemas`).toEqual(doc);
  });

  it('every schema compiles in strict mode and has a urn:condensa:<name>@1 id', () => {
    for (const f of readdirSync(SCHEMA_DIR).filter((x) => x.endsWith('.schema.json'))) {
      expect(readJson(join(SCHEMA_DIR, f)).$id).toBe(`urn:condensa:${f.replace('.schema.json', '')}@1`);
    }
    expect(Object.keys(schemas).sort()).toEqual(['bench', 'common', 'parity', 'run-spec', 'suite-result', 'user-grid']);
  });

  it('every RunSpec of every suite, at both scales, and the example fit run-spec', () => {
    let n = 0;
    for (const suite of SUITES)
      for (const scale of ['ci', 'full'] as const)
        for (const part of suite.parts(scale))
          for (const run of part.runs) {
            const r = check('run-spec', run.spec);
            expect(r.ok, `${suite.id}/${part.id}/${run.label} (${scale}): ${r.errors}`).toBe(true);
            n++;
          }
    expect(n).toBeGreaterThan(500);
    expect(check('run-spec', { $schema: '../schema/run-spec.schema.json', ...TWO_LAYER }).ok).toBe(true);
    expect(check('run-spec', LAYERED).ok).toBe(true);
  });

  it('code and schema agree on valid and broken RunSpecs', () => {
    const fixtures: [string, unknown, boolean][] = [
      ['two-layer', TWO_LAYER, true],
      ['layered', LAYERED, true],
      ['with $schema', { ...TWO_LAYER, $schema: 'x' }, true],
      ['unknown field', { ...TWO_LAYER, widht: 3 }, false],
      ['width 0', edit(TWO_LAYER, (s) => (s.model.width = 0)), false],
      ['unknown activation', edit(TWO_LAYER, (s) => (s.model.activation = 'swish')), false],
      ['negative lr', { ...TWO_LAYER, lr: -1 }, false],
      ['no seed', edit(TWO_LAYER, (s) => delete s.seed), false],
      ['keep 0', { ...TWO_LAYER, dropout: { keep: 0 } }, false],
      ['fractional maxSteps', edit(TWO_LAYER, (s) => (s.stop.maxSteps = 1.5)), false],
      ['unknown preset', edit(TWO_LAYER, (s) => (s.data = { preset: 'cifar' })), false],
      ['unknown layer', edit(LAYERED, (s) => s.model.layers.unshift({ type: 'lstm' })), false],
      ['kernel 0', edit(LAYERED, (s) => (s.model.layers[0].kernel = 0)), false],
      ['adamw with a typo', edit(LAYERED, (s) => (s.optimizer.weightdecay = 1)), false],
      ['mnist size 20', edit(LAYERED, (s) => (s.data = { preset: 'mnist', size: 20 })), false],
      ['empty layers', edit(LAYERED, (s) => (s.model.layers = [])), false],
      ['batch 0', { ...LAYERED, batch: { size: 0 } }, false],
      ['a layer norm', edit(LAYERED, (s) => s.model.layers.splice(2, 0, { type: 'layernorm', eps: 1e-5 })), true],
      ['a layer norm with eps 0', edit(LAYERED, (s) => s.model.layers.splice(2, 0, { type: 'layernorm', eps: 0 })), false],
      ['learned positions', edit(LAYERED, (s) => s.model.layers.splice(1, 0, { type: 'positional', init: { std: 0.1 } })), true],
      [
        'a token model',
        {
          ...LAYERED,
          data: { x: [[1, 2, 3]], y: [1] },
          model: { layers: [{ type: 'embedding', vocab: 5, dim: 2 }, { type: 'positional' }, { type: 'flatten' }, { type: 'dense', units: 1 }] },
        },
        true,
      ],
      ['an embedding without dim', edit(LAYERED, (s) => (s.model.layers = [{ type: 'embedding', vocab: 5 }])), false],
      [
        'the anchor task, attention and the last position',
        {
          ...LAYERED,
          data: { preset: 'anchor', perPair: 10, split: 'code', seed: 3 },
          model: {
            layers: [
              { type: 'embedding', vocab: 201, dim: 8 },
              { type: 'residual', layers: [{ type: 'attention', dk: 4 }] },
              { type: 'lastposition' },
              { type: 'dense', units: 201 },
            ],
            loss: 'softmax-ce',
          },
        },
        true,
      ],
      ['the anchor task split mod 8', edit(LAYERED, (s) => (s.data = { preset: 'anchor', split: 'mod8' })), false],
      ['attention without dk', edit(LAYERED, (s) => s.model.layers.splice(1, 0, { type: 'attention' })), false],
    ];
    for (const [name, spec, valid] of fixtures) {
      expect([name, check('run-spec', spec).ok, codeAccepts(() => validateAnySpec(spec))]).toEqual([name, valid, valid]);
    }
  });

  it('every grid in test/grids fits user-grid, and code and schema agree on broken grids', () => {
    const dir = new URL('./grids/', import.meta.url).pathname;
    const grid = readJson(join(dir, 'phase-slopes.json'));
    for (const f of readdirSync(dir)) expect(check('user-grid', readJson(join(dir, f))).ok, f).toBe(true);
    const tmp = mkdtempSync(join(tmpdir(), 'grid-'));
    const fixtures: [string, unknown, boolean][] = [
      ['grid', grid, true],
      ['with $schema', { $schema: '../schema/user-grid.schema.json', ...grid }, true],
      ['unknown top-level field', { ...grid, mesures: ['RD'] }, false],
      ['no measures', { ...grid, measures: [] }, false],
      ['bad id', { ...grid, id: 'a grid' }, false],
      ['claim op', edit(grid, (g) => (g.claims[0].op = '≥')), false],
      ['claim field typo', edit(grid, (g) => (g.claims[0].treshold = 1)), false],
      ['derive with two kinds', edit(grid, (g) => (g.derive[0].mean = 'RD')), false],
      ['derive field typo', edit(grid, (g) => (g.derive[0].groupby = [])), false],
      ['timeout 0', { ...grid, timeoutSeconds: 0 }, false],
    ];
    for (const [name, g, valid] of fixtures) {
      const path = join(tmp, 'grid.json');
      writeFileSync(path, JSON.stringify(g));
      expect([name, check('user-grid', g).ok, codeAccepts(() => userGridSuite(path).claims('ci'))]).toEqual([name, valid, valid]);
    }
  });

  describe('what Condensa writes', () => {
    let result: SuiteResult;
    beforeAll(async () => {
      const suite = SUITES.find((s) => s.id === 'multiplicity')!;
      const { parts, projects } = await runSuitesInNode([suite], 'ci', [projectByName('wasm')], { seedOffset: 0, workers: 2 }, () => {});
      const assembled = assembleResult({ suites: [suite], scale: 'ci', projects, parts, startedAt: new Date().toISOString(), command: 'test' });
      result = JSON.parse(JSON.stringify(compactResult(assembled, 'figures')));
    }, 120_000);

    it('a suite result fits suite-result, and code and schema agree on broken ones', () => {
      expect(check('suite-result', result).errors).toBe(undefined);
      const fixtures: [string, unknown, boolean][] = [
        ['result', result, true],
        ['status green', { ...result, status: 'green' }, false],
        ['claim without pass', edit(result, (r) => delete r.suites[0].claims[0].pass), false],
        ['run with initial but no final', edit(result, (r) => delete r.suites[0].parts[0].runs[0].final), false],
        ['unknown snapshot policy', edit(result, (r) => (r.run.snapshots = 'some')), false],
        ['part status', edit(result, (r) => (r.suites[0].parts[0].status = 'ok')), false],
      ];
      for (const [name, r, valid] of fixtures)
        expect([name, check('suite-result', r).ok, codeAccepts(() => parseSuiteResult(r, 'r.json'))]).toEqual([name, valid, valid]);
    });

    it('a bench file fits bench, and so do the NVIDIA bench and parity files', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'bench-'));
      await runBench({ quick: true, filter: 'gemm wasm-simd n=64', webgpu: 'off', json: join(dir, 'bench.json'), log: () => {} });
      const bench = readJson(join(dir, 'bench.json'));
      expect(check('bench', bench).errors).toBe(undefined);
      expect(codeAccepts(() => parseBenchFile(bench, 'bench.json'))).toBe(true);
      const figures = new URL('../docs/figures/nvidia-2026-11-27/', import.meta.url).pathname;
      expect(check('bench', readJson(join(figures, 'bench-h200-webgpu-rows.json'))).errors).toBe(undefined);
      for (const f of ['parity-h100.json', 'parity-h200.json']) expect(check('parity', readJson(join(figures, f))).errors, f).toBe(undefined);
      expect(check('bench', { ...bench, rows: [{ ...bench.rows[0], medianMs: 'fast' }] }).ok).toBe(false);
      expect(codeAccepts(() => parseBenchFile({ ...bench, rows: [{ ...bench.rows[0], medianMs: 'fast' }] }, 'b.json'))).toBe(false);
    }, 60_000);
  });
});
