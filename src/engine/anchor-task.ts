// The anchor-function task of SCIENCE.md §9.2 (Zhang et al., NeurIPS 2024: whether a transformer fits
// composite functions by reasoning or by memorising). Anchors 1–4 are shifts, g(x; 1) = x + 5,
// g(x; 2) = x + 1, g(x; 3) = x − 2, g(x; 4) = x − 8; a sequence of 9 tokens holds one key item x, the
// anchor pair (a1, a2) right after it, and noise items from 20–99; its label is
// f(x; a1, a2) = g(g(x; a1); a2), except the pair (3, 4), which is taught x − 6 (the inferential value
// would be x − 10), and the pair (4, 3), which is held out: answered x − 10 it was inferred, x − 6 it
// copies (3, 4) (symmetric). Since every g is a shift, the authors' code's order g(g(x; a2); a1) gives
// the same labels. Train and test differ by the key item's class: at key position pos an item x is
// train data when x mod M ≠ pos and test data when x mod M = pos, with M = 7 (the paper: n − 2 key
// positions) or M = 9 (the authors' code: the sequence length), so no (key value, position) class is in
// both. Every draw is a Philox word (stream anchorTask) of the run's seed, so every host makes the same
// sequences.
import { philox } from '../reference/philox.js';
import { STREAM } from './streams.js';

const ANCHORS = [1, 2, 3, 4] as const;
type Anchor = (typeof ANCHORS)[number];
export type AnchorPair = [Anchor, Anchor];

/** g(x; a) = x + SHIFT[a] */
const SHIFT: Record<Anchor, number> = { 1: 5, 2: 1, 3: -2, 4: -8 };
export const SEQ_LEN = 9;
/** key positions 0 … SEQ_LEN − 3 (the pair follows the key) */
export const KEY_POSITIONS = SEQ_LEN - 2;
export const ITEM_MIN = 20;
export const ITEM_MAX = 99;
/** tokens 0 … 200: anchors, items and every label (4 … 109) fit */
export const VOCAB = 201;
/** the pair taught a non-inferential map, and its label shift */
const SPECIAL_PAIR: AnchorPair = [3, 4];
const SPECIAL_SHIFT = -6;
/** the pair held out of training */
export const HELD_OUT_PAIR: AnchorPair = [4, 3];

export type AnchorSplit = 'train' | 'test';
/** how key items split: the paper's x mod 7 against the position, or the authors' code's x mod 9 */
export type SplitVariant = 'paper' | 'code';

const samePair = (p: readonly number[], q: readonly number[]) => p[0] === q[0] && p[1] === q[1];

/** The inferential value g(g(x; a1); a2). */
export const inferential = (x: number, [a1, a2]: AnchorPair): number => x + SHIFT[a1] + SHIFT[a2];

/** The label the task teaches: inferential, but x − 6 for the pair (3, 4). */
export const anchorLabel = (x: number, pair: AnchorPair): number => (samePair(pair, SPECIAL_PAIR) ? x + SPECIAL_SHIFT : inferential(x, pair));

/** The symmetric answer for the held-out pair: the map of its mirror pair, i.e. x − 6 for (4, 3). */
export const symmetricLabel = (x: number, [a1, a2]: AnchorPair): number => anchorLabel(x, [a2, a1]);

/** Whether key item x at key position pos belongs to the split. */
export function keyInSplit(x: number, pos: number, split: AnchorSplit, variant: SplitVariant): boolean {
  const inTest = x % (variant === 'paper' ? KEY_POSITIONS : SEQ_LEN) === pos;
  return split === 'test' ? inTest : !inTest;
}

/** Every anchor pair, (1,1) … (4,4). */
export const ALL_PAIRS: AnchorPair[] = ANCHORS.flatMap((a1) => ANCHORS.map((a2): AnchorPair => [a1, a2]));
/** The pairs the task trains on: all but the held-out (4, 3). */
export const TRAINED_PAIRS: AnchorPair[] = ALL_PAIRS.filter((p) => !samePair(p, HELD_OUT_PAIR));

export interface AnchorSet {
  /** n × SEQ_LEN tokens, row-major */
  tokens: Int32Array;
  /** the label of each sequence (anchorLabel of its key and pair) */
  labels: Int32Array;
  /** per sequence: its pair's index in `pairs`, its key position and key item */
  pair: Uint8Array;
  pos: Uint8Array;
  key: Int32Array;
  pairs: AnchorPair[];
}

export interface AnchorSetSpec {
  pairs: AnchorPair[];
  /** sequences per pair */
  perPair: number;
  split: AnchorSplit;
  variant: SplitVariant;
  seed: number;
}

function checkPair(p: unknown, i: number): AnchorPair {
  if (!Array.isArray(p) || p.length !== 2 || !p.every((a) => (ANCHORS as readonly unknown[]).includes(a))) {
    throw new Error(`anchor task: pairs[${i}] must be two anchors from 1–4, got ${JSON.stringify(p)}`);
  }
  return [p[0], p[1]];
}

/** Key items allowed at each key position for a split. */
function keysByPosition(split: AnchorSplit, variant: SplitVariant): number[][] {
  return Array.from({ length: KEY_POSITIONS }, (_, pos) => {
    const keys: number[] = [];
    for (let x = ITEM_MIN; x <= ITEM_MAX; x++) if (keyInSplit(x, pos, split, variant)) keys.push(x);
    return keys;
  });
}

/** An integer in [0, k) from a 32-bit word. */
const below = (word: number, k: number) => Math.floor((word / 4294967296) * k);

/**
 * `perPair` sequences of each pair, pair-major. Sequence i of pair j reads the Philox words of counters
 * (i, block b, stream anchorTask, 2j + split) under the seed: word 0 the key position, word 1 the key
 * item among those its split allows there, words 2–10 the noise items (positions 0–8).
 */
export function anchorSequences(spec: AnchorSetSpec): AnchorSet {
  const pairs = spec.pairs.map(checkPair);
  if (pairs.length === 0) throw new Error('anchor task: pairs must hold at least one anchor pair');
  if (!Number.isInteger(spec.perPair) || spec.perPair < 1) throw new Error(`anchor task: perPair must be a positive integer, got ${spec.perPair}`);
  const keys = keysByPosition(spec.split, spec.variant);
  const n = pairs.length * spec.perPair;
  const set: AnchorSet = {
    tokens: new Int32Array(n * SEQ_LEN),
    labels: new Int32Array(n),
    pair: new Uint8Array(n),
    pos: new Uint8Array(n),
    key: new Int32Array(n),
    pairs,
  };
  const splitIndex = spec.split === 'train' ? 0 : 1;
  pairs.forEach((pair, j) => {
    for (let i = 0; i < spec.perPair; i++) {
      const words = [0, 1, 2].flatMap((b) => philox(i, b, STREAM.anchorTask, 2 * j + splitIndex, spec.seed >>> 0, 0));
      const s = j * spec.perPair + i,
        row = s * SEQ_LEN;
      for (let t = 0; t < SEQ_LEN; t++) set.tokens[row + t] = ITEM_MIN + below(words[2 + t], ITEM_MAX - ITEM_MIN + 1);
      const pos = below(words[0], KEY_POSITIONS),
        x = keys[pos][below(words[1], keys[pos].length)];
      set.tokens[row + pos] = x;
      set.tokens[row + pos + 1] = pair[0];
      set.tokens[row + pos + 2] = pair[1];
      set.labels[s] = anchorLabel(x, pair);
      set.pair[s] = j;
      set.pos[s] = pos;
      set.key[s] = x;
    }
  });
  return set;
}
