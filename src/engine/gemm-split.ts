// Splitting a run's large GEMMs over idle workers of the pool (issue #30): the worker that trains a
// run (the owner) cuts a gemm_nn / gemm_tn / gemm_nt call into sub-GEMMs over ranges of output rows
// or columns; helpers, each with an instance of condensa-shared-helper.wasm over the owner's shared memory,
// compute theirs while the owner computes its own. Every C[i][j] is the kernel's sequential sum over
// k whatever rows and columns the call covers (assembly/kernels/gemm.ts: partial tiles are zero-padded
// and K blocks store and reload C), so a split call writes the bits of the whole one.
//
// Control: one Int32Array over a SharedArrayBuffer, a slot of SLOT words per worker. A helper's STATE
// goes OFF → FREE (attached to OWNER, waiting) → CLAIMED (an owner writes the job) → JOB → DONE → FREE;
// the owner and the helper change it with compare-exchange, the pool asks a helper to go with LEAVE
// (it goes back OFF from FREE).
//
// conv_gemm_nt and conv_input_grad are split over their images (input and output offset, n smaller), in
// two pieces at most: they work through static scratch (ROW_INFO; WIN, LIVE), so the helper's instance is
// of condensa-shared-helper.wasm, the same code with its static data 32 KiB higher (asconfig.json,
// memoryBase), where the owner's instance does not look; two helpers would share it. conv_gemm_tn is not
// split: its sum runs over the rows, and its export has no lda/ldc to address a range of output rows or
// columns.
import type { WasmKernels } from '../wasm/kernels.js';

/** Int32 words per worker in the control block. */
const SLOT = 20;
const STATE = 0,
  OWNER = 1,
  LEAVE = 2,
  KERNEL = 3,
  ARGS = 4, // 12 words: a kernel's arguments
  NARGS = 12,
  SPLITS = 16; // calls this worker split as an owner
const OFF = 0,
  FREE = 1,
  CLAIMED = 2,
  JOB = 3,
  DONE = 4;

const FORMS = ['gemm_nn', 'gemm_tn', 'gemm_nt'] as const;
type Form = (typeof FORMS)[number];
type Gemm = (M: number, N: number, K: number, A: number, lda: number, B: number, ldb: number, C: number, ldc: number, work: number) => void;
type Conv = WasmKernels['conv_gemm_nt'] & WasmKernels['conv_input_grad'];
/** The kernels a helper runs, by the id in KERNEL. */
const JOBS = [...FORMS, 'conv_gemm_nt', 'conv_input_grad'] as const;
const CONV_NT = 3,
  CONV_INPUT_GRAD = 4;

/** A control block for `workers` workers. */
export function splitControl(workers: number): Int32Array<SharedArrayBuffer> {
  return new Int32Array(new SharedArrayBuffer(4 * SLOT * workers));
}

/** Pool side: attach worker `helper` to `owner` (before posting it the `help` request). */
export function attachHelper(ctl: Int32Array, helper: number, owner: number): void {
  Atomics.store(ctl, helper * SLOT + LEAVE, 0);
  Atomics.store(ctl, helper * SLOT + OWNER, owner);
}

/** Pool side: ask a helper to leave; it answers once back from its help loop. */
export function releaseHelper(ctl: Int32Array, helper: number): void {
  Atomics.store(ctl, helper * SLOT + LEAVE, 1);
  Atomics.notify(ctl, helper * SLOT + STATE);
}

/** GEMM calls split so far, all owners together. */
export function splitCalls(ctl: Int32Array): number {
  let n = 0;
  for (let s = 0; s < ctl.length; s += SLOT) n += Atomics.load(ctl, s + SPLITS);
  return n;
}

/**
 * Helper side: serve the jobs of the owner the pool attached this worker to (kernels[owner], an
 * instance over the owner's memory) until asked to leave. Blocks the thread.
 */
export function serveHelp(ctl: Int32Array, self: number, kernels: (WasmKernels | undefined)[], spinUs = 0): void {
  const s = self * SLOT;
  const owner = kernels[Atomics.load(ctl, s + OWNER)];
  if (!owner) throw new Error(`worker ${self} has no instance over the memory of worker ${Atomics.load(ctl, s + OWNER)}`);
  Atomics.store(ctl, s + STATE, FREE);
  let lastJob = -Infinity;
  for (;;) {
    const st = Atomics.load(ctl, s + STATE);
    if (st === JOB) {
      const a = Array.from(ctl.subarray(s + ARGS, s + ARGS + NARGS));
      (owner[JOBS[ctl[s + KERNEL]]] as (...args: number[]) => void)(...a);
      Atomics.store(ctl, s + STATE, DONE);
      Atomics.notify(ctl, s + STATE);
      lastJob = performance.now();
      continue;
    }
    if (st === FREE && Atomics.load(ctl, s + LEAVE) !== 0 && Atomics.compareExchange(ctl, s + STATE, FREE, OFF) === FREE) return;
    // shortly after a job the next one is likely near: watch for it awake
    if (spinUntil(ctl, s + STATE, st, lastJob + spinUs / 1000)) continue;
    // a timeout so that a LEAVE posted between the load and the wait is seen
    Atomics.wait(ctl, s + STATE, st, st === FREE ? 20 : Infinity);
  }
}

