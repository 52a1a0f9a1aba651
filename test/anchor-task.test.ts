// T7.1 (SCIENCE.md §9.3): the anchor-function task's generator, exactly. Every label of every pair and
// key item; sequences with one key and one anchor pair after it among noise items; the key-item split
// that never puts a (key value, position) class in both train and test, in the paper's form (mod 7) and
// the authors' code's (mod 9); the same sequences for the same seed; errors that name the bad input.
// Then the `anchor` data preset that feeds them to a RunSpec, and a small transformer that trains on it.
import { describe, it, expect } from 'vitest';
import { loadWasm } from '../src/wasm/node.js';
import { createEngine } from '../src/engine/index.js';
import { validateLayeredSpec } from '../src/model/spec.js';
import { makeSamples } from '../src/model/samples.js';
import type { LayeredTrajectory } from '../src/model/trajectory.js';
import {
  ALL_PAIRS,
  HELD_OUT_PAIR,
  ITEM_MAX,
  ITEM_MIN,
  KEY_POSITIONS,
  SEQ_LEN,
  VOCAB,
  anchorLabel,
  anchorSequences,
  inferential,
  keyInSplit,
  symmetricLabel,
  type AnchorPair,
  type AnchorSplit,
  type SplitVariant,
} from '../src/engine/anchor-task.js';

const ITEMS = Array.from({ length: ITEM_MAX - ITEM_MIN + 1 }, (_, i) => ITEM_MIN + i);

describe('anchor-task labels (T7.1)', () => {
  it('every pair and key item: the inferential shift, x − 6 for (3, 4); (4, 3) inferential x − 10, symmetric x − 6', () => {
    const shift: Record<number, number> = { 1: 5, 2: 1, 3: -2, 4: -8 };
    for (const pair of ALL_PAIRS)
      for (const x of ITEMS) {
        const [a1, a2] = pair;
        expect(inferential(x, pair)).toBe(x + shift[a1] + shift[a2]);
        expect(anchorLabel(x, pair)).toBe(a1 === 3 && a2 === 4 ? x - 6 : x + shift[a1] + shift[a2]);
      }
    for (const x of ITEMS) {
      expect(inferential(x, HELD_OUT_PAIR)).toBe(x - 10);
      expect(symmetricLabel(x, HELD_OUT_PAIR)).toBe(x - 6);
      expect(anchorLabel(x, [1, 2])).toBe(x + 6);
    }
    expect(ALL_PAIRS).toHaveLength(16);
    // every label is a token
    const labels = ALL_PAIRS.flatMap((p) => ITEMS.map((x) => anchorLabel(x, p)));
    expect(Math.min(...labels)).toBe(4);
    expect(Math.max(...labels)).toBe(109);
    expect(Math.max(...labels)).toBeLessThan(VOCAB);
  });
});

describe('anchor-task sequences (T7.1)', () => {
  const variants: SplitVariant[] = ['paper', 'code'];
  const make = (split: AnchorSplit, variant: SplitVariant, seed = 3, pairs: AnchorPair[] = ALL_PAIRS) =>
    anchorSequences({ pairs, perPair: 400, split, variant, seed });

  it.each(variants)('%s split: one key and its pair among noise items, the taught label, the key in its split', (variant) => {
    for (const split of ['train', 'test'] as const) {
      const set = make(split, variant);
      expect(set.labels).toHaveLength(16 * 400);
      for (let s = 0; s < set.labels.length; s++) {
        const row = Array.from(set.tokens.subarray(s * SEQ_LEN, (s + 1) * SEQ_LEN));
        const pos = set.pos[s],
          pair = set.pairs[set.pair[s]];
        expect(pos).toBeLessThan(KEY_POSITIONS);
        expect(row[pos]).toBe(set.key[s]);
        expect([row[pos + 1], row[pos + 2]]).toEqual(pair);
        // exactly one anchor pair: every other token is an item
        row.forEach((t, i) => (i === pos + 1 || i === pos + 2 ? undefined : expect(t >= ITEM_MIN && t <= ITEM_MAX).toBe(true)));
        expect(set.labels[s]).toBe(anchorLabel(set.key[s], pair));
        const m = variant === 'paper' ? 7 : 9;
        expect(set.key[s] % m === pos).toBe(split === 'test');
        expect(keyInSplit(set.key[s], pos, split, variant)).toBe(true);
      }
      // every key position is used, pairs are in order (pair-major)
      expect(new Set(set.pos).size).toBe(KEY_POSITIONS);
      expect(Array.from(set.pair.subarray(0, 400)).every((j) => j === 0)).toBe(true);
    }
  });

  it.each(variants)('%s split: no (key value, position) class in both train and test, and every class is in one', (variant) => {
    const classes = (split: AnchorSplit) => {
      const set = make(split, variant, 11);
      return new Set(Array.from(set.key, (x, s) => `${x}@${set.pos[s]}`));
    };
    const train = classes('train'),
      test = classes('test');
    expect([...train].filter((c) => test.has(c))).toEqual([]);
    for (let pos = 0; pos < KEY_POSITIONS; pos++)
      for (const x of ITEMS) expect(keyInSplit(x, pos, 'train', variant)).toBe(!keyInSplit(x, pos, 'test', variant));
  });

  it('the same seed gives the same sequences; another seed, others', () => {
    const a = make('train', 'paper', 5),
      b = make('train', 'paper', 5),
      c = make('train', 'paper', 6);
    expect(a.tokens).toEqual(b.tokens);
    expect(a.labels).toEqual(b.labels);
    expect(a.tokens).not.toEqual(c.tokens);
    // the noise items are spread over 20–99 (each value about 1/80 of the noise tokens)
    const counts = new Map<number, number>();
    a.tokens.forEach((t) => counts.set(t, (counts.get(t) ?? 0) + 1));
    expect(ITEMS.every((x) => (counts.get(x) ?? 0) > 0)).toBe(true);
  });

  it('names the bad input', () => {
    expect(() => anchorSequences({ pairs: [[3, 5] as unknown as AnchorPair], perPair: 1, split: 'train', variant: 'paper', seed: 0 })).toThrow(
      /pairs\[0\] must be two anchors from 1–4, got \[3,5\]/,
    );
    expect(() => anchorSequences({ pairs: [], perPair: 1, split: 'train', variant: 'paper', seed: 0 })).toThrow(/at least one anchor pair/);
    expect(() => anchorSequences({ pairs: [[1, 2]], perPair: 0, split: 'train', variant: 'paper', seed: 0 })).toThrow(
      /perPair must be a positive integer, got 0/,
    );
  });
});

