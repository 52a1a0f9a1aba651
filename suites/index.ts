// Every reproduction suite, in the order the runners take them.
import type { SuiteDef } from '../src/suite/define.js';
import { condensation } from './condensation.suite.js';

export const SUITES: readonly SuiteDef[] = [condensation];
