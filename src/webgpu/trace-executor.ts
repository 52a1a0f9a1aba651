// The executor of `condensa parity --trace`: it holds every tensor of a training program host-side and runs
// each phase one call at a time on two backends (WASM, the truth, and WebGPU) from the same inputs, the WASM
// state. Every tensor a call writes, and the value it returns, is measured under the kernel's declared
// tolerance (../kernels/parity-cases.ts `compareCall`); the WASM outputs then become the state, so errors
// do not accumulate and the first call over its budget is the one that broke: it stops training with an
// OverBudget error naming it. Until then the executor keeps the largest fraction of its budget each kernel used.
import type { ProgramExecutor, StepScalars } from '../model/executor.js';
import type { Program } from '../model/program.js';
import type { Backend } from '../kernels/backends.js';
import { compareCall } from '../kernels/parity-cases.js';
import { kernelDef, type Call, type KernelName } from '../kernels/index.js';
import { paramsOf, type TensorRef } from '../kernels/define.js';
import { measureParity } from './tolerance.js';
import type { Phase } from './layered-program.js';

/** The first call whose output left its budget, and where. */
export interface OverBudgetCall {
  /** the training step: the forward of step t computes R(t), its backward, norms, clip and update follow */
  step: number;
  /** halve-and-restarts before this step (the step count starts again at each) */
  restarts: number;
  phase: Phase;
  /** the call's index in its phase */
  call: number;
  kernel: KernelName;
  /** the program tensor, e.g. "∇layers[0].kernel", or the value the call returned */
  tensor: string;
  /** the worst element */
  index: number;
  got: number;
  want: number;
  error: number;
  budget: number;
  /** error / budget (infinite where the budget is 0: an exact kernel) */
  ratio: number;
}

export class OverBudget extends Error {
  constructor(readonly found: OverBudgetCall) {
    super(`${found.kernel} (step ${found.step}, ${found.phase} call ${found.call}) wrote ${found.tensor} at ${found.ratio} of its budget`);
    this.name = 'OverBudget';
  }
}

export class TracingExecutor implements ProgramExecutor {
  readonly scalars: StepScalars = { lr: 0, bc1: 1, bc2: 1, clipScale: 1 };
  /** calls compared so far */
  calls = 0;
  /** the largest fraction of its budget each kernel used */
  readonly worst = new Map<KernelName, number>();
  private readonly state: Float32Array[];
  private readonly params: Set<number>;
  private stepsDone = 0;
  private restarts = 0;

  constructor(
    readonly program: Program,
    private readonly want: Backend,
    private readonly got: Backend,
  ) {
    this.state = program.tensors.map((t) => new Float32Array(t.size));
    this.params = new Set(program.params.map((p) => p.param));
  }

  write(tensor: number, data: Float32Array): void {
    // the training loop writes parameters only to put the initial weights back: a start or a restart
    if (this.params.has(tensor) && this.stepsDone > 0) {
      this.restarts++;
      this.stepsDone = 0;
    }
    this.state[tensor].set(data);
  }
  async read(tensor: number): Promise<Float32Array> {
    return this.state[tensor].slice();
  }
  async forward(): Promise<number> {
    return (await this.phase('forward', this.program.forward)).at(-1) ?? 0;
  }
  async backward(): Promise<void> {
    await this.phase('backward', this.program.backward);
  }
  async gradSquares(): Promise<number[]> {
    return this.phase('norms', this.program.gradNorms);
  }
  async clip(): Promise<void> {
    await this.phase('clip', this.program.clipGrads);
  }
  async update(): Promise<void> {
    await this.phase('update', this.program.update);
    this.stepsDone++;
  }
  async step(): Promise<number> {
    const loss = await this.forward();
    await this.backward();
    await this.update();
    return loss;
  }

  /** The calls one at a time; resolves to the values they returned (WASM's). */
  private async phase(phase: Phase, calls: Call[]): Promise<number[]> {
    const returned: number[] = [];
    for (const [i, c] of calls.entries()) returned.push(await this.traceCall(phase, i, c));
    return returned;
  }

  private async traceCall(phase: Phase, index: number, c: Call): Promise<number> {
    const def = kernelDef(c.kernel);
    // the program tensors the call binds (a tensor bound twice, as scale_to's x and y, once)
    const ids = [...new Set(paramsOf(def, ['in', 'out', 'inout']).map((n) => (c.args[n] as TensorRef).tensor))];
    const args = Object.fromEntries(
      Object.entries(c.args).map(([n, a]) => [n, typeof a === 'object' && 'tensor' in a ? { tensor: ids.indexOf(a.tensor) } : a]),
    );
    const values = Object.fromEntries(
      Object.entries(c.args).flatMap(([n, a]) => (typeof a === 'number' ? [[n, a]] : 'scalar' in a ? [[n, this.scalars[a.scalar]]] : [])),
    );
    const { outputs, want } = await compareCall(
      def,
      { label: `step ${this.stepsDone} ${phase} call ${index}`, args: values, tensors: {} },
      {
        call: { kernel: c.kernel, args },
        inputs: ids.map((id) => this.state[id]),
        labels: ids.map((id) => this.program.tensors[id].name),
        scalars: this.scalars,
      },
      this.want,
      this.got,
    );
    this.calls++;
    outputs.forEach((o, k) => {
      const m = measureParity(o.tol, o.got, o.want, o.scale);
      this.worst.set(c.kernel, Math.max(this.worst.get(c.kernel) ?? 0, m.worstRatio));
      if (m.worstRatio <= 1) return;
      const got = o.got[m.worstIndex],
        wanted = o.want[m.worstIndex],
        error = Math.abs(got - wanted);
      const returned = def.returns !== undefined && k === outputs.length - 1;
      throw new OverBudget({
        step: this.stepsDone,
        restarts: this.restarts,
        phase,
        call: index,
        kernel: c.kernel,
        tensor: returned ? `${o.name} (returned)` : o.name,
        index: m.worstIndex,
        got,
        want: wanted,
        error,
        budget: Number.isFinite(m.worstRatio) ? error / m.worstRatio : 0,
        ratio: m.worstRatio,
      });
    });
    ids.forEach((id, i) => (this.state[id] = want.tensors[i]));
    return want.returned;
  }
}
