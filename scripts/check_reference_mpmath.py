"""An independent check of the certified reference against mpmath at 80 digits.

For each test matrix (the families that once broke the certificate, nearly and exactly repeated
top singular values, closed forms, extreme scales, wide and tall shapes), `specbench reference
--format json --vectors` is compared with the eigen-decomposition of A^T A computed by mpmath
(Jacobi, 80 significant digits; it shares nothing with specbench):

  - the certified interval holds the exact sigma1: |sigma1_text - sigma1| <= bound;
  - `digits` digits are correct, and are what the bound proves (bound / sigma1 <= 10^-digits,
    where the bound is a normal double), and the text carries digits + 2 significant digits;
  - the vector radius is a true bound: the sine of the angle between the reference's u1, v1 and
    the exact singular vectors (for a cluster, of the largest principal angle between the spans
    of the reference's bases and the exact top-c singular subspaces) is at most vector_radius.

Usage: /usr/bin/python3 scripts/check_reference_mpmath.py [--specbench PATH] [--verbose]
Exit codes: 0 every claim holds, 1 a claim is false (each printed), 2 usage or a specbench
failure, 77 mpmath or numpy missing (CTest counts it as skipped).
"""

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile

try:
    import mpmath as mp
    import numpy as np
except ImportError as e:  # pragma: no cover - depends on the machine
    print(f"check_reference_mpmath.py: {e}: skipped (apt-get install python3-mpmath python3-numpy)",
          file=sys.stderr)
    sys.exit(77)

mp.mp.dps = 80


def write_mtx(path, a):
    """Matrix Market, every entry (zeros too) with 17 significant digits: exact for doubles."""
    m, n = a.shape
    with open(path, "w") as f:
        f.write("%%MatrixMarket matrix array real general\n")
        f.write(f"{m} {n}\n")
        for j in range(n):
            for i in range(m):
                f.write(f"{a[i, j]:.17g}\n")


def diagonal(values, m):
    a = np.zeros((m, len(values)))
    for j, v in enumerate(values):
        a[j, j] = v
    return a


def cases(folder):
    """(name, matrix spec for specbench, the numpy matrix or None to export it)."""
    out = []
    for seed in (11, 12, 13):
        out.append((f"step count=2 seed {seed}",
                    f"spectrum:m=30,n=20,decay=step,count=2,rate=0.5,seed={seed}", None))
    out.append(("clustered count=3",
                "spectrum:m=24,n=18,decay=clustered,count=3,rate=0.5,seed=3", None))
    out.append(("gap 0.99", "spectrum:m=20,n=20,decay=gap,rate=0.99,seed=1", None))
    out.append(("spiked", "spectrum:m=25,n=15,decay=spiked,count=4,rate=0.3,seed=2", None))
    out.append(("gaussian wide 12 x 30", "gaussian:m=12,n=30,seed=5", None))
    out.append(("gaussian tall 30 x 12", "gaussian:m=30,n=12,seed=6", None))
    built = []
    one = 1.0
    for ulps in (0, 1, 80):
        second = one
        for _ in range(ulps):
            second = math.nextafter(second, 0.0)
        for scale in (1.0, 2.0 ** 1000, 2.0 ** -1000):
            d = [0.25, second, 0.5, 1.0, -0.125, 0.75, 0.3]
            built.append((f"diagonal {ulps} ulps x {scale:.3g}",
                          diagonal([x * scale for x in d], 9)))
    n = 12
    t = np.zeros((n, n))
    for i in range(n):
        t[i, i] = 2
        if i + 1 < n:
            t[i + 1, i] = t[i, i + 1] = -1
    built.append(("tridiag 12", t))
    h = np.array([[(-1.0) ** bin(i & j).count("1") for j in range(8)] for i in range(8)])
    built.append(("Hadamard 8", h))
    built.append(("1 x 1 [1]", np.ones((1, 1))))
    built.append(("subnormal diag(4, 3) x 2^-1070", diagonal([2.0 ** -1068, 1.5 * 2.0 ** -1069], 2)))
    rng = np.random.default_rng(7)
    q1, _ = np.linalg.qr(rng.standard_normal((16, 16)))
    q2, _ = np.linalg.qr(rng.standard_normal((12, 12)))
    s = np.array([1.0, 1.0 - 2.0 ** -50] + [0.5 ** k for k in range(1, 11)])
    built.append(("rotated near-cluster (gap 2^-50)", (q1[:, :12] * s) @ q2.T))
    for k, (name, a) in enumerate(built):
        path = os.path.join(folder, f"case{k}.mtx")
        write_mtx(path, a)
        out.append((name, path, a))
    return out


def orthonormal(x):
    """An orthonormal basis of span(x) (modified Gram-Schmidt, twice, in 80 digits)."""
    rows, cols = x.rows, x.cols
    q = [x[:, j] for j in range(cols)]
    for j in range(cols):
        for _ in range(2):
            for i in range(j):
                q[j] = q[j] - (q[i].T * q[j])[0] * q[i]
        q[j] = q[j] / mp.norm(q[j])
    out = mp.matrix(rows, cols)
    for j in range(cols):
        for i in range(rows):
            out[i, j] = q[j][i]
    return out


