#!/usr/bin/python3
"""Tables of a specbench summary.csv: LaTeX (booktabs), Markdown or CSV.

Usage: /usr/bin/python3 scripts/table.py RESULTS_DIR [--latex | --markdown] [--metric rel_err]
       [--out FILE]

One row per estimator, parameters, matrix family, size and precision (the summary's groups), with
the median and 90th percentile of the metric, the failure rate at the first tolerance with its 95%
Clopper-Pearson interval, and the median time. The LaTeX output needs \\usepackage{booktabs}; every
special character of the data is escaped. Exits 2 with a message on a missing or malformed input.
"""
import argparse
import math
import os
import sys

import specbench_results


def fail(message):
    print(f"table.py: {message}", file=sys.stderr)
    sys.exit(2)


def fmt(text):
    try:
        x = float(text)
    except ValueError:
        return text
    if math.isnan(x):
        return "--"
    if x == 0:
        return "0"
    return f"{x:.2g}" if abs(x) < 1e-2 or abs(x) >= 1e4 else f"{x:.3g}"


LATEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
                 "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
                 "^": r"\textasciicircum{}", "<": r"\textless{}", ">": r"\textgreater{}"}


def latex_escape(text):
    return "".join(LATEX_SPECIAL.get(c, c) for c in text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", help="a specbench output directory (with summary.csv)")
    style = parser.add_mutually_exclusive_group()
    style.add_argument("--latex", action="store_true", help="booktabs LaTeX (default)")
    style.add_argument("--markdown", action="store_true", help="a Markdown table")
    parser.add_argument("--metric", default="rel_err",
                        choices=["rel_err", "u_cos_err", "v_cos_err", "normalized_norm"])
    parser.add_argument("--out", help="write to FILE instead of stdout")
    args = parser.parse_args()
    rows = specbench_results.read_summary(
        args.results, "table.py",
        need=["estimator", "params", "family", "m", "n", "precision", "rows", "time_median",
              f"{args.metric}_median", f"{args.metric}_p90"])
    if not rows:
        fail(f"{os.path.join(args.results, 'summary.csv')}: no rows")
    fails = [c for c in rows[0] if c.startswith("fail_") and not c.endswith(("_lo", "_hi"))]
    tol = fails[0][5:] if fails else None
    header = ["estimator", "parameters", "matrix", "size", "prec.", "n",
              f"{args.metric} median", f"{args.metric} p90"]
    if tol:
        header.append(f"P(rel_err > {tol}) [95% CI]")
    header.append("time (s)")
    body = []
    for r in rows:
        line = [r["estimator"], r["params"], r["family"], f"{r['m']}x{r['n']}", r["precision"],
                r["rows"], fmt(r[f"{args.metric}_median"]), fmt(r[f"{args.metric}_p90"])]
        if tol:
            line.append(f"{fmt(r[f'fail_{tol}'])} [{fmt(r[f'fail_{tol}_lo'])}, "
                        f"{fmt(r[f'fail_{tol}_hi'])}]")
        line.append(fmt(r["time_median"]))
        body.append(line)

    out = []
    if args.markdown:
        out.append("| " + " | ".join(header) + " |")
        out.append("|" + "---|" * len(header))
        for line in body:
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in line) + " |")
    else:
        align = "lllrlr" + "r" * (len(header) - 6)
        out.append(r"\begin{tabular}{" + align + "}")
        out.append(r"\toprule")
        out.append(" & ".join(latex_escape(h) for h in header) + r" \\")
        out.append(r"\midrule")
        for line in body:
            out.append(" & ".join(latex_escape(c) for c in line) + r" \\")
        out.append(r"\bottomrule")
        out.append(r"\end{tabular}")
    text = "\n".join(out) + "\n"
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
