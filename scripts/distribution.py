#!/usr/bin/python3
"""Distribution over seeds of the accuracy metrics in a specbench runs.csv.

Usage: /usr/bin/python3 scripts/distribution.py RUNS.csv [--out FILE.csv]

Groups rows by (matrix, precision, estimator, params) -- params holds the iteration count at
each checkpoint -- and prints, for rel_err, u_cos_err, v_cos_err and normalized_norm, the
median, the 10th and 90th percentiles and the worst value over the group's seeds (for
normalized_norm the worst is the value farthest from 1). Error rows are counted, not used.
With --out, writes the same table as CSV. Uses only the standard library. Exits 2 naming file
and line on a malformed runs.csv (scripts/specbench_results.py).
"""
import argparse
import csv
import math
import statistics

import specbench_results

METRICS = ["rel_err", "u_cos_err", "v_cos_err", "normalized_norm"]


def quantile(sorted_values, q):
    """Linear-interpolation quantile (numpy's default) of a sorted list."""
    if not sorted_values:
        return math.nan
    pos = q * (len(sorted_values) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", help="runs.csv written by `specbench run`")
    parser.add_argument("--out", help="also write the table to this CSV file")
    args = parser.parse_args()
    _, rows = specbench_results.read_runs(
        args.runs, "distribution.py", need=["matrix", "precision", "estimator", "params", "status"]
        + METRICS)
    if not rows:
        specbench_results.fail("distribution.py", f"{args.runs}: no rows")

    groups = {}
    for r in rows:
        key = (r["matrix"], r["precision"], r["estimator"], r["params"])
        groups.setdefault(key, []).append(r)

    header = ["matrix", "precision", "estimator", "params", "seeds", "errors"]
    for m in METRICS:
        header += [f"{m}_median", f"{m}_p10", f"{m}_p90", f"{m}_worst"]
    table = []
    for key, group in groups.items():
        ok = [r for r in group if r["status"] != "error"]
        line = list(key) + [len(group), len(group) - len(ok)]
        for m in METRICS:
            values = sorted(float(r[m]) for r in ok if r[m] != "" and not math.isnan(float(r[m])))
            if m == "normalized_norm":
                worst = max(values, key=lambda x: abs(x - 1)) if values else math.nan
            else:
                worst = values[-1] if values else math.nan
            median = statistics.median(values) if values else math.nan
            line += [median, quantile(values, 0.1), quantile(values, 0.9), worst]
        table.append(line)

    width = max(len(f"{k[0]} {k[3]}") for k in groups)
    print(f"{'matrix / params':<{width}}  {'seeds':>5}  " +
          "  ".join(f"{m + ' med [p10, p90]':>34}" for m in METRICS))
    for line in table:
        label = f"{line[0]} {line[3]}"
        cells = []
        for i, m in enumerate(METRICS):
            med, p10, p90 = line[6 + 4 * i: 9 + 4 * i]
            cells.append(f"{med:>10.3g} [{p10:>9.3g}, {p90:>9.3g}]")
        print(f"{label:<{width}}  {line[4]:>5}  " + "  ".join(f"{c:>34}" for c in cells))
    if args.out:
        with open(args.out, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(table)


if __name__ == "__main__":
    main()
