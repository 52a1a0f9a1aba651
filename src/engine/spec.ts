// RunSpec: the plain-JSON description of one training run (the two-layer network of the papers), its
// TypeBox schema (the source of schema/run-spec.schema.json and of the types here) and its validation:
// the schema check, then what a schema cannot say (luo2021 needs init by γ, asi an even width, inline
// rows of one length), then the defaults. Every error names the field by its path (e.g. `model.width`).
import Type, { type Static } from 'typebox';
import { ACTIVATIONS, type ActivationName } from './activations.js';
import { SpecError, checkSpec } from './fields.js';
import { Closed, Positive, Seed, Whole } from './schema-parts.js';

export { SpecError };

/** The presets whose points are drawn from a seed (data.seed, default 0). */
export const SEEDED_PRESETS = ['sin5d', 'sin3d', 'sin1d', 'overview1d', 'teacher10d'] as const;

// the two-layer net's activations: those its f64 science kernels know
const Activation = Type.Unsafe<ActivationName>(Type.Enum(ACTIVATIONS.filter((a) => !a.layeredOnly).map((a) => a.name)));

export const RowsPreset = Type.Union([
  Closed({ preset: Type.Literal('luo2021-4pt', { description: 'the 4 fixed points of Luo et al. 2021' }) }),
  Closed({
    preset: Type.Enum(SEEDED_PRESETS),
    n: Type.Optional(Whole(1, 1_000_000, { description: 'number of points' })),
    seed: Type.Optional(Seed('seed of the points (default 0)')),
  }),
]);

export const Rows = Closed(
  {
    x: Type.Array(Type.Array(Type.Number(), { minItems: 1 }), { minItems: 1, description: 'input rows, all of one length' }),
    y: Type.Array(Type.Number(), { description: 'one target per row of x' }),
  },
  { description: 'inline rows' },
);

export const DataSpec = Type.Union([RowsPreset, Rows]);
export type DataSpec = Static<typeof DataSpec>;

export const InitSpec = Type.Union([
  Closed({ gamma: Type.Number(), gammaPrime: Type.Number(), q: Type.Optional(Type.Number()) }, { description: '(γ, γ′) of Luo et al. 2021' }),
  Closed({ alpha: Positive(), beta1: Positive(), beta2: Positive() }, { description: '(α, β1, β2): init std β1 (input), β2 (output), output scale α' }),
]);
export type InitSpec = Static<typeof InitSpec>;

const Unit = () => Type.Number({ minimum: 0, maximum: 0.999999999 });
export const Gd = Closed({ kind: Type.Literal('gd') });
export const AdamFields = { beta1: Type.Optional(Unit()), beta2: Type.Optional(Unit()), eps: Type.Optional(Positive()) };
export const Adam = Closed({ kind: Type.Literal('adam'), ...AdamFields });
export const OptimizerSpec = Type.Union([Gd, Adam]);
export type OptimizerSpec = Static<typeof OptimizerSpec>;

export const Halving = {
  halveOnIncrease: Type.Optional(Type.Boolean({ description: 'halve the rate and restart when the loss rises' })),
  maxHalvings: Type.Optional(Whole(0, 60)),
};
const LrObject = Type.Union([
  Closed({ value: Positive(), ...Halving }),
  Closed(
    { rule: Type.Literal('luo2021'), c: Type.Optional(Positive()), ...Halving },
    { description: 'lr0 = c·α²/(m(β1²+β2²)) if γ < 1 else c·α/(β1β2) (SCIENCE.md §3.5)' },
  ),
]);
/** A fixed rate, or Luo et al.'s rule lr0 = c·α²/(m(β1²+β2²)) if γ < 1 else c·α/(β1β2) (SCIENCE.md §3.5). */
export type LrSpec = Static<typeof LrObject>;

export const StopSpec = Closed({
  maxSteps: Whole(0, 1e9),
  lossBelow: Type.Optional(Positive({ description: 'stop once R < lossBelow' })),
  lossRatioBelow: Type.Optional(Positive({ maximum: 1, description: 'stop once R ≤ lossRatioBelow·R(0), e.g. 0.99 for the end of the initial stage' })),
});
export type StopSpec = Static<typeof StopSpec>;

/** The fields every RunSpec shares past its model: stop rules, snapshot steps, loss thinning, seed. */
export const RunControl = {
  $schema: Type.Optional(Type.String({ description: 'the schema this file follows (ignored)' })),
  stop: StopSpec,
  snapshots: Type.Optional(Type.Array(Whole(0), { description: 'steps at which to keep a copy of the weights; step 0 and the last step are always kept' })),
  lossEvery: Type.Optional(Whole(1, undefined, { description: 'keep every lossEvery-th loss value (default 1)' })),
  seed: Seed('seed of the initial weights (and of dropout masks and sgd batches)'),
};

