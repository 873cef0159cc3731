#!/usr/bin/python3
"""specbench's estimators side by side with the tools users would pick instead: a thin wrapper
over a peers config (default configs/peers.toml; configs/peers_speed.toml for time to accuracy).

Usage: /usr/bin/python3 scripts/peers.py [CONFIG] [--specbench BIN] [--out DIR] [--no-run]
           [--threads N[,N...]] [--family NAME] [--target TOL [--ratio-to METHOD]]
           [--readme FILE --block NAME]

1. Runs `specbench run CONFIG` (resuming: finished cells are not run again; --no-run: only the
   tables, from the folders an earlier invocation wrote). With --threads, once
   per thread count N into OUT/threads-N, with --jobs 1 (times use the whole machine) and
   `run --threads N`, and OPENBLAS_NUM_THREADS = OMP_NUM_THREADS = N in the environment that the
   external peers inherit (numpy, scipy, sklearn and torch read it when they load).
2. Prints `specbench table --markdown` of the result (the first thread count's), restricted to
   the matrices of family NAME with --family.
3. With --target TOL, a time-to-accuracy table: for each method (an estimator with its
   non-numeric parameters, e.g. `lanczos process=gram`, `scipy_svds solver=arpack`; numeric
   parameters are budgets), the cheapest budget whose worst rel_err over seeds (rel_err_max of
   summary.csv) is at most TOL, with its median time at each thread count; a method that never
   reaches TOL shows its most accurate budget, marked "not reached". --ratio-to METHOD adds
   each time's ratio to METHOD's at the same thread count (both from the same sweep).
4. With --readme FILE --block NAME, replaces the text between the lines
   `<!-- peers.py NAME begin ... -->` and `<!-- peers.py NAME end -->` of FILE with the tables
   (written atomically; the begin line records the command, without --no-run).
Everything is read from the result folder: no number in the tables comes from this script.
"""
import argparse
import os
import platform
import shlex
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import specbench_results as sr  # noqa: E402

SCRIPT = "peers.py"


