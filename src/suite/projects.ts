// The projects a suite runs on: an engine and, for WebGPU, the adapter it must get. webgpu-gpu fails
// loudly when it is handed a software adapter (src/webgpu/device.ts), so a "GPU" figure is never a
// CPU's. The same names serve the Playwright projects and `condensa suite --runtime node`.
import type { AdapterWish } from '../webgpu/device.js';

export interface ProjectDef {
  name: string;
  engine: 'wasm' | 'webgpu';
  /** the WebGPU adapter the project asks for (its page is launched with the matching flags) */
  adapter: Exclude<AdapterWish, 'auto'>;
}

export const PROJECTS: readonly ProjectDef[] = [
  { name: 'wasm', engine: 'wasm', adapter: 'swiftshader' },
  { name: 'webgpu-swiftshader', engine: 'webgpu', adapter: 'swiftshader' },
  { name: 'webgpu-gpu', engine: 'webgpu', adapter: 'gpu' },
];

/** What `npm run suite` runs unless --project says otherwise: no GPU is assumed. */
export const DEFAULT_PROJECTS = ['wasm', 'webgpu-swiftshader'];

export function projectByName(name: string): ProjectDef {
  const p = PROJECTS.find((x) => x.name === name);
  if (!p) throw new Error(`unknown project "${name}" (available: ${PROJECTS.map((x) => x.name).join(', ')})`);
  return p;
}
