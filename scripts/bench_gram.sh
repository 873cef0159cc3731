#!/usr/bin/env bash
# The issue-8 kernel targets, measured in ONE process (ratios of benchmarks run back to back, so
# that machine noise mostly cancels): for an n x n matrix (default 4096), float and double, 1 and 2
# threads, and both storage orders,
#   fused / stream   one power-iteration product (A x and A^T A x, or A^T z and A A^T z) against
#                    one streaming read of the matrix (target <= 1.2)
#   gemv / fused     two BLAS gemv against the fused product (target >= 1.6)
# Usage: bash scripts/bench_gram.sh [N] [REPETITIONS]   (build first: bash scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-4096}"
reps="${2:-5}"
bench=build/bench/bench_specbench
[[ -x "$bench" ]] || { echo "bench_gram.sh: $bench not built (bash scripts/build.sh)" >&2; exit 2; }
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
"$bench" --benchmark_filter="BM_(stream_sum|gram_step|two_gemv)<.*/n:${n}/" \
  --benchmark_repetitions="$reps" --benchmark_report_aggregates_only=true \
  --benchmark_format=json --benchmark_out="$out" --benchmark_out_format=json >/dev/null
/usr/bin/python3 - "$out" <<'EOF'
import json, re, sys
data = json.load(open(sys.argv[1]))
ctx = data["context"]
med = {}
for b in data["benchmarks"]:
    if b.get("aggregate_name") != "median":
        continue
    m = re.match(r"BM_(\w+)<(\w+)(?:, Layout::(\w+))?>/n:(\d+)/threads:(\d+)", b["run_name"])
    kind, scalar, layout, n, threads = m.groups()
    med[(kind, scalar, layout, int(threads))] = b["real_time"]  # microseconds
print(f"# {ctx.get('host_name', '?')}: {ctx['num_cpus']} CPUs at {ctx['mhz_per_cpu']} MHz, "
      f"specbench {ctx.get('specbench_git_commit', '?')}, n = {n}, medians of the repetitions")
print("| scalar | layout    | threads | stream (ms) | fused (ms) | two gemv (ms) | fused/stream | gemv/fused |")
print("|--------|-----------|---------|-------------|------------|---------------|--------------|------------|")
ok = True
for scalar in ("float", "double"):
    for threads in (1, 2):
        for layout in ("RowMajor", "ColMajor"):
            s = med[("stream_sum", scalar, None, threads)]
            f = med[("gram_step", scalar, layout, threads)]
            g = med[("two_gemv", scalar, None, threads)]
            r1, r2 = f / s, g / f
            mark = "" if r1 <= 1.2 and r2 >= 1.6 else "  (target missed)"
            print(f"| {scalar:<6} | {layout:<9} | {threads:>7} | {s/1e3:>11.2f} | {f/1e3:>10.2f} | "
                  f"{g/1e3:>13.2f} | {r1:>12.2f} | {r2:>10.2f} |{mark}")
EOF
