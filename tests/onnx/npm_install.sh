#!/usr/bin/env bash
# The ctest fixture that installs ONNX Runtime for Node (onnxruntime-node, native CPU,
# and onnxruntime-web, WebAssembly) from npm, pinned by tests/onnx/package-lock.json,
# into the build tree (DEST/node_modules; never into the sources). Install scripts are
# skipped: onnxruntime-node's would download extra files, and the CPU library is in
# the package. Does nothing when DEST already holds this lock file's install.
# usage: npm_install.sh SOURCE_DIR DEST
set -euo pipefail
src=$1 dest=$2
mkdir -p "$dest"
if [ -d "$dest/node_modules" ] && cmp -s "$src/package-lock.json" "$dest/package-lock.json"; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "npm is missing: run scripts/setup.sh --test" >&2
  exit 1
fi
cp "$src/package.json" "$src/package-lock.json" "$dest/"
cd "$dest"
ONNXRUNTIME_NODE_INSTALL=skip npm ci --ignore-scripts --no-audit --no-fund
