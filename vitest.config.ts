// Vitest 4 (Node 20). Unit and parity tests live in test/; benchmarks are `npm run bench`, never tests.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // two test files at once: the heavy ones train through the WASM pool on every core but leave gaps
    // (a part of 3 runs on 2 workers), which the other file fills (on 2 cores: 9.1 min, 99.6 % busy,
    // against 10.9 min and 81 % one file at a time); the longest tests take about 1.5× as long as alone
    maxWorkers: 2,
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
