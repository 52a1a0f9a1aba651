// RunSpec validation: good specs pass with defaults filled; each malformed field is named.
import { describe, it, expect } from 'vitest';
import { validateRunSpec, SpecError } from '../src/engine/spec.js';
import { PHASE_RELU, XTANH_ADAM_DROPOUT } from './specs.js';

const patch = (base: object, edit: (s: any) => void) => {
  const s = structuredClone(base);
  edit(s);
  return s;
};

describe('validateRunSpec', () => {
  it('accepts the shared specs and fills defaults', () => {
    const s = validateRunSpec(XTANH_ADAM_DROPOUT);
    expect(s.optimizer).toEqual({ kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    expect(s.lr).toEqual({ value: 5e-4, halveOnIncrease: false, maxHalvings: 0 });
    expect(validateRunSpec(PHASE_RELU).init).toEqual({ gamma: 1.75, gammaPrime: 0, q: 0 });
  });

  it.each([
    ['model.width', (s: any) => (s.model.width = 0)],
    ['model.width', (s: any) => (s.model.width = 251)], // odd width with ASI
    ['model.activation', (s: any) => (s.model.activation = 'swish')],
    ['model.activation', (s: any) => (s.model.activation = 'gelu')], // a layer activation: no f64 science kernel
    ['data.preset', (s: any) => (s.data.preset = 'mnist')],
    ['data.y', (s: any) => (s.data = { x: [[1], [2]], y: [1] })],
    ['data.x[1]', (s: any) => (s.data = { x: [[1], [2, 3]], y: [1, 2] })],
    ['init.gammaPrime', (s: any) => delete s.init.gammaPrime],
    ['init.beta1', (s: any) => (s.init = { alpha: 1, beta1: -1, beta2: 1 })],
    ['optimizer.kind', (s: any) => (s.optimizer.kind = 'sgd')],
    ['lr.rule', (s: any) => (s.init = { alpha: 1, beta1: 1, beta2: 1 })], // luo2021 needs (γ, γ′)
    ['stop.maxSteps', (s: any) => (s.stop.maxSteps = 1.5)],
    ['seed', (s: any) => (s.seed = -1)],
    ['spec.epochs', (s: any) => (s.epochs = 3)],
    ['lr.halveOnIncrease', (s: any) => (s.dropout = { keep: 0.5 })],
    ['snapshots[1]', (s: any) => (s.snapshots = [1, 'x'])],
  ])('names %s', (path, edit) => {
    const bad = patch(PHASE_RELU, edit);
    expect(() => validateRunSpec(bad)).toThrow(SpecError);
    expect(() => validateRunSpec(bad)).toThrow(new RegExp(`^invalid RunSpec: ${path.replace(/[[\].]/g, '\\$&')} `));
  });

  it('rejects a non-object spec', () => {
    expect(() => validateRunSpec('{')).toThrow(/invalid RunSpec: spec must be an object/);
  });
});
