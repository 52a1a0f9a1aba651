// Trajectory: what a training run hands back (loss curve, weight snapshots, how it stopped), and
// its SHA-256 over a canonical byte layout, the golden value that proves engines agree bit for bit.
import type { RunSpec } from './spec.js';
import type { Scales } from './scales.js';
import type { LayeredTrajectory } from '../model/trajectory.js';
import type { RunOutcome } from './run-outcome.js';

export interface Snapshot {
  step: number;
  /** output weights, m */
  a: Float32Array;
  /** input weights with bias, m × D row-major */
  w: Float32Array;
}

export interface Trajectory extends RunOutcome {
  spec: RunSpec;
  shape: { n: number; D: number; m: number };
  scales: Scales;
  snapshots: Snapshot[];
}

/** A two-layer or a layered model's trajectory. */
export type AnyTrajectory = Trajectory | LayeredTrajectory;

/** The two-layer trajectory `t`, or an error naming what a layered one was handed to. */
export function twoLayer(t: AnyTrajectory, what: string): Trajectory {
  if (isLayered(t)) throw new Error(`${what} takes two-layer runs (model.width), not a layered model (model.layers)`);
  return t;
}

export const isLayered = (t: AnyTrajectory | PlainAnyTrajectory): t is LayeredTrajectory => 'kind' in t && t.kind === 'layered';

const bytesOf = (v: Float32Array) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);

/** Bytes hashed for the golden value: header (steps, restarts, lr as f64, stop reason), loss, snapshots
 * (step, then a and w of a two-layer net, or the flat parameters of a layered one). */
function trajectoryBytes(t: AnyTrajectory): Uint8Array<ArrayBuffer> {
  const header = new TextEncoder().encode(`${t.steps}|${t.restarts}|${t.stopReason}|`);
  const lr = new Float64Array([t.lr]);
  const parts: Uint8Array[] = [header, new Uint8Array(lr.buffer), new Uint8Array(t.loss.buffer, t.loss.byteOffset, t.loss.byteLength)];
  for (const s of t.snapshots) {
    parts.push(new Uint8Array(new Uint32Array([s.step]).buffer), ...('params' in s ? [bytesOf(s.params)] : [bytesOf(s.a), bytesOf(s.w)]));
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
export async function trajectoryHash(t: AnyTrajectory): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', trajectoryBytes(t));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A Trajectory as plain JSON (typed arrays as number arrays), for pages, files and reports. */
export type PlainTrajectory = Omit<Trajectory, 'loss' | 'snapshots'> & { loss: number[]; snapshots: { step: number; a: number[]; w: number[] }[] };
type PlainLayeredTrajectory = Omit<LayeredTrajectory, 'loss' | 'snapshots'> & { loss: number[]; snapshots: { step: number; params: number[] }[] };
export type PlainAnyTrajectory = PlainTrajectory | PlainLayeredTrajectory;

type Mapped<S, From, To> = { [K in keyof S]: S[K] extends From ? To : S[K] };
const mapArrays = <S extends object, From, To>(s: S, test: (v: unknown) => boolean, f: (v: From) => To): Mapped<S, From, To> =>
  Object.fromEntries(Object.entries(s).map(([k, v]) => [k, test(v) ? f(v as From) : v])) as Mapped<S, From, To>;

export function toPlain(t: Trajectory): PlainTrajectory;
export function toPlain(t: AnyTrajectory): PlainAnyTrajectory;
export function toPlain(t: AnyTrajectory): PlainAnyTrajectory {
  const snapshots = (t.snapshots as object[]).map((s) =>
    mapArrays(
      s,
      (v) => v instanceof Float32Array,
      (v: Float32Array) => Array.from(v),
    ),
  );
  return { ...t, loss: Array.from(t.loss), snapshots } as PlainAnyTrajectory;
}

export function fromPlain(p: PlainTrajectory): Trajectory;
export function fromPlain(p: PlainAnyTrajectory): AnyTrajectory;
export function fromPlain(p: PlainAnyTrajectory): AnyTrajectory {
  const snapshots = (p.snapshots as object[]).map((s) => mapArrays(s, Array.isArray, (v: number[]) => Float32Array.from(v)));
  return { ...p, loss: Float32Array.from(p.loss), snapshots } as AnyTrajectory;
}
