"""scipy.sparse.linalg.svds(k=1) as a matrix-mode specbench peer: solver arpack, propack
(SCIPY_USE_PROPACK=1, set here before scipy is imported) or lobpcg. A sparse matrix is handed to
scipy as a CSR matrix; products are counted by a LinearOperator around it (self-reported), and
time_s is svds's call alone."""
import os

os.environ.setdefault("SCIPY_USE_PROPACK", "1")  # propack is opt-in in scipy 1.10

import time  # noqa: E402

import numpy as np  # noqa: E402

from peer_common import Counted, as_scipy, sp, unit  # noqa: E402


@sp.matrix_estimator(
    "scipy.sparse.linalg.svds(k=1): ARPACK, PROPACK or LOBPCG (peer, matrix mode)",
    params=[sp.param("solver", "string", "arpack", choices=["arpack", "propack", "lobpcg"],
                     help="svds solver"),
            sp.param("tol", "real", 0.0, min=0.0, help="svds tol (0: machine precision)"),
            sp.param("maxiter", "int", 0, min=0, max=10**7,
                     help="svds maxiter (0: scipy's default)")])
def scipy_svds(a, params):
    from scipy.sparse.linalg import svds
    counted = Counted(as_scipy(a))
    m, n = counted.op.shape
    # a fixed start from the cell: arpack iterates on the smaller Gram matrix (v0 of length
    # min(m, n)), propack bidiagonalizes from the left (v0 of length m)
    rng = np.random.default_rng(sp.cell_seed())
    v0 = rng.standard_normal(m if params["solver"] == "propack" else min(m, n))
    v0 = v0.astype(counted.op.dtype)
    kwargs = {"k": 1, "tol": params["tol"], "solver": params["solver"]}
    if params["maxiter"] > 0:
        kwargs["maxiter"] = params["maxiter"]
    if params["solver"] == "lobpcg":
        kwargs["random_state"] = rng
    else:
        kwargs["v0"] = v0
    began = time.perf_counter()  # svds alone: not the imports, not the matrix's loading
    u, s, vt = svds(counted.op, **kwargs)
    elapsed = time.perf_counter() - began
    i = int(np.argmax(s))
    return float(s[i]), unit(u[:, i]), unit(vt[i]), counted.products, elapsed


if __name__ == "__main__":
    sp.main(scipy_svds)
