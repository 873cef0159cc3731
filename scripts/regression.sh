#!/usr/bin/env bash
# The scheduled regression job: build, run configs/regression.toml (serially, so that timings are
# not contended), record the run in the history database, write its figures and index.html, and
# compare it with the committed baseline. Exit code: that of `specbench compare` (0 pass,
# 1 regression, 3 inconclusive, 2 harness error, also when the sweep itself could not run).
#
#   bash scripts/regression.sh [BASELINE_DIR]     (default results/baselines/regression)
#
# Environment: SPECBENCH_REGRESSION_KEEP (default 30) stamped runs are kept in
# results/regression/, older ones are deleted; results/regression/latest is a symlink to the
# newest. Extra `specbench compare` options can be given in SPECBENCH_COMPARE_OPTIONS.
#
# Timing rules used here (README "The scheduled regression job"): one cell must be more than 2x
# slower (--min-ratio 1.0), or an estimator's cells 20% slower in the median (--estimator-ratio
# 0.2). Measured on the 2-core development VM, identical code run three times: single cells
# moved by 0.51x..1.72x between runs, estimators by 0.92x..1.07x.
set -euo pipefail
# The baseline as the caller named it (relative to the caller's folder), resolved before the cd.
if [ $# -ge 1 ]; then
  baseline=$(realpath -e -- "$1" 2>/dev/null) || { echo "regression.sh: baseline '$1' does not exist" >&2; exit 2; }
fi
cd "$(dirname "$0")/.."
if [ -z "${baseline:-}" ]; then
  baseline=$(realpath -e results/baselines/regression 2>/dev/null) ||
    { echo "regression.sh: results/baselines/regression does not exist" >&2; exit 2; }
fi
keep=${SPECBENCH_REGRESSION_KEEP:-30}
case $keep in '' | *[!0-9]*) echo "regression.sh: SPECBENCH_REGRESSION_KEEP must be a count, got '$keep'" >&2; exit 2 ;; esac
[ "$keep" -ge 1 ] || { echo "regression.sh: SPECBENCH_REGRESSION_KEEP must be >= 1" >&2; exit 2; }
bash scripts/build.sh >/dev/null || { echo "regression.sh: the build failed" >&2; exit 2; }

root=results/regression
mkdir -p "$root"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
n=1
while [ -e "$root/$stamp" ]; do stamp=$(date -u +%Y%m%dT%H%M%SZ)-$n; n=$((n + 1)); done
out=$root/$stamp

# `specbench run` exits 1 when some rows have status 'error': the run is still complete and is
# recorded, plotted and compared (compare reports those rows). Anything else is a harness error.
run_code=0
build/specbench run configs/regression.toml --out "$out" --jobs 1 --quiet || run_code=$?
status=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("status", ""))' "$out/meta.json" 2>/dev/null || true)
if { [ "$run_code" -ne 0 ] && [ "$run_code" -ne 1 ]; } || [ "$status" != complete ]; then
  echo "regression.sh: the sweep failed (exit $run_code, status '${status:-none}'); nothing compared" >&2
  exit 2
fi
[ "$run_code" -eq 1 ] && echo "regression.sh: some rows have status 'error' (see $out/runs.csv)" >&2
build/specbench record "$out" --db results/history.sqlite ||
  echo "regression.sh: warning: could not record the run in results/history.sqlite" >&2
build/specbench plot "$out" --formats png >/dev/null ||
  echo "regression.sh: warning: the figures could not be written" >&2

code=0
# shellcheck disable=SC2086
build/specbench compare "$baseline" "$out" --min-ratio 1.0 --estimator-ratio 0.2 \
  ${SPECBENCH_COMPARE_OPTIONS:-} --format markdown --out "$out/compare.md" || code=$?
# shellcheck disable=SC2086
build/specbench compare "$baseline" "$out" --min-ratio 1.0 --estimator-ratio 0.2 \
  ${SPECBENCH_COMPARE_OPTIONS:-} --format json --out "$out/compare.json" 2>/dev/null || true
[ -f "$out/compare.md" ] && cat "$out/compare.md"

# `latest` is always a symlink to the newest run, updated after the comparison (a baseline named
# results/regression/latest is the previous run): a real folder of that name (a manual run with
# --out results/regression/latest) is moved aside, never written into or deleted.
if [ -e "$root/latest" ] && [ ! -L "$root/latest" ]; then
  mv "$root/latest" "$root/latest.moved-$stamp"
  echo "regression.sh: moved the folder $root/latest to $root/latest.moved-$stamp" >&2
fi
ln -sfn "$stamp" "$root/latest"

# Keep the newest $keep stamped runs (names sort by time); the one `latest` names is the newest.
mapfile -t stamped < <(find "$root" -mindepth 1 -maxdepth 1 -type d -name '20*Z*' -printf '%f\n' | sort)
if [ "${#stamped[@]}" -gt "$keep" ]; then
  for old in "${stamped[@]:0:${#stamped[@]}-keep}"; do
    # never the baseline this job compares with
    [ "$(realpath -e "$root/$old")" = "$baseline" ] && continue
    rm -rf "${root:?}/$old"
  done
  echo "regression.sh: pruned $((${#stamped[@]} - keep)) old run(s), kept $keep" >&2
fi
echo "results: $out (figures: $out/figures/index.html; comparison: $out/compare.md; history: results/history.sqlite)" >&2
exit "$code"
