#!/usr/bin/env bash
# Sweep-engine benchmarks, measured in one invocation on this machine (issue 5 targets):
#  1. speed-up of the default sweep with --jobs 2 over --jobs 1 (median of 3 alternating runs each,
#     references cached by a first run);
#  2. harness overhead per cell: a sweep of 4000 cells whose estimator work is negligible
#     (power, 1 iteration, on a 2 x 2 matrix), wall time / cells.
# Usage: bash scripts/bench_sweep.sh   (after scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/specbench
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

seconds() {  # seconds CMD...: wall time of CMD in seconds
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }'
}
median3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }

"$bin" run configs/default.toml --out "$tmp/warm" -q >/dev/null 2>&1  # caches the references
j1=() j2=()
for _ in 1 2 3; do
  j1+=("$(seconds "$bin" run configs/default.toml --out "$tmp/j1" -q --fresh --jobs 1)")
  j2+=("$(seconds "$bin" run configs/default.toml --out "$tmp/j2" -q --fresh --jobs 2)")
done
m1=$(median3 "${j1[@]}") m2=$(median3 "${j2[@]}")
printf 'default sweep: --jobs 1 %.2f s, --jobs 2 %.2f s: speed-up %.2fx (target >= 1.8x)\n' \
  "$m1" "$m2" "$(awk -v a="$m1" -v b="$m2" 'BEGIN { print a / b }')"

cat >"$tmp/tiny.toml" <<'TOML'
[sweep]
seeds = 4000
[[block]]
matrices = ["gaussian:m=2,n=2"]
[[block.estimators]]
name = "power"
iters = 1
TOML
"$bin" run "$tmp/tiny.toml" --out "$tmp/tiny0" -q --jobs 1 >/dev/null 2>&1  # caches the reference
t=$(seconds "$bin" run "$tmp/tiny.toml" --out "$tmp/tiny" -q --fresh --jobs 1)
printf 'harness overhead: %.3f ms per cell (4000 cells, estimator work negligible; target < 1 ms)\n' \
  "$(awk -v t="$t" 'BEGIN { print t * 1000 / 4000 }')"
