// The version of this Condensa checkout, from package.json.
import { readFileSync } from 'node:fs';

export const condensaVersion = (): string => (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
