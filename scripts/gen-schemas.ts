// Write schema/*.json from the TypeBox schemas (src/schema-documents.ts), formatted as the repository's
// prettier formats them: `npm run schemas` after changing a schema; test/schemas.test.ts checks they match.
import { writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { schemaDocuments } from '../src/schema-documents.js';

const dir = new URL('../schema/', import.meta.url);
for (const [file, doc] of Object.entries(schemaDocuments())) {
  const path = new URL(file, dir).pathname;
  writeFileSync(path, await format(JSON.stringify(doc), { ...(await resolveConfig(path)), filepath: path }));
  console.log(`wrote schema/${file}`);
}
