// The suite report: validation names the file and the field, the HTML page is self-contained and
// draws every plot in headless Chromium without page errors (screenshots in /tmp), the merged page
// lines devices up, and `report compare` flags claim regressions and bench slowdowns beyond the noise.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { findChromium, chromiumArgs } from '../src/runner/chromium.js';
import {
  SCHEMA,
  BENCH_SCHEMA,
  type BenchRow,
  type ClaimVerdict,
  type PlotSnapshot,
  type RunRecord,
  type SuiteFigure,
  type SuiteResult,
} from '../src/report/schema.js';
import { parseSuiteResult, readJsonFile } from '../src/report/validate.js';
import { renderSuiteHtml } from '../src/report/html.js';
import { renderMergedHtml } from '../src/report/merge.js';
import { compareResults, loadComparable } from '../src/report/compare.js';
import { compactResult, SNAPSHOT_RUNS, SNAPSHOT_RUN_NUMBERS, REPORT_LOSS_POINTS, PLOT_DIGITS } from '../src/report/compact.js';
import { buildSite } from '../src/report/site.js';
import { mergeCommand } from '../src/report/cli-report.js';

/** mulberry32: a small seeded generator, so the synthetic result is the same on every run */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** m neurons with D weights each: spread orientations and small amplitudes, or two condensed directions. */
function snapshot(step: number, m: number, D: number, condensed: boolean, rand: () => number): PlotSnapshot {
  const directions = [Array.from({ length: D }, (_, t) => Math.cos(0.7 + t)), Array.from({ length: D }, (_, t) => Math.sin(-2.4 + 2 * t))];
  const a: number[] = [],
    w: number[] = [],
    key: number[] = [];
  for (let k = 0; k < m; k++) {
    const row = condensed ? directions[k % 2].map((x) => x + 0.04 * (rand() - 0.5)) : Array.from({ length: D }, () => rand() - 0.5);
    const scale = condensed ? 0.3 + rand() : 0.01 * rand();
    w.push(...row.map((x) => x * scale));
    a.push((k % 4 < 2 ? 1 : -1) * scale * (condensed ? 1 : 0.5));
    key.push(condensed ? k % 2 : Math.atan2(row[1], row[0]));
  }
  const order = key.map((_, i) => i).sort((i, j) => key[i] - key[j] || i - j);
  return { step, D, neurons: Array.from({ length: m }, (_, k) => 2 * k), a, w, order };
}

function run(label: string, seed: number, D: number, m: number): RunRecord {
  const rand = random(seed + 1);
  const step = Array.from({ length: 400 }, (_, i) => i * 25);
  const value = step.map((s) => 0.5 * Math.exp(-s / (1500 + 500 * seed)) + 1e-6);
  const initial = snapshot(0, m, D, false, rand),
    final = snapshot(step.at(-1)!, m, D, true, rand);
  return {
    label,
    seed,
    width: 2 * m,
    activation: 'relu',
    steps: step.at(-1)!,
    stopReason: 'loss-below',
    restarts: seed,
    lr: 0.05,
    initialLoss: value[0],
    finalLoss: value.at(-1)!,
    hash: `${seed}`.repeat(64).slice(0, 64),
    loss: { step, value },
    measures: { RD: 7.9 + seed, clusters: 2, cosineMin: -0.98 },
    initial,
    final,
  };
}

function claim(project: string, id: string, measured: number, threshold: number, op: ClaimVerdict['op']): ClaimVerdict {
  const margin = op === '>' || op === '>=' ? measured - threshold : threshold - measured;
  return {
    suite: 'luo2021',
    id,
    statement: `C4 at γ = 1.75 (condensed) </script><b>not markup</b>`,
    source: 'SCIENCE.md §3.6 T1.4',
    project,
    engine: project.startsWith('wasm') ? 'wasm' : 'webgpu',
    measured,
    op,
    threshold,
    margin,
    pass: margin > 0,
    seeds: [0, 1],
    pilot: 0.93,
  };
}

