#!/usr/bin/env bash
# Installs missing dependencies (scripts/setup.sh), then configures and builds specbench in
# ./build (Release unless BUILD_TYPE is set). Used by scripts/main.sh and scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" >/dev/null
cmake --build build -j "$jobs"
