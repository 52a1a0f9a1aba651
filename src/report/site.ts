// `condensa report site FILES… --out DIR`: a static site from suite results and bench files of several
// devices. DIR/index.html holds the device × claim matrix, the bench matrix (task × implementation ×
// size, a column per device, with the ratio to the tfjs baseline of the same run and a geometric-mean
// line per device) and its charts; DIR/devices/<device>.html is each suite result's full page and
// DIR/data/ the files it was built from. Every page is self-contained and links relatively, so the
// folder opens from file:// and deploys to GitHub Pages as it is.
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { SuiteResult } from './schema.js';
import { SCHEMA, BENCH_SCHEMA, schemaOf } from './schema.js';
import { parseBenchFile, parseSuiteResult, readJsonFile, type BenchFile } from './validate.js';
import { renderSuiteHtml } from './html.js';
import { reportDocument } from './document.js';
import { writeFileAtomic } from '../cli/write.js';
import { compactResult } from './compact.js';
import { adapterModel, adapterName, type AdapterRecord } from '../webgpu/device.js';

/** What the index page carries: each device's claims and run facts (its parts stay on its own page), and the bench files. */
export interface SiteData {
  results: { label: string; page: string; data: string; result: SuiteResult }[];
  benches: { label: string; data: string; bench: BenchFile }[];
}

/** A short label per input that is unique on the site: the device name, then what tells two apart. */
function uniqueLabels(names: string[], extra: string[]): string[] {
  return names
    .map((n, i) => (names.indexOf(n) === names.lastIndexOf(n) ? n : `${n} (${extra[i]})`))
    .map((n, i, all) => (all.indexOf(n) === all.lastIndexOf(n) ? n : `${n} #${i + 1}`));
}

const slug = (s: string) => s.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'device';

/** The hardware GPU a bench file's WebGPU rows ran on (none for a software adapter or --webgpu off). */
function benchGpu(env: BenchFile['env']): AdapterRecord | undefined {
  const adapter = typeof env.webgpu === 'object' ? env.webgpu.adapter : undefined;
  return adapter && !adapter.software ? adapter : undefined;
}

/** A bench file's device on the site: the name it recorded (CONDENSA_DEVICE, else the host name), else the
 * model of its hardware GPU, else the file's name. */
export function benchDeviceName(env: BenchFile['env'], file: string): string {
  const gpu = benchGpu(env);
  return env.device ?? env.hostname ?? (gpu ? adapterModel(gpu) : basename(file, '.json'));
}

/** A bench file's hardware: its GPU's model and driver, else its CPU. */
export function benchHardware(env: BenchFile['env']): string {
  const gpu = benchGpu(env);
  return gpu ? adapterName(gpu) : `${env.cpu} × ${env.cores}`;
}

/** Without the parts' runs: the index shows claims and run facts, and links to the full page. */
const indexCopy = (r: SuiteResult): SuiteResult => ({ ...r, suites: r.suites.map((s) => ({ ...s, parts: s.parts.map((p) => ({ ...p, runs: [] })) })) });

export async function buildSite(files: string[], out: string): Promise<{ index: string; pages: string[] }> {
  if (files.length === 0) throw new Error('report site needs suite results or bench files');
  const results: { file: string; result: SuiteResult }[] = [];
  const benches: { file: string; bench: BenchFile }[] = [];
  for (const file of files) {
    const json = readJsonFile(file) as { schema?: unknown };
    if (schemaOf(json) === BENCH_SCHEMA) benches.push({ file, bench: parseBenchFile(json, file) });
    else if (schemaOf(json) === SCHEMA) results.push({ file, result: parseSuiteResult(json, file) });
    else throw new Error(`${file} is neither a suite result (${SCHEMA}) nor a bench file (${BENCH_SCHEMA}): its schema is ${JSON.stringify(json?.schema)}`);
  }
  const resultLabels = uniqueLabels(
    results.map((r) => r.result.run.device),
    results.map(
      (r) => `${r.result.run.scale}, ${r.result.projects.map((p) => (p.adapter && !p.adapter.software ? adapterName(p.adapter) : p.name)).join(' + ')}`,
    ),
  );
  const benchLabels = uniqueLabels(
    benches.map((b) => benchDeviceName(b.bench.env, b.file)),
    benches.map((b) => benchHardware(b.bench.env)),
  );
  mkdirSync(join(out, 'devices'), { recursive: true });
  mkdirSync(join(out, 'data'), { recursive: true });
  const site: SiteData = { results: [], benches: [] };
  const pages: string[] = [];
  for (const [i, { file, result }] of results.entries()) {
    const page = `devices/${slug(resultLabels[i])}.html`,
      data = `data/${slug(resultLabels[i])}.json`;
    // a result written before reports were compacted carries every run's snapshots: keep the figures' ones
    pages.push(writeFileAtomic(join(out, page), await renderSuiteHtml(result.run.snapshots ? result : compactResult(result, 'figures'))));
    writeFileAtomic(join(out, data), readFileSync(file, 'utf8'));
    site.results.push({ label: resultLabels[i], page, data, result: indexCopy(result) });
  }
  for (const [i, { file, bench }] of benches.entries()) {
    const data = `data/bench-${slug(benchLabels[i])}.json`;
    writeFileAtomic(join(out, data), readFileSync(file, 'utf8'));
    site.benches.push({ label: benchLabels[i], data, bench });
  }
  const title = `Condensa across ${new Set([...resultLabels, ...benchLabels]).size} devices`;
  const index = writeFileAtomic(join(out, 'index.html'), await reportDocument(title, { id: 'condensa-site', value: site }));
  return { index, pages };
}