/** One figure of each kind: a 5×5 sign heat map with a boundary and zero crossings (one cell not run),
 * RD against m on log–log axes for three γ, and a table of Hessian eigenvalue counts. */
function figures(project: string): SuiteFigure[] {
  const gamma = [0.6, 0.8, 1.0, 1.2, 1.4],
    gamma2 = [-0.4, -0.2, 0, 0.2, 0.4];
  const values = gamma2.map((g2, i) =>
    gamma.map((g, j) => (i === 4 && j === 0 ? null : Math.round(100 * (g - 1 - 0.8 * g2 + 0.05 * Math.sin(7 * i + j))) / 100)),
  );
  const m = [100, 200, 400, 800, 1600];
  return [
    {
      id: 'phase-grid',
      title: 'growth exponent S_w over (γ, γ′)',
      project,
      kind: 'grid',
      caption: 'S_w > 0: condensed; the line is the theoretical boundary.',
      xLabel: 'γ',
      yLabel: 'γ′',
      valueLabel: 'S_w',
      x: gamma,
      y: gamma2,
      values,
      center: 0,
      lines: [
        {
          label: 'theory: S_w = 0',
          points: [
            [1, -0.4],
            [1, 0],
            [1.4, 0.4],
          ],
        },
      ],
      markers: [
        {
          label: 'measured zero crossing',
          points: [
            [0.95, -0.4],
            [1.0, -0.2],
            [1.02, 0],
            [1.15, 0.2],
            [1.33, 0.4],
          ],
        },
      ],
    },
    {
      id: 'rd-vs-m',
      title: 'RD against width m',
      project,
      kind: 'lines',
      xLabel: 'width m',
      yLabel: 'RD',
      logX: true,
      logY: true,
      series: [0.5, 1, 1.75].map((g) => ({ label: `γ = ${g}`, points: m.map((w): [number, number] => [w, 3 * w ** (0.25 * g - 0.2)]) })),
    },
    {
      id: 'hessian-split',
      title: 'Hessian eigenvalues before and after a split',
      project,
      kind: 'table',
      columns: ['eigenvalues', 'before split', 'after split'],
      rows: [
        ['positive', 12, 14],
        ['zero', 0, 3],
        ['negative', 0, 0],
      ],
    },
  ];
}

const bench = (medianMs: number, rme: number, size = 'n=256'): BenchRow => ({
  task: 'gemm',
  impl: 'wasm-simd',
  device: 'cpu',
  size,
  medianMs,
  gflops: (2 * 256 ** 3) / (medianMs * 1e6),
  rme,
  samples: 100,
});

