#!/usr/bin/python3
"""specbench side by side with the tools users would pick instead: time to accuracy on one matrix.

Usage: /usr/bin/python3 scripts/peers.py SPEC [--target 1e-12] [--threads 1]
                                              [--specbench build/specbench]

Exports the matrix of SPEC (`specbench export`, .npy), takes its certified sigma1 (`specbench
reference`), and times, on the same matrix: numpy.linalg.norm(A, 2); scipy.sparse.linalg.svds(k=1)
(ARPACK); scipy.linalg.interpolative.estimate_spectral_norm; sklearn randomized_svd; torch's
matrix_norm(A, 2) and a spectral_norm-style power iteration (when python3-torch is installed);
and specbench's Lanczos (both processes) and power iteration, whose times are the estimator's own
(`time_s`). Each peer is optional: missing packages (python3-scipy, python3-sklearn, python3-torch)
are skipped with a note. Everyone gets the same number of threads, --threads (default 1): BLAS
through OPENBLAS_NUM_THREADS and OMP_NUM_THREADS, torch through set_num_threads, specbench's fused
kernel through `estimate --threads` (specbench's own BLAS calls stay on one thread).

Budgets are chosen the same way for both sides: specbench's step count is the smallest reaching the
target (found by bisection, each candidate a separate run), and ARPACK is shown both with its
default tol (machine precision) and with the loosest tol in 1e-2, 1e-3, ..., 1e-12, 0 that reaches
the target. Prints a table with the machine in its header; times exclude loading the matrix.
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time


def threads_from_argv(argv):
    """--threads N from the command line, read before numpy is imported (BLAS reads its thread
    count when it loads); argparse validates it again in main()."""
    for k, arg in enumerate(argv):
        if arg == "--threads" and k + 1 < len(argv):
            return argv[k + 1]
        if arg.startswith("--threads="):
            return arg.split("=", 1)[1]
    return "1"


os.environ["OPENBLAS_NUM_THREADS"] = os.environ["OMP_NUM_THREADS"] = threads_from_argv(sys.argv)
import numpy as np  # noqa: E402


def run(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"peers.py: {' '.join(cmd)} failed: {out.stderr.strip()}")
    return out.stdout


def timed(fn, repeats=3):
    best, value = float("inf"), None
    for _ in range(repeats):
        t0 = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - t0)
    return best, value


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("spec", help="a specbench matrix spec, e.g. gaussian:m=4096,n=4096")
    p.add_argument("--target", type=float, default=1e-12, help="relative error to reach")
    p.add_argument("--threads", type=int, default=1,
                   help="threads for every tool (BLAS, torch, specbench's fused kernel)")
    p.add_argument("--specbench", default=os.path.join(os.path.dirname(__file__), "..", "build",
                                                         "specbench"))
    args = p.parse_args()
    if args.threads < 1:
        p.error(f"--threads must be >= 1, got {args.threads}")
    sb = args.specbench
    tmp = tempfile.mkdtemp()
    npy = os.path.join(tmp, "A.npy")
    run([sb, "export", "--matrix", args.spec, "--out", npy])
    ref = json.loads(run([sb, "reference", "--matrix", args.spec, "--format", "json"]))
    sigma1 = float(ref["sigma1"])
    a = np.load(npy)
    rows = []

    def add(name, seconds, sigma, note=""):
        err = abs(sigma - sigma1) / sigma1
        rows.append((name, seconds, err, note))

    t, s = timed(lambda: np.linalg.norm(a, 2), repeats=1)
    add("numpy.linalg.norm(A, 2) (full SVD)", t, s)
    try:
        import scipy.linalg.interpolative as sli
        from scipy.sparse.linalg import svds
        t, s = timed(lambda: svds(a, k=1, return_singular_vectors=False)[0])
        add("scipy svds(k=1) (ARPACK, default tol)", t, s)
        for tol in [10.0 ** -e for e in range(2, 13)] + [0]:
            t, s = timed(lambda: svds(a, k=1, tol=tol, return_singular_vectors=False)[0])
            if abs(s - sigma1) / sigma1 <= args.target:
                add(f"scipy svds(k=1, tol={tol:g}) (ARPACK, loosest tol reaching target)", t, s)
                break
        t, s = timed(lambda: sli.estimate_spectral_norm(a, its=20))
        add("scipy interpolative.estimate_spectral_norm(its=20)", t, s)
    except ImportError:
        rows.append(("scipy", float("nan"), float("nan"), "skipped: apt-get install python3-scipy"))
    try:
        from sklearn.utils.extmath import randomized_svd
        t, s = timed(lambda: randomized_svd(a, 1, random_state=0)[1][0])
        add("sklearn randomized_svd(1) (default n_iter)", t, s)
    except ImportError:
        rows.append(("sklearn", float("nan"), float("nan"), "skipped: apt-get install python3-sklearn"))
    try:
        import torch
        torch.set_num_threads(args.threads)
        w = torch.from_numpy(np.ascontiguousarray(a))
        t, s = timed(lambda: torch.linalg.matrix_norm(w, 2).item(), repeats=1)
        add("torch.linalg.matrix_norm(A, 2)", t, s)

        def torch_power(iters=100):
            g = torch.Generator().manual_seed(0)
            u = torch.nn.functional.normalize(torch.randn(w.shape[0], generator=g, dtype=w.dtype), dim=0)
            for _ in range(iters):
                v = torch.nn.functional.normalize(torch.mv(w.t(), u), dim=0, eps=1e-12)
                u = torch.nn.functional.normalize(torch.mv(w, v), dim=0, eps=1e-12)
            return torch.dot(u, torch.mv(w, v)).item()
        t, s = timed(torch_power)
        add("torch spectral_norm update x100", t, s)
    except ImportError:
        rows.append(("torch", float("nan"), float("nan"), "skipped: apt-get install python3-torch"))

    # specbench: the smallest budget reaching the target (bisection over runs), per estimator.
    def estimate(spec):
        return json.loads(run([sb, "estimate", "--matrix", args.spec, "--estimator", spec,
                               "--threads", str(args.threads), "--format", "json"]))

    def smallest(name, key, extra, high):
        spec = lambda k: f"{name}:{key}={k}{extra}"
        ok = lambda j: j["rel_err"] is not None and j["rel_err"] <= args.target
        top = estimate(spec(high))
        if not ok(top):
            rows.append((spec(high), top["time_s"], top["rel_err"], "target not reached"))
            return
        lo, hi, best = 0, high, top  # invariant: hi reaches the target, lo does not
        while hi - lo > 1:
            mid = (lo + hi) // 2
            j = estimate(spec(mid))
            if ok(j):
                hi, best = mid, j
            else:
                lo = mid
        j = estimate(spec(hi))  # time the chosen budget once more, take the faster run
        if j["time_s"] < best["time_s"]:
            best = j
        rows.append((f"specbench {spec(hi)}", best["time_s"], best["rel_err"],
                     "estimator time, smallest budget reaching the target"))

    smallest("lanczos", "steps", ",process=gram", 400)
    smallest("lanczos", "steps", "", 400)
    smallest("power", "iters", "", 3000)

    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    print(f"# {args.spec}: sigma1 = {ref['sigma1']} (certified, {ref['digits']} digits)")
    print(f"# machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; "
          f"threads {args.threads} (BLAS, torch, specbench kernel); numpy {np.__version__}; target rel_err {args.target:g}")
    width = max(len(r[0]) for r in rows)
    print(f"| {'method':<{width}} | {'time (s)':>10} | {'rel_err':>9} | note |")
    print(f"|{'-' * (width + 2)}|{'-' * 12}|{'-' * 11}|------|")
    for name, t, err, note in rows:
        print(f"| {name:<{width}} | {t:>10.4g} | {err:>9.2g} | {note} |")


if __name__ == "__main__":
    main()
