// One self-contained report page: the page script (src/report/page/, bundled with esbuild, Observable
// Plot inside), its stylesheet and the data as inline JSON. Nothing on the page loads from a URL.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PAGE_ENTRY = fileURLToPath(new URL('./page/main.ts', import.meta.url));
const PAGE_STYLE = new URL('./page/style.css', import.meta.url);

/** The ids of the data blocks the page script reads: one suite result, several to compare, or a site's index. */
export type PageData = { id: 'condensa-result'; value: unknown } | { id: 'condensa-results'; value: unknown[] } | { id: 'condensa-site'; value: unknown };

let bundled: Promise<string> | undefined;

/** The page script as one minified IIFE (built once per process; esbuild's output is deterministic). */
function pageScript(): Promise<string> {
  bundled ??= build({
    entryPoints: [PAGE_ENTRY],
    bundle: true,
    write: false,
    format: 'iife',
    minify: true,
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent',
  }).then((out) => out.outputFiles[0].text);
  return bundled;
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** `<` only occurs inside JSON strings, where \u003c reads back the same: no `</script>` can end the block. */
const inlineJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** In script text `<\/` reads as `</` inside strings and regexes, so the block cannot be closed early. */
const inlineScript = (code: string) => code.replace(/<\/(script)/gi, '<\\/$1');

export async function reportDocument(title: string, data: PageData): Promise<string> {
  const [script, style] = [await pageScript(), readFileSync(PAGE_STYLE, 'utf8')];
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${style}</style>`,
    '</head>',
    '<body>',
    '<main id="report"><noscript>This report draws its tables and plots with JavaScript; the data is in the JSON block of this file.</noscript></main>',
    `<script type="application/json" id="${data.id}">${inlineJson(data.value)}</script>`,
    `<script>${inlineScript(script)}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