function syntheticResult(device: string, gpu: boolean, D = 2): SuiteResult {
  const gpuProject = gpu ? 'webgpu-gpu' : 'webgpu-swiftshader';
  const adapter = gpu
    ? { vendor: 'nvidia', architecture: 'hopper', device: '', description: 'NVIDIA H100 80GB HBM3', isFallbackAdapter: false, software: false }
    : { vendor: 'google', architecture: 'swiftshader', device: '', description: 'SwiftShader Device (Subzero)', isFallbackAdapter: true, software: true };
  const part = (project: string, status: 'passed' | 'failed') => ({
    suite: 'luo2021',
    part: 'phase-diagram',
    project,
    status,
    wallMs: 41_250,
    runs: [run('gamma=1.75', 0, D, D === 2 ? 60 : 40), run('gamma=0.5', 1, D, D === 2 ? 60 : 40)],
  });
  return {
    schema: SCHEMA,
    run: {
      id: `run-${device}`,
      device,
      commit: '9cd3c5b1234567890abcdef',
      dirty: false,
      scale: 'ci',
      startedAt: '2026-11-23T10:00:00.000Z',
      finishedAt: '2026-11-23T10:03:12.000Z',
      complete: true,
      command: 'npm run suite -- --scale ci',
    },
    environment: {
      os: 'Linux 6.18 x64',
      cpu: 'AMD EPYC',
      cores: 2,
      memoryGiB: 24,
      node: 'v20.20.2',
      v8: '11.3.244.8-node.38',
      wasm: { simd: true, relaxedSimd: false, threads: false },
      timerResolutionMs: 0.0003,
      ci: false,
      hostname: `${device}-host`,
    },
    projects: [
      {
        name: 'wasm',
        engine: 'wasm',
        runtime: 'chromium',
        driver: 'playwright',
        browser: { name: 'chromium', version: '147.0.7727.0', path: '/tmp/chromium', source: '@sparticuz/chromium', flags: [] },
        wallMs: 41_250,
      },
      {
        name: gpuProject,
        engine: 'webgpu',
        runtime: 'chromium',
        driver: 'playwright',
        adapter: { ...adapter, features: ['timestamp-query'], limits: { maxBufferSize: 2 ** 28 }, runtime: 'chromium' },
        browser: { name: 'chromium', version: '147.0.7727.0', path: '/tmp/chromium', source: '@sparticuz/chromium', flags: ['--enable-unsafe-webgpu'] },
        wallMs: 95_000,
      },
    ],
    suites: [
      {
        id: 'luo2021',
        title: 'Phase diagram of two-layer ReLU networks',
        paper: 'Luo, Xu, Ma, Zhang 2021 (JMLR)',
        figure: 'Fig. 2',
        status: gpu ? 'passed' : 'failed',
        claims: [claim('wasm', 'T1.4a', 0.97, 0.9, '>='), claim(gpuProject, 'T1.4a', gpu ? 0.95 : 0.42, 0.9, '>=')],
        figures: figures('wasm'),
        parts: [part('wasm', 'passed'), part(gpuProject, gpu ? 'passed' : 'failed')],
      },
    ],
    bench: [bench(gpu ? 1.1 : 1.2, 1.5), bench(gpu ? 9 : 10, 2, 'n=512')],
    ...(gpu
      ? {}
      : {
          parity: {
            runtime: 'chromium',
            browser: 'chromium 147',
            adapter,
            pass: true,
            kernels: [
              { kernel: 'gemm_nn', case: '64×64×64', tolerance: 'dot', worstRatio: 0.12, worstIndex: 5, maxAbsError: 1e-7, exactFraction: 0.93, pass: true },
            ],
            trajectories: [
              {
                name: 'relu GD',
                steps: { wasm: 1163, webgpu: 1163 },
                bitIdentical: true,
                lossRelDiffMax: 0,
                lossRelDiffCurve: [
                  [0, 0],
                  [19, 0],
                ],
                rd: { wasm: 7.97, webgpu: 7.97 },
              },
            ],
          },
        }),
    status: gpu ? 'passed' : 'failed',
  };
}

/** Plot containers a result's page should hold: the loss plot per part, per run two heat maps, two scatters
 * for 1-d inputs, and the suites' grid and lines figures. */
const expectedPlots = (r: SuiteResult) =>
  r.suites
    .flatMap((s) => s.parts)
    .reduce(
      (n, p) =>
        n +
        (p.runs.length ? 1 : 0) +
        p.runs.reduce((k, x) => k + (x.final ? (x.final.D === 2 ? 4 : 2) + (x.final.kernel ? 2 : 0) + 2 * (x.deeper?.length ?? 0) : 0), 0),
      0,
    ) + r.suites.flatMap((s) => s.figures ?? []).filter((f) => f.kind !== 'table').length;

