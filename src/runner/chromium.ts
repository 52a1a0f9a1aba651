// Find a Chromium with no download step: $CHROME_PATH, then a system Chromium/Chrome, then the
// Chromium shipped inside the @sparticuz/chromium npm package (which also carries SwiftShader).
// Launch flags keep the browser off the network; WebGPU flags go in one --enable-features.
import { existsSync } from 'node:fs';

export interface ChromiumLocation {
  path: string;
  source: 'CHROME_PATH' | 'system' | '@sparticuz/chromium';
}

const SYSTEM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium'];

export async function findChromium(): Promise<ChromiumLocation> {
  const env = process.env.CHROME_PATH;
  if (env) {
    if (!existsSync(env)) throw new Error(`CHROME_PATH is set to ${env}, but no file is there`);
    return { path: env, source: 'CHROME_PATH' };
  }
  const system = SYSTEM_PATHS.find((p) => existsSync(p));
  if (system) return { path: system, source: 'system' };
  try {
    const { default: packaged } = await import('@sparticuz/chromium');
    return { path: await packaged.executablePath(), source: '@sparticuz/chromium' };
  } catch (err) {
    throw new Error(
      `no Chromium found: set CHROME_PATH, install a system Chromium, or keep the @sparticuz/chromium dependency (${(err as Error).message})`,
    );
  }
}

/** Headless flags: no sandbox (root in CI), no background traffic; WebGPU on SwiftShader unless a GPU is asked for. */
export function chromiumArgs(opts: { webgpu?: 'swiftshader' | 'gpu' | false } = {}): string[] {
  const args = [
    '--headless=new', '--no-sandbox', '--no-first-run', '--no-default-browser-check',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-domain-reliability',
  ];
  if (opts.webgpu) {
    args.push('--enable-unsafe-webgpu');
    if (opts.webgpu === 'swiftshader') args.push('--use-webgpu-adapter=swiftshader');
    else args.push('--enable-features=Vulkan');
  }
  return args;
}
