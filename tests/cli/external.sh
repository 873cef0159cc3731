# External estimators (harness/plugins/, README "External estimators"): sourced by test_cli.sh,
# whose helpers (expect, ok, bad) and $bin, $tmp, $py it uses. ~20 s: two 2-second timeouts per sweep.
root=$(pwd)
# Our own copy of the failing plug-in and our own TMPDIR (the matrix-file folders), so that the
# leftover checks below see this test's processes and folders only.
mkdir -p "$tmp/plugbin" "$tmp/plugtmp"
cp "$root/tests/external_plugins/misbehave.py" "$tmp/plugbin/misbehave.py"
saved_tmpdir=${TMPDIR-}
export TMPDIR="$tmp/plugtmp"
cat >"$tmp/plugins.toml" <<TOML
[sweep]
seeds = 2
[[block]]
matrices = ["gaussian:m=60,n=40"]
iterations = [1, 4, 16]
[[block.estimators]]
name = "power"
[[block.estimators]]
name = "py_power"
command = ["/usr/bin/python3", "$root/examples/plugins/py_power.py"]
timeout = 30
[[block.estimators]]
name = "py_svd"
command = ["/usr/bin/python3", "$root/examples/plugins/py_svd.py"]
mode = "matrix"
timeout = 30
[[block]]
matrices = ["gaussian:m=30,n=20"]
[[block.estimators]]
name = "bad"
command = ["/usr/bin/python3", "$tmp/plugbin/misbehave.py"]
timeout = 2
fault = ["none", "crash", "sleep", "silent", "garbage", "nan", "wrong_length", "short_payload", "unknown", "early_exit", "huge_length", "bad_checkpoint", "error"]
TOML
expect "plugins: a sweep with failing plug-ins exits 1" 1 "rows have status 'error'" -- run "$tmp/plugins.toml" --out "$tmp/plugins" -q -j 2
"$bin" run "$tmp/plugins.toml" --out "$tmp/plugins2" -q -j 1 >/dev/null 2>&1
expect "plugins: --dry-run lists the plug-in's cells" 0 "py_power:iters=100 +seed 1 +checkpoints 1 4 16" -- run "$tmp/plugins.toml" --out "$tmp/plugins" --dry-run
out=$("$py" - "$tmp/plugins/runs.csv" "$tmp/plugins2/runs.csv" "$tmp/plugins/meta.json" <<'PY' 2>&1
import csv, json, math, sys
rows = list(csv.DictReader(open(sys.argv[1])))
again = {(r["estimator"], r["params"], r["seed"], r["checkpoint"]): r for r in csv.DictReader(open(sys.argv[2]))}
errors = []
def check(cond, what):
    if not cond:
        errors.append(what)
by = {}
for r in rows:
    by.setdefault(r["estimator"], []).append(r)
    other = again[(r["estimator"], r["params"], r["seed"], r["checkpoint"])]
    # determinism: the same seed gives the same numbers (--jobs 2 against --jobs 1)
    if r["status"] != "error":
        check(r["sigma"] == other["sigma"] and r["rel_err"] == other["rel_err"], f"not deterministic: {r['estimator']} {r['params']}")
check(len(by["power"]) == 6 and len(by["py_power"]) == 6 and len(by["py_svd"]) == 2, "row counts")
power = {(r["seed"], r["checkpoint"]): r for r in by["power"]}
for r in by["py_power"]:
    p = power[(r["seed"], r["checkpoint"])]
    # The same start (the cell's generator) and recurrence as `power`; only the rounding order of
    # the products differs (power's fused A A^T kernel vs two gemv). By the tolerance rules of
    # compare (README), |d rel_err| <= eta (1 + matvecs) with eta = 2 N u sqrt(r) ~ 8e-14 here,
    # 32 products: < 3e-12; 1e-10 leaves a wide margin yet fails for any other start or step.
    check(abs(float(r["rel_err"]) - float(p["rel_err"])) <= 1e-10, f"py_power rel_err {r['rel_err']} vs power {p['rel_err']}")
    check(float(r["rel_err"]) < 0.1 or r["checkpoint"] != "16", "py_power did not converge")
    check(r["matvecs"] == str(2 * int(r["checkpoint"])), f"py_power matvecs {r['matvecs']} (counted by the harness)")
    check(r["counted_by"] == "harness" and r["status"] == "max_iterations", "py_power counted_by/status")
for r in by["py_svd"]:
    # a full SVD is backward stable: sigma1 to a few ulps (m n u ~ 2e-13 is generous)
    check(float(r["rel_err"]) <= 1e-13, f"py_svd rel_err {r['rel_err']}")
    check(r["counted_by"] == "plugin" and float(r["time_s"]) >= 0, "py_svd counted_by")
for r in by["power"]:
    check(r["status"] == "max_iterations" and math.isfinite(float(r["rel_err"])), "power rows intact")
expected = {
    "none": None,
    "crash": r"closed its stdout; it was killed by signal 11 .*stderr: misbehave: fault=crash",
    "sleep": r"timed out after 2 s \(timeout in the config\) waiting for a message; the plug-in was killed; stderr: misbehave: fault=sleep",
    "silent": r"timed out after 2 s .*fault=silent",
    "garbage": r"malformed JSON from the plug-in: '\{not json'.*fault=garbage",
    "nan": r"apply: entry 0 is NaN.*fault=nan",
    "wrong_length": r"apply: length 21, expected 20.*fault=wrong_length",
    "short_payload": r"closed its stdout after 80 of the 160 bytes of a binary payload; it exited with status 0",
    "unknown": r"unknown request 'please_invert'",
    "early_exit": r"closed its stdout; it exited with status 4.*fault=early_exit",
    "huge_length": r"apply: length 1099511627776, expected 20",
    "bad_checkpoint": r"checkpoint k = 999 was not requested",
    "error": r"the plug-in reported an error: no convergence, I give up",
}
import re
seen = set()
for r in by["bad"]:
    fault = r["params"].split("=")[1]
    seen.add(fault)
    want = expected[fault]
    if want is None:
        check(r["status"] == "max_iterations" and r["message"] == "", f"fault=none: {r['status']} {r['message']}")
    else:
        check(r["status"] == "error" and re.search(want, r["message"]), f"fault={fault}: {r['message']}")
        check(r["message"].startswith("plug-in /usr/bin/python3 "), f"fault={fault}: names the command")
check(seen == set(expected) and len(by["bad"]) == 2 * len(expected), f"faults seen {seen}")
meta = json.load(open(sys.argv[3]))
check(meta["estimators"]["py_power"]["origin"].endswith("examples/plugins/py_power.py"), "meta.json origin")
print("\n".join(errors) if errors else "all good")
PY
)
[ "$out" = "all good" ] && ok "plugins: py_power equals power, py_svd exact, every fault an error row, others intact, deterministic" || bad "plugins: rows" "$out"
pgrep -f "$tmp/plugbin/misbehave.py" >/dev/null && bad "plugins: a killed plug-in is still running" "$(pgrep -af "$tmp/plugbin/misbehave.py")" || ok "plugins: no plug-in process left behind"
[ -z "$(ls -A "$tmp/plugtmp")" ] && ok "plugins: matrix files removed at exit" || bad "plugins: a matrix-file folder was left behind" "$(ls -A "$tmp/plugtmp")"

