#!/usr/bin/python3
"""Paper figures from a specbench result directory (runs.csv, summary.csv, meta.json).

Usage: /usr/bin/python3 scripts/plot.py RESULTS_DIR [--out DIR] [--formats png,pdf]

Reads only the result tables, so figures can be regenerated at any time. Writes to DIR (default
RESULTS_DIR/figures):
  error_vs_iterations   rel_err vs iterations, median and p10-p90 band over seeds, per estimator and
                        parameter set; one panel per matrix (family and size) and precision; on gap
                        families the power-iteration theory (sigma2/sigma1)^(4k) is overlaid
  error_vs_matvecs      the same against products with A or A^T
  error_vs_time         rel_err vs estimator time (the Pareto view), medians per checkpoint
  time_vs_size          median time vs m*n on log-log axes with the fitted exponent in the legend
  vectors_vs_iterations u_cos_err and v_cos_err vs iterations
  normalized_norm       the distribution of ||W / sigma_hat||_2 = sigma1 / sigma_hat vs iterations
  index.html            every figure and the summary table, for scheduled runs
One style for all: single-column width (3.5 in), 8 pt text, the Okabe-Ito colour-blind-safe palette,
line styles as a second cue, vector PDF. Exits 2 with a message on a missing or malformed input.
"""
import argparse
import csv
import html
import json
import math
import os
import sys
from collections import OrderedDict, defaultdict

import matplotlib

import specbench_results

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

# Okabe-Ito, with its yellow last (weak on white)
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000",
             "#F0E442"]
