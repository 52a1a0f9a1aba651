// Every file the CLI writes goes to a temporary name beside its target and is then renamed over it, so
// an interrupted run never leaves a half-written report, bench or parity file.
import { mkdirSync, writeFileSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';

export function writeFileAtomic(path: string, body: string): string {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, body);
  renameSync(tmp, path);
  return path;
}

export const writeJsonAtomic = (path: string, value: unknown): string => writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
