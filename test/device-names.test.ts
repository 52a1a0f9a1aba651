// How reports name a device: the GPU model as Dawn reports it (adapter info `device`; over Vulkan the
// description is the driver), a bench file's device on the cross-device site and its hardware column.
import { describe, it, expect } from 'vitest';
import { adapterModel, adapterName, type AdapterRecord } from '../src/webgpu/device.js';
import { benchDeviceName, benchHardware } from '../src/report/site.js';

/** The adapter record of docs/figures/nvidia-2026-11-27/bench-h200-webgpu-rows.json, less its limits and features. */
const H200: AdapterRecord = {
  vendor: 'nvidia',
  architecture: '',
  device: 'nvidia-h200',
  description: 'NVIDIA: 580.159.04 580.159.4.0',
  isFallbackAdapter: false,
  software: false,
  features: [],
  limits: {},
  runtime: 'node v20.20.2 + dawn (webgpu npm)',
};
const SWIFTSHADER: AdapterRecord = {
  ...H200,
  vendor: 'google',
  architecture: 'swiftshader',
  device: 'swiftshader-device-subzero-',
  description: 'SwiftShader driver 5.0.0',
  software: true,
};
const env = (webgpu: AdapterRecord | 'off', device?: string) => ({
  cpu: 'Intel(R) Xeon(R) Processor',
  cores: 16,
  webgpu: webgpu === 'off' ? webgpu : { adapter: webgpu },
  device,
});

describe('device names', () => {
  it('an adapter is named by its model, with the description where it says more', () => {
    expect(adapterModel(H200)).toBe('nvidia-h200');
    expect(adapterName(H200)).toBe('nvidia-h200 (NVIDIA: 580.159.04 580.159.4.0)');
    // a browser masks the model: the description, architecture or vendor stand in
    expect(adapterName({ vendor: 'nvidia', architecture: 'hopper', device: '', description: '' })).toBe('hopper');
    expect(adapterName({ vendor: 'google', architecture: '', description: 'SwiftShader Device' })).toBe('SwiftShader Device');
  });

  it("a bench file is labelled by its recorded device, else its GPU's model, else its file name; its hardware is the GPU's model and driver", () => {
    // the H200 file has no recorded device name: the site labelled it "bench-h200-webgpu-rows" and its hardware "NVIDIA: 580.159.04 …"
    expect(benchDeviceName(env(H200), '/x/bench-h200-webgpu-rows.json')).toBe('nvidia-h200');
    expect(benchHardware(env(H200))).toBe('nvidia-h200 (NVIDIA: 580.159.04 580.159.4.0)');
    expect(benchDeviceName(env(H200, 'NVIDIA-H200'), '/x/bench.json')).toBe('NVIDIA-H200');
    // a software adapter is no GPU: the file name and the CPU
    expect(benchDeviceName(env(SWIFTSHADER), '/x/bench-laptop.json')).toBe('bench-laptop');
    expect(benchHardware(env(SWIFTSHADER))).toBe('Intel(R) Xeon(R) Processor × 16');
    expect(benchHardware(env('off'))).toBe('Intel(R) Xeon(R) Processor × 16');
  });
});
