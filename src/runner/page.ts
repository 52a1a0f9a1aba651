// Open the engine page in headless Chromium (Playwright): bundle the page entry with esbuild, serve
// it with condensa.wasm from 127.0.0.1, and return a handle that runs specs in the page.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { readWasmBytes } from '../wasm/node.js';
import { serveStatic, type StaticServer } from './static-server.js';
import { findChromium, chromiumArgs, type ChromiumLocation } from './chromium.js';
import type { PageRunResult } from './page-entry.js';

const ENTRY = fileURLToPath(new URL('./page-entry.ts', import.meta.url));

export async function bundlePage(): Promise<string> {
  const out = await build({ entryPoints: [ENTRY], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent' });
  return out.outputFiles[0].text;
}

export interface EnginePage {
  browser: Browser;
  page: Page;
  chromium: ChromiumLocation;
  run(backend: string, spec: unknown): Promise<PageRunResult>;
  close(): Promise<void>;
}

export async function openEnginePage(): Promise<EnginePage> {
  const server: StaticServer = await serveStatic({
    '/': { type: 'text/html', body: '<!doctype html><meta charset="utf-8"><title>condensa</title><script type="module" src="page.js"></script>' },
    '/page.js': { type: 'text/javascript', body: await bundlePage() },
    '/condensa.wasm': { type: 'application/wasm', body: readWasmBytes() },
  });
  const location = await findChromium();
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: location.path, args: chromiumArgs() });
  } catch (err) {
    await server.close();
    throw new Error(`could not launch Chromium at ${location.path} (${location.source}): ${(err as Error).message}`);
  }
  const page = await browser.newPage();
  await page.goto(server.url);
  return {
    browser, page, chromium: location,
    run: (backend, spec) => page.evaluate(async ([b, s]) => (await (globalThis as any).condensa).run(b, s), [backend, spec] as const),
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}
