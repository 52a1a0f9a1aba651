// Straight-line WebGPU host helpers: pipelines compiled once per device, storage/uniform buffers,
// bind groups from a list of buffers, dispatch shapes that stay under the per-dimension limit, and
// read-back through a mapped staging buffer. Every dispatch, queue submit and read-back goes through
// encode, submit and readBuffers, which count them per device (gpuCounts, resetGpuCounts).
import { checkBufferSize, type GpuContext } from './device.js';

const pipelines = new WeakMap<GPUDevice, Map<string, Promise<GPUComputePipeline>>>();

/** What a device was asked to do: compute dispatches encoded, command buffers submitted, and read-backs
 * (host waits on mapped copies: one per readBuffers call, however many buffers it maps). */
export interface GpuCounts {
  dispatches: number;
  submits: number;
  readBacks: number;
}

const counts = new WeakMap<GPUDevice, GpuCounts>();
/** the device each pipeline was compiled on, so that encode (given a pass, not a device) counts there */
const deviceOf = new WeakMap<GPUComputePipeline, GPUDevice>();

function countsOf(device: GPUDevice): GpuCounts {
  let c = counts.get(device);
  if (!c) counts.set(device, (c = { dispatches: 0, submits: 0, readBacks: 0 }));
  return c;
}

/** The device's counts since its last reset (a copy). */
export const gpuCounts = (ctx: GpuContext): GpuCounts => ({ ...countsOf(ctx.device) });

export function resetGpuCounts(ctx: GpuContext): void {
  Object.assign(countsOf(ctx.device), { dispatches: 0, submits: 0, readBacks: 0 });
}

/** Compile (once per device) a compute pipeline; a WGSL error rejects with the compiler's message. */
export function pipeline(ctx: GpuContext, code: string, entryPoint: string): Promise<GPUComputePipeline> {
  let cache = pipelines.get(ctx.device);
  if (!cache) pipelines.set(ctx.device, (cache = new Map()));
  const key = `${entryPoint}\u0000${code}`;
  let p = cache.get(key);
  if (!p) {
    const module = ctx.device.createShaderModule({ code, label: entryPoint });
    p = module.getCompilationInfo().then(async (info) => {
      const errors = info.messages.filter((msg) => msg.type === 'error');
      if (errors.length) throw new Error(`WGSL of ${entryPoint} does not compile: ${errors.map((e) => `${e.lineNum}:${e.linePos} ${e.message}`).join('; ')}`);
      const compiled = await ctx.device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint }, label: entryPoint });
      deviceOf.set(compiled, ctx.device);
      return compiled;
    });
    cache.set(key, p);
  }
  return p;
}

export function storage(ctx: GpuContext, data: ArrayBufferView | number, label: string): GPUBuffer {
  const bytes = typeof data === 'number' ? data : data.byteLength;
  checkBufferSize(ctx, bytes, label);
  const buf = ctx.device.createBuffer({
    size: Math.max(16, Math.ceil(bytes / 16) * 16),
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    label,
  });
  if (typeof data !== 'number') ctx.device.queue.writeBuffer(buf, 0, data.buffer, data.byteOffset, data.byteLength);
  return buf;
}

export function uniform(ctx: GpuContext, words: number[], label: string): GPUBuffer {
  const data = new Uint32Array(Math.ceil(words.length / 4) * 4);
  data.set(words);
  const buf = ctx.device.createBuffer({ size: data.byteLength, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, label });
  ctx.device.queue.writeBuffer(buf, 0, data);
  return buf;
}

export function bindGroup(ctx: GpuContext, p: GPUComputePipeline, buffers: GPUBuffer[]): GPUBindGroup {
  return ctx.device.createBindGroup({ layout: p.getBindGroupLayout(0), entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })) });
}

/** Workgroup counts (x, y) covering `groups` workgroups with x ≤ 65535. */
export function grid(groups: number): [number, number] {
  const x = Math.min(groups, 65535);
  return [Math.max(1, x), Math.max(1, Math.ceil(groups / 65535))];
}

export interface Dispatch {
  pipeline: GPUComputePipeline;
  bind: GPUBindGroup;
  groups: [number, number, number];
}

/** Encode one dispatch (counted on the device its pipeline was compiled on by `pipeline`). */
export function encode(pass: GPUComputePassEncoder, d: Dispatch): void {
  const device = deviceOf.get(d.pipeline);
  if (!device) throw new Error(`dispatch of ${d.pipeline.label || 'a pipeline'} that pipeline() did not compile: it would go uncounted`);
  countsOf(device).dispatches++;
  pass.setPipeline(d.pipeline);
  pass.setBindGroup(0, d.bind);
  pass.dispatchWorkgroups(...d.groups);
}

/** Submit command buffers to the device's queue (counted: one submit per call). */
export function submit(ctx: GpuContext, ...commands: GPUCommandBuffer[]): void {
  countsOf(ctx.device).submits++;
  ctx.device.queue.submit(commands);
}

/** Run dispatches in one compute pass and wait for the queue. */
export async function runDispatches(ctx: GpuContext, ds: Dispatch[]): Promise<void> {
  const enc = ctx.device.createCommandEncoder();
  const pass = enc.beginComputePass();
  ds.forEach((d) => encode(pass, d));
  pass.end();
  submit(ctx, enc.finish());
  await Promise.race([ctx.lost, ctx.device.queue.onSubmittedWorkDone()]);
}

/** Copy `bytes` of each buffer to mappable memory and return the copies' contents; a lost device rejects.
 * `work`, command buffers to run first, goes in the same submit as the copy (one submit a training chunk). */
export function readBuffers(
  ctx: GpuContext,
  srcs: { buffer: GPUBuffer; offset?: number; bytes: number }[],
  work: GPUCommandBuffer[] = [],
): Promise<ArrayBuffer[]> {
  countsOf(ctx.device).readBacks++;
  const copy = copyOut(ctx, srcs, work);
  // when the device is lost first, the copy's own failure is the loser of the race: not an unhandled rejection
  copy.catch(() => undefined);
  return Promise.race([ctx.lost, copy]);
}

async function copyOut(ctx: GpuContext, srcs: { buffer: GPUBuffer; offset?: number; bytes: number }[], work: GPUCommandBuffer[]): Promise<ArrayBuffer[]> {
  const enc = ctx.device.createCommandEncoder();
  const staging = srcs.map((s) => {
    const size = Math.ceil(s.bytes / 4) * 4;
    const dst = ctx.device.createBuffer({ size: Math.max(4, size), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    if (size > 0) enc.copyBufferToBuffer(s.buffer, s.offset ?? 0, dst, 0, size);
    return dst;
  });
  submit(ctx, ...work, enc.finish());
  const out = await Promise.all(
    staging.map(async (b, i) => {
      await b.mapAsync(GPUMapMode.READ);
      const copy = b.getMappedRange(0, Math.ceil(srcs[i].bytes / 4) * 4 || 4).slice(0);
      b.unmap();
      b.destroy();
      return copy;
    }),
  );
  return out;
}

export async function readF32(ctx: GpuContext, buffer: GPUBuffer, count: number, offset = 0): Promise<Float32Array> {
  const [b] = await readBuffers(ctx, [{ buffer, offset, bytes: count * 4 }]);
  return new Float32Array(b, 0, count);
}
