// The size budget of a suite report, checked on what `npm test`'s suite run wrote: a report is meant to
// be published and to load quickly, so each suite-*.html stays within 3 MB and each suite-*.json within
// 5 MB (issue #25). Exit 1 naming the file and its size when one is over.
// usage: node scripts/check-report-size.mjs DIR
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const BUDGET = { html: 3_000_000, json: 5_000_000 };
const dir = process.argv[2];
if (!dir) {
  console.error('usage: node scripts/check-report-size.mjs DIR');
  process.exit(2);
}
const reports = readdirSync(dir).filter((f) => /^suite-.*\.(html|json)$/.test(f));
if (reports.length === 0) {
  console.error(`${dir}: no suite-*.html or suite-*.json report to check`);
  process.exit(1);
}
let over = 0;
for (const f of reports) {
  const bytes = statSync(join(dir, f)).size;
  const budget = BUDGET[f.endsWith('.html') ? 'html' : 'json'];
  const mb = (b) => `${(b / 1e6).toFixed(2)} MB`;
  console.log(`${bytes > budget ? 'OVER' : 'ok  '} ${join(dir, f)}: ${mb(bytes)} (budget ${mb(budget)})`);
  if (bytes > budget) over++;
}
process.exit(over ? 1 : 0);