describe('suite result validation', () => {
  it('accepts a result and reads null measures back as NaN', () => {
    const r = syntheticResult('laptop', false);
    const json = JSON.parse(JSON.stringify({ ...r, suites: [{ ...r.suites[0], claims: [{ ...r.suites[0].claims[0], measured: NaN }] }] }));
    const parsed = parseSuiteResult(json, 'a.json');
    expect(parsed.suites[0].claims[0].measured).toBeNaN();
    expect(parsed.suites[0].figures).toEqual(r.suites[0].figures);
  });

  it('names the file and the field it rejects', () => {
    const r = syntheticResult('laptop', false);
    expect(() => parseSuiteResult({ ...r, schema: 'condensa/suite-result@0' }, 'old.json')).toThrow(
      /old\.json is not a valid condensa suite result .*field schema must be "condensa\/suite-result@1"/,
    );
    const bad = structuredClone(r) as any;
    bad.suites[0].parts[1].runs[0].final.order = [0, 0, 1];
    expect(() => parseSuiteResult(bad, 'b.json')).toThrow(/b\.json .*field suites\[0\]\.parts\[1\]\.runs\[0\]\.final\.order must be a permutation of 0 … 59/);
    bad.suites[0].parts[1].runs[0].final.order = [...Array(60).keys()];
    bad.suites[0].figures[0].values[2] = [0.1, 0.2];
    expect(() => parseSuiteResult(bad, 'b.json')).toThrow(/b\.json .*field suites\[0\]\.figures\[0\]\.values\[2\] must be 5 values \(one per x\)/);
    bad.suites[0].figures[1].series[0].points[1] = [200];
    expect(() => parseSuiteResult({ ...bad, suites: [{ ...bad.suites[0], figures: bad.suites[0].figures.slice(1) }] }, 'b.json')).toThrow(
      /b\.json .*field suites\[0\]\.figures\[0\]\.series\[0\]\.points\[1\] must be an \[x, y\] pair/,
    );
    delete bad.run.device;
    expect(() => parseSuiteResult(bad, 'c.json')).toThrow(/c\.json .*field run\.device must be a string \(found nothing\)/);
  });
});

