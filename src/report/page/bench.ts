// The bench rows of a result (`condensa bench --json` merged in): time per call, GPU time, rate, noise.
import type { BenchRow } from '../schema.js';
import { table } from './dom.js';
import { num } from './format.js';

const n = (x: number | undefined) => ({ content: x === undefined ? '–' : num(x), class: 'num' });

export function benchTable(rows: BenchRow[]): HTMLElement {
  return table(
    ['task', 'impl', 'device', 'size', 'median ms', 'GPU median ms', 'GFLOP/s', 'runs/s', '± rme %'],
    rows.map((r) => [r.task, r.impl, r.device, r.size, n(r.medianMs), n(r.gpuMedianMs), n(r.gflops), n(r.runsPerSecond), n(r.rme)]),
  );
}
