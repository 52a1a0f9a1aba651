// Every reproduction suite, in the order the runners take them.
import type { SuiteDef } from '../src/suite/define.js';
import { condensation } from './condensation.suite.js';
import { initialCondensation } from './initial-condensation.suite.js';
import { multiplicity } from './multiplicity.suite.js';
import { clusterGrowth } from './cluster-growth.suite.js';
import { phaseDiagram } from './phase-diagram.suite.js';
import { embeddingPrinciple } from './embedding-principle.suite.js';
import { dropout } from './dropout.suite.js';
import { cnnCondensation } from './cnn-condensation.suite.js';
import { resnetDigits } from './resnet-digits.suite.js';
import { anchorFunction } from './anchor-function.suite.js';

export const SUITES: readonly SuiteDef[] = [
  condensation,
  initialCondensation,
  multiplicity,
  clusterGrowth,
  phaseDiagram,
  embeddingPrinciple,
  dropout,
  cnnCondensation,
  resnetDigits,
  anchorFunction,
];
