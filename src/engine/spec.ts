// RunSpec: the plain-JSON description of one training run, and its validation. Every error names
// the offending field by its path (e.g. `model.width`), so a malformed spec stops with a message.
import { ACTIVATIONS, type ActivationName } from './activations.js';
import { SpecError, obj, num, optNum, noExtra, type Obj } from './fields.js';

export { SpecError };

export type DataSpec =
  { preset: 'luo2021-4pt' } | { preset: 'sin5d' | 'sin1d' | 'overview1d' | 'teacher10d'; n?: number; seed?: number } | { x: number[][]; y: number[] };

export type InitSpec = { alpha: number; beta1: number; beta2: number } | { gamma: number; gammaPrime: number; q?: number };

export type OptimizerSpec = { kind: 'gd' } | { kind: 'adam'; beta1?: number; beta2?: number; eps?: number };

/** A fixed rate, or Luo et al.'s rule lr0 = c·α²/(m(β1²+β2²)) if γ < 1 else c·α/(β1β2) (SCIENCE.md §3.5). */
export type LrSpec =
  { value: number; halveOnIncrease?: boolean; maxHalvings?: number } | { rule: 'luo2021'; c?: number; halveOnIncrease?: boolean; maxHalvings?: number };

export interface StopSpec {
  maxSteps: number;
  /** stop once R < lossBelow */
  lossBelow?: number;
  /** stop once R ≤ lossRatioBelow·R(0), e.g. 0.99 for the end of the initial stage */
  lossRatioBelow?: number;
}

export interface RunSpec {
  data: DataSpec;
  model: { width: number; activation: ActivationName; asi?: boolean };
  init: InitSpec;
  optimizer: OptimizerSpec;
  lr: LrSpec;
  dropout?: { keep: number };
  stop: StopSpec;
  /** steps at which to keep a copy of the weights; step 0 and the last step are always kept */
  snapshots?: number[];
  /** keep every lossEvery-th loss value (default 1) */
  lossEvery?: number;
  seed: number;
}

const PRESETS = ['luo2021-4pt', 'sin5d', 'sin1d', 'overview1d', 'teacher10d'];
/** The presets whose points are drawn from a seed (data.seed, default 0). */
export const SEEDED_PRESETS = ['sin5d', 'sin1d', 'overview1d', 'teacher10d'];

export function validateData(v: unknown): DataSpec {
  const d = obj(v, 'data');
  if ('preset' in d) {
    noExtra(d, ['preset', 'n', 'seed'], 'data');
    if (!PRESETS.includes(d.preset as string)) throw new SpecError('data.preset', `must be one of ${PRESETS.join(', ')}, got ${JSON.stringify(d.preset)}`);
    if (d.preset === 'luo2021-4pt' && (d.n !== undefined || d.seed !== undefined))
      throw new SpecError('data', 'luo2021-4pt takes no n or seed (its 4 points are fixed)');
    const n = optNum(d, 'n', 'data', { int: true, min: 1, max: 1_000_000 });
    const seed = optNum(d, 'seed', 'data', { int: true, min: 0, max: 0xffffffff });
    return { preset: d.preset, ...(n === undefined ? {} : { n }), ...(seed === undefined ? {} : { seed }) } as DataSpec;
  }
  noExtra(d, ['x', 'y'], 'data');
  if (!Array.isArray(d.x) || d.x.length === 0) throw new SpecError('data.x', 'must be a non-empty array of input rows (or give data.preset)');
  if (!Array.isArray(d.y) || d.y.length !== d.x.length) throw new SpecError('data.y', `must be an array with one target per row of data.x (${d.x.length})`);
  const dim = Array.isArray(d.x[0]) ? d.x[0].length : -1;
  d.x.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== dim || dim < 1) throw new SpecError(`data.x[${i}]`, `must be an array of ${dim} numbers`);
    row.forEach((xv, j) => num(xv, `data.x[${i}][${j}]`));
  });
  d.y.forEach((yv, i) => num(yv, `data.y[${i}]`));
  return { x: d.x as number[][], y: d.y as number[] };
}

function validateInit(v: unknown): InitSpec {
  const o = obj(v, 'init');
  if ('gamma' in o || 'gammaPrime' in o) {
    noExtra(o, ['gamma', 'gammaPrime', 'q'], 'init');
    return { gamma: num(o.gamma, 'init.gamma'), gammaPrime: num(o.gammaPrime, 'init.gammaPrime'), q: optNum(o, 'q', 'init') ?? 0 };
  }
  noExtra(o, ['alpha', 'beta1', 'beta2'], 'init');
  const pos = { min: 0, exclusiveMin: true };
  return { alpha: num(o.alpha, 'init.alpha', pos), beta1: num(o.beta1, 'init.beta1', pos), beta2: num(o.beta2, 'init.beta2', pos) };
}

export function validateOptimizer(v: unknown): OptimizerSpec {
  const o = obj(v, 'optimizer');
  if (o.kind === 'gd') {
    noExtra(o, ['kind'], 'optimizer');
    return { kind: 'gd' };
  }
  if (o.kind === 'adam') {
    noExtra(o, ['kind', 'beta1', 'beta2', 'eps'], 'optimizer');
    const unit = { min: 0, max: 0.999999999 };
    return {
      kind: 'adam',
      beta1: optNum(o, 'beta1', 'optimizer', unit) ?? 0.9,
      beta2: optNum(o, 'beta2', 'optimizer', unit) ?? 0.999,
      eps: optNum(o, 'eps', 'optimizer', { min: 0, exclusiveMin: true }) ?? 1e-8,
    };
  }
  throw new SpecError('optimizer.kind', `must be "gd" or "adam", got ${JSON.stringify(o.kind)}`);
}

