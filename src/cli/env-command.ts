// `condensa env`: the environment record that every figure carries (CPU, cores, memory, OS, Node, V8,
// WASM features), the browser the suites would launch, and the WebGPU adapter Dawn opens with its
// limits; a table, or JSON on stdout with --json. A missing browser or adapter is a row that says why.
import { nodeEnvironment } from '../environment.js';
import { findChromium } from '../runner/chromium.js';
import { openNodeDevice } from '../webgpu/node.js';
import type { AdapterWish, AdapterRecord } from '../webgpu/device.js';
import { condensaVersion } from './version.js';

interface EnvRecord {
  condensa: string;
  machine: ReturnType<typeof nodeEnvironment>;
  browser: { path: string; source: string } | { error: string };
  webgpu: AdapterRecord | { error: string };
}

async function settle<T>(p: Promise<T>): Promise<T | { error: string }> {
  try {
    return await p;
  } catch (err) {
    return { error: (err as Error).message };
  }
}

export async function envCommand(json: boolean, adapter: AdapterWish): Promise<number> {
  const webgpu = await settle(
    openNodeDevice(adapter).then((ctx) => {
      ctx.device.destroy();
      return ctx.adapter;
    }),
  );
  const record: EnvRecord = { condensa: condensaVersion(), machine: nodeEnvironment(), browser: await settle(findChromium()), webgpu };
  if (json) {
    process.stdout.write(JSON.stringify(record, null, 2) + '\n');
    return 0;
  }
  const m = record.machine;
  const rows: [string, string][] = [
    ['condensa', record.condensa],
    ['OS', m.os],
    ['CPU', `${m.cpu} × ${m.cores}`],
    ['memory', `${m.memoryGiB} GiB`],
    ['Node', `${m.node} (V8 ${m.v8})`],
    ['WASM', `SIMD ${m.wasm.simd ? 'yes' : 'no'}; relaxed SIMD and threads not used`],
    ['timer resolution', `${(m.timerResolutionMs * 1000).toFixed(1)} µs`],
    ['browser', 'error' in record.browser ? `none: ${record.browser.error}` : `${record.browser.path} (${record.browser.source})`],
  ];
  if ('error' in webgpu) rows.push(['WebGPU', `none: ${webgpu.error}`]);
  else {
    rows.push([
      'WebGPU adapter',
      `${webgpu.vendor} ${webgpu.architecture} ${webgpu.description}`.replace(/\s+/g, ' ').trim() +
        (webgpu.software ? ' (software: its figures are CPU figures)' : ''),
    ]);
    rows.push(['WebGPU runtime', webgpu.runtime]);
    for (const [k, v] of Object.entries(webgpu.limits)) rows.push([`  ${k}`, String(v)]);
  }
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  process.stdout.write(rows.map(([k, v]) => `${k.padEnd(width)}${v}`).join('\n') + '\n');
  return 0;
}
