// First-diverging-call tracing (`condensa parity --trace SPEC.json`): a layered run trained by the normal
// layered training loop on the tracing executor (./trace-executor.ts), which runs every call on WASM and on
// a WebGPU backend from the same WASM state, for the run's own steps up to a cap. The result names the
// first call whose output left its budget (step, phase, call, kernel, tensor, element, error and budget),
// or says that every call stayed inside, with the largest fraction of its budget each kernel used.
import type { WasmInstance } from '../wasm/load.js';
import type { KernelName } from '../kernels/index.js';
import { cpuBackend, type Backend } from '../kernels/backends.js';
import { validateAnySpec, isLayeredSpec, type LayeredRunSpec } from '../model/spec.js';
import { trainLayered } from '../model/train-layered.js';
import type { Program } from '../model/program.js';
import { OverBudget, TracingExecutor, type OverBudgetCall } from './trace-executor.js';

export interface TraceResult {
  /** steps trained: the run's (capped) length, or the step of the call over its budget */
  steps: number;
  /** calls compared, the one over its budget included */
  calls: number;
  /** the largest fraction of its budget each kernel used, largest first */
  worst: { kernel: KernelName; ratio: number }[];
  /** the first call over its budget; absent when every call stayed inside */
  overBudget?: OverBudgetCall;
}

/** A parsed spec that can be traced: the layered form (the two-layer engine has no per-call program). */
export function traceableSpec(json: unknown, name: string): LayeredRunSpec {
  const spec = validateAnySpec(json);
  if (!isLayeredSpec(spec))
    throw new Error(
      `${name} is a two-layer spec (model: { width, … }), which --trace does not replay: it traces a layered run's program call by call; write the network as model.layers (dense, activation, dense) to trace it`,
    );
  return spec;
}

/** Train `spec` for at most `steps` steps with every call run on WASM and on `got`, compared call by call. */
export async function traceRun(spec: LayeredRunSpec, wasm: WasmInstance, got: Backend, steps: number): Promise<TraceResult> {
  const capped: LayeredRunSpec = { ...spec, stop: { ...spec.stop, maxSteps: Math.min(spec.stop.maxSteps, steps) } };
  let exec: TracingExecutor | undefined;
  const factory = (program: Program) => (exec = new TracingExecutor(program, cpuBackend('wasm', wasm.heap, wasm.kernels), got));
  const worst = () => [...exec!.worst].map(([kernel, ratio]) => ({ kernel, ratio })).sort((a, b) => b.ratio - a.ratio);
  try {
    const t = await trainLayered(capped, 'trace', factory, wasm.kernels, wasm.heap);
    return { steps: t.steps, calls: exec!.calls, worst: worst() };
  } catch (err) {
    if (!(err instanceof OverBudget)) throw err;
    return { steps: err.found.step, calls: exec!.calls, worst: worst(), overBudget: err.found };
  }
}

const num = (x: number) => (x === 0 || !Number.isFinite(x) ? String(x) : Math.abs(x) < 1e-3 || Math.abs(x) >= 1e4 ? x.toExponential(3) : x.toPrecision(4));

/** The trace in one paragraph: the call over its budget, or the worst kernel of a clean trace. */
export function describeTrace(r: TraceResult, backend: string): string {
  const o = r.overBudget;
  if (!o) {
    const top = r.worst[0];
    const bits = top.ratio === 0 ? ' (every output the WASM bits)' : '';
    return `all ${r.calls} calls of ${r.steps} steps within budget on ${backend}; worst: kernel ${top.kernel} at ${num(top.ratio)} of its budget${bits}`;
  }
  const at = `step ${o.step}${o.restarts ? ` (after ${o.restarts} restart${o.restarts > 1 ? 's' : ''})` : ''}, ${o.phase} call ${o.call}`;
  const over = Number.isNaN(o.error)
    ? 'a NaN on one side only'
    : `|error| ${num(o.error)} is ${Number.isFinite(o.ratio) ? `${num(o.ratio)}× its budget of ${num(o.budget)}` : 'over the budget 0 of an exact kernel'}`;
  return (
    `first call over budget on ${backend}: ${at}, kernel ${o.kernel}, tensor ${o.tensor}: element ${o.index} is ${num(o.got)}, ` +
    `WASM ${num(o.want)}; ${over}. The ${r.calls - 1} calls before it stayed within their budgets.`
  );
}