STYLES = ["-", "--", "-.", ":"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
WIDTH = 3.5  # inches: one column of a two-column paper

plt.rcParams.update({
    "font.size": 8, "axes.titlesize": 8, "axes.labelsize": 8, "legend.fontsize": 6.5,
    "xtick.labelsize": 7, "ytick.labelsize": 7, "lines.linewidth": 1.2, "lines.markersize": 3,
    "axes.grid": True, "grid.alpha": 0.3, "figure.dpi": 150, "savefig.bbox": "tight",
    "pdf.fonttype": 42, "axes.prop_cycle": matplotlib.cycler(color=OKABE_ITO),
})

# What the plots know about each estimator comes from meta.json `estimators` (the registry's
# iteration parameter, parameter defaults and rate theory), never from names written here; the
# columns and their types come from meta.json's column table (scripts/specbench_results.py).
ESTIMATORS = {}
NEED = ["matrix", "family", "m", "n", "precision", "estimator", "params", "checkpoint", "rel_err",
        "u_cos_err", "v_cos_err", "normalized_norm", "iterations", "matvecs", "time_s", "status"]


def fail(message):
    print(f"plot.py: {message}", file=sys.stderr)
    sys.exit(2)


def number(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return math.nan


def read_rows(results):
    """The rows of RESULTS/runs.csv that did not fail, typed by meta.json's column table."""
    meta, rows = specbench_results.read_runs(results, "plot.py", need=NEED)
    ESTIMATORS.update(specbench_results.estimators(meta))
    if not rows:
        fail(f"{results}/runs.csv: no rows")
    return [r for r in rows if r["status"] != "error"]


def quantile(values, q):
    v = sorted(x for x in values if not math.isnan(x))
    if not v:
        return math.nan
    pos = q * (len(v) - 1)
    lo = int(math.floor(pos))
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (pos - lo)


def series_label(row):
    """Estimator and its parameters without the iteration count (that is the x axis) and
    without parameters at their defaults."""
    info = ESTIMATORS.get(row["estimator"], {})
    it = info.get("iteration_param", "")
    defaults = {f"{p['name']}={p['default']}" for p in info.get("params", []) if "default" in p}
    params = [p for p in row["params"].split(",")
              if p and not (it and p.startswith(it + "=")) and p not in defaults]
    return row["estimator"] + (" " + ",".join(params) if params else "")


def has_rate_theory(estimator, theory):
    return ESTIMATORS.get(estimator, {}).get("rate_theory", "") == theory


def panel_key(row):
    step = row.get("step")
    return (row["matrix"], row["precision"]) + ((f"step {step}",) if step not in (None, "") else ())


def panel_title(key):
    matrix = key[0]
    if matrix.startswith("mtx:"):
        matrix = os.path.basename(matrix[4:])
    if len(matrix) > 44:
        matrix = matrix[:41] + "..."
    return f"{matrix} ({key[1]})"


def gap_ratio(rows):
    """sigma2/sigma1 from the rows' reference columns (the same for every row of a panel)."""
    for r in rows:
        s1, s2 = number(r.get("sigma_ref")), number(r.get("sigma2_ref"))
        if s1 > 0 and not math.isnan(s2):
            return s2 / s1
    return math.nan


def grouped(rows):
    panels = OrderedDict()
    for r in rows:
        panels.setdefault(panel_key(r), []).append(r)
    return panels


def figure_grid(count):
    """Panels in two columns (one if there is a single panel) under a legend row, laid out by
    matplotlib's constrained layout so that no titles, labels or legends overlap."""
    cols = 1 if count == 1 else 2
    nrows = math.ceil(count / cols)
    width = WIDTH if cols == 1 else 2 * WIDTH
    fig = plt.figure(figsize=(width, 2.4 * nrows + 0.9), constrained_layout=True)
    grid = fig.add_gridspec(nrows + 1, cols, height_ratios=[0.32] + [1] * nrows)
    legend_ax = fig.add_subplot(grid[0, :])
    legend_ax.axis("off")
    fig.legend_ax = legend_ax
    axes = [fig.add_subplot(grid[1 + k // cols, k % cols]) for k in range(count)]
    return fig, axes


def curves(rows, xcol, ycol):
    """Per series: sorted x, median, p10, p90 of y over seeds at each x."""
    by = defaultdict(lambda: defaultdict(list))
    for r in rows:
        x, y = number(r[xcol]), number(r[ycol])
        if not math.isnan(x) and not math.isnan(y):
            by[series_label(r)][x].append(y)
    out = OrderedDict()
    for label in sorted(by):
        xs = sorted(by[label])
        out[label] = (xs, [quantile(by[label][x], 0.5) for x in xs],
                      [quantile(by[label][x], 0.1) for x in xs],
                      [quantile(by[label][x], 0.9) for x in xs])
    return out


def floor_positive(values, floor=1e-18):
    return [max(v, floor) if not math.isnan(v) else math.nan for v in values]


def line_plot(ax, series, logx=False, band=True, floor=1e-18):
    for k, (label, (xs, med, lo, hi)) in enumerate(series.items()):
        color = OKABE_ITO[k % len(OKABE_ITO)]
        style = STYLES[(k // len(OKABE_ITO)) % len(STYLES)]
        ax.plot(xs, floor_positive(med, floor), style, color=color, marker=MARKERS[k % len(MARKERS)],
                label=label)
        if band and len(xs) > 1:
            ax.fill_between(xs, floor_positive(lo, floor), floor_positive(hi, floor), color=color,
                            alpha=0.18, linewidth=0)
    ax.set_yscale("log")
    if logx:
        ax.set_xscale("log")


def save(fig, out, name, formats, written):
    for fmt in formats:
        path = os.path.join(out, f"{name}.{fmt}")
        fig.savefig(path)
        written.append(path)
    plt.close(fig)


def legend(fig, axes):
    handles = OrderedDict()
    for ax in axes:
        for h, l in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(l, h)
    if handles:
        fig.legend_ax.legend(list(handles.values()), list(handles.keys()), loc="center",
                             ncol=min(3, len(handles)), frameon=False)


def plot_error_vs(rows, xcol, xlabel, name, out, formats, written, theory=False):
    panels = grouped(rows)
    fig, axes = figure_grid(len(panels))
    for ax, (key, prow) in zip(axes, panels.items()):
        series = curves(prow, xcol, "rel_err")
        line_plot(ax, series, logx=(xcol != "iterations"))
        if theory and any(has_rate_theory(r["estimator"], "power") for r in prow):
            rho = gap_ratio(prow)
            power = [(number(r["iterations"]), number(r["rel_err"])) for r in prow
                     if has_rate_theory(r["estimator"], "power")]
            if 0 < rho < 1 and power and prow[0]["family"] == "spectrum" and "decay=gap" in key[0]:
                k0 = min(k for k, _ in power)
                e0 = quantile([e for k, e in power if k == k0], 0.5)
                kmax = max(k for k, _ in power)
                ks = [k0 + (kmax - k0) * t / 50 for t in range(51)]
                ks = [k for k in ks if e0 * rho ** (4 * (k - k0)) > 1e-17]  # stop at rounding
                ax.plot(ks, [e0 * rho ** (4 * (k - k0)) for k in ks], color="0.35",
                        linestyle=(0, (1, 1)), linewidth=1.0,
                        label=r"theory $(\sigma_2/\sigma_1)^{4k}$")
        ax.set_title(panel_title(key))
        ax.set_xlabel(xlabel)
        ax.set_ylabel(r"$|\hat\sigma-\sigma_1|/\sigma_1$")
    legend(fig, axes)
    save(fig, out, name, formats, written)


def plot_error_vs_time(rows, out, formats, written):
    panels = grouped(rows)
    fig, axes = figure_grid(len(panels))
    for ax, (key, prow) in zip(axes, panels.items()):
        series = curves(prow, "time_s", "rel_err")
        # the Pareto view: medians of time and error per checkpoint
        by = defaultdict(lambda: defaultdict(lambda: ([], [])))
        for r in prow:
            t, e = by[series_label(r)][r["checkpoint"]]
            t.append(number(r["time_s"]))
            e.append(number(r["rel_err"]))
        for k, label in enumerate(sorted(by)):
            pts = sorted((quantile(t, 0.5), quantile(e, 0.5)) for t, e in by[label].values())
            ax.plot([p[0] for p in pts], floor_positive([p[1] for p in pts]),
                    STYLES[(k // len(OKABE_ITO)) % len(STYLES)], color=OKABE_ITO[k % len(OKABE_ITO)],
                    marker=MARKERS[k % len(MARKERS)], label=label)
        del series
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(panel_title(key))
        ax.set_xlabel("estimator time (s)")
        ax.set_ylabel("relative error")
    legend(fig, axes)
    save(fig, out, "error_vs_time", formats, written)


def plot_time_vs_size(rows, out, formats, written):
    """One line per estimator, parameter set and precision, at its largest checkpoint (the most
    work, so the least dominated by fixed costs); the slope of log time against log size is the
    fitted exponent."""
    last = {}
    for r in rows:
        key = (series_label(r), r["precision"])
        last[key] = max(last.get(key, 0.0), number(r["checkpoint"]))
    by = defaultdict(lambda: defaultdict(list))
    for r in rows:
        key = (series_label(r), r["precision"])
        if number(r["checkpoint"]) == last[key]:
            by[key][number(r["m"]) * number(r["n"])].append(number(r["time_s"]))
    fig, ax = plt.subplots(figsize=(WIDTH, 2.4))
    plotted = 0
    for key in sorted(by):
        sizes = sorted(s for s in by[key] if s > 0)
        pts = [(s, quantile(by[key][s], 0.5)) for s in sizes]
        pts = [(s, t) for s, t in pts if t > 0]
        if len(pts) < 2 or plotted >= 8:
            continue
        xs, ys = [math.log(p[0]) for p in pts], [math.log(p[1]) for p in pts]
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        sxx = sum((x - mx) ** 2 for x in xs)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx > 0 else math.nan
        label = f"{key[0]}, {int(last[key])} it. ({key[1]}): exponent {slope:.2f}"
        ax.plot([p[0] for p in pts], [p[1] for p in pts], STYLES[plotted // len(OKABE_ITO) % 4],
                color=OKABE_ITO[plotted % len(OKABE_ITO)], marker=MARKERS[plotted % len(MARKERS)],
                label=label)
        plotted += 1
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("matrix size m n (entries)")
    ax.set_ylabel("median estimator time (s)")
    if plotted:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=1, frameon=False)
    else:
        ax.text(0.5, 0.5, "one matrix size per estimator:\nno size scaling to show",
                transform=ax.transAxes, ha="center", va="center")
    save(fig, out, "time_vs_size", formats, written)


def plot_vectors(rows, out, formats, written):
    panels = grouped(rows)
    fig, axes = figure_grid(len(panels))
    for ax, (key, prow) in zip(axes, panels.items()):
        for col, style in (("u_cos_err", "-"), ("v_cos_err", "--")):
            series = curves(prow, "iterations", col)
            for k, (label, (xs, med, lo, hi)) in enumerate(series.items()):
                ax.plot(xs, floor_positive(med, 1e-34), style, color=OKABE_ITO[k % len(OKABE_ITO)],
                        marker=MARKERS[k % len(MARKERS)],
                        label=f"{label}, {'u' if col[0] == 'u' else 'v'}")
        ax.set_yscale("log")
        ax.set_title(panel_title(key))
        ax.set_xlabel("iterations")
        ax.set_ylabel(r"$1-|\cos\angle|$ (u solid, v dashed)")
    legend(fig, axes)
    save(fig, out, "vectors_vs_iterations", formats, written)


def plot_normalized_norm(rows, out, formats, written):
    panels = grouped(rows)
    fig, axes = figure_grid(len(panels))
    for ax, (key, prow) in zip(axes, panels.items()):
        series = curves(prow, "iterations", "normalized_norm")
        for k, (label, (xs, med, lo, hi)) in enumerate(series.items()):
            color = OKABE_ITO[k % len(OKABE_ITO)]
            dev = [abs(m - 1) for m in med]
            ax.plot(xs, floor_positive(dev, 1e-17), STYLES[(k // 8) % 4], color=color,
                    marker=MARKERS[k % len(MARKERS)], label=label)
            band_lo = [abs(v - 1) for v in lo]
            band_hi = [abs(v - 1) for v in hi]
            ax.fill_between(xs, floor_positive([min(a, b) for a, b in zip(band_lo, band_hi)], 1e-17),
                            floor_positive([max(a, b) for a, b in zip(band_lo, band_hi)], 1e-17),
                            color=color, alpha=0.18, linewidth=0)
        ax.set_yscale("log")
        ax.set_title(panel_title(key))
        ax.set_xlabel("iterations")
        ax.set_ylabel(r"$|\,\|W/\hat\sigma\|_2 - 1\,|$")
    legend(fig, axes)
    save(fig, out, "normalized_norm", formats, written)


def write_index(results, out, written):
    pngs = [p for p in written if p.endswith(".png")]
    meta = {}
    try:
        with open(os.path.join(results, "meta.json")) as f:
            meta = json.load(f)
    except (OSError, ValueError):
        pass
    parts = ["<!doctype html><html><head><meta charset='utf-8'><title>specbench: "
             f"{html.escape(str(meta.get('name', results)))}</title>",
             "<style>body{font-family:sans-serif;margin:2em;max-width:1200px}"
             "img{max-width:100%;border:1px solid #ddd;margin:0.5em 0}"
             "table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;"
             "padding:2px 6px;text-align:right}th{background:#eee}</style></head><body>",
             f"<h1>specbench: {html.escape(str(meta.get('name', results)))}</h1>"]
    prov = meta.get("provenance", {})
    parts.append("<p>" + html.escape(
        f"status {meta.get('status', '?')}, {meta.get('rows', '?')} rows, finished "
        f"{meta.get('finished_utc', '?')}, commit {prov.get('git_commit', '?')}"
        f"{' (dirty)' if prov.get('git_dirty') == 'true' else ''}, {prov.get('cpu', '?')}") +
        "</p>")
    for p in pngs:
        name = os.path.basename(p)
        parts.append(f"<h2>{html.escape(name[:-4])}</h2><img src='{html.escape(name)}'>")
    summary = os.path.join(results, "summary.csv")
    if os.path.exists(summary):
        with open(summary, newline="") as f:
            table = list(csv.reader(f))
        keep = [i for i, h in enumerate(table[0]) if h in (
            "estimator", "params", "family", "m", "n", "precision", "rows", "errors",
            "rel_err_median", "rel_err_p90", "u_cos_err_median", "normalized_norm_median",
            "time_median") or h.startswith("fail_") and not h.endswith(("_lo", "_hi"))]
        parts.append("<h2>summary.csv</h2><table><tr>" +
                     "".join(f"<th>{html.escape(table[0][i])}</th>" for i in keep) + "</tr>")
        for row in table[1:]:
            parts.append("<tr>" + "".join(f"<td>{html.escape(row[i])}</td>" for i in keep) +
                         "</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    path = os.path.join(out, "index.html")
    with open(path, "w") as f:
        f.write("\n".join(parts))
    written.append(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", help="a specbench output directory (runs.csv, summary.csv)")
    parser.add_argument("--out", help="output directory (default RESULTS/figures)")
    parser.add_argument("--formats", default="png,pdf", help="comma-separated, e.g. png,pdf,svg")
    args = parser.parse_args()
    formats = [f for f in args.formats.split(",") if f]
    for f in formats:
        if f not in ("png", "pdf", "svg", "eps"):
            fail(f"--formats: unknown format '{f}' (accepted: png, pdf, svg, eps)")
    rows = read_rows(args.results)
    if not rows:
        fail(f"{args.results}/runs.csv: every row has status 'error': nothing to plot")
    out = args.out or os.path.join(args.results, "figures")
    os.makedirs(out, exist_ok=True)
    written = []
    plot_error_vs(rows, "iterations", "iterations", "error_vs_iterations", out, formats, written,
                  theory=True)
    plot_error_vs(rows, "matvecs", "products with A or A^T", "error_vs_matvecs", out, formats,
                  written)
    plot_error_vs_time(rows, out, formats, written)
    plot_time_vs_size(rows, out, formats, written)
    plot_vectors(rows, out, formats, written)
    plot_normalized_norm(rows, out, formats, written)
    if "png" not in formats:  # index.html shows PNGs
        plt.close("all")
    write_index(args.results, out, written)
    for p in written:
        print(p)


if __name__ == "__main__":
    main()
