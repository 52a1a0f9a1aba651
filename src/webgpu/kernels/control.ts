// Per-run bookkeeping of the batched GPU training loop, so no read-back is needed between steps.
// step_begin: for RUNNING runs, steps += 1 and the Adam products β1ᵗ, β2ᵗ advance (f32, as in WASM).
// control: after the forward pass, compare each run's loss with its previous one and apply the
// rules of the run controller (src/engine/run-controller.ts, which settles the read-back states): a
// non-finite loss → DIVERGED; an increase beyond the slack with halving on → RESTART (the host
// halves lr and resets θ at the next read-back); otherwise record the loss in the run's history
// ring and check the stop rules (R < tol, R ≤ ratio·R(0), max steps).
// mode 1 (init) handles runs in INIT: it records R(0) and makes them RUNNING. The rules themselves
// are WGSL functions (STEP_RULES_WGSL) that the per-run and workgroup chunk kernels call inside their step loops.
import { COMMON_WGSL } from './common.js';
import { INCREASE_SLACK } from '../../engine/run-controller.js';

/**
 * The per-step rules as WGSL functions, shared by step_begin/control, the chunk kernels
 * (./train-chunk.ts, ./train-workgroup.ts) and the fused step (./fused-control.ts). begin_step: steps += 1, β1ᵗ, β2ᵗ advance. judge_loss, after a step's forward
 * pass: DIVERGED on a non-finite loss, RESTART on an increase beyond the slack (halving on), else
 * the loss goes into the history ring at `slot` and the stop rules may end the run.
 */
export const STEP_RULES_WGSL = /* wgsl */ `
fn begin_step(st: ptr<function, RunState>, run: Run) {
  (*st).steps = (*st).steps + 1u;
  (*st).b1t = (*st).b1t * run.b1;
  (*st).b2t = (*st).b2t * run.b2;
}
fn finite(x: f32) -> bool { return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u; }
/** Returns true when L is to be recorded in the history ring (the run neither diverged nor restarts). */
fn judge_loss(st: ptr<function, RunState>, run: Run, L: f32) -> bool {
  if (!finite(L)) { (*st).state = DIVERGED; return false; }
  if (run.halve != 0u && L > (*st).prev * (1.0 + ${INCREASE_SLACK})) { (*st).state = RESTART; return false; }
  (*st).prev = L;
  return true;
}
fn apply_stop_rules(st: ptr<function, RunState>, run: Run, L: f32) {
  if (run.lossTol > 0.0 && L < run.lossTol) { (*st).state = DONE_TOL; }
  else if (run.lossRatio > 0.0 && L <= run.lossRatio * (*st).loss0) { (*st).state = DONE_RATIO; }
  else if ((*st).steps >= run.maxSteps) { (*st).state = DONE_STEPS; }
}
/** control's work on one run with loss L after a forward pass: an INIT run records R(0) and starts
 * RUNNING (DIVERGED on a non-finite loss), a RUNNING one is judged; then the stop rules. Returns true
 * when L goes into the history ring at slot steps. */
fn settle_loss(st: ptr<function, RunState>, run: Run, L: f32) -> bool {
  if ((*st).state == INIT) {
    if (!finite(L)) { (*st).state = DIVERGED; return false; }
    (*st).loss0 = L; (*st).prev = L; (*st).steps = 0u; (*st).b1t = 1.0; (*st).b2t = 1.0; (*st).state = RUNNING;
  } else if (!judge_loss(st, run, L)) { return false; }
  apply_stop_rules(st, run, L);
  return true;
}
`;

/** Bindings shared by step_begin and control: the batch size, the runs and their states. */
const CONTROL_HEAD = /* wgsl */ `
${COMMON_WGSL}
${STEP_RULES_WGSL}
struct CtlDims { R: u32, histCap: u32, mode: u32, pad: u32 };
@group(0) @binding(0) var<uniform> dims: CtlDims;
@group(0) @binding(1) var<storage, read> runs: array<Run>;
@group(0) @binding(2) var<storage, read_write> states: array<RunState>;
`;

export const STEP_BEGIN_WGSL = /* wgsl */ `
${CONTROL_HEAD}
@compute @workgroup_size(64)
fn step_begin(@builtin(global_invocation_id) gid: vec3<u32>) {
  let r = gid.x;
  if (r >= dims.R || states[r].state != RUNNING) { return; }
  var st = states[r];
  begin_step(&st, runs[r]);
  states[r] = st;
}
`;

export const CONTROL_WGSL = /* wgsl */ `
${CONTROL_HEAD}
@group(0) @binding(3) var<storage, read> loss: array<f32>;
@group(0) @binding(4) var<storage, read_write> hist: array<f32>;

@compute @workgroup_size(64)
fn control(@builtin(global_invocation_id) gid: vec3<u32>) {
  let r = gid.x;
  if (r >= dims.R) { return; }
  var st = states[r];
  if (st.state != select(RUNNING, INIT, dims.mode == 1u)) { return; }
  let L = loss[r];
  if (settle_loss(&st, runs[r], L)) { hist[r * dims.histCap + st.steps % dims.histCap] = L; }
  states[r] = st;
}
`;