pcell=$(grep -m1 ',py_power,' "$tmp/plugins/runs.csv" | awk -F, '{print $NF}')
expect "plugins: --explain names the command instead of an estimate line" 0 "an external estimator \(/usr/bin/python3 .*py_power.py\): its rows are reproduced by the sweep itself" -- run "$tmp/plugins.toml" --explain "$pcell"
expect "plugins: plot draws the plug-ins' rows" 0 "" -- plot "$tmp/plugins" --out "$tmp/plugins/figs" --formats png
[ -s "$tmp/plugins/figs/error_vs_iterations.png" ] && ok "plugins: error_vs_iterations.png written" || bad "plugins: no figure" "$(ls "$tmp/plugins/figs")"

describe() {  # describe NAME REGEX WORDS...: a config whose plug-in's --describe fails
  local name=$1 regex=$2
  shift 2
  local words=""
  for w in "$@"; do words+="${words:+, }\"$w\""; done
  printf '[[block]]\nmatrices = ["gaussian:m=10,n=10"]\n[[block.estimators]]\nname = "x"\ncommand = [%s]\ntimeout = 5\n' "$words" >"$tmp/describe.toml"
  expect "plugins: $name" 2 "describe.toml:5: key 'command': .*$regex" -- run "$tmp/describe.toml" --out "$tmp/describe"
  [ -e "$tmp/describe" ] && bad "plugins: $name left output behind"
}
describe "describe exits 3" "exited with status 3; stderr: cannot describe myself" /usr/bin/python3 "$root/tests/external_plugins/misbehave.py" describe-exit
describe "describe prints garbage" "did not print one JSON object: 'this is not json" /usr/bin/python3 "$root/tests/external_plugins/misbehave.py" describe-garbage
describe "describe: bad schema" "params\[0\] 'k': 'type' must be one of int, real, string, bool" /usr/bin/python3 "$root/tests/external_plugins/misbehave.py" describe-bad-schema
describe "describe times out" "--describe timed out after 5 s \(timeout in the config\) waiting for a message; killed" /usr/bin/python3 "$root/tests/external_plugins/misbehave.py" describe-sleep
describe "command not found" "cannot start '/nonexistent/plugin': No such file" /nonexistent/plugin
printf '[[block]]\nmatrices = ["gaussian:m=10,n=10"]\n[[block.estimators]]\nname = "power"\ncommand = ["/usr/bin/python3", "%s"]\n' "$root/examples/plugins/py_power.py" >"$tmp/dup.toml"
printf '[[block]]\nmatrices = ["gaussian:m=10,n=10"]\n[[block.estimators]]\nname = "p"\ncommand = ["/usr/bin/python3", "%s"]\n[[block]]\nmatrices = ["gaussian:m=10,n=10"]\n[[block.estimators]]\nname = "p"\ncommand = ["/usr/bin/python3", "%s"]\nmode = "matrix"\n' "$root/examples/plugins/py_power.py" "$root/examples/plugins/py_svd.py" >"$tmp/dup2.toml"
expect "plugins: one name for two commands" 2 "dup2.toml:9: key 'name': 'p' is already an estimator \(from /usr/bin/python3 .*py_power.py\); give the command /usr/bin/python3 .*py_svd.py another name" -- run "$tmp/dup2.toml" --out "$tmp/dup2"
expect "plugins: a name taken by a built-in" 2 "dup.toml:4: key 'name': 'power' is already an estimator \(from built-in\)" -- run "$tmp/dup.toml" --out "$tmp/dup"
printf '[[block]]\nmatrices = ["gaussian:m=10,n=10"]\n[[block.estimators]]\nname = "p"\ncommand = ["/usr/bin/python3", "%s"]\niter = 3\n' "$root/examples/plugins/py_power.py" >"$tmp/param.toml"
expect "plugins: parameters checked against the declared schema" 2 "param.toml:6: key 'iter': estimator 'p' has no such parameter; accepted: iters" -- run "$tmp/param.toml" --out "$tmp/param"
# runs.csv files from before counted_by (the committed baseline) still read: compare passes.
expect "plugins: an older runs.csv (no counted_by) still compares" 0 "PASS|pass" -- compare results/baselines/regression results/baselines/regression

