// One line on a software adapter's bit-check of some parts ("6 of 48 runs bit-checked, 6 = WASM"), for the
// terminal, the runners' progress lines and the page alike.
import type { PartRecord } from './schema.js';

/** The line for `parts` (one part, or a project's parts of a suite), or undefined when none was bit-checked. */
export function bitCheckText(parts: PartRecord[]): string | undefined {
  const checked = parts.filter((p) => p.bitCheck);
  if (checked.length === 0) return undefined;
  const runs = checked.flatMap((p) => p.bitCheck!.runs);
  const same = runs.filter((r) => !r.firstDifference).length;
  const of = checked.reduce((n, p) => n + p.bitCheck!.of, 0);
  const steps = checked.length === 1 && checked[0].bitCheck!.steps !== undefined ? ` (their first ${checked[0].bitCheck!.steps} steps)` : '';
  return `${runs.length} of ${of} runs bit-checked${steps}, ${same} = WASM`;
}
