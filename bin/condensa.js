#!/usr/bin/env node
// The `condensa` executable (package.json "bin"): answers --version itself, else registers tsx's loader
// in this process and runs the command line (src/cli/main.ts), handing it the suite registry
// (suites/index.ts, loaded only by the commands that need it), so `npx condensa …` works in the
// repository, after `npm link` and from an installed package with no build step.
import { readFileSync } from 'node:fs';

if (process.argv[2] === '--version' || process.argv[2] === '-v') {
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { main, exitWith } = await import('../src/cli/main.ts');
  exitWith(main(process.argv.slice(2), async () => (await import('../suites/index.ts')).SUITES));
}