# Sparse storage (lp_afiro, CSR) and float32: py_svd reads the .mtx file the harness wrote,
# py_power gets float32 vectors.
cat >"$tmp/plugins_sparse.toml" <<TOML
[[block]]
matrices = ["$root/data/matrices/lp_afiro.mtx"]
precisions = ["f64", "f32"]
[[block.estimators]]
name = "power"
iters = [64]
[[block.estimators]]
name = "py_power"
command = ["/usr/bin/python3", "$root/examples/plugins/py_power.py"]
iters = [64]
[[block.estimators]]
name = "py_svd"
command = ["/usr/bin/python3", "$root/examples/plugins/py_svd.py"]
mode = "matrix"
TOML
expect "plugins: sparse storage and f32" 0 "wrote 6 rows" -- run "$tmp/plugins_sparse.toml" --out "$tmp/plugins_sparse" -q
out=$("$py" - "$tmp/plugins_sparse/runs.csv" <<'PY' 2>&1
import csv, sys
rows = {(r["estimator"], r["precision"]): r for r in csv.DictReader(open(sys.argv[1]))}
errors = []
for p in ("f64", "f32"):
    svd, power, py = rows[("py_svd", p)], rows[("power", p)], rows[("py_power", p)]
    if svd["storage"] != "sparse" or svd["counted_by"] != "plugin":
        errors.append(f"py_svd {p}: storage {svd['storage']}, counted_by {svd['counted_by']}")
    # sigma1 from the exact file contents by a backward-stable SVD (in float32 for f32 runs:
    # 27 x 51 entries, a few hundred ulps of float at most)
    if float(svd["rel_err"]) > (1e-13 if p == "f64" else 1e-4):
        errors.append(f"py_svd {p}: rel_err {svd['rel_err']}")
    # The same recurrence from the same start; rounding differs (f64: <= 1e-10 as above; f32:
    # u = 6e-8, eta = 2 N u sqrt(r) ~ 3e-5 per product, 128 products: ~4e-3 at worst).
    tol = 1e-10 if p == "f64" else 5e-3
    if abs(float(py["rel_err"]) - float(power["rel_err"])) > tol or py["matvecs"] != "128":
        errors.append(f"py_power {p}: rel_err {py['rel_err']} vs {power['rel_err']}, matvecs {py['matvecs']}")
print("\n".join(errors) if errors else "all good")
PY
)
[ "$out" = "all good" ] && ok "plugins: sparse (.mtx file) and f32 (float32 vectors) rows match power and the reference" || bad "plugins: sparse/f32 rows" "$out"
out=$(SPECBENCH_EXTERNAL=off "$bin" run "$tmp/plugins_sparse.toml" --out "$tmp/plugins_off" 2>&1)
[ $? -eq 2 ] && grep -q "plugins_sparse.toml:9: key 'command': external estimators are disabled" <<<"$out" &&
  ok "plugins: SPECBENCH_EXTERNAL=off refuses commands" || bad "plugins: SPECBENCH_EXTERNAL=off" "$out"
