// The shape of the fused two-layer step (./fused-grad.ts, ./fused-forward.ts, ./fused-control.ts): its
// reordering factors, its tiles and workgroup counts, and the vec4 row loads its GEMMs share.
// Factor 1 keeps every sum in the WASM order (on SwiftShader, which does not fuse, the WASM bits);
// factors > 1 reorder sums inside the dot bound K·2⁻²³·Σ|aₖbₖ| that ../tolerance.ts allows any order.
import type { StepShape } from './train-step.js';

/**
 * `split`: the gradient GEMMs (∇W = Gᵀ·X and ∇a) sum their n samples in `split` chunks of ⌈n/split⌉;
 * 1 is one sequential sum (the WASM order) with the GD or Adam update in the GEMM's epilogue (a step is
 * 3 dispatches); > 1 writes the chunk sums out and a second pass adds them in chunk order and updates
 * (4 dispatches). `tree` (a power of 2, ≤ 256): 1 sums each output fᵢ in WASM gemv_n's four-lane order
 * and the loss sequentially, both in the last pass; > 1 folds fᵢ into the forward GEMM's epilogue (each
 * tile's 64 neurons by a fixed tree, the tiles' sums added in tile order by the last pass) and sums the
 * loss in `tree` strided lanes combined by a fixed tree.
 */
export interface FusedFactors {
  split: number;
  tree: number;
}

/** The WASM order: what a software adapter gets, so SwiftShader gives the WASM bits. */
export const WASM_ORDER: FusedFactors = { split: 1, tree: 1 };

/** Invocations of every fused kernel's workgroup (the control kernel's loss lanes: `tree` ≤ this). */
export const FUSED_WORKGROUP = 256;
/** Forward tile: 64 samples × 64 neurons, 16 inputs a round; each invocation owns 4 × 4 outputs. */
export const FORWARD_TILE = { samples: 64, neurons: 64 };
/** Gradient tile: 64 neurons × 16 inputs, 16 samples a round; each invocation owns 4 neurons × 1 input. */
export const GRAD_TILE = { neurons: 64, inputs: 16, samples: 16 };
/** Workgroups a GEMM dispatch should have to fill a big GPU: 2 per SM of an H100 (132 SMs). */
const MIN_GROUPS = 264;

const tiles = (count: number, tile: number) => Math.ceil(count / tile);

export const forwardTiles = (s: StepShape) => ({ samples: tiles(s.n, FORWARD_TILE.samples), neurons: tiles(s.m, FORWARD_TILE.neurons) });
export const gradTiles = (s: StepShape) => ({ neurons: tiles(s.m, GRAD_TILE.neurons), inputs: tiles(s.D, GRAD_TILE.inputs) });

/** Workgroups of each fused dispatch for R runs. */
export function fusedGroups(R: number, s: StepShape, f: FusedFactors) {
  const fw = forwardTiles(s),
    gr = gradTiles(s);
  return {
    grad: R * gr.neurons * gr.inputs * f.split,
    update: tiles(R * s.m * (s.D + 1), FUSED_WORKGROUP),
    forward: R * fw.samples * fw.neurons,
    control: R,
  };
}

/** The factors a GPU gets: loss and outputs by trees of 256, the gradient GEMMs split over samples
 * until they have MIN_GROUPS workgroups (a chunk keeps at least one round of 16 samples). */
export function hardwareFactors(R: number, s: StepShape): FusedFactors {
  const gr = gradTiles(s);
  const wanted = Math.ceil(MIN_GROUPS / (R * gr.neurons * gr.inputs));
  return { split: Math.max(1, Math.min(wanted, Math.floor(s.n / GRAD_TILE.samples))), tree: FUSED_WORKGROUP };
}

/** Parse `split=S,tree=T` (CONDENSA_STEP_FACTORS), checking each factor. */
export function parseFactors(text: string): FusedFactors {
  const f: Record<string, number> = { ...WASM_ORDER };
  for (const part of text.split(',')) {
    const [key, value] = part.split('=');
    if (!(key in f) || !/^\d+$/.test(value ?? '')) throw new Error(`step factors are split=S,tree=T; got ${JSON.stringify(text)}`);
    f[key] = Number(value);
  }
  const { split, tree } = f;
  if (split < 1 || tree < 1 || tree > FUSED_WORKGROUP || (tree & (tree - 1)) !== 0)
    throw new Error(`step factors: split ≥ 1 and tree a power of 2 ≤ ${FUSED_WORKGROUP}; got ${JSON.stringify(text)}`);
  return { split, tree };
}

/** Whether fused_grad updates W and a in its epilogue (split 1) rather than leaving its sums to
 * fused_update: it then binds runs, states, X, e, H, S, a, W and, with Adam, both moments, which must
 * fit the device's storage buffers per stage (8 by default in WebGPU). */
export const updatesInGrad = (f: FusedFactors, adam: boolean, maxStorageBuffers: number) => f.split === 1 && 8 + (adam ? 2 : 0) <= maxStorageBuffers;

/** The WGSL type of a binding whose rows are `len` long: vec4s where rows are whole vec4s. */
export const rowsType = (len: number) => (len % 4 === 0 ? 'array<vec4<f32>>' : 'array<f32>');

/** WGSL `quad_<name>(row, c) -> vec4<f32>`: entries c … c + 3 of row `row` (rows `len` long, bound as
 * rowsType(len)), zero past the row's end: one vec4 load where rows are whole vec4s, else four guarded
 * scalar loads. `row` must be in bounds. */
export const quadLoadWgsl = (name: string, len: number) =>
  len % 4 === 0
    ? /* wgsl */ `fn quad_${name}(row: u32, c: u32) -> vec4<f32> { if (c >= ${len}u) { return vec4<f32>(0.0); } return ${name}[(row * ${len}u + c) / 4u]; }`
    : /* wgsl */ `fn quad_${name}(row: u32, c: u32) -> vec4<f32> {
  var q = vec4<f32>(0.0);
  for (var l = 0u; l < 4u; l++) { if (c + l < ${len}u) { q[l] = ${name}[row * ${len}u + c + l]; } }
  return q;
}`;
