#!/usr/bin/env bash
# The sanitizer build shared by scripts/sanitize.sh and scripts/fuzz.sh: clang, RelWithDebInfo,
# ASan + UBSan (no recovery: the first report fails), libFuzzer coverage instrumentation, into
# build-sanitize/. `bash scripts/build_sanitize.sh fuzz` also builds the libFuzzer targets.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh sanitize
command -v clang++ >/dev/null || { echo "build_sanitize: clang++ not found (scripts/setup.sh installs clang)" >&2; exit 2; }
flags="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
[ "${1:-}" = fuzz ] && flags="$flags -fsanitize=fuzzer-no-link"
cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DSPECBENCH_BUILD_BENCH=OFF -DSPECBENCH_FUZZ="$([ "${1:-}" = fuzz ] && echo ON || echo OFF)" \
  "-DCMAKE_CXX_FLAGS=$flags" >/dev/null
cmake --build build-sanitize -j"$(nproc)"