def parse_args(argv):
    ap = argparse.ArgumentParser(prog="scripts/peers.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("config", nargs="?", default=os.path.join(ROOT, "configs", "peers.toml"))
    ap.add_argument("--specbench", default=os.path.join(ROOT, "build", "specbench"))
    ap.add_argument("--out", help="result folder (default: the config's [sweep] output)")
    ap.add_argument("--no-run", action="store_true",
                    help="do not run the sweep: tables from the existing result folder(s)")
    ap.add_argument("--threads", help="comma-separated thread counts, e.g. 1,2")
    ap.add_argument("--family", help="only the matrices of this family in the tables")
    ap.add_argument("--target", type=float, help="time-to-accuracy table for this rel_err")
    ap.add_argument("--ratio-to", help="a method of the target table: times as ratios to it")
    ap.add_argument("--readme", help="file whose peers.py block gets the tables")
    ap.add_argument("--block", help="name of that block")
    args = ap.parse_args(argv)
    threads = []
    if args.threads:
        for word in args.threads.split(","):
            if not word.isdigit() or not 1 <= int(word) <= 1024:
                ap.error(f"--threads: '{word}' is not a thread count in 1..1024")
            threads.append(int(word))
    args.threads = threads
    if args.target is not None and not 0 < args.target < 1:
        ap.error(f"--target: {args.target} is not a relative error in (0, 1)")
    if args.ratio_to and args.target is None:
        ap.error("--ratio-to needs --target")
    if bool(args.readme) != bool(args.block):
        ap.error("--readme and --block go together")
    if not os.path.isfile(args.config):
        ap.error(f"{args.config}: no such config")
    if not os.access(args.specbench, os.X_OK):
        ap.error(f"{args.specbench}: not an executable (build first: bash scripts/build.sh)")
    return args


def output_of(args):
    """The result folder of the run: --out, else what `run --dry-run` says it writes."""
    if args.out:
        return os.path.abspath(args.out)
    dry = subprocess.run([args.specbench, "run", args.config, "--dry-run"], capture_output=True,
                         text=True)
    if dry.returncode != 0:
        sys.exit(f"{SCRIPT}: {args.config}: {dry.stderr.strip()}")
    for line in dry.stdout.splitlines():
        if line.startswith("output: "):
            return line[len("output: "):].strip()
    sys.exit(f"{SCRIPT}: `specbench run --dry-run` did not name the output folder")


def run_sweeps(args, out):
    """One sweep per thread count (or one as configured); returns {threads: folder}."""
    folders = {}
    for n in args.threads or [None]:
        cmd = [args.specbench, "run", args.config]
        env = dict(os.environ)
        folder = out
        if n is not None:
            folder = os.path.join(out, f"threads-{n}")
            cmd += ["--jobs", "1", "--threads", str(n)]
            env["OPENBLAS_NUM_THREADS"] = env["OMP_NUM_THREADS"] = str(n)
        cmd += ["--out", folder]
        folders[n] = folder
        if args.no_run:
            if not os.path.isfile(os.path.join(folder, "summary.csv")):
                sys.exit(f"{SCRIPT}: --no-run: {folder}/summary.csv does not exist (run first)")
            continue
        print(f"{SCRIPT}: {shlex.join(cmd)}", file=sys.stderr, flush=True)
        done = subprocess.run(cmd, env=env)
        # exit 1: some cells are error rows (kept and shown); anything else is a failure
        if done.returncode not in (0, 1):
            sys.exit(f"{SCRIPT}: {shlex.join(cmd)} exited with {done.returncode}")
    return folders


def markdown_table(args, folder):
    out = subprocess.run([args.specbench, "table", folder, "--markdown"], capture_output=True,
                         text=True)
    if out.returncode != 0:
        sys.exit(f"{SCRIPT}: specbench table {folder}: {out.stderr.strip()}")
    lines = [l for l in out.stdout.splitlines() if l.startswith("|")]
    if args.family:
        column = [c.strip() for c in lines[0].strip("|").split("|")].index("matrix")
        keep = [l for l in lines[2:]
                if [c.strip() for c in l.strip("|").split("|")][column] == args.family]
        if not keep:
            sys.exit(f"{SCRIPT}: no rows of family '{args.family}' in {folder}/summary.csv")
        lines = lines[:2] + keep
    return "\n".join(lines)


def is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


class Schemas:
    """meta.json's parameter schemas: which parameters are numbers (budgets) and their
    defaults, so that a method is named by what a user chose."""

    def __init__(self, folder):
        self.info = sr.estimators(sr.load_meta(folder, SCRIPT))

    def split(self, row):
        """(method, budget): the estimator with its non-numeric parameters that differ from
        their defaults; the numeric ones that are its iteration parameter or not defaults."""
        info = self.info.get(row["estimator"], {})
        spec = {p.get("name"): p for p in info.get("params", []) if isinstance(p, dict)}
        words, budget = [], []
        for item in (p for p in row["params"].split(",") if p):
            name, _, value = item.partition("=")
            p = spec.get(name, {})
            numeric = p.get("type") in ("int", "real") if p else is_number(value)
            default = p.get("default") == value or (
                numeric and is_number(str(p.get("default"))) and is_number(value)
                and float(p["default"]) == float(value))
            if numeric and (name == info.get("iteration_param") or not default):
                budget.append(item)
            elif not numeric and not default:
                words.append(item)
        return " ".join([row["estimator"]] + words), ",".join(budget) or "-"


def summary_rows(args, folder):
    need = ("estimator", "params", "family", "precision", "step", "errors", "rel_err_max",
            "rel_err_median", "time_median")
    rows = [r for r in sr.read_summary(folder, SCRIPT, need)
            if r["step"] in ("", "-1") and (not args.family or r["family"] == args.family)]
    if not rows:
        sys.exit(f"{SCRIPT}: no rows{' of family ' + args.family if args.family else ''} "
                 f"in {folder}/summary.csv")
    return rows


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


def target_table(args, folders):
    """Cheapest budget reaching --target per method and precision (first thread count's
    choice, its time at every thread count)."""
    first_folder = folders[next(iter(folders))]
    first, schemas = summary_rows(args, first_folder), Schemas(first_folder)
    times = {n: {(r["estimator"], r["params"], r["family"], r["precision"]): r["time_median"]
                 for r in summary_rows(args, f)} for n, f in folders.items()}
    methods = {}
    for r in first:
        if int(r["errors"]) == 0 and r["rel_err_max"] not in ("", "nan"):
            method, budget = schemas.split(r)
            methods.setdefault((method, r["family"], r["precision"]), []).append((budget, r))
    heads = [f"{n} thread{'s' if n != 1 else ''}: time (s)" if n else "time (s)"
             for n in folders]
    lines = ["| method | budget | matrix | prec. | " + " | ".join(heads) + " | rel_err max |",
             "|---" * (5 + len(heads)) + "|"]
    chosen = {}
    for (method, family, precision), rows in sorted(methods.items()):
        reached = [(b, r) for b, r in rows if float(r["rel_err_max"]) <= args.target]
        if reached:
            budget, best = min(reached, key=lambda br: float(br[1]["time_median"]))
        else:
            budget, best = min(rows, key=lambda br: float(br[1]["rel_err_max"]))
        key = (best["estimator"], best["params"], best["family"], best["precision"])
        chosen[(method, family, precision)] = (budget, best, key, bool(reached))
    def time_of(n, key):
        return float(times[n][key]) if key in times[n] else None
    base = {}
    if args.ratio_to:
        for (method, family, precision), (_, _, key, _) in chosen.items():
            if method == args.ratio_to:
                base[(family, precision)] = key
        if not base:
            sys.exit(f"{SCRIPT}: --ratio-to: no method '{args.ratio_to}' in the table (methods: "
                     + ", ".join(sorted({m for m, _, _ in chosen})) + ")")
    for (method, family, precision), (budget, best, key, reached) in chosen.items():
        cells = []
        for n in folders:
            t = time_of(n, key)
            b = time_of(n, base[(family, precision)]) if (family, precision) in base else None
            text = "-" if t is None else f"{t:.3g}"
            if t is not None and b:
                text += f" ({t / b:.2f}x)"
            cells.append(text)
        mark = "" if reached else " (not reached)"
        lines.append(f"| {method} | {budget} | {family} | {precision} | "
                     + " | ".join(cells) + f" | {float(best['rel_err_max']):.2g}{mark} |")
    machine = f"{cpu_model()}, {os.cpu_count()} cores, {platform.node()}"
    ratio = f"; (Nx): time / time of {args.ratio_to}" if args.ratio_to else ""
    return (f"Time to rel_err <= {args.target:g} (worst over seeds), {machine}{ratio}:\n\n"
            + "\n".join(lines))


def replace_block(path, name, text, command):
    with open(path) as f:
        lines = f.read().split("\n")
    begin = [i for i, l in enumerate(lines) if l.startswith(f"<!-- peers.py {name} begin")]
    end = [i for i, l in enumerate(lines) if l.startswith(f"<!-- peers.py {name} end")]
    if len(begin) != 1 or len(end) != 1 or end[0] < begin[0]:
        sys.exit(f"{SCRIPT}: {path}: expected one '<!-- peers.py {name} begin' line followed "
                 f"by one '<!-- peers.py {name} end -->' line")
    new = (lines[:begin[0]] + [f"<!-- peers.py {name} begin: {command} -->", text]
           + lines[end[0]:])
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)), prefix=".peers.")
    with os.fdopen(fd, "w") as f:
        f.write("\n".join(new))
    os.replace(tmp, path)


def main(argv):
    args = parse_args(argv)
    folders = run_sweeps(args, output_of(args))
    parts = [markdown_table(args, folders[next(iter(folders))])]
    if args.target is not None:
        parts.append(target_table(args, folders))
    text = "\n\n".join(parts)
    print(text)
    if args.readme:
        # the command that makes these tables (--no-run only skips a run already done)
        command = shlex.join(["/usr/bin/python3", "scripts/peers.py"]
                             + [a for a in argv if a != "--no-run"])
        replace_block(args.readme, args.block, text, command)


if __name__ == "__main__":
    main(sys.argv[1:])
