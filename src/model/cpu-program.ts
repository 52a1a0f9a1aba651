// Executes a training program (src/model/program.ts) over the Heap with a set of F32Kernels: the
// WASM module or its scalar TypeScript twins, so both run the very same calls in the same order.
import type { Heap } from '../wasm/heap.js';
import type { F32Kernels } from '../wasm/kernels.js';
import type { Program } from './program.js';
import { kernelDef, type Call } from '../kernels/index.js';
import type { ProgramExecutor, StepScalars } from './executor.js';

export class CpuProgram implements ProgramExecutor {
  /** byte pointer of every tensor of the program */
  readonly ptr: number[];
  readonly scalars: StepScalars = { lr: 0, bc1: 1, bc2: 1, clipScale: 1 };
  private readonly work: number;
  private readonly phases: Record<'forward' | 'backward' | 'clip' | 'update', () => number>;
  private readonly norms: (() => number)[];

  constructor(
    readonly heap: Heap,
    readonly k: F32Kernels,
    readonly program: Program,
  ) {
    this.ptr = program.tensors.map((d) => heap.allocF32(d.size));
    this.work = heap.alloc(k.gemm_workspace_bytes());
    this.phases = {
      forward: this.compile(program.forward),
      backward: this.compile(program.backward),
      clip: this.compile(program.clipGrads),
      update: this.compile(program.update),
    };
    this.norms = program.gradNorms.map((c) => this.compile([c]));
  }

  /** Compile calls into closures with their pointers resolved (scalars read at call time); the
   * arguments go in the order of the kernel's declared parameters, which is the WASM signature's. */
  private compile(calls: Call[]): () => number {
    const steps = calls.map((c) => {
      const fn = this.k[c.kernel] as (...a: number[]) => number;
      const args = Object.entries(kernelDef(c.kernel).params).map(([name, kind]) => (kind === 'workspace' ? 'workspace' : c.args[name]));
      const fixed = args.map((a) => (a === 'workspace' ? this.work : typeof a === 'number' ? a : 'tensor' in a ? this.ptr[a.tensor] : NaN));
      const late = args.flatMap((a, i) => (typeof a === 'object' && 'scalar' in a ? [[i, a.scalar] as const] : []));
      if (late.length === 0) return () => fn(...fixed);
      return () => {
        for (const [i, name] of late) fixed[i] = this.scalars[name];
        return fn(...fixed);
      };
    });
    return () => {
      let last = 0;
      for (const s of steps) last = s();
      return last;
    };
  }

  /** A live view of a tensor (valid until the next Heap allocation). */
  view(tensor: number): Float32Array {
    return this.heap.viewF32(this.ptr[tensor], this.program.tensors[tensor].size);
  }

  /** The synchronous forward pass, for evaluation (predict) and gradient checks. */
  forwardNow(): number {
    return this.phases.forward();
  }
  backwardNow(): void {
    this.phases.backward();
  }

  write(tensor: number, data: Float32Array): void {
    this.view(tensor).set(data);
  }
  async read(tensor: number): Promise<Float32Array> {
    return this.view(tensor).slice();
  }
  async forward(): Promise<number> {
    return this.phases.forward();
  }
  async backward(): Promise<void> {
    this.phases.backward();
  }
  async gradSquares(): Promise<number[]> {
    return this.norms.map((n) => n());
  }
  async clip(): Promise<void> {
    this.phases.clip();
  }
  async update(): Promise<void> {
    this.phases.update();
  }
  async step(): Promise<number> {
    const loss = this.phases.forward();
    this.phases.backward();
    this.phases.update();
    return loss;
  }
}
