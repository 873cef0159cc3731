"""Injects a known change into a copy of a specbench result directory, for the tests of
`specbench compare` (tests/regression/test_kernels.sh). Prints the cell key (or estimator) changed.

  inject.py sigma    RUN OUT [--factor 1e-6]         sigma of one converged f64 cell x (1 + factor)
  inject.py one-less RUN OUT --specbench BIN        a power cell computed with one iteration less
  inject.py slow     RUN OUT --estimator E [--factor 1.5]   time_s of every row of E x factor
  inject.py status   RUN OUT --status S             meta.json status set to S

Run with /usr/bin/python3 (the standard library only).
"""
import argparse
import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path


def load(run):
    with open(Path(run) / "runs.csv", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = [r for r in reader]
    return header, rows


def save(out, header, rows, run):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(Path(run) / "meta.json", out / "meta.json")
    with open(out / "runs.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["sigma", "one-less", "slow", "status"])
    ap.add_argument("run")
    ap.add_argument("out")
    ap.add_argument("--factor", type=float)
    ap.add_argument("--specbench")
    ap.add_argument("--estimator")
    ap.add_argument("--status")
    a = ap.parse_args()
    header, rows = load(a.run)
    col = {name: k for k, name in enumerate(header)}

    if a.what == "sigma":
        # The first f64 cell whose rows are all converged to rel_err < 1e-12: any change of
        # 1e-6 there is far above rounding noise.
        factor = 1 + (a.factor if a.factor is not None else 1e-6)
        by_cell = {}
        for r in rows:
            by_cell.setdefault(r[col["cell"]], []).append(r)
        for cell, rs in by_cell.items():
            if all(r[col["precision"]] == "f64" and r[col["status"]] != "error"
                   and float(r[col["rel_err"]]) < 1e-12 for r in rs):
                for r in rs:
                    r[col["sigma"]] = repr(float(r[col["sigma"]]) * factor)
                save(a.out, header, rows, a.run)
                print(cell)
                return
        sys.exit("inject.py: no converged f64 cell")

    if a.what == "one-less":
        # A power cell on a matrix with a spectral gap (errors still falling at every
        # checkpoint): each checkpoint k > 1 gets the values of k - 1 iterations, as an
        # estimator that silently does one iteration less would report them.
        target = None
        for r in rows:
            if (r[col["estimator"]] == "power" and r[col["precision"]] == "f64"
                    and r[col["matrix"]].startswith("spectrum:") and r[col["step"]] == ""):
                target = r[col["cell"]]
                break
        if target is None:
            sys.exit("inject.py: no power f64 cell on a spectrum matrix")
        changed = 0
        for r in rows:
            if r[col["cell"]] != target or int(r[col["checkpoint"]]) < 2:
                continue
            params = r[col["params"]].split(",")
            k = int(r[col["checkpoint"]])
            params = [("iters=%d" % (k - 1)) if p.startswith("iters=") else p for p in params]
            res = subprocess.run(
                [a.specbench, "estimate", "--matrix", r[col["matrix"]], "--estimator",
                 "power:" + ",".join(params), "--precision", "f64", "--seed", r[col["seed"]],
                 "--format", "json"], check=True, capture_output=True, text=True)
            j = json.loads(res.stdout)
            for c in ["sigma", "rel_err", "u_cos_err", "v_cos_err", "residual",
                      "normalized_norm"]:
                r[col[c]] = repr(float(j[c]))
            changed += 1
        if changed == 0:
            sys.exit("inject.py: the cell has no checkpoint >= 2")
        save(a.out, header, rows, a.run)
        print(target)
        return

    if a.what == "slow":
        n = 0
        for r in rows:
            if r[col["estimator"]] == a.estimator and r[col["status"]] != "error":
                r[col["time_s"]] = repr(float(r[col["time_s"]]) * (a.factor or 1.5))
                n += 1
        if n == 0:
            sys.exit("inject.py: no rows of estimator " + a.estimator)
        save(a.out, header, rows, a.run)
        print(a.estimator)
        return

    if a.what == "status":
        save(a.out, header, rows, a.run)
        meta = json.loads((Path(a.out) / "meta.json").read_text())
        meta["status"] = a.status
        (Path(a.out) / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
        print(a.status)


if __name__ == "__main__":
    main()