export const TwoLayerSpec = Closed(
  {
    data: DataSpec,
    model: Closed({
      width: Whole(1, 16_000_000, { description: 'hidden neurons m' }),
      activation: Activation,
      asi: Type.Optional(Type.Boolean({ description: 'antisymmetric initialisation (pairs of neurons with opposite output weights)' })),
    }),
    init: InitSpec,
    optimizer: OptimizerSpec,
    lr: Type.Union([Positive(), LrObject]),
    dropout: Type.Optional(Closed({ keep: Positive({ maximum: 1 }) })),
    r1Penalty: Type.Optional(
      Closed(
        { keep: Positive({ maximum: 1 }) },
        {
          description:
            "train on R_S + R1, dropout's explicit regulariser at keep probability keep (Zhang & Xu 2024, Lemma 1), without masks; the recorded loss stays R_S",
        },
      ),
    ),
    sgd: Type.Optional(
      Closed(
        { batch: Whole(1, undefined, { description: 'samples per step' }) },
        {
          description:
            "each step's gradient from batch samples drawn uniformly with replacement (Philox stream sgd); the recorded loss stays the full-batch R_S",
        },
      ),
    ),
    ...RunControl,
  },
  { description: 'the two-layer network of the papers' },
);

export type RunSpec = Omit<Static<typeof TwoLayerSpec>, 'lr' | '$schema'> & { lr: LrSpec };

/** What a schema cannot say of inline rows: one target per row, every row as long as the first. */
export function checkRows(d: Static<typeof Rows>): void {
  if (d.y.length !== d.x.length) throw new SpecError('data.y', `must be an array with one target per row of data.x (${d.x.length})`);
  const dim = d.x[0].length;
  d.x.forEach((row, i) => {
    if (row.length !== dim) throw new SpecError(`data.x[${i}]`, `must be an array of ${dim} numbers`);
  });
}

/** Row data with the preset fields as given (presets have their defaults in data.ts). */
function validateData(v: unknown): DataSpec {
  checkSpec(DataSpec, v, 'data');
  const d = v as DataSpec;
  if ('x' in d) checkRows(d);
  return { ...d };
}

/** The control fields with their defaults filled in. */
export function runControl(
  s: Pick<Static<typeof TwoLayerSpec>, 'stop' | 'snapshots' | 'lossEvery' | 'seed'>,
): Pick<RunSpec, 'stop' | 'snapshots' | 'lossEvery' | 'seed'> {
  const { maxSteps, lossBelow, lossRatioBelow } = s.stop;
  return { stop: { maxSteps, lossBelow, lossRatioBelow }, snapshots: s.snapshots ?? [], lossEvery: s.lossEvery ?? 1, seed: s.seed };
}

export const adamDefaults = (o: { beta1?: number; beta2?: number; eps?: number }) => ({ beta1: o.beta1 ?? 0.9, beta2: o.beta2 ?? 0.999, eps: o.eps ?? 1e-8 });

/** Check a parsed JSON value and return it as a RunSpec with defaults filled in. */
export function validateRunSpec(value: unknown): RunSpec {
  checkSpec(TwoLayerSpec, value);
  const s = value as Static<typeof TwoLayerSpec>;
  const data = validateData(s.data);
  const asi = s.model.asi ?? false;
  if (asi && s.model.width % 2 !== 0) throw new SpecError('model.width', `must be even with asi (antisymmetric pairs), got ${s.model.width}`);
  const init: InitSpec =
    'gamma' in s.init
      ? { gamma: s.init.gamma, gammaPrime: s.init.gammaPrime, q: s.init.q ?? 0 }
      : { alpha: s.init.alpha, beta1: s.init.beta1, beta2: s.init.beta2 };
  const optimizer: OptimizerSpec = s.optimizer.kind === 'gd' ? { kind: 'gd' } : { kind: 'adam', ...adamDefaults(s.optimizer) };
  const lr = validateLr(s.lr, init);
  if (s.dropout && lr.halveOnIncrease) throw new SpecError('lr.halveOnIncrease', 'cannot be used with dropout (the dropout loss is noisy)');
  if (s.sgd && lr.halveOnIncrease) throw new SpecError('lr.halveOnIncrease', 'cannot be used with sgd (the mini-batch gradient is noisy)');
  if (s.r1Penalty && s.dropout) throw new SpecError('r1Penalty', 'cannot be combined with dropout (R1 is the regulariser that dropout adds in expectation)');
  const dropout = s.dropout && { keep: s.dropout.keep };
  const r1Penalty = s.r1Penalty && { keep: s.r1Penalty.keep };
  const sgd = s.sgd && { batch: s.sgd.batch };
  return { data, model: { width: s.model.width, activation: s.model.activation, asi }, init, optimizer, lr, dropout, r1Penalty, sgd, ...runControl(s) };
}

function validateLr(v: Static<typeof TwoLayerSpec>['lr'], init: InitSpec): LrSpec {
  if (typeof v === 'number') return { value: v, halveOnIncrease: false, maxHalvings: 0 };
  const halving = { halveOnIncrease: v.halveOnIncrease ?? false, maxHalvings: v.maxHalvings ?? 30 };
  if ('value' in v) return { value: v.value, ...halving };
  if (!('gamma' in init)) throw new SpecError('lr.rule', 'luo2021 needs init given as { gamma, gammaPrime }');
  return { rule: 'luo2021', c: v.c ?? 0.5, ...halving };
}
