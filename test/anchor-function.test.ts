// The suite "anchor-function": its measures on parameters set by hand (a transformer whose every weight
// is 0 answers its read-out bias' argmax whatever the sequence, so each share is a count over the
// generated sequences), W_Q clusters of hand-made rows, the model's layer paths and init rates, and the
// flip test on the WASM engine in Node: with the small and the large initialisations swapped, every
// claim on W_Q's clusters fails while the seen-pair claims still hold. That the claims hold at ci scale
// is checked where the suite runs in CI (`condensa suite` in npm test), not a second time here.
import { describe, it, expect, beforeAll } from 'vitest';
import { loadWasm } from '../src/wasm/node.js';
import type { WasmInstance } from '../src/wasm/load.js';
import { createEngine } from '../src/engine/index.js';
import { validateLayeredSpec } from '../src/model/spec.js';
import type { LayeredTrajectory } from '../src/model/trajectory.js';
import { judgeClaims } from '../src/suite/claims.js';
import { layeredInput, takeLayeredCurves, takeLayeredMeasures } from '../src/suite/measures.js';
import { ANCHOR_MEASURES, EVAL_PER_PAIR, HELD_OUT_SEED } from '../src/suite/measures/anchor.js';
import { HELD_OUT_PAIR, KEY_POSITIONS, TRAINED_PAIRS, anchorSequences } from '../src/engine/anchor-task.js';
import { anchorLayers, DK, D_MODEL } from '../src/models/anchor-transformer.js';
import { anchorFunctionOn, anchorRun } from '../suites/anchor-function.suite.js';
import { runSuiteOnWasm, withSpecs } from './support.js';

let wasm: WasmInstance;
beforeAll(async () => {
  wasm = await loadWasm();
});

/** Parameters of `t`'s model that answer k whatever the sequence: every weight 0 but the read-out bias of k. */
function answering(t: LayeredTrajectory, k: number): Float32Array {
  const params = new Float32Array(t.snapshots[0].params.length);
  params[t.layout.find((p) => p.kind === 'dense' && p.bias)!.offset + k] = 1;
  return params;
}

