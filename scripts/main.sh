#!/usr/bin/env bash
# The default job: install, build, and run configs/default.toml (writes results/default/).
# Extra arguments go to `specbench run`, e.g. scripts/main.sh --out results/mine
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
exec ./build/specbench run configs/default.toml "$@"
