// Acquire a WebGPU device from any GPU object (navigator.gpu in a page, Dawn's in Node) and describe
// it: adapter info (vendor, architecture, device, description, isFallbackAdapter), limits, features,
// whether its timestamps are quantized, and the GPU's name as reports show it. A missing adapter, a
// lost device and oversized buffers each end with a message that says so.
import { timestampsQuantized } from './pass-timer.js';

export type AdapterWish = 'auto' | 'swiftshader' | 'gpu';

export interface AdapterRecord {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  /** SwiftShader (or another CPU rasteriser): figures from it are CPU figures */
  software: boolean;
  features: string[];
  limits: Record<string, number>;
  runtime: string;
  /** with timestamp-query: whether Dawn rounds its timestamps to 65.536 µs (its timestamp_quantization toggle, measured) */
  timestampQuantization?: boolean;
}

type AdapterInfoFields = Pick<AdapterRecord, 'vendor' | 'architecture' | 'description'> & { device?: string };

/** The GPU's model as Dawn reports it: adapter info `device` (e.g. "nvidia-h200"; over Vulkan the
 * description names the driver), else the description, architecture or vendor. */
export function adapterModel(a: AdapterInfoFields): string {
  return a.device || a.description || a.architecture || a.vendor || 'unknown adapter';
}

/** The model, and the description where it says more (the driver): "nvidia-h200 (NVIDIA: 580.159.04 …)". */
export function adapterName(a: AdapterInfoFields): string {
  const model = adapterModel(a);
  return a.description && a.description !== model ? `${model} (${a.description})` : model;
}

export interface GpuContext {
  /** the GPU object the device came from (navigator.gpu, or Dawn's in Node) */
  gpu: GPU;
  device: GPUDevice;
  adapter: AdapterRecord;
  hasTimestamps: boolean;
  /** Never resolves; rejects with a clear message when the device is lost (race waits against it). */
  lost: Promise<never>;
}

const LIMIT_NAMES = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupSizeX',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupStorageSize',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBuffersPerShaderStage',
] as const;

function describeAdapter(adapter: GPUAdapter, runtime: string): AdapterRecord {
  const info = adapter.info;
  const text = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`.toLowerCase();
  const limits: Record<string, number> = {};
  for (const k of LIMIT_NAMES) limits[k] = Number(adapter.limits[k]);
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallbackAdapter: Boolean(info.isFallbackAdapter),
    software: Boolean(info.isFallbackAdapter) || /swiftshader|llvmpipe|lavapipe|software/.test(text),
    features: [...adapter.features].map(String).sort(),
    limits,
    runtime,
  };
}

export async function openDevice(gpu: GPU | undefined, wish: AdapterWish, runtime: string): Promise<GpuContext> {
  if (!gpu) throw new Error(`no WebGPU in ${runtime}: navigator.gpu is missing (Chromium needs --enable-unsafe-webgpu and a page on http://127.0.0.1)`);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error(`no WebGPU adapter in ${runtime} (wanted ${wish}); on a machine without a GPU use the SwiftShader adapter`);
  const record = describeAdapter(adapter, runtime);
  if (wish === 'gpu' && record.software) {
    throw new Error(
      `asked for a hardware GPU but got a software adapter (${record.description || record.architecture}); refusing to report CPU figures as GPU figures`,
    );
  }
  const hasTimestamps = adapter.features.has('timestamp-query');
  // ask for the adapter's full limits on everything we record (storage buffers, workgroups)
  const device = await adapter.requestDevice({ requiredFeatures: hasTimestamps ? ['timestamp-query'] : [], requiredLimits: record.limits });
  device.addEventListener('uncapturederror', (e) => {
    console.error(`WebGPU error on ${adapterName(record)}: ${(e as GPUUncapturedErrorEvent).error.message}`);
  });
  const lost = device.lost.then((info): never => {
    throw new Error(`WebGPU device lost (${info.reason || 'unknown reason'}${info.message ? `: ${info.message}` : ''}) on ${adapterName(record)}`);
  });
  lost.catch(() => {});
  if (hasTimestamps) record.timestampQuantization = await timestampsQuantized(device);
  return { gpu, device, adapter: record, hasTimestamps, lost };
}

/** Throw a clear error before creating a buffer the device cannot hold. */
export function checkBufferSize(ctx: GpuContext, bytes: number, what: string): void {
  const max = Math.min(ctx.device.limits.maxStorageBufferBindingSize, ctx.device.limits.maxBufferSize);
  if (bytes > max) throw new Error(`${what} needs ${bytes} bytes, over this device's storage-buffer limit of ${max} bytes (${adapterName(ctx.adapter)})`);
}