describe('report pages', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: (await findChromium()).path, args: chromiumArgs() });
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** Open a page, expand every part, wait for the plots, screenshot it (and its first figures apart), and report what it drew and any error. */
  async function look(html: string, png: string) {
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => ['error', 'warning'].includes(m.type()) && problems.push(`console ${m.type()}: ${m.text()}`));
    page.on('request', (r) => r.url().startsWith('data:') || problems.push(`request: ${r.url()}`));
    await page.setContent(html, { waitUntil: 'load' });
    await page.getByRole('button', { name: 'expand all parts' }).click();
    await page.waitForFunction(() => Array.from(document.querySelectorAll('.plot')).every((p) => p.querySelector('svg, canvas, img')), undefined, {
      timeout: 30_000,
    });
    const drawn = await page.evaluate(() => {
      const plots = Array.from(document.querySelectorAll('.plot'));
      return {
        plots: plots.length,
        withGraphic: plots.filter((p) => p.querySelector('svg, canvas, img')).length,
        failed: Array.from(document.querySelectorAll('.plot-error')).map((e) => e.textContent),
        heatImages: plots.filter(
          (p) => p.getAttribute('data-plot')?.startsWith('cosine') && p.querySelector('svg image')?.getAttribute('href')?.startsWith('data:image/'),
        ).length,
        kernelImages: plots.filter(
          (p) => p.getAttribute('data-plot')?.startsWith('kernels') && p.querySelector('svg image')?.getAttribute('href')?.startsWith('data:image/'),
        ).length,
        scatterDots: plots
          .filter((p) => p.getAttribute('data-plot') === 'orientation-final')
          .map((p) => p.querySelectorAll('g[aria-label="dot"] circle').length),
        lossLines: plots.filter((p) => p.getAttribute('data-plot') === 'loss').map((p) => p.querySelectorAll('g[aria-label="line"] path').length),
        figures: Array.from(document.querySelectorAll('.figure')).map((f) => {
          const chart = f.querySelector('.plot figure');
          const all = (selector: string) => Array.from(chart?.querySelectorAll(selector) ?? []);
          return {
            kind: f.getAttribute('data-figure'),
            svg: chart?.querySelector('svg') !== undefined && chart?.querySelector('svg') !== null,
            axisLabels: all('g[aria-label$="-axis label"] text').map((t) => t.textContent),
            cellTexts: all('g[aria-label="text"] text').map((t) => t.textContent),
            cells: all('g[aria-label="rect"] rect').length,
            linePaths: all('g[aria-label="line"] path').length,
            dots: all('g[aria-label="dot"] :is(circle, path)').length,
            ramp: all('svg[class$="-ramp"]').length,
            legend: (chart?.querySelector('div[class*="-swatches"]') as HTMLElement | null)?.innerText ?? '',
            key: (f.querySelector('.figure-key') as HTMLElement | null)?.innerText ?? '',
            text: (f as HTMLElement).innerText,
          };
        }),
        status: Array.from(document.querySelectorAll('.badge.big')).map((b) => b.textContent),
        text: document.body.innerText,
      };
    });
    await page.screenshot({ path: png, fullPage: true });
    if (drawn.figures.length)
      await page
        .locator('.figures')
        .first()
        .screenshot({ path: png.replace(/\.png$/, '-figures.png') });
    await page.close();
    return { problems, ...drawn };
  }

  /** The three synthetic figures drawn: cell values, colour ramp, boundary and crossings with their key, three curves with a legend, the table. */
  function expectFigures(seen: Awaited<ReturnType<typeof look>>['figures'], result: SuiteResult) {
    const [grid] = result.suites[0].figures!;
    if (grid.kind !== 'grid') throw new Error('the first synthetic figure is the grid');
    const values = grid.values
      .flat()
      .filter((v): v is number => v !== null)
      .map((v) => v.toFixed(2).replace('-', '−'));
    expect(seen.map((f) => [f.kind, f.svg])).toEqual([
      ['grid', true],
      ['lines', true],
      ['table', false],
    ]);
    expect(seen[0].axisLabels.sort()).toEqual(['γ', 'γ′']);
    expect(seen[0].cellTexts).toEqual(['not run', ...values]);
    expect(seen[0].cells).toBe(25);
    expect(seen[0].ramp).toBe(1);
    expect(seen[0].linePaths).toBe(2);
    expect(seen[0].dots).toBe(5);
    expect(seen[0].key).toMatch(/^theory: S_w = 0\s+measured zero crossing$/);
    expect(seen[1].axisLabels.sort()).toEqual(['RD', 'width m']);
    expect(seen[1].linePaths).toBe(3);
    expect(seen[1].dots).toBe(15);
    expect(seen[1].legend.split(/\s*\n\s*/)).toEqual(['γ = 0.5', 'γ = 1', 'γ = 1.75']);
    expect(seen[2].text).toMatch(/eigenvalues\s+before split\s+after split\s+positive\s+12\s+14\s+zero\s+0\s+3/);
  }

  it('one result: a self-contained page with status, claims and every plot drawn', async () => {
    const result = syntheticResult('laptop', false);
    // one run drawn as a CNN: its kernels as images and a deeper conv layer's heat maps
    const cnn = result.suites[0].parts[0].runs[0];
    cnn.initial!.kernel = cnn.final!.kernel = { C: 2, k: 1 };
    cnn.deeper = [{ layer: 'model.layers[3]', initial: cnn.initial!, final: cnn.final! }];
    const html = await renderSuiteHtml(result);
    expect(html).not.toMatch(/(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).not.toMatch(/<link\b|@import/i);
    expect(html).toContain('<title>Condensa failed: laptop');
    const block = html.match(/<script type="application\/json" id="condensa-result">(.*?)<\/script>/s);
    expect(block).not.toBeNull();
    expect(block![1]).not.toContain('</');
    expect(JSON.parse(block![1])).toEqual(result);
    expect(await renderSuiteHtml(result)).toBe(html);

    const seen = await look(html, '/tmp/condensa-report.png');
    expect(seen.problems).toEqual([]);
    expect(seen.failed).toEqual([]);
    expect(seen.plots).toBe(expectedPlots(result));
    expect(seen.withGraphic).toBe(seen.plots);
    expect(seen.heatImages).toBe(10);
    expect(seen.kernelImages).toBe(2);
    expect(seen.text).toContain('model.layers[3] final: cosine similarity');
    expect(seen.scatterDots).toEqual([60, 60, 60, 60]);
    expect(seen.lossLines).toEqual([2, 2]);
    expectFigures(seen.figures, result);
    expect(seen.text).toContain('S_w > 0: condensed; the line is the theoretical boundary.');
    expect(seen.status).toEqual(['failed']);
    expect(seen.text).toContain('software adapter: CPU figures');
    expect(seen.text).toContain('</script><b>not markup</b>');
    for (const s of ['T1.4a', 'SwiftShader Device (Subzero)', 'phase-diagram', '147.0.7727.0', 'gemm', 'kernels (1)']) expect(seen.text).toContain(s);
  });

  it('the page says where a run has no snapshots and draws none for it', async () => {
    const html = await renderSuiteHtml(compactResult(threeRuns(), 'figures'));
    const seen = await look(html, '/tmp/condensa-report-snapshots.png');
    expect(seen.problems).toEqual([]);
    expect(seen.plots).toBe(expectedPlots(compactResult(threeRuns(), 'figures')));
    expect(seen.text).toMatch(/No weight snapshots of this run in the report \(--snapshots figures/);
  });
  it("several results: the merged page lines devices up and keeps each device's plots", async () => {
    const results = [syntheticResult('laptop', false), syntheticResult('h100', true, 6)];
    const html = await renderMergedHtml(results);
    expect(html).not.toMatch(/(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).toContain('id="condensa-results"');

    const seen = await look(html, '/tmp/condensa-merged.png');
    expect(seen.problems).toEqual([]);
    expect(seen.failed).toEqual([]);
    expect(seen.plots).toBe(expectedPlots(results[0]) + expectedPlots(results[1]));
    expect(seen.withGraphic).toBe(seen.plots);
    expect(seen.status).toEqual(['failed', 'passed']);
    expectFigures(seen.figures.slice(0, 3), results[0]);
    expectFigures(seen.figures.slice(3), results[1]);
    for (const s of [
      'Claims across devices',
      'Benchmark rows side by side',
      'NVIDIA H100 80GB HBM3',
      'device laptop',
      'device h100',
      '6 weights per neuron: cosine heat maps only',
    ])
      expect(seen.text).toContain(s);
  });

  it("a site from two devices' suite results and bench files: both devices in every table, every link there, opens from file://", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'condensa-site-'));
    const benchFile = (device: string, speedup: number) => {
      const row = (impl: string, size: string, ms: number): BenchRow => ({
        task: 'gemm',
        impl,
        device: 'cpu',
        size,
        medianMs: ms,
        gflops: (2 * 512 ** 3) / (ms * 1e6),
        rme: 1,
        samples: 50,
      });
      return {
        schema: BENCH_SCHEMA,
        createdAt: '2026-11-27T00:00:00Z',
        env: { device, cpu: `${device} CPU`, cores: 8, webgpu: 'off' },
        rows: [row('wasm-simd', 'n=512', 10 / speedup), row('tfjs-wasm', 'n=512', 10), row('wasm-simd', 'n=256', 2 / speedup), row('tfjs-wasm', 'n=256', 2)],
        ratios: ['n=512', 'n=256'].map((size) => ({ what: 'gemm wasm-simd vs tfjs-wasm (speed-up)', size, value: speedup })),
      };
    };
    const files = [
      ['laptop.json', syntheticResult('laptop', false)],
      ['h100.json', syntheticResult('h100', true, 6)],
      ['bench-laptop.json', benchFile('laptop', 1.5)],
      ['bench-h100.json', benchFile('h100', 2)],
    ].map(([name, value]) => {
      writeFileSync(join(dir, name as string), JSON.stringify(value));
      return join(dir, name as string);
    });
    const { index, pages } = await buildSite(files, join(dir, 'site'));
    expect(pages.map((p) => p.replace(dir, ''))).toEqual(['/site/devices/laptop.html', '/site/devices/h100.html']);

    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => ['error', 'warning'].includes(m.type()) && problems.push(m.text()));
    await page.goto(`file://${index}`);
    await page.waitForSelector('[data-plot="bench-geomean"] svg');
    expect(problems).toEqual([]);
    const tables = await page.locator('table').evaluateAll((ts) => ts.map((t) => (t as HTMLElement).innerText));
    expect(tables).toHaveLength(3); // devices, claims, bench
    for (const t of tables) for (const device of ['laptop', 'h100']) expect(t).toContain(device);
    expect(tables[2]).toMatch(/geometric mean\s+wasm-simd vs tfjs-wasm[^\n]*1\.5×\s+2×/);
    const links = await page.locator('a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(links).toHaveLength(6);
    for (const href of links) expect(existsSync(new URL(href).pathname)).toBe(true);
    await page.goto(links[0]);
    await page.waitForSelector('.badge.big');
    expect(await page.locator('.badge.big').textContent()).toBe('failed');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('report merge takes a bench file into the result of its device, and names a bench file whose device sent no result', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'condensa-merge-'));
    const result = join(dir, 'laptop.json'),
      benchOf = (device: string) => {
        const path = join(dir, `bench-${device}.json`);
        writeFileSync(path, JSON.stringify({ schema: BENCH_SCHEMA, env: { device }, rows: [{ ...bench(2, 1), impl: 'tfjs-wasm' }], ratios: [] }));
        return path;
      };
    writeFileSync(result, JSON.stringify(syntheticResult('laptop', false)));
    await mergeCommand([result, benchOf('laptop')], join(dir, 'merged.html'));
    expect(readFileSync(join(dir, 'merged.html'), 'utf8')).toContain('"impl":"tfjs-wasm"');
    await expect(mergeCommand([result, benchOf('h100')], join(dir, 'merged2.html'))).rejects.toThrow(
      /bench-h100.json comes from device "h100", and no suite result does \(devices: laptop\)/,
    );
  });

  it('a file that is not a suite result is rejected with its name and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'condensa-report-'));
    const file = join(dir, 'bench.json');
    writeFileSync(file, JSON.stringify({ schema: 'condensa.bench/1', env: {}, rows: [], ratios: [] }));
    expect(() => parseSuiteResult(readJsonFile(file), file)).toThrow(new RegExp(`${file} is not a valid condensa suite result .*field schema`));
    writeFileSync(file, '{ not json');
    expect(() => readJsonFile(file)).toThrow(new RegExp(`${file} is not JSON`));
  });
});