if [ -n "$saved_tmpdir" ]; then export TMPDIR=$saved_tmpdir; else unset TMPDIR; fi
# A plug-in's code is part of its cells' keys: after an edit of the script its cells are new, so a
# resume into the old folder is refused naming the plug-in's cell (nothing mixed, as after an
# edited matrix file), --fresh runs it again; the built-in cell keeps its key (the key it had
# before plug-ins existed, so baselines still pair).
mkdir -p "$tmp/codehash"
cp "$root/examples/plugins/py_power.py" "$tmp/codehash/mine.py"
cp "$root/plugins/specbench_plugin.py" "$tmp/codehash/"
printf '[[block]]\nmatrices = ["gaussian:m=12,n=9"]\n[[block.estimators]]\nname = "power"\niters = 5\n[[block.estimators]]\nname = "mine"\ncommand = ["/usr/bin/python3", "mine.py"]\niters = 5\n' >"$tmp/codehash/c.toml"
keys() { "$py" -c 'import csv, sys; [print(r["estimator"], r["cell"]) for r in csv.DictReader(open(sys.argv[1]))]' "$1" | sort; }
"$bin" run "$tmp/codehash/c.toml" --out "$tmp/codehash/out" -q >/dev/null 2>&1
k1=$(keys "$tmp/codehash/out/runs.csv")
echo "# an edit" >>"$tmp/codehash/mine.py"
again=$("$bin" run "$tmp/codehash/c.toml" --out "$tmp/codehash/out" -q 2>&1); arc=$?
"$bin" run "$tmp/codehash/c.toml" --out "$tmp/codehash/out" -q --fresh >/dev/null 2>&1
k2=$(keys "$tmp/codehash/out/runs.csv")
mcell=$(grep '^mine ' <<<"$k1" | cut -d' ' -f2)
if [ $arc -eq 2 ] && grep -q "a row of a cell this config does not have (.*mine, cell $mcell).*plug-in's code changed" <<<"$again" &&
   [ "$(grep '^power ' <<<"$k1")" = "$(grep '^power ' <<<"$k2")" ] &&
   [ -n "$mcell" ] && [ "$(grep '^mine ' <<<"$k2" | cut -d' ' -f2)" != "$mcell" ]
then ok "plugins: an edited plug-in script makes new cells (resume refused), built-in keys kept"
else bad "plugins: code in the cell key (exit $arc)" "$again / $k1 / $k2"; fi
