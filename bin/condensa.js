#!/usr/bin/env node
// The `condensa` executable (package.json "bin"): answers --version itself, else registers tsx's loader
// in this process and runs the TypeScript entry, so `npx condensa …` works in the repository and after
// `npm link` with no build step.
import { readFileSync } from 'node:fs';

if (process.argv[2] === '--version' || process.argv[2] === '-v') {
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