function validateLr(v: unknown, init: InitSpec): LrSpec {
  if (typeof v === 'number') return { value: num(v, 'lr', { min: 0, exclusiveMin: true }), halveOnIncrease: false, maxHalvings: 0 };
  const o = obj(v, 'lr');
  const halveOnIncrease = o.halveOnIncrease === undefined ? false : o.halveOnIncrease;
  if (typeof halveOnIncrease !== 'boolean') throw new SpecError('lr.halveOnIncrease', 'must be true or false');
  const maxHalvings = optNum(o, 'maxHalvings', 'lr', { int: true, min: 0, max: 60 }) ?? 30;
  if ('rule' in o) {
    noExtra(o, ['rule', 'c', 'halveOnIncrease', 'maxHalvings'], 'lr');
    if (o.rule !== 'luo2021') throw new SpecError('lr.rule', `must be "luo2021", got ${JSON.stringify(o.rule)}`);
    if (!('gamma' in init)) throw new SpecError('lr.rule', 'luo2021 needs init given as { gamma, gammaPrime }');
    return { rule: 'luo2021', c: optNum(o, 'c', 'lr', { min: 0, exclusiveMin: true }) ?? 0.5, halveOnIncrease, maxHalvings };
  }
  noExtra(o, ['value', 'halveOnIncrease', 'maxHalvings'], 'lr');
  return { value: num(o.value, 'lr.value', { min: 0, exclusiveMin: true }), halveOnIncrease, maxHalvings };
}

/** The fields every RunSpec shares past its model: stop rules, snapshot steps, loss thinning, seed. */
export function validateRunControl(s: Obj): Pick<RunSpec, 'stop' | 'snapshots' | 'lossEvery' | 'seed'> {
  const st = obj(s.stop, 'stop');
  noExtra(st, ['maxSteps', 'lossBelow', 'lossRatioBelow'], 'stop');
  const stop: StopSpec = {
    maxSteps: num(st.maxSteps, 'stop.maxSteps', { int: true, min: 0, max: 1e9 }),
    lossBelow: optNum(st, 'lossBelow', 'stop', { min: 0, exclusiveMin: true }),
    lossRatioBelow: optNum(st, 'lossRatioBelow', 'stop', { min: 0, exclusiveMin: true, max: 1 }),
  };
  let snapshots: number[] = [];
  if (s.snapshots !== undefined) {
    if (!Array.isArray(s.snapshots)) throw new SpecError('snapshots', 'must be an array of step numbers');
    snapshots = s.snapshots.map((v, i) => num(v, `snapshots[${i}]`, { int: true, min: 0 }));
  }
  const lossEvery = s.lossEvery === undefined ? 1 : num(s.lossEvery, 'lossEvery', { int: true, min: 1 });
  const seed = num(s.seed, 'seed', { int: true, min: 0, max: 0xffffffff });
  return { stop, snapshots, lossEvery, seed };
}

/** Check a parsed JSON value and return it as a RunSpec with defaults filled in. */
export function validateRunSpec(value: unknown): RunSpec {
  const s = obj(value, 'spec');
  noExtra(s, ['$schema', 'data', 'model', 'init', 'optimizer', 'lr', 'dropout', 'stop', 'snapshots', 'lossEvery', 'seed'], 'spec');
  const data = validateData(s.data);
  const m = obj(s.model, 'model');
  noExtra(m, ['width', 'activation', 'asi'], 'model');
  const width = num(m.width, 'model.width', { int: true, min: 1, max: 16_000_000 });
  if (!ACTIVATIONS.some((a) => a.name === m.activation)) {
    throw new SpecError('model.activation', `must be one of ${ACTIVATIONS.map((a) => a.name).join(', ')}, got ${JSON.stringify(m.activation)}`);
  }
  const asi = m.asi === undefined ? false : m.asi;
  if (typeof asi !== 'boolean') throw new SpecError('model.asi', 'must be true or false');
  if (asi && width % 2 !== 0) throw new SpecError('model.width', `must be even with asi (antisymmetric pairs), got ${width}`);
  const init = validateInit(s.init);
  const optimizer = validateOptimizer(s.optimizer);
  const lr = validateLr(s.lr, init);
  let dropout: RunSpec['dropout'];
  if (s.dropout !== undefined) {
    const d = obj(s.dropout, 'dropout');
    noExtra(d, ['keep'], 'dropout');
    dropout = { keep: num(d.keep, 'dropout.keep', { min: 0, exclusiveMin: true, max: 1 }) };
    if (lr.halveOnIncrease) throw new SpecError('lr.halveOnIncrease', 'cannot be used with dropout (the dropout loss is noisy)');
  }
  const { stop, snapshots, lossEvery, seed } = validateRunControl(s);
  return { data, model: { width, activation: m.activation as ActivationName, asi }, init, optimizer, lr, dropout, stop, snapshots, lossEvery, seed };
}
