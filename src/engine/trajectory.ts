// Trajectory: what a training run hands back (loss curve, weight snapshots, how it stopped), and
// its SHA-256 over a canonical byte layout, the golden value that proves engines agree bit for bit.
import type { RunSpec } from './spec.js';
import type { Scales } from './scales.js';

export type StopReason = 'loss-below' | 'loss-ratio' | 'max-steps';

export interface Snapshot {
  step: number;
  /** output weights, m */
  a: Float32Array;
  /** input weights with bias, m × D row-major */
  w: Float32Array;
}

export interface Trajectory {
  backend: string;
  spec: RunSpec;
  shape: { n: number; D: number; m: number };
  scales: Scales;
  /** loss R at steps 0, lossEvery, 2·lossEvery, … */
  loss: Float32Array;
  lossEvery: number;
  initialLoss: number;
  finalLoss: number;
  /** updates taken by the run that finished (after the last restart) */
  steps: number;
  stopReason: StopReason;
  /** learning rate of the finished run, and how many times it was halved */
  lr: number;
  restarts: number;
  snapshots: Snapshot[];
  wallMs: number;
}

/** Bytes hashed for the golden value: header (steps, restarts, lr as f64, stop reason), loss, snapshots. */
export function trajectoryBytes(t: Trajectory): Uint8Array<ArrayBuffer> {
  const header = new TextEncoder().encode(`${t.steps}|${t.restarts}|${t.stopReason}|`);
  const lr = new Float64Array([t.lr]);
  const parts: Uint8Array[] = [header, new Uint8Array(lr.buffer), new Uint8Array(t.loss.buffer, t.loss.byteOffset, t.loss.byteLength)];
  for (const s of t.snapshots) {
    parts.push(new Uint8Array(new Uint32Array([s.step]).buffer), new Uint8Array(s.a.buffer, s.a.byteOffset, s.a.byteLength), new Uint8Array(s.w.buffer, s.w.byteOffset, s.w.byteLength));
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Hex SHA-256 of trajectoryBytes, with Web Crypto (Node ≥ 19 and browsers alike). */
export async function trajectoryHash(t: Trajectory): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', trajectoryBytes(t));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A Trajectory as plain JSON (typed arrays as number arrays), for pages, files and reports. */
export type PlainTrajectory = Omit<Trajectory, 'loss' | 'snapshots'> & { loss: number[]; snapshots: { step: number; a: number[]; w: number[] }[] };

export function toPlain(t: Trajectory): PlainTrajectory {
  return { ...t, loss: Array.from(t.loss), snapshots: t.snapshots.map((s) => ({ step: s.step, a: Array.from(s.a), w: Array.from(s.w) })) };
}

export function fromPlain(p: PlainTrajectory): Trajectory {
  return { ...p, loss: Float32Array.from(p.loss), snapshots: p.snapshots.map((s) => ({ step: s.step, a: Float32Array.from(s.a), w: Float32Array.from(s.w) })) };
}
