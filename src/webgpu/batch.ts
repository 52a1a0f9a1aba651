// Batched training on WebGPU: RunSpecs of one or several shape families train together, one program
// per family (./batch-program.ts groups them; ./batch-family.ts drives a family). Each run keeps its
// own data, scales, learning rate, stop rule and halve-and-restart state on the GPU
// (kernels/control.ts); finished runs freeze and the rest go on. The families go in lockstep: each
// round, every family still training encodes its work (its initial pass or its own chunk of steps),
// all of it goes in one queue submit with the copies of every family's status, and one read-back
// brings them all; then each family settles its runs, and one more read-back (only in the rounds where
// some run has a snapshot due: a requested step or its last) brings the snapshots' weights. The runs
// are independent, so each gets the bits it gets in a batch of its family alone.
import type { WasmInstance } from '../wasm/load.js';
import type { RunSpec } from '../engine/spec.js';
import type { Trajectory } from '../engine/trajectory.js';
import type { GpuContext } from './device.js';
import { readBuffers } from './gpu.js';
import { shapeFamilies, type BufferRead } from './batch-program.js';
import { FamilyBatch, unflatten, type SettledRound } from './batch-family.js';

/** One read-back of every reader's buffers after `work` (none when there is neither), split per reader. */
async function readEach(ctx: GpuContext, reads: BufferRead[][], work: GPUCommandBuffer[] = []): Promise<ArrayBuffer[][]> {
  const flat = reads.flat();
  if (flat.length === 0 && work.length === 0) return reads.map(() => []);
  return unflatten(await readBuffers(ctx, flat, work), reads);
}

/** Train `specs` (two-layer, any mix of shape families); trajectories in the order of `specs`. */
export async function trainBatch(ctx: GpuContext, wasm: WasmInstance, specs: RunSpec[]): Promise<Trajectory[]> {
  if (specs.length === 0) return [];
  const started = performance.now();
  const groups = shapeFamilies(specs, wasm);
  const made = await Promise.allSettled(groups.map((g) => FamilyBatch.create(ctx, wasm, specs, g)));
  const families = made.flatMap((m) => (m.status === 'fulfilled' ? [m.value] : []));
  try {
    const failed = made.find((m) => m.status === 'rejected');
    if (failed) throw failed.reason;
    for (let live = families; live.length > 0; live = live.filter((family) => !family.done)) {
      // every family's work and the copies of every family's status: one submit, one read-back
      const status = await readEach(
        ctx,
        live.map((family) => family.statusReads()),
        live.map((family) => family.encodeRound()),
      );
      const settled: SettledRound[] = [];
      for (const [i, family] of live.entries()) settled.push(await family.settle(status[i]));
      // the weights of the snapshots due in any family: one more read-back, in the rounds that have them
      const snapshots = await readEach(
        ctx,
        settled.map((s) => s.reads),
      );
      for (const [i, s] of settled.entries()) await s.keep(snapshots[i]);
    }
    const wallMs = performance.now() - started;
    const out: Trajectory[] = [];
    families.forEach((family, i) => family.results(wallMs).forEach((t, j) => (out[groups[i][j]] = t)));
    return out;
  } finally {
    families.forEach((family) => family.destroy());
  }
}
