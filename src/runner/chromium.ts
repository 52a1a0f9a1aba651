// Find a Chromium with no download step: $CHROME_PATH, then a system Chromium/Chrome (Linux, macOS and
// Windows locations), then a browser Playwright already installed (playwright-core's executable path),
// then the Chromium shipped inside the @sparticuz/chromium npm package (which also carries SwiftShader).
// Launch flags keep the browser off the network; WebGPU flags go in one --enable-features (Chromium
// honours only the last), and Dawn's timestamp rounding to 65.536 µs is turned off.
import { existsSync } from 'node:fs';

export interface ChromiumLocation {
  path: string;
  source: 'CHROME_PATH' | 'system' | 'playwright' | '@sparticuz/chromium';
}

const WINDOWS_ROOTS = [process.env.PROGRAMFILES, process.env['PROGRAMFILES(X86)'], process.env.LOCALAPPDATA].filter((r): r is string => Boolean(r));
const SYSTEM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  ...WINDOWS_ROOTS.flatMap((root) => [`${root}\\Google\\Chrome\\Application\\chrome.exe`, `${root}\\Chromium\\Application\\chrome.exe`]),
];

/** The Chromium that `npx playwright install chromium` put in Playwright's cache, if it is there. */
async function playwrightChromium(): Promise<string | undefined> {
  try {
    const { chromium } = await import('playwright-core');
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

export async function findChromium(): Promise<ChromiumLocation> {
  const env = process.env.CHROME_PATH;
  if (env) {
    if (!existsSync(env)) throw new Error(`CHROME_PATH is set to ${env}, but no file is there`);
    return { path: env, source: 'CHROME_PATH' };
  }
  const system = SYSTEM_PATHS.find((p) => existsSync(p));
  if (system) return { path: system, source: 'system' };
  const installed = await playwrightChromium();
  if (installed) return { path: installed, source: 'playwright' };
  try {
    const { default: packaged } = await import('@sparticuz/chromium');
    return { path: await packaged.executablePath(), source: '@sparticuz/chromium' };
  } catch (err) {
    throw new Error(
      `no Chromium found: set CHROME_PATH, install a system Chromium or Chrome, or keep the @sparticuz/chromium dependency (${(err as Error).message})`,
    );
  }
}

/** Headless flags: no sandbox (root in CI), no background traffic; WebGPU on SwiftShader unless a GPU is asked for,
 * with unrounded timestamps (Dawn's timestamp_quantization toggle off). */
export function chromiumArgs(opts: { webgpu?: 'swiftshader' | 'gpu' | false } = {}): string[] {
  const args = [
    '--headless=new',
    '--no-sandbox',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-domain-reliability',
  ];
  if (opts.webgpu) {
    args.push('--enable-unsafe-webgpu', '--disable-dawn-features=timestamp_quantization');
    if (opts.webgpu === 'swiftshader') args.push('--use-webgpu-adapter=swiftshader');
    else args.push('--enable-features=Vulkan');
  }
  return args;
}