/** A result whose part has a third run with a 400-point loss curve. */
const threeRuns = (): SuiteResult => {
  const r = syntheticResult('laptop', false);
  const p = r.suites[0].parts[0];
  p.runs.push({
    ...p.runs[0],
    label: 'gamma=1',
    loss: { step: Array.from({ length: 400 }, (_, i) => i), value: Array.from({ length: 400 }, (_, i) => 1 / (i + 1)) },
  });
  return r;
};

describe('what a written report keeps (--snapshots)', () => {
  it('figures keeps the first runs of each part, all every run, none no run; the claims untouched', () => {
    const r = threeRuns();
    const kept = (policy: 'all' | 'figures' | 'none') => compactResult(r, policy).suites[0].parts[0].runs.map((x) => Boolean(x.initial && x.final));
    expect(kept('figures')).toEqual([0, 1, 2].map((i) => i < SNAPSHOT_RUNS));
    expect(kept('all')).toEqual([true, true, true]);
    expect(kept('none')).toEqual([false, false, false]);
    const c = compactResult(r, 'figures');
    expect(c.run.snapshots).toBe('figures');
    expect(c.suites[0].claims).toEqual(r.suites[0].claims);
    expect(c.suites[0].parts[0].runs.map((x) => [x.hash, x.initialLoss, x.finalLoss, x.measures])).toEqual(
      r.suites[0].parts[0].runs.map((x) => [x.hash, x.initialLoss, x.finalLoss, x.measures]),
    );
    expect(parseSuiteResult(JSON.parse(JSON.stringify(c)), 'compact.json').suites[0].parts[0].runs).toHaveLength(3);
  });

  it('figures drops the snapshots of a run whose plots hold over SNAPSHOT_RUN_NUMBERS numbers (a 784-input layer)', () => {
    const r = threeRuns();
    const wide = r.suites[0].parts[0].runs[1];
    const D = Math.ceil(SNAPSHOT_RUN_NUMBERS / 2 / wide.final!.a.length) + 1;
    const widen = (s: PlotSnapshot): PlotSnapshot => ({ ...s, D, w: new Array(s.a.length * D).fill(0.5) });
    r.suites[0].parts[0].runs[1] = { ...wide, initial: widen(wide.initial!), final: widen(wide.final!) };
    expect(compactResult(r, 'figures').suites[0].parts[0].runs.map((x) => Boolean(x.initial && x.final))).toEqual([true, false, false]);
    expect(compactResult(r, 'all').suites[0].parts[0].runs[1].final!.w).toHaveLength(wide.final!.a.length * D);
  });

  it('plot numbers keep PLOT_DIGITS significant digits and loss curves at most REPORT_LOSS_POINTS points, the last kept', () => {
    const c = compactResult(threeRuns(), 'all');
    const run = c.suites[0].parts[0].runs[2];
    expect(run.loss.step.length).toBeLessThanOrEqual(REPORT_LOSS_POINTS + 1);
    expect(run.loss.step.at(-1)).toBe(399);
    expect(run.loss.value.at(-1)).toBe(0.0025);
    for (const v of run.final!.w) expect(String(Math.abs(v)).replace(/^0\.0*|\.|e.*$/g, '').length).toBeLessThanOrEqual(PLOT_DIGITS);
  });
});

