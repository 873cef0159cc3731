#!/usr/bin/env bash
# `specbench compare` against a change of BLAS kernel (issue 13): configs/default.toml and
# configs/regression.toml run once with OpenBLAS's default kernel and once with
# OPENBLAS_CORETYPE set to another kernel this CPU supports. Identical code must compare PASS
# (exit 0) both ways; an injected change (sigma of one cell x (1 + 1e-6); a power cell doing one
# iteration less; one estimator 1.5x slower) must exit 1 and name the cell (or estimator); a
# run that is incomplete, of another config, or a pool of mixed configs is exit 2; contended
# timings are INCONCLUSIVE (exit 3).
#
#   bash tests/regression/test_kernels.sh build/specbench      (exit 77: skipped, with the reason)
set -uo pipefail
bin=$(realpath "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
py=/usr/bin/python3
inject="$py $root/tests/regression/inject.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; failures=$((failures + 1)); }

kernel_of() { "$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["provenance"]["blas"])' "$1"; }

# ---- another kernel that this CPU supports ----
"$bin" estimate -m gaussian:m=4,n=3 --format json >"$tmp/probe.json" || { echo "FAIL probe"; exit 1; }
default_blas=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["provenance"]["blas"])' "$tmp/probe.json")
flags=$(grep -m1 -E '^(flags|Features)' /proc/cpuinfo | cut -d: -f2)
has() { for f in "$@"; do [[ " $flags " == *" $f "* ]] || return 1; done; }
other=""
for k in Haswell SkylakeX Sandybridge Nehalem; do
  case $k in
    Haswell) has avx2 fma || continue ;;
    SkylakeX) has avx512f avx512bw avx512vl avx512dq || continue ;;
    Sandybridge) has avx || continue ;;
    Nehalem) has sse4_2 || continue ;;
  esac
  if [[ " $default_blas " != *" $k "* ]]; then other=$k; break; fi
done
if [ -z "$other" ]; then
  echo "SKIP: no second OpenBLAS kernel known for this CPU (default: $default_blas)"
  exit 77
fi
echo "default BLAS: $default_blas; other kernel: $other"

run() {  # run CONFIG OUT [env...]
  local config=$1 out=$2
  shift 2
  env "$@" "$bin" run "$root/configs/$config.toml" --out "$out" --quiet "${jobs[@]}" >"$out.log" 2>&1
}
compare() {  # compare BASE CUR [options] -> sets code, writes $tmp/out.txt
  "$bin" compare "$@" >"$tmp/out.txt" 2>&1
  code=$?
}

for config in default regression; do
  # default.toml has no timing phase: --jobs 1, so that its timings are not contended.
  jobs=()
  [ "$config" = default ] && jobs=(--jobs 1)
  a=$tmp/$config-default b=$tmp/$config-$other
  run "$config" "$a" || { bad "$config: run with the default kernel (see $a.log)"; cat "$a.log"; continue; }
  run "$config" "$b" "OPENBLAS_CORETYPE=$other" || { bad "$config: run with $other"; cat "$b.log"; continue; }
  if [[ " $(kernel_of "$b/meta.json") " == *" $other "* ]]; then ok "$config: second run used $other"
  else
    echo "SKIP: OPENBLAS_CORETYPE=$other was not taken (an OpenBLAS without DYNAMIC_ARCH?): $(kernel_of "$b/meta.json")"
    exit 77
  fi
  if cmp -s "$a/runs.csv" "$b/runs.csv"; then
    echo "note: $config: identical runs.csv under both kernels (nothing to absorb)"
  fi

  compare "$a" "$b"
  if [ "$code" = 0 ] && grep -q "BLAS kernel" "$tmp/out.txt"; then ok "$config: default -> $other: PASS, kernel difference stated"
  else bad "$config: default -> $other: exit $code"; cat "$tmp/out.txt"; fi
  compare "$b" "$a"
  if [ "$code" = 0 ]; then ok "$config: $other -> default: PASS"
  else bad "$config: $other -> default: exit $code"; cat "$tmp/out.txt"; fi
  # Bit-for-bit is still available, and does see the kernel's rounding.
  compare "$a" "$b" --exact
  if cmp -s "$a/runs.csv" "$b/runs.csv" || [ "$code" = 1 ]; then ok "$config: --exact sees the last-bit changes"
  else bad "$config: --exact: exit $code"; fi

  # Injected: sigma of one converged cell x (1 + 1e-6).
  cell=$(OPENBLAS_CORETYPE=$other $inject sigma "$b" "$tmp/$config-sigma")
  compare "$a" "$tmp/$config-sigma"
  if [ "$code" = 1 ] && grep -E "^REGRESSION .*\[cell $cell\]" "$tmp/out.txt" | grep -q .; then
    ok "$config: sigma x (1 + 1e-6) in cell $cell: REGRESSION naming it"
  else bad "$config: sigma x (1 + 1e-6) in cell $cell: exit $code"; cat "$tmp/out.txt"; fi
  # Injected: a power cell doing one iteration less at every checkpoint >= 2.
  cell=$(OPENBLAS_CORETYPE=$other $inject one-less "$b" "$tmp/$config-less" --specbench "$bin")
  compare "$a" "$tmp/$config-less"
  if [ "$code" = 1 ] && grep -E "^REGRESSION .*\[cell $cell\]" "$tmp/out.txt" | grep -q . &&
     [ "$(grep -c "^REGRESSION  " "$tmp/out.txt")" -le 6 ]; then
    ok "$config: one iteration less in cell $cell: REGRESSION naming it, one line per column"
  else bad "$config: one iteration less in cell $cell: exit $code"; cat "$tmp/out.txt"; fi