describe('anchor-function measures', () => {
  it('a network that always answers k: the shares are the counts of k among labels, x − 10 and x − 6', async () => {
    const spec = validateLayeredSpec({ ...anchorRun(0.8, 3).spec, stop: { maxSteps: 1 } });
    const t = (await createEngine('wasm', wasm).run(spec)) as LayeredTrajectory;
    const k = 29;
    const input = { t, samples: undefined as never, first: t.snapshots[0], last: { ...t.snapshots[1], params: answering(t, k) }, wasm };
    const seen = anchorSequences({ pairs: TRAINED_PAIRS, perPair: EVAL_PER_PAIR, split: 'test', variant: 'paper', seed: 3 });
    const held = anchorSequences({ pairs: [HELD_OUT_PAIR], perPair: 4 * EVAL_PER_PAIR, split: 'train', variant: 'paper', seed: 3 + HELD_OUT_SEED });
    const share = (xs: Int32Array, ok: (x: number) => boolean) => xs.filter(ok).length / xs.length;
    expect(ANCHOR_MEASURES.seenAccuracy(input)).toBe(share(seen.labels, (y) => y === k));
    expect(ANCHOR_MEASURES.heldOutInferential(input)).toBe(share(held.key, (x) => x - 10 === k));
    expect(ANCHOR_MEASURES.heldOutSymmetric(input)).toBe(share(held.key, (x) => x - 6 === k));
    // both shares are non-zero for k = 29 (keys 39 and 35 occur), so the test can tell them apart
    expect(ANCHOR_MEASURES.heldOutInferential(input)).toBeGreaterThan(0);
    expect(ANCHOR_MEASURES.heldOutSymmetric(input)).toBeGreaterThan(0);
    // split by where the pair sits: at the last two positions (key position 6) or inside
    const last = held.key.filter((_, i) => held.pos[i] === KEY_POSITIONS - 1),
      inside = held.key.filter((_, i) => held.pos[i] !== KEY_POSITIONS - 1);
    expect(last.length + inside.length).toBe(held.key.length);
    expect(ANCHOR_MEASURES.heldOutInferentialPairLast(input)).toBe(share(last, (x) => x - 10 === k));
    expect(ANCHOR_MEASURES.heldOutInferentialPairInside(input)).toBe(share(inside, (x) => x - 10 === k));
    // key 39 occurs with the pair last and inside, so neither share is 0
    expect(ANCHOR_MEASURES.heldOutInferentialPairLast(input)).toBeGreaterThan(0);
    expect(ANCHOR_MEASURES.heldOutInferentialPairInside(input)).toBeGreaterThan(0);
    expect(ANCHOR_MEASURES.heldOutOther(input)).toBeCloseTo(1 - share(held.key, (x) => x - 10 === k || x - 6 === k), 12);
    expect(() => ANCHOR_MEASURES.seenAccuracy({ ...input, t: { ...t, spec: { ...t.spec, data: { preset: 'mnist' } } } as never })).toThrow(
      /needs a run on the anchor task/,
    );
  });

  it('curves read a measure at every snapshot: a network answering 40, then one answering 50', async () => {
    const spec = validateLayeredSpec({ ...anchorRun(0.8, 3).spec, stop: { maxSteps: 2 }, snapshots: [1, 2] });
    const t = (await createEngine('wasm', wasm).run(spec)) as LayeredTrajectory;
    const handMade = { ...t, snapshots: [t.snapshots[0], { step: 1, params: answering(t, 40) }, { step: 2, params: answering(t, 50) }] };
    const handMadeInput = await layeredInput(handMade, wasm);
    const curves = takeLayeredCurves(['heldOutSymmetric', 'seenAccuracy'], handMadeInput);
    const held = anchorSequences({ pairs: [HELD_OUT_PAIR], perPair: 4 * EVAL_PER_PAIR, split: 'train', variant: 'paper', seed: 3 + HELD_OUT_SEED });
    const seen = anchorSequences({ pairs: TRAINED_PAIRS, perPair: EVAL_PER_PAIR, split: 'test', variant: 'paper', seed: 3 });
    const share = (xs: Int32Array, ok: (x: number) => boolean) => xs.filter(ok).length / xs.length;
    expect(curves.heldOutSymmetric.step).toEqual([0, 1, 2]);
    expect(curves.heldOutSymmetric.value.slice(1)).toEqual([share(held.key, (x) => x - 6 === 40), share(held.key, (x) => x - 6 === 50)]);
    expect(curves.seenAccuracy.value.slice(1)).toEqual([share(seen.labels, (y) => y === 40), share(seen.labels, (y) => y === 50)]);
    expect(curves.heldOutSymmetric.value[1]).not.toBe(curves.heldOutSymmetric.value[2]);
    // the last point is the run's measure
    expect(takeLayeredMeasures(['heldOutSymmetric'], handMadeInput).heldOutSymmetric).toBe(curves.heldOutSymmetric.value[2]);
  });

  it('W_Q clusters at cos > 0.7: signed, greedy from the first row', async () => {
    const spec = validateLayeredSpec({ ...anchorRun(0.8, 0).spec, stop: { maxSteps: 1 } });
    const t = (await createEngine('wasm', wasm).run(spec)) as LayeredTrajectory;
    const q = t.layout.find((p) => p.name.endsWith('.query.weight'))!;
    expect(q.shape).toEqual([DK, D_MODEL]);
    expect(q.layer).toBe('model.layers[2].layers[0]');
    const params = new Float32Array(t.snapshots[0].params.length);
    // rows 0–9 along e0 (row 9 reversed: its own cluster), rows 10–15 one direction, e1 with a little e0 (cos 0.0995 to e0)
    for (let r = 0; r < DK; r++) {
      const at = q.offset + r * D_MODEL;
      if (r < 10) params[at] = r === 9 ? -1 : 1 + r;
      else ((params[at] = 0.1), (params[at + 1] = 1));
    }
    const input = { t, samples: undefined as never, first: t.snapshots[0], last: { ...t.snapshots[1], params }, wasm };
    expect(ANCHOR_MEASURES.wqClusters(input)).toBe(3);
    expect(ANCHOR_MEASURES.wqLargestCluster(input)).toBe(9 / DK);
    // at init the rows are random directions in 32 dimensions: every row its own cluster
    expect(ANCHOR_MEASURES.wqClusters({ ...input, last: t.snapshots[0] })).toBe(DK);
  });

  it('every weight matrix starts from std d_in^−γ, and attention and the feed-forward block carry no biases (as the authors’ model)', () => {
    const layers = anchorLayers(0.5, 3);
    expect(layers.filter((l) => l.type === 'residual')).toHaveLength(6);
    expect(layers.filter((l) => l.type === 'layernorm')).toHaveLength(6);
    const inner = layers.flatMap((l) => (l.type === 'residual' ? l.layers : [l]));
    for (const l of inner) if ('init' in l) expect(l.init).toEqual({ std: 'd_in^-gamma', gamma: 0.5 });
    const validated = validateLayeredSpec({ ...anchorRun(0.5, 0).spec, model: { layers, loss: 'softmax-ce' } }).model.layers;
    const biased = validated.flatMap((l) => (l.type === 'residual' ? l.layers : [l])).filter((l) => 'bias' in l && l.bias);
    expect(biased.map((l) => l.type)).toEqual(['dense']);
  });
});