def sine_between(x_basis, y_basis):
    """Sine of the largest principal angle between the spans of two mp matrices of equal
    column count: sqrt(1 - smallest singular value of Qx^T Qy squared)."""
    qx, qy = orthonormal(x_basis), orthonormal(y_basis)
    c = x_basis.cols
    cos = mp.svd_r(qx.T * qy, compute_uv=False)
    smallest = min(cos[i] for i in range(c))
    return mp.sqrt(max(mp.mpf(0), 1 - smallest ** 2))


def column_matrix(values, rows, cols):
    m = mp.matrix(rows, cols)
    for j in range(cols):
        for i in range(rows):
            m[i, j] = mp.mpf(values[i + j * rows])
    return m


def check(specbench, name, spec, a, verbose):
    run = subprocess.run([specbench, "reference", "-m", spec, "--format", "json", "--vectors"],
                         capture_output=True, text=True)
    if run.returncode != 0:
        print(f"{name}: specbench reference failed ({run.returncode}): {run.stderr.strip()}",
              file=sys.stderr)
        sys.exit(2)
    ref = json.loads(run.stdout)
    m, n = ref["m"], ref["n"]
    if a is None:
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "a.npy")
            subprocess.run([specbench, "export", "-m", spec, "-o", path], check=True,
                           capture_output=True)
            a = np.load(path)
    A = mp.matrix(a.tolist())
    G = A.T * A
    E, Q = mp.eigsy(G)
    order = sorted(range(n), key=lambda i: E[i], reverse=True)
    sigma1 = mp.sqrt(max(E[order[0]], 0))
    failures = []
    text = mp.mpf(ref["sigma1"])
    err = abs(text - sigma1)
    if err > ref["bound"]:
        failures.append(f"|sigma1 - exact| = {mp.nstr(err, 5)} > bound {ref['bound']:.3g}")
    if sigma1 > 0:
        # `digits` correct digits: always against the truth; against the double bound only where
        # that is a normal double (below 2.2e-308 it is rounded up to the subnormal grid, while
        # `digits` keeps the exact relative bound: README, Reference).
        if err / sigma1 > mp.mpf(10) ** (-ref["digits"]):
            failures.append(f"error {mp.nstr(err, 3)} is not {ref['digits']} correct digits")
        if ref["bound"] >= sys.float_info.min and \
                mp.mpf(ref["bound"]) / sigma1 > mp.mpf(10) ** (-ref["digits"]):
            failures.append(f"bound {ref['bound']:.3g} does not prove {ref['digits']} digits")
        mantissa = ref["sigma1"].split("e")[0].replace(".", "").lstrip("-")
        if len(mantissa) != ref["digits"] + 2:
            failures.append(f"text {ref['sigma1']} has {len(mantissa)} digits, not digits + 2")
    radius = ref["vector_radius"]
    c = ref["cluster_size"]
    sines = (None, None)
    if radius < 1 and sigma1 > 0:
        top = [order[i] for i in range(c)]
        v_exact = mp.matrix(n, c)
        for j, col in enumerate(top):
            for i in range(n):
                v_exact[i, j] = Q[i, col]
        u_exact = A * v_exact
        if c == 1:
            v_ref = column_matrix(ref["v1"], n, 1)
            u_ref = column_matrix(ref["u1"], m, 1)
        else:
            v_ref = column_matrix(ref["v_cluster"], n, c)
            u_ref = column_matrix(ref["u_cluster"], m, c)
        sines = (sine_between(u_ref, u_exact), sine_between(v_ref, v_exact))
        for side, s in zip("uv", sines):
            if s > radius:
                failures.append(f"{side}: sine to the exact subspace {mp.nstr(s, 5)} > vector_radius "
                                f"{radius:.3g} (cluster_size {c})")
    status = "FAIL" if failures else "ok"
    if verbose or failures:
        extra = ""
        if sines[0] is not None:
            extra = f", sines u {mp.nstr(sines[0], 3)} v {mp.nstr(sines[1], 3)} <= radius {radius:.3g}"
        print(f"{status:4} {name}: {ref['digits']} digits, error {mp.nstr(err, 3)} <= bound "
              f"{ref['bound']:.3g}, cluster {c}{extra} ({ref['method']})")
    for f in failures:
        print(f"     {f}")
    return not failures


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--specbench", default=os.path.join(here, "..", "build", "specbench"),
                        help="the specbench executable (default: build/specbench)")
    parser.add_argument("--verbose", action="store_true", help="print every case, not failures only")
    args = parser.parse_args()
    if not os.access(args.specbench, os.X_OK):
        print(f"check_reference_mpmath.py: {args.specbench} is not an executable "
              "(bash scripts/build.sh)", file=sys.stderr)
        sys.exit(2)
    with tempfile.TemporaryDirectory() as folder:
        all_cases = cases(folder)
        ok = [check(args.specbench, name, spec, a, args.verbose) for name, spec, a in all_cases]
    print(f"check_reference_mpmath.py: {sum(ok)} of {len(ok)} matrices: every claim holds"
          if all(ok) else f"check_reference_mpmath.py: {len(ok) - sum(ok)} of {len(ok)} FAILED")
    sys.exit(0 if all(ok) else 1)


if __name__ == "__main__":
    main()
