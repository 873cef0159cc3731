#!/usr/bin/env bash
# Protocol overhead of an operator-mode external estimator per product (README, External
# estimators): in one sweep (--jobs 1, so the two are timed alike), the Python plug-in
# examples/plugins/py_power.py (iters = N: 2N products answered over the pipes) against the
# built-in lanczos:process=gkl,reorth=none (steps = N: the same 2N plain gemv products, O(n)
# work besides) on dense gaussian 1024^2 and 4096^2. Overhead per product =
# median over 5 seeds of (time_s of the plug-in - time_s of lanczos) / 2N, each time_s the
# median of 3 serial repeats ([sweep] timing = { repeats = 3 }). time_s of the
# plug-in starts at its hello (after Python and numpy started), so this is the protocol's cost:
# JSON lines, 8 (m + n) bytes through two pipes, numpy decoding, plus the plug-in's O(n) norms.
# Usage: bash scripts/bench_plugin.sh [BUILD_DIR]   (default build)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build}/specbench
root=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bench() {  # bench SIZE N
  cat >"$tmp/b.toml" <<TOML
[sweep]
seeds = 5
timing = { repeats = 3 }
[[block]]
matrices = ["gaussian:m=$1,n=$1"]
[[block.estimators]]
name = "lanczos"
process = "gkl"
reorth = "none"
steps = $2
[[block.estimators]]
name = "py_power"
command = ["/usr/bin/python3", "$root/examples/plugins/py_power.py"]
iters = $2
timeout = 600
TOML
  "$bin" run "$tmp/b.toml" --out "$tmp/out$1" --jobs 1 -q --fresh >/dev/null 2>&1
  /usr/bin/python3 - "$tmp/out$1/runs.csv" "$1" "$2" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
t = {e: statistics.median(float(r["time_s"]) for r in rows if r["estimator"] == e)
     for e in ("lanczos", "py_power")}
p = {e: next(int(r["matvecs"]) for r in rows if r["estimator"] == e) for e in t}
assert p["lanczos"] == p["py_power"], p
n, products = int(sys.argv[2]), p["py_power"]
# paired by seed: each cell's time_s is the median of 3 serial repeats (timing = { repeats = 3 })
seed = {(r["estimator"], r["seed"]): float(r["time_s"]) for r in rows}
diffs = sorted((seed[("py_power", s)] - seed[("lanczos", s)]) / products
               for s in {r["seed"] for r in rows})
over = statistics.median(diffs)
print(f"{n}x{n}: {products} products; lanczos {t['lanczos']:.4f} s "
      f"({1e3 * t['lanczos'] / products:.3f} ms/product), py_power {t['py_power']:.4f} s "
      f"({1e3 * t['py_power'] / products:.3f} ms/product); overhead {1e6 * over:.0f} us/product "
      f"(seeds: {1e6 * diffs[0]:.0f} to {1e6 * diffs[-1]:.0f}; "
      f"{100 * over / (t['lanczos'] / products):.0f}% of a product)")
PY
}
bench 1024 500
bench 4096 100
# The floor: a 2 x 2 matrix, where a product costs nanoseconds: py_power's time per product is
# the round trip alone (JSON lines, pipes, two process wake-ups, the Python side's work).
cat >"$tmp/f.toml" <<TOML
[sweep]
seeds = 5
timing = { repeats = 3 }
[[block]]
matrices = ["gaussian:m=2,n=2"]
[[block.estimators]]
name = "py_power"
command = ["/usr/bin/python3", "$root/examples/plugins/py_power.py"]
iters = 2000
timeout = 600
TOML
"$bin" run "$tmp/f.toml" --out "$tmp/floor" --jobs 1 -q --fresh >/dev/null 2>&1
/usr/bin/python3 - "$tmp/floor/runs.csv" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
per = sorted(float(r["time_s"]) / int(r["matvecs"]) for r in rows)
print(f"2x2 (round trip alone): {rows[0]['matvecs']} products; py_power "
      f"{1e6 * statistics.median(per):.0f} us/product (seeds: {1e6 * per[0]:.0f} to {1e6 * per[-1]:.0f})")
PY