describe('the anchor-function suite on WASM (Node)', () => {
  it('with the small and large initialisations swapped, every claim on W_Q’s clusters fails (seed 0 alone)', async () => {
    const small = anchorLayers(0.8, 2),
      large = anchorLayers(0.4, 2);
    // one seed makes every cluster claim fail (per seed 2–8 clusters from γ = 0.8 against 14–16 from 0.4)
    const oneSeed = anchorFunctionOn({ ci: [0], full: [0] }, { ci: [0], full: [0] });
    const flipped = withSpecs(oneSeed, (spec, run) => ({
      ...spec,
      model: { ...spec.model, layers: run.label.startsWith('γ=0.8') ? large : run.label.startsWith('γ=0.4') ? small : spec.model.layers },
    }));
    const { verdicts, pending } = judgeClaims(flipped, 'ci', await runSuiteOnWasm(flipped, wasm), 'wasm', 'wasm');
    expect(pending).toEqual([]);
    expect(verdicts.filter((v) => v.pass).map((v) => v.id)).toEqual(['T7.2d', 'T7.2e', 'T7.2f']);
  }, 900_000);

  it('with the learning and the too-large initialisations swapped, the accuracy claims fail (seed 0 alone)', async () => {
    const tooLarge = anchorLayers(0.2, 2),
      small = anchorLayers(0.8, 2);
    // γ = 0.8 and 0.4 from γ = 0.2's std 0.50 do not learn the seen pairs (T7.2d, T7.2e); the γ = 0.2 run from
    // γ = 0.8's std learns them (T7.2f)
    const oneSeed = anchorFunctionOn({ ci: [0], full: [0] }, { ci: [0], full: [0] });
    const flipped = withSpecs(oneSeed, (spec, run) => ({
      ...spec,
      model: { ...spec.model, layers: run.label.startsWith('γ=0.2') ? small : tooLarge },
    }));
    const { verdicts } = judgeClaims(flipped, 'ci', await runSuiteOnWasm(flipped, wasm), 'wasm', 'wasm');
    const failing = verdicts.filter((v) => !v.pass).map((v) => v.id);
    for (const id of ['T7.2d', 'T7.2e', 'T7.2f']) expect(failing).toContain(id);
  }, 900_000);
});