done

# ---- timing (regression.toml has a serial timing phase): judged on the same machine ----
a=$tmp/regression-default
$inject slow "$a" "$tmp/slow" --estimator lanczos --factor 1.5 >/dev/null
compare "$a" "$tmp/slow"
if [ "$code" = 1 ] && grep -q "^REGRESSION  estimator lanczos" "$tmp/out.txt"; then ok "timing: lanczos x1.5: REGRESSION naming the estimator"
else bad "timing: lanczos x1.5: exit $code"; cat "$tmp/out.txt"; fi
compare "$a" "$a"
if [ "$code" = 0 ]; then ok "timing: a run against itself: PASS"; else bad "a run against itself: exit $code"; fi
compare "$a" "$tmp/regression-$other"
if [ "$code" = 0 ] && grep -q "timing: not judged: the machines differ (BLAS kernel)" "$tmp/out.txt"; then
  ok "timing: not judged across kernels, and said why"
else bad "timing across kernels: exit $code"; cat "$tmp/out.txt"; fi
# Contended timings (--jobs 2 without a timing phase) are never judged: INCONCLUSIVE.
jobs=(--jobs 2)
run default "$tmp/default-contended" || bad "contended run"
compare "$tmp/default-default" "$tmp/default-contended"
if [ "$code" = 3 ] && grep -q "^INCONCLUSIVE  every cell" "$tmp/out.txt"; then ok "contended timings: INCONCLUSIVE (exit 3)"
else bad "contended timings: exit $code"; cat "$tmp/out.txt"; fi
compare "$tmp/default-default" "$tmp/default-contended" --timing never
if [ "$code" = 0 ]; then ok "--timing never: accuracy only, PASS"; else bad "--timing never: exit $code"; fi

# ---- harness errors are exit 2, never a regression ----
$inject status "$a" "$tmp/running" --status running >/dev/null
compare "$a" "$tmp/running"
if [ "$code" = 2 ] && grep -q "incomplete" "$tmp/out.txt"; then ok "current run still running: exit 2"
else bad "running: exit $code"; cat "$tmp/out.txt"; fi
compare "$tmp/default-default" "$a"
if [ "$code" = 2 ] && grep -q "another config" "$tmp/out.txt"; then ok "another config: exit 2"
else bad "another config: exit $code"; cat "$tmp/out.txt"; fi
mkdir -p "$tmp/pool" && cp -r "$a" "$tmp/pool/r1" && cp -r "$tmp/default-default" "$tmp/pool/r2"
compare "$tmp/pool" "$a"
if [ "$code" = 2 ] && grep -q "mixes configs" "$tmp/out.txt"; then ok "pool of mixed configs: exit 2"
else bad "mixed pool: exit $code"; cat "$tmp/out.txt"; fi
compare "$a" "$b" --format json
if [ "$code" = 0 ] && $py -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert j["verdict"] == "PASS" and j["exit_code"] == 0
assert set(j["counts"]) >= {"REGRESSION", "IMPROVEMENT", "INCONCLUSIVE", "MISSING", "INFO"}
assert any(e["what"] == "BLAS kernel" and not e["same"] for e in j["environment"])
' "$tmp/out.txt"; then ok "JSON: verdict, counts by kind, environment"
else bad "JSON output"; head -40 "$tmp/out.txt"; fi
$inject sigma "$b" "$tmp/json-sigma" >/dev/null
compare "$a" "$tmp/json-sigma" --format json
if [ "$code" = 1 ] && $py -c '
import json, sys
j = json.load(open(sys.argv[1]))
f = [f for f in j["findings"] if f["kind"] == "REGRESSION"]
assert f and all(k in f[0]["numbers"] for k in ("baseline", "current", "ratio", "tolerance"))
assert j["counts"]["REGRESSION"] == len(f)
' "$tmp/out.txt"; then ok "JSON findings carry baseline, current, ratio, tolerance"
else bad "JSON findings"; head -60 "$tmp/out.txt"; fi

echo "$failures failure(s)"
[ "$failures" = 0 ]