describe('the anchor data preset', () => {
  /** A one-block post-LN transformer on the task: embedding, positions, causal attention, a ReLU feed-forward block, the last position. */
  const transformer = (perPair: number, split: 'paper' | 'code' = 'paper') =>
    validateLayeredSpec({
      data: { preset: 'anchor', perPair, split, seed: 2 },
      model: {
        layers: [
          { type: 'embedding', vocab: VOCAB, dim: 16, init: { std: 'd_in^-gamma', gamma: 0.8 } },
          { type: 'positional', init: { std: 'd_in^-gamma', gamma: 0.8 } },
          { type: 'residual', layers: [{ type: 'attention', dk: 8, init: { std: 'd_in^-gamma', gamma: 0.8 } }] },
          { type: 'layernorm' },
          {
            type: 'residual',
            layers: [
              { type: 'conv2d', filters: 32, kernel: 1, init: { std: 'd_in^-gamma', gamma: 0.8 } },
              { type: 'activation', fn: 'relu' },
              { type: 'conv2d', filters: 16, kernel: 1, init: { std: 'd_in^-gamma', gamma: 0.8 } },
            ],
          },
          { type: 'layernorm' },
          { type: 'lastposition' },
          { type: 'dense', units: VOCAB, init: { std: 'd_in^-gamma', gamma: 0.8 } },
        ],
        loss: 'softmax-ce',
      },
      optimizer: { kind: 'adamw', weightDecay: 0.01 },
      lr: { value: 1e-2, warmupSteps: 5, decay: 'cosine', decaySteps: 60 },
      batch: { size: 32 },
      clip: { maxNorm: 1 },
      stop: { maxSteps: 60 },
      seed: 1,
    });

  it('gives every trained pair (all but (4, 3)) on its key-item split, as token ids labelled by the label token', async () => {
    const wasm = await loadWasm();
    for (const split of ['train', 'test'] as const) {
      const s = makeSamples(transformer(6, 'code'), VOCAB, wasm.heap, wasm.kernels, split);
      expect(s.n).toBe(15 * 6);
      expect(s.input).toEqual({ H: 1, W: 1, C: SEQ_LEN, flat: true });
      expect(s.classes).toBe(VOCAB);
      for (let i = 0; i < s.n; i++) {
        const row = Array.from(s.x.subarray(i * SEQ_LEN, (i + 1) * SEQ_LEN));
        const pos = row.findIndex((t) => t >= 1 && t <= 4),
          pair = [row[pos], row[pos + 1]] as AnchorPair;
        expect(pair).not.toEqual(HELD_OUT_PAIR);
        expect(s.y[i]).toBe(anchorLabel(row[pos - 1], pair));
        expect(keyInSplit(row[pos - 1], pos - 1, split, 'code')).toBe(true);
      }
    }
    expect(() => validateLayeredSpec({ ...transformer(1), data: { preset: 'anchor', split: 'mod8' } })).toThrow(
      /data\.split must be "paper" \(key item mod 7\) or "code" \(mod 9\), got "mod8"/,
    );
  });

  it('a small transformer trains on it (AdamW, warm-up, cosine decay, clipping): the loss falls from ln 201', async () => {
    const wasm = await loadWasm();
    const t = (await createEngine('wasm', wasm).run(transformer(40))) as LayeredTrajectory;
    expect(t.steps).toBe(60);
    // near ln 201 (logits near 0 from the small read-out), and falling
    expect(Math.abs(t.initialLoss - Math.log(VOCAB))).toBeLessThan(0.5);
    expect(t.finalLoss).toBeLessThan(t.initialLoss - 0.5);
  });
});