/** Watch ctl[i] while it holds `value`, until performance.now() passes `until`; true when it changed. */
function spinUntil(ctl: Int32Array, i: number, value: number, until: number): boolean {
  while (performance.now() < until) {
    for (let j = 0; j < 64; j++) if (Atomics.load(ctl, i) !== value) return true;
  }
  return false;
}

/** When to split. */
export interface SplitTuning {
  /** split only calls with M·N·K at least this */
  minWork: number;
  /** µs the owner watches awake for a helper's piece (and a helper for its next job) before sleeping */
  spinUs: number;
  /** split a call shape only where its split calls have been the faster (timed again and again) */
  adaptive: boolean;
}

/** Owner side: how to split, and the helpers' workspaces in the owner's heap (indexed by worker). */
export interface SplitOptions extends SplitTuning {
  ctl: Int32Array;
  self: number;
  /** byte pointer of a GEMM workspace for each other worker (0 for self) */
  workspaces: number[];
}

/** Calls of a shape timed each way (alternately) at the start of every PERIOD calls of it. */
const EXPLORE = 4,
  PERIOD = 256;

/**
 * The adaptive choice: per call shape, the least time of its whole calls and of its split calls over
 * the first 2·EXPLORE calls of each PERIOD (a split that found no helper free does not count); in
 * between, the faster way. (Both ways give the same bits.)
 */
function splitJudge(adaptive: boolean): (key: string, run: (split: boolean) => boolean) => void {
  const shapes = new Map<string, { calls: number; whole: number; split: number }>();
  return (key, run) => {
    if (!adaptive) return void run(true);
    let sh = shapes.get(key);
    if (!sh) shapes.set(key, (sh = { calls: 0, whole: Infinity, split: Infinity }));
    const phase = sh.calls++ % PERIOD;
    if (phase === 0) sh.whole = sh.split = Infinity;
    if (phase >= 2 * EXPLORE) return void run(sh.split < sh.whole);
    const split = phase % 2 === 1;
    const t = performance.now();
    const did = run(split);
    const dt = performance.now() - t;
    if (did) sh.split = Math.min(sh.split, dt);
    else if (!split) sh.whole = Math.min(sh.whole, dt);
    else sh.calls--; // no helper free yet: try again at the next call
  };
}

/** Byte offsets of the operands of the sub-GEMM over output rows (or columns) lo … hi − 1. */
function subCall(form: Form, byRows: boolean, lo: number, hi: number, args: number[]): number[] {
  const [M, N, K, A, lda, B, ldb, C, ldc] = args;
  if (byRows) {
    const a = form === 'gemm_tn' ? A + 4 * lo : A + 4 * lo * lda;
    return [hi - lo, N, K, a, lda, B, ldb, C + 4 * lo * ldc, ldc];
  }
  const b = form === 'gemm_nt' ? B + 4 * lo * ldb : B + 4 * lo;
  return [M, hi - lo, K, A, lda, b, ldb, C + 4 * lo, ldc];
}

/**
 * The output ranges of a split into at most `parts` pieces: rows in multiples of 4 when M ≥ N (each
 * piece packs the whole B), else columns in multiples of 8 (each packs the whole A).
 */
export function splitRanges(M: number, N: number, parts: number): { byRows: boolean; cuts: number[] } {
  const byRows = M >= N;
  const extent = byRows ? M : N,
    grain = byRows ? 4 : 8;
  const units = Math.ceil(extent / grain);
  const p = Math.max(1, Math.min(parts, units));
  const cuts = Array.from({ length: p + 1 }, (_, i) => Math.min(extent, Math.floor((i * units) / p) * grain));
  return { byRows, cuts };
}

/** `gemm` run over the ranges of `splitRanges` one after another (tests: the bits of a split call). */
export function gemmInPieces(kernels: WasmKernels, form: Form, parts: number, args: Parameters<Gemm>): void {
  const { byRows, cuts } = splitRanges(args[0], args[1], parts);
  const fn = kernels[form] as Gemm;
  for (let i = 0; i + 1 < cuts.length; i++) {
    const sub = subCall(form, byRows, cuts[i], cuts[i + 1], args);
    fn(...(sub as [number, number, number, number, number, number, number, number, number]), args[9]);
  }
}

