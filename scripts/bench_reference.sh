#!/usr/bin/env bash
# The issue-14 reference target, measured in ONE process per shape (the two benchmarks' repetitions
# interleaved at random, so that machine noise mostly cancels): the certified reference
# (compute_reference) against LAPACK's singular values alone (dgesdd, JOBZ = 'N') on the gap family
# (sigma2 / sigma1 = 0.99), single-threaded BLAS as the harness runs it.
#   target: reference / dgesdd <= 0.4 at 2048 x 2048 and 4096 x 4096; reported for 8192 x 2048,
#   10 x 20000 and 20000 x 10.
# Usage: bash scripts/bench_reference.sh [REPETITIONS] [SHAPE...]   (SHAPE as MxN; default 3 and
#        2048x2048 4096x4096 8192x2048 10x20000 20000x10; build first: bash scripts/build.sh)
# Exit code 1 if a target is missed.
set -euo pipefail
cd "$(dirname "$0")/.."
reps="${1:-3}"
shift || true
shapes=("$@")
[[ ${#shapes[@]} -gt 0 ]] || shapes=(2048x2048 4096x4096 8192x2048 10x20000 20000x10)
[[ "$reps" =~ ^[1-9][0-9]*$ ]] || { echo "bench_reference.sh: REPETITIONS must be a positive integer, got '$reps'" >&2; exit 2; }
bench=build/bench/bench_specbench
[[ -x "$bench" ]] || { echo "bench_reference.sh: $bench not built (bash scripts/build.sh)" >&2; exit 2; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for shape in "${shapes[@]}"; do
  [[ "$shape" =~ ^([0-9]+)x([0-9]+)$ ]] || { echo "bench_reference.sh: shape must be MxN, got '$shape'" >&2; exit 2; }
  m="${BASH_REMATCH[1]}" n="${BASH_REMATCH[2]}"
  echo "bench_reference.sh: ${m} x ${n} ..." >&2
  "$bench" --benchmark_filter="^BM_(singular_values|reference)/m:${m}/n:${n}\$" \
    --benchmark_repetitions="$reps" --benchmark_enable_random_interleaving=true \
    --benchmark_format=json --benchmark_out="$tmp/$shape.json" --benchmark_out_format=json >/dev/null
  if ! grep -q '"BM_reference' "$tmp/$shape.json"; then
    echo "bench_reference.sh: no benchmark for ${m} x ${n}: add it to REFERENCE_SIZES in bench/bench_specbench.cpp" >&2
    exit 2
  fi
done
/usr/bin/python3 - "$tmp" "${shapes[@]}" <<'EOF'
import json, statistics, sys
folder, shapes = sys.argv[1], sys.argv[2:]
targets = {"2048x2048": 0.4, "4096x4096": 0.4}
ok = True
rows = []
for shape in shapes:
    data = json.load(open(f"{folder}/{shape}.json"))
    times, label, digits = {"singular_values": [], "reference": []}, "", 0
    for b in data["benchmarks"]:
        if b.get("run_type") != "iteration":
            continue
        kind = b["run_name"].split("/")[0][3:]
        times[kind].append(b["real_time"])  # milliseconds
        if kind == "reference":
            label, digits = b.get("label", ""), int(b.get("digits", 0))
    s, r = statistics.median(times["singular_values"]), statistics.median(times["reference"])
    target = targets.get(shape)
    mark = ""
    if target is not None:
        mark = "ok" if r / s <= target else "MISSED"
        ok = ok and r / s <= target
    rows.append((shape, s, r, r / s, target, mark, digits, label))
ctx = data["context"]
print(f"# {ctx.get('host_name', '?')}: {ctx['num_cpus']} CPUs at {ctx['mhz_per_cpu']} MHz, "
      f"specbench {ctx.get('specbench_git_commit', '?')}, medians of {len(times['reference'])} "
      "interleaved repetitions, one BLAS thread")
print("| m x n | dgesdd values (ms) | certified reference (ms) | ratio | target | digits | method |")
print("|-------|--------------------|--------------------------|-------|--------|--------|--------|")
for shape, s, r, q, target, mark, digits, label in rows:
    t = f"<= {target} {mark}" if target is not None else "-"
    print(f"| {shape} | {s:.0f} | {r:.0f} | {q:.2f} | {t} | {digits} | {label} |")
sys.exit(0 if ok else 1)
EOF
