"""The result schema of a specbench output folder, for the Python scripts (plot, table,
distribution): the same strict reading as specbench's own `read_runs` (harness/results/).

meta.json carries the column table of runs.csv (`columns`: name, type, unit, in order) and the
registry's facts about each estimator (`estimators`: iteration parameter, parameter defaults,
rate theory), so no script names a column type or an estimator by hand. A runs.csv is checked
against that table: the header must be exactly its columns, every line must have one field per
column, and every field must parse as its type; anything else exits 2 naming file and line.
Uses only the standard library.
"""
import csv
import json
import math
import os
import sys

# Status values a row may carry (RunStatus in harness/experiment/experiment.hpp).
STATUSES = ("converged", "max_iterations", "breakdown", "error")


def fail(script, message):
    print(f"{script}: {message}", file=sys.stderr)
    sys.exit(2)


def load_meta(results, script):
    """meta.json of a result folder as a dict ({} if the folder has none)."""
    path = os.path.join(results, "meta.json")
    if not os.path.exists(path):
        return {}
    try:
        with open(path) as f:
            meta = json.load(f)
    except OSError as e:
        fail(script, f"cannot read {path}: {e.strerror}")
    except ValueError as e:
        fail(script, f"{path}: not valid JSON ({e})")
    if not isinstance(meta, dict):
        fail(script, f"{path}: not a specbench meta.json (not an object)")
    return meta


def estimators(meta):
    """meta.json `estimators`: name -> {iteration_param, params, rate_theory, ...}."""
    e = meta.get("estimators", {})
    return e if isinstance(e, dict) else {}


def _real(text):
    if text in ("nan", "inf", "-inf"):
        return float(text)
    x = float(text)  # raises ValueError on anything else
    if not math.isfinite(x):
        raise ValueError(text)
    return x


def _parse(kind, text):
    """One field as its column type (ColumnType in harness/results/columns.hpp)."""
    if kind == "text":
        return text
    if kind in ("integer", "seed"):
        value = int(text)
        if kind == "seed" and value < 0:
            raise ValueError(text)
        return value
    if kind == "real":
        return _real(text)
    if kind == "step":
        if text == "":
            return None
        value = int(text)
        if value < 0:
            raise ValueError(text)
        return value
    if kind == "status":
        if text not in STATUSES:
            raise ValueError(text)
        return text
    raise ValueError(f"unknown column type {kind!r}")


def _read_table(path, script, what, need):
    """(header, [(line, fields)]) of a CSV file, every line checked for the header's field count.
    A torn last line (no newline: a write cut short) is dropped, as specbench's reader does.
    Line numbers are the file's (a quoted field may span lines)."""
    try:
        with open(path, newline="") as f:
            text = f.read()
    except OSError as e:
        fail(script, f"cannot read {path}: {e.strerror}")
    if text and not text.endswith("\n"):
        text = text[: text.rfind("\n") + 1]
    reader = csv.reader(text.splitlines(keepends=True))
    header = next(reader, None)
    if header is None:
        fail(script, f"{path}:1: empty (no header line)")
    missing = [c for c in need if c not in header]
    if missing:
        fail(script, f"{path}: not a specbench {what} (missing columns: {', '.join(missing)})")
    lines = []
    start = reader.line_num + 1
    for fields in reader:
        if len(fields) != len(header):
            fail(script, f"{path}:{start}: {len(fields)} fields, the header has {len(header)}")
        lines.append((start, fields))
        start = reader.line_num + 1
    return header, lines


def read_runs(results, script, need=()):
    """The rows of RESULTS/runs.csv (or of the runs.csv named) as dicts of typed values, checked
    against the column table of the meta.json beside it (or, for a folder written before
    meta.json carried it, against the header alone, every field text). `need`: columns the
    caller uses. Returns (meta, rows)."""
    path = results if results.endswith(".csv") else os.path.join(results, "runs.csv")
    meta = load_meta(os.path.dirname(path) or ".", script)
    header, lines = _read_table(path, script, "runs.csv", need)
    columns = meta.get("columns")
    if isinstance(columns, list) and columns:
        # objects {name, type, unit}; plain names (folders written before the types were) read
        # as text
        names = [c.get("name") if isinstance(c, dict) else c for c in columns]
        kinds = [c.get("type", "text") if isinstance(c, dict) else "text" for c in columns]
        if header != names:
            fail(script, f"{path}:1: the header is not meta.json's column table "
                         f"({len(header)} columns, {len(names)} expected)")
    else:
        kinds = ["text"] * len(header)
    rows = []
    for number, fields in lines:
        row = {}
        for name, kind, field in zip(header, kinds, fields):
            try:
                row[name] = _parse(kind, field)
            except ValueError:
                fail(script, f"{path}:{number}: column '{name}': not a valid {kind}: "
                             f"'{field[:80]}'")
        rows.append(row)
    return meta, rows


def read_summary(results, script, need=()):
    """summary.csv as dicts of text, every line checked for its field count."""
    path = os.path.join(results, "summary.csv")
    header, lines = _read_table(path, script, "summary.csv", need)
    return [dict(zip(header, fields)) for _, fields in lines]
