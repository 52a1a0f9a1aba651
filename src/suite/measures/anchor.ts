// Measures of a transformer trained on the anchor-function task (suite anchor-function; SCIENCE.md §9.2),
// on the host from the last snapshot's answers (argmax at the last position) to sequences drawn from
// the run's data seed:
//   seenAccuracy: share of the trained pairs' test sequences (key items of the test split, never trained
//       on; EVAL_PER_PAIR a pair) answered with their label
//   heldOutInferential, heldOutSymmetric, heldOutOther: shares of the held-out pair (4, 3)'s sequences
//       (4·EVAL_PER_PAIR, key items of the training split, as the authors' log reads it) answered
//       x − 10 (inferred from the single anchors), x − 6 (the map of its mirror pair (3, 4), memorised),
//       or anything else
//   heldOutInferentialPairLast, heldOutInferentialPairInside: the share answered x − 10 among those of
//       the held-out sequences whose pair sits at the last two positions (the read-out token is the second
//       anchor, key position 6) and among the others (the pair inside, a noise item read out)
//   wqClusters, wqLargestCluster: the rows of the first attention layer's W_Q (one per query unit, over
//       d_model inputs) grouped at cos > 0.7 (signed, greedy as lineGroups): the number of groups and
//       the largest one's share of the rows (the paper's condensation of W_Q^(1) in the inferential solution)
import type { ParamLayout } from '../../model/trajectory.js';
import { paramView } from '../../model/trajectory.js';
import { predict, argmaxRow } from '../../model/predict.js';
import type { SampleSet } from '../../model/samples.js';
import {
  HELD_OUT_PAIR,
  KEY_POSITIONS,
  SEQ_LEN,
  TRAINED_PAIRS,
  VOCAB,
  anchorSequences,
  inferential,
  symmetricLabel,
  type AnchorSet,
} from '../../engine/anchor-task.js';
import { lineGroups } from '../../science/lines.js';
import type { LayeredMeasureInput } from './layered.js';
import { neuronWidth } from './layered.js';

export const EVAL_PER_PAIR = 100;
const WQ_CLUSTER_COS = 0.7;
/** added to the data seed for the held-out pair's sequences, which would otherwise share their Philox words with the first trained pair's */
export const HELD_OUT_SEED = 0x4300;

interface AnchorAnswers {
  seenAccuracy: number;
  inferential: number;
  symmetric: number;
  inferentialPairLast: number;
  inferentialPairInside: number;
}

const answered = new WeakMap<Float32Array, AnchorAnswers>();

/** The run's anchor data spec (a measure of this file on another run is an error that says so). */
function anchorData(s: LayeredMeasureInput): { split: 'paper' | 'code'; seed: number } {
  const d = s.t.spec.data as { preset?: string; split?: 'paper' | 'code'; seed?: number };
  if (d.preset !== 'anchor') throw new Error('this measure needs a run on the anchor task (data.preset "anchor")');
  return { split: d.split ?? 'paper', seed: d.seed ?? 0 };
}

/** Argmax answers of a snapshot on a set of sequences (token ids). */
function argmaxAnswers(s: LayeredMeasureInput, params: Float32Array, set: AnchorSet): Int32Array {
  const samples: SampleSet = {
    name: 'anchor task (measure)',
    n: set.labels.length,
    input: { H: 1, W: 1, C: SEQ_LEN, flat: true },
    x: Float32Array.from(set.tokens),
    y: Float32Array.from(set.labels),
    classes: VOCAB,
  };
  const f = predict(s.t.spec, s.t.layout, params, samples, s.wasm);
  return Int32Array.from({ length: samples.n }, (_, i) => argmaxRow(f, i, VOCAB));
}

/**
 * The last snapshot's answers, once per snapshot: the trained pairs on test key items (never trained
 * on), and the held-out pair on training key items (as the authors' log reads "43_xel": the pair is new,
 * its key items are not).
 */
function answers(s: LayeredMeasureInput): AnchorAnswers {
  const { split, seed } = anchorData(s);
  const params = s.last.params;
  const known = answered.get(params);
  if (known) return known;
  const seen = anchorSequences({ pairs: TRAINED_PAIRS, perPair: EVAL_PER_PAIR, split: 'test', variant: split, seed });
  const seenAnswers = argmaxAnswers(s, params, seen);
  const held = anchorSequences({ pairs: [HELD_OUT_PAIR], perPair: EVAL_PER_PAIR * 4, split: 'train', variant: split, seed: seed + HELD_OUT_SEED });
  const heldAnswers = argmaxAnswers(s, params, held);
  const indices = (n: number) => Array.from({ length: n }, (_, i) => i);
  const share = (among: number[], ok: (i: number) => boolean) => among.filter(ok).length / among.length;
  const isInferential = (i: number) => heldAnswers[i] === inferential(held.key[i], HELD_OUT_PAIR);
  const pairLast = (i: number) => held.pos[i] === KEY_POSITIONS - 1,
    pairInside = (i: number) => !pairLast(i);
  const heldAll = indices(held.labels.length);
  const result = {
    seenAccuracy: share(indices(seen.labels.length), (i) => seenAnswers[i] === seen.labels[i]),
    inferential: share(heldAll, isInferential),
    symmetric: share(heldAll, (i) => heldAnswers[i] === symmetricLabel(held.key[i], HELD_OUT_PAIR)),
    inferentialPairLast: share(heldAll.filter(pairLast), isInferential),
    inferentialPairInside: share(heldAll.filter(pairInside), isInferential),
  };
  answered.set(params, result);
  return result;
}

/** W_Q of the first attention layer. */
function firstQuery(s: LayeredMeasureInput): ParamLayout {
  const p = s.t.layout.find((l) => l.name.endsWith('.query.weight'));
  if (!p) throw new Error('this measure needs an attention layer');
  return p;
}

const queryClusters = (s: LayeredMeasureInput) =>
  lineGroups(paramView(s.last, firstQuery(s)), neuronWidth(firstQuery(s)), { threshold: WQ_CLUSTER_COS, signed: true });

export const ANCHOR_MEASURES = {
  seenAccuracy: (s: LayeredMeasureInput) => answers(s).seenAccuracy,
  heldOutInferential: (s: LayeredMeasureInput) => answers(s).inferential,
  heldOutSymmetric: (s: LayeredMeasureInput) => answers(s).symmetric,
  heldOutOther: (s: LayeredMeasureInput) => 1 - answers(s).inferential - answers(s).symmetric,
  heldOutInferentialPairLast: (s: LayeredMeasureInput) => answers(s).inferentialPairLast,
  heldOutInferentialPairInside: (s: LayeredMeasureInput) => answers(s).inferentialPairInside,
  wqClusters: (s: LayeredMeasureInput) => queryClusters(s).length,
  wqLargestCluster: (s: LayeredMeasureInput) => Math.max(...queryClusters(s).map((g) => g.length)) / firstQuery(s).shape[0],
};
