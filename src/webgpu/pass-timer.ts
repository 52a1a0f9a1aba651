// The GPU clock of one compute pass (timestamp-query): the pass writes its begin and end timestamps,
// the same command buffer resolves them into mappable memory, and `read` returns them in nanoseconds.
// The clock's read-back is the measurement's own, taken after the timed work is done, so it is not one
// of the read-backs that ./gpu.ts counts. Dawn rounds timestamps down to 65.536 µs unless its
// timestamp_quantization toggle is off (./node.ts, src/runner/chromium.ts): `quantized` tells them apart.

/** The rounding step of Dawn's timestamp_quantization toggle: timestamps are multiples of 2¹⁶ ns. */
const QUANTUM_NS = 65536n;

export interface PassTimer {
  /** the `timestampWrites` of the timed pass's descriptor */
  writes: GPUComputePassTimestampWrites;
  /** Encode, after the timed pass, the copy of its timestamps to mappable memory. */
  resolve(enc: GPUCommandEncoder): void;
  /** The begin and end timestamps (ns) of the last submitted resolve. */
  read(): Promise<[bigint, bigint]>;
  destroy(): void;
}

/** A pass timer on a device that has the timestamp-query feature. */
export function passTimer(device: GPUDevice): PassTimer {
  const querySet = device.createQuerySet({ type: 'timestamp', count: 2 });
  const resolved = device.createBuffer({ size: 16, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
  const mapped = device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  return {
    writes: { querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 },
    resolve: (enc) => {
      enc.resolveQuerySet(querySet, 0, 2, resolved, 0);
      enc.copyBufferToBuffer(resolved, 0, mapped, 0, 16);
    },
    read: async () => {
      await mapped.mapAsync(GPUMapMode.READ);
      const [begin, end] = new BigUint64Array(mapped.getMappedRange().slice(0));
      mapped.unmap();
      return [begin, end];
    },
    destroy: () => {
      querySet.destroy();
      resolved.destroy();
      mapped.destroy();
    },
  };
}

/** Whether the device's timestamps are rounded to Dawn's 65.536 µs: an empty pass's two timestamps both
 * multiples of 2¹⁶ ns (by chance once in 2³² when they are not rounded). */
export async function timestampsQuantized(device: GPUDevice): Promise<boolean> {
  const timer = passTimer(device);
  try {
    const enc = device.createCommandEncoder();
    enc.beginComputePass({ timestampWrites: timer.writes }).end();
    timer.resolve(enc);
    device.queue.submit([enc.finish()]);
    const stamps = await timer.read();
    return stamps.every((t) => t % QUANTUM_NS === 0n);
  } finally {
    timer.destroy();
  }
}
