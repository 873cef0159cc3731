#!/usr/bin/env bash
# The scheduled regression job: build, run configs/regression.toml (serially, so that timings are
# not contended), compare with the committed baseline, record the run in the history database,
# and write the figures and index.html. Exit code: that of `specbench compare` (0 pass,
# 1 regression, 3 inconclusive, 2 harness error).
#
#   bash scripts/regression.sh [BASELINE_DIR]     (default results/baselines/regression)
#
# The timing rule uses --min-ratio 0.3: on the 2-core development VM five pairwise comparisons of
# identical code gave no REGRESSION with it (but up to 16 with 0.1: run-to-run drift of single
# cells reaches 20-90% there, far beyond the seed-to-seed spread). A 2x slowdown is still caught.
set -euo pipefail
cd "$(dirname "$0")/.."
baseline=${1:-results/baselines/regression}
bash scripts/build.sh >/dev/null
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=results/regression/$stamp
build/specbench run configs/regression.toml --out "$out" --jobs 1 --quiet
build/specbench record "$out" --db results/history.sqlite
build/specbench plot "$out" --formats png >/dev/null
cpu() { /usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["provenance"]["cpu"])' "$1" 2>/dev/null || echo "?"; }
if [ "$(cpu "$baseline/meta.json")" != "$(cpu "$out/meta.json")" ]; then
  echo "note: the baseline comes from another CPU model: accuracy may differ in the last ulps" >&2
fi
set +e
build/specbench compare "$baseline" "$out" --min-ratio 0.3 --format markdown | tee "$out/compare.md"
code=${PIPESTATUS[0]}
set -e
ln -sfn "$stamp" results/regression/latest
echo "results: $out (figures: $out/figures/index.html; history: results/history.sqlite)" >&2
exit "$code"
