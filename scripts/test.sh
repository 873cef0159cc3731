#!/usr/bin/env bash
# All tests: install, build, and run every CTest test (Boost.Test programs and the CLI contract).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
jobs=$(nproc 2>/dev/null || echo 2)
cd build
exec ctest --output-on-failure -j "$jobs" "$@"
