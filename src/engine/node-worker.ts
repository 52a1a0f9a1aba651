// Start a worker_threads worker on a module of this package. Built, the module runs as it is; run from the
// TypeScript sources (the CLI under tsx, vitest, Playwright's test processes), the worker first registers
// tsx's loader itself (a worker thread does not inherit the loader hooks of its parent in Node 20).
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** The URL of a sibling module `name` of `base` (an import.meta.url), .ts when run from the sources, else .js. */
export const siblingEntry = (name: string, base: string): URL => new URL(`./${name}${base.endsWith('.ts') ? '.ts' : '.js'}`, base);

export function startNodeWorker(entry: URL): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry);
  const tsx = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`, { eval: true });
}