describe('report compare', () => {
  it('flags a claim that went from pass to fail, and a claim that is gone', () => {
    const base = syntheticResult('h100', true),
      next = syntheticResult('h100', true);
    next.suites[0].claims[1] = { ...next.suites[0].claims[1], measured: 0.5, margin: -0.4, pass: false };
    const { lines, regressions } = compareResults(base, next);
    expect(regressions).toBe(1);
    expect(lines.find((l) => l.startsWith('REGRESSION') && l.includes('claim luo2021/T1.4a [webgpu-gpu]'))).toMatch(/0\.95 → 0\.5 \(Δ −0\.45\), pass → fail/);
    next.suites[0].claims.pop();
    expect(compareResults(base, next).lines.some((l) => l.startsWith('GONE (regression)'))).toBe(true);
    expect(compareResults(next, base).regressions).toBe(0);
  });

  it('counts a bench slowdown only beyond the threshold and the noise gate', () => {
    const base = syntheticResult('h100', true),
      next = syntheticResult('h100', true);
    base.bench = [bench(1.0, 1), bench(10, 15, 'n=512'), bench(5, 1, 'n=1024')];
    next.bench = [bench(1.2, 1), bench(13, 15, 'n=512'), bench(5.4, 1, 'n=1024')];
    const { lines, regressions } = compareResults(base, next);
    expect(regressions).toBe(1); // +20 % over a ±10 % gate; +30 % inside a ±42 % noise gate; +8 % under the threshold
    expect(lines.find((l) => l.includes('n=256'))).toMatch(/^REGRESSION .*\+20\.0%, gate ±10\.0%/);
    expect(lines.find((l) => l.includes('n=512'))).toMatch(/^within noise .*\+30\.0%, gate ±42\.4%/);
    expect(lines.find((l) => l.includes('n=1024'))).toMatch(/^within noise /);
    expect(compareResults(base, next, { threshold: 0.25 }).regressions).toBe(0);
  });

  it('reads bench files and suite results from disk, and names a file that is neither', () => {
    const dir = mkdtempSync(join(tmpdir(), 'condensa-compare-'));
    const [benchFile, suiteFile, other] = ['bench.json', 'suite.json', 'other.json'].map((f) => join(dir, f));
    writeFileSync(benchFile, JSON.stringify({ schema: 'condensa.bench/1', env: {}, rows: [bench(2.0, 1)], ratios: [] }));
    writeFileSync(suiteFile, JSON.stringify(syntheticResult('h100', true)));
    writeFileSync(other, JSON.stringify({ rows: [] }));
    const { lines, regressions } = compareResults(loadComparable(suiteFile), loadComparable(benchFile));
    expect(regressions).toBe(1);
    expect(lines).toContain('note: claims not compared: the new side is a bench file');
    expect(() => loadComparable(other)).toThrow(new RegExp(`${other} is neither a condensa suite result .* nor a bench file`));
  });
});
