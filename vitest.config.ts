// Vitest 4 (Node 20). Unit and parity tests live in test/; benchmarks are `npm run bench`, never tests.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
