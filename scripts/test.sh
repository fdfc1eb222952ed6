#!/usr/bin/env bash
# Sets up (scripts/setup.sh --test) and runs the whole test suite under ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
ctest --test-dir build --output-on-failure -j"$(nproc)"