/** The owner's kernels: `kernels` with gemm_nn / gemm_tn / gemm_nt, conv_gemm_nt and conv_input_grad split over attached helpers. */
export function splittingKernels(kernels: WasmKernels, o: SplitOptions): WasmKernels {
  const { ctl, self, workspaces, minWork, spinUs } = o;
  const workers = ctl.length / SLOT;
  const judge = splitJudge(o.adaptive);
  const claimed: number[] = [];
  /** Claim up to `most` helpers attached to this worker (into `claimed`). */
  const claim = (most: number) => {
    claimed.length = 0;
    for (let h = 0; h < workers && claimed.length < most; h++) {
      if (h === self || Atomics.load(ctl, h * SLOT + OWNER) !== self) continue;
      if (Atomics.compareExchange(ctl, h * SLOT + STATE, FREE, CLAIMED) !== FREE) continue;
      // OWNER changes only while a helper is OFF: checked again now that it is ours
      if (Atomics.load(ctl, h * SLOT + OWNER) === self) claimed.push(h);
      else hand(h, FREE);
    }
    return claimed.length;
  };
  const hand = (h: number, state: number) => {
    Atomics.store(ctl, h * SLOT + STATE, state);
    Atomics.notify(ctl, h * SLOT + STATE);
  };
  /** Give claimed[i] a job (its own workspace as the last argument), or hand it back without one. */
  const post = (i: number, kernel: number, args: number[] | undefined) => {
    const h = claimed[i],
      s = h * SLOT;
    if (!args) return hand(h, FREE);
    ctl[s + KERNEL] = kernel;
    for (let j = 0; j < args.length; j++) ctl[s + ARGS + j] = args[j];
    ctl[s + ARGS + args.length] = workspaces[h];
    hand(h, JOB);
  };
  const join = (jobs: number) => {
    for (let i = 0; i < jobs; i++) {
      const s = claimed[i] * SLOT;
      if (spinUs > 0) spinUntil(ctl, s + STATE, JOB, performance.now() + spinUs / 1000);
      while (Atomics.load(ctl, s + STATE) !== DONE) Atomics.wait(ctl, s + STATE, JOB);
      hand(claimed[i], FREE);
    }
    Atomics.add(ctl, self * SLOT + SPLITS, 1);
  };
  const gemm =
    (form: Form, kernelId: number): Gemm =>
    (M, N, K, A, lda, B, ldb, C, ldc, work) => {
      const whole = kernels[form] as Gemm;
      if (M * N * K < minWork) return whole(M, N, K, A, lda, B, ldb, C, ldc, work);
      judge(`${kernelId} ${M} ${N} ${K}`, (split) => {
        if (!split || claim(workers) === 0) return (void whole(M, N, K, A, lda, B, ldb, C, ldc, work), false);
        const args = [M, N, K, A, lda, B, ldb, C, ldc];
        const { byRows, cuts } = splitRanges(M, N, claimed.length + 1);
        // pieces 1 … to the helpers (a helper left without a piece is handed back), piece 0 here
        const jobs = cuts.length - 2;
        for (let i = 0; i < claimed.length; i++) post(i, kernelId, i < jobs ? subCall(form, byRows, cuts[i + 1], cuts[i + 2], args) : undefined);
        const own = subCall(form, byRows, cuts[0], cuts[1], args);
        whole(own[0], own[1], own[2], own[3], own[4], own[5], own[6], own[7], own[8], work);
        join(jobs);
        return true;
      });
    };
  /** A conv kernel (geometry, F, input, wt, output, work) in two pieces over its images, the second to a
   * helper; `rowsIn`: its input is the rows of the output gradient (conv_input_grad), not the image. */
  const convHalves =
    (kernelId: number, rowsIn: boolean): Conv =>
    (n, H, W, C, k, stride, pad, F, a, wt, b, work) => {
      const whole = kernels[JOBS[kernelId] as 'conv_gemm_nt' | 'conv_input_grad'];
      const Ho = Math.floor((H + 2 * pad - k) / stride) + 1,
        Wo = Math.floor((W + 2 * pad - k) / stride) + 1;
      if (n < 2 || n * Ho * Wo * F * C * k * k < minWork) return whole(n, H, W, C, k, stride, pad, F, a, wt, b, work);
      judge(`${kernelId} ${n} ${H} ${W} ${C} ${k} ${stride} ${pad} ${F}`, (split) => {
        if (!split || claim(1) === 0) return (void whole(n, H, W, C, k, stride, pad, F, a, wt, b, work), false);
        const half = n >> 1,
          image = 4 * half * H * W * C,
          rows = 4 * half * Ho * Wo * F;
        post(0, kernelId, [n - half, H, W, C, k, stride, pad, F, a + (rowsIn ? rows : image), wt, b + (rowsIn ? image : rows)]);
        whole(half, H, W, C, k, stride, pad, F, a, wt, b, work);
        join(1);
        return true;
      });
    };
  return {
    ...kernels,
    gemm_nn: gemm('gemm_nn', 0),
    gemm_tn: gemm('gemm_tn', 1),
    gemm_nt: gemm('gemm_nt', 2),
    conv_gemm_nt: convHalves(CONV_NT, false),
    conv_input_grad: convHalves(CONV_INPUT_GRAD, true),
  };
}
