"""sklearn.utils.extmath.randomized_svd(n_components=1) as a matrix-mode specbench peer (dense
or CSR input: sklearn needs the matrix itself, so its products are the count of Halko et al.'s
scheme as sklearn runs it, and time_s is the call alone)."""
import time

import numpy as np

from peer_common import as_scipy, sp, unit


@sp.matrix_estimator(
    "sklearn randomized_svd, n_components=1 (peer, matrix mode)",
    params=[sp.param("n_iter", "int", 4, min=0, max=10**6, help="power iterations"),
            sp.param("n_oversamples", "int", 10, min=0, max=10**6, help="oversampling")],
    iteration_param="n_iter")
def sklearn_randomized_svd(a, params):
    from sklearn.utils.extmath import randomized_svd
    m = as_scipy(a)
    l = 1 + params["n_oversamples"]
    began = time.perf_counter()  # the call alone: not the import, not the matrix's loading
    u, s, vt = randomized_svd(m, n_components=1, n_oversamples=params["n_oversamples"],
                              n_iter=params["n_iter"], random_state=sp.cell_seed() % (2**32))
    elapsed = time.perf_counter() - began
    # Halko et al.'s scheme as sklearn runs it: l products for the sketch, 2 l per power
    # iteration, l for the projection B = Q^T A
    products = l * (1 + 2 * params["n_iter"] + 1)
    return float(s[0]), unit(u[:, 0]), unit(vt[0]), products, elapsed


if __name__ == "__main__":
    sp.main(sklearn_randomized_svd)
