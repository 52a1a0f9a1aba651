#!/usr/bin/env bash
# The package as a user gets it: `npm pack` (its `prepare` builds build/condensa.wasm), the tarball's
# contents checked, the tarball installed into an empty project outside the clone, then, from there,
# `npx condensa --version` and one suite (condensation on the WASM project: in Node, and its smoke part in
# Chromium through Playwright). The install must
# print no install-scripts notice: the empty project declares the same allowScripts denials that
# docs/publishing.md asks of a user (esbuild, webgpu, and this tarball's own `prepare`), so a notice
# means a new dependency with an install script. Cleans up after itself; prints size and time.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
version=$(node -p "require('./package.json').version")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/condensa-pack.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/pack" "$tmp/app"

# 1. pack (prepare runs: the WASM is built from assembly/ into the tarball)
npm pack --pack-destination "$tmp/pack" >"$tmp/pack.log" 2>&1 || { cat "$tmp/pack.log"; exit 1; }
tarball=$(echo "$tmp"/pack/condensa-*.tgz)
[[ -f $tarball ]] || { cat "$tmp/pack.log"; echo "pack-check: no tarball in $tmp/pack" >&2; exit 1; }
bytes=$(stat -c %s "$tarball")

# 2. contents: what the command needs, nothing of the development tree
tar -tzf "$tarball" >"$tmp/contents"
for f in package/bin/condensa.js package/build/condensa.wasm package/src/cli/main.ts package/suites/suites.spec.ts \
  package/schema/suite-result.schema.json package/playwright.config.ts package/LICENSE package/README.md; do
  grep -qx "$f" "$tmp/contents" || { echo "pack-check: $f missing from the tarball" >&2; exit 1; }
done
if grep -E '^package/(test|docs|reports|node_modules|assembly|scripts|\.ci|\.git)/' "$tmp/contents"; then
  echo 'pack-check: the tarball carries the files above, which are not part of the package' >&2
  exit 1
fi
if tar -xzOf "$tarball" package/package.json | node -e 'process.exit(JSON.parse(require("fs").readFileSync(0, "utf8")).private ? 0 : 1)'; then
  echo 'pack-check: package.json says "private": npm would refuse to publish it' >&2
  exit 1
fi

# 3. install into an empty project, as a user would
cd "$tmp/app"
TARBALL="$tarball" node -e '
  const spec = `file:${process.env.TARBALL}`;
  const pkg = { name: "condensa-pack-check", private: true, allowScripts: { esbuild: false, webgpu: false, [spec]: false } };
  require("fs").writeFileSync("package.json", JSON.stringify(pkg, null, 2) + "\n");'
npm install --no-audit --no-fund --prefer-offline "$tarball" >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; exit 1; }
if grep -q 'install-scripts' "$tmp/install.log"; then
  cat "$tmp/install.log"
  echo 'pack-check: the install printed an install-scripts notice (a dependency with an install script to review?)' >&2
  exit 1
fi

# 4. run it from there (`--no`: the installed command, never one fetched from the registry)
got=$(npx --no -- condensa --version)
[[ $got == "$version" ]] || { echo "pack-check: npx condensa --version printed '$got', expected $version" >&2; exit 1; }
CONDENSA_DEVICE=pack-check npx --no -- condensa suite --suite condensation --runtime node --project wasm --out "$tmp/reports" \
  >"$tmp/suite.log" 2>&1 || { cat "$tmp/suite.log"; echo 'pack-check: the suite failed from the installed package' >&2; exit 1; }
[[ -s $tmp/reports/suite-pack-check.json && -s $tmp/reports/suite-pack-check.html ]] || {
  cat "$tmp/suite.log"
  echo 'pack-check: the suite wrote no report' >&2
  exit 1
}
tail -n 4 "$tmp/suite.log"
# the default runtime too: Playwright in Chromium loads the installed TypeScript through tsx
CONDENSA_DEVICE=pack-check-chromium npx --no -- condensa suite --suite condensation --smoke --project wasm --out "$tmp/reports" \
  >"$tmp/chromium.log" 2>&1 || { cat "$tmp/chromium.log"; echo 'pack-check: the suite failed in Chromium from the installed package' >&2; exit 1; }
[[ -s $tmp/reports/suite-pack-check-chromium.json ]] || { cat "$tmp/chromium.log"; echo 'pack-check: the Chromium suite wrote no report' >&2; exit 1; }
tail -n 2 "$tmp/chromium.log"

echo "pack-check: condensa-$version.tgz $((bytes / 1024)) KiB ($(wc -l <"$tmp/contents") files), installed and run outside the clone in $((SECONDS - start)) s"
