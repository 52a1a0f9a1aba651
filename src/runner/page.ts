// Open the engine page in headless Chromium (Playwright): bundle the page entry with esbuild, serve
// it with condensa.wasm from 127.0.0.1, and return a handle that runs specs in the page.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { readWasmBytes } from '../wasm/node.js';
import { serveStatic, type StaticServer } from './static-server.js';
import { findChromium, chromiumArgs, type ChromiumLocation } from './chromium.js';
import type { PageRun } from './page-entry.js';
import type { AdapterWish, AdapterRecord } from '../webgpu/device.js';
import type { KernelParityRow } from '../webgpu/kernel-parity.js';

const ENTRY = fileURLToPath(new URL('./page-entry.ts', import.meta.url));

export async function bundlePage(): Promise<string> {
  const out = await build({ entryPoints: [ENTRY], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent' });
  return out.outputFiles[0].text;
}

export interface EnginePage {
  browser: Browser;
  page: Page;
  chromium: ChromiumLocation;
  runBatch(backend: string, specs: unknown[]): Promise<PageRun[]>;
  run(backend: string, spec: unknown): Promise<PageRun>;
  adapter(): Promise<AdapterRecord>;
  kernelParity(): Promise<KernelParityRow[]>;
  close(): Promise<void>;
}

/** Open the engine page; `adapter` picks WebGPU's adapter (SwiftShader by default, or a real GPU). */
export async function openEnginePage(opts: { adapter?: Exclude<AdapterWish, 'auto'> } = {}): Promise<EnginePage> {
  const adapter = opts.adapter ?? 'swiftshader';
  const server: StaticServer = await serveStatic({
    '/': { type: 'text/html', body: '<!doctype html><meta charset="utf-8"><title>condensa</title><script type="module" src="page.js"></script>' },
    '/page.js': { type: 'text/javascript', body: await bundlePage() },
    '/condensa.wasm': { type: 'application/wasm', body: readWasmBytes() },
  });
  const location = await findChromium();
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: location.path, args: chromiumArgs({ webgpu: adapter }) });
  } catch (err) {
    await server.close();
    throw new Error(`could not launch Chromium at ${location.path} (${location.source}): ${(err as Error).message}`);
  }
  const page = await browser.newPage();
  await page.goto(`${server.url}?adapter=${adapter}`);
  const runBatch = (backend: string, specs: unknown[]) => page.evaluate(async ([b, s]) => (await (globalThis as any).condensa).runBatch(b, s), [backend, specs] as const) as Promise<PageRun[]>;
  return {
    browser, page, chromium: location, runBatch,
    run: async (backend, spec) => (await runBatch(backend, [spec]))[0],
    adapter: () => page.evaluate(async () => (await (globalThis as any).condensa).adapter()) as Promise<AdapterRecord>,
    kernelParity: () => page.evaluate(async () => (await (globalThis as any).condensa).kernelParity()) as Promise<KernelParityRow[]>,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}
