// WebGPU in Node through Dawn (the `webgpu` npm package). On a machine without a GPU, Dawn finds an
// adapter only through a software Vulkan driver: we point VK_ICD_FILENAMES at the SwiftShader ICD
// that ships with @sparticuz/chromium and, when the system has no Vulkan loader, preload the
// libvulkan.so.1 shipped beside it (RTLD_GLOBAL | RTLD_NODELETE, so Dawn's dlopen finds it by soname).
import os from 'node:os';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openDevice, type AdapterWish, type GpuContext } from './device.js';

const RTLD_NODELETE = 0x1000; // glibc

/**
 * Dawn toggles (`create` options; one feature list per option, comma-separated): our shaders check
 * every index themselves, so Dawn's robustness clamps are dropped (about twice the speed on
 * SwiftShader; the Chromium path keeps them, and the parity tests run in both), and timestamps are
 * not rounded to 65.536 µs (timestamp_quantization), so GPU times are the GPU's. Override with
 * CONDENSA_DAWN_FLAGS (space-separated options; empty for none).
 */
const DEFAULT_DAWN_FLAGS = ['enable-dawn-features=disable_robustness', 'disable-dawn-features=timestamp_quantization'];

/** The options Dawn is created with in this process. */
export const dawnFlags = (): string[] => process.env.CONDENSA_DAWN_FLAGS?.split(' ').filter(Boolean) ?? DEFAULT_DAWN_FLAGS;

/** Load a shared library into the process for good; false when the loader cannot find it. */
function preload(file: string): boolean {
  try {
    process.dlopen({ exports: {} } as NodeJS.Module, file, os.constants.dlopen.RTLD_NOW | os.constants.dlopen.RTLD_GLOBAL | RTLD_NODELETE);
  } catch (err) {
    // Loaded but not a Node addon: that is the expected outcome.
    return /did not self-register|Module did not/.test((err as Error).message);
  }
  return true;
}

/** The directory where @sparticuz/chromium unpacks Chromium, libvulkan.so.1 and the SwiftShader ICD. */
async function sparticuzDir(): Promise<string> {
  const { default: packaged } = await import('@sparticuz/chromium');
  return dirname(await packaged.executablePath());
}

async function useSwiftShader(): Promise<string> {
  const dir = await sparticuzDir();
  const icd = join(dir, 'vk_swiftshader_icd.json');
  if (!existsSync(icd)) throw new Error(`SwiftShader ICD not found at ${icd} (from @sparticuz/chromium)`);
  process.env.VK_ICD_FILENAMES = icd;
  if (!preload('libvulkan.so.1') && !preload(join(dir, 'libvulkan.so.1'))) {
    throw new Error(`no Vulkan loader: neither the system's libvulkan.so.1 nor ${join(dir, 'libvulkan.so.1')} could be loaded`);
  }
  return icd;
}

let gpuPromise: Promise<GPU> | undefined;
let swiftShaderSet = false;

async function createDawn(): Promise<GPU> {
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  return create(dawnFlags());
}

/** Dawn's GPU object for the wished adapter kind; the first call sets up the process's Vulkan. */
async function dawnGpu(wish: AdapterWish): Promise<GPU> {
  const noDriverChosen = !process.env.VK_ICD_FILENAMES && !process.env.VK_DRIVER_FILES;
  if (process.platform === 'linux' && (wish === 'swiftshader' || (wish === 'auto' && noDriverChosen && !preload('libvulkan.so.1')))) {
    await useSwiftShader();
    swiftShaderSet = true;
  }
  return createDawn();
}

const RUNTIME = `node ${process.version} + dawn (webgpu npm)`;

/**
 * A WebGPU device through Dawn. `auto` takes the system's Vulkan drivers and falls back to
 * SwiftShader when they offer no adapter; `swiftshader` goes there directly; `gpu` refuses a
 * software adapter. The first call decides the process's Vulkan set-up; a later swiftshader or auto
 * call that finds no adapter switches the process to SwiftShader.
 */
export async function openNodeDevice(wish: AdapterWish = 'auto'): Promise<GpuContext> {
  gpuPromise ??= dawnGpu(wish);
  try {
    return await openDevice(await gpuPromise, wish, RUNTIME);
  } catch (err) {
    // auto falls back to SwiftShader; swiftshader asked after a first call that set up no Vulkan gets it now
    if (wish === 'gpu' || swiftShaderSet || process.platform !== 'linux' || !/no WebGPU adapter/.test((err as Error).message)) throw err;
    await useSwiftShader();
    swiftShaderSet = true;
    gpuPromise = createDawn();
    return openDevice(await gpuPromise, wish, RUNTIME);
  }
}
