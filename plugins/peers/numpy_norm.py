"""numpy.linalg.norm(A, 2) as a matrix-mode specbench peer: the full SVD a user reaches for first
(LAPACK through numpy, in the run's precision). It returns sigma only; u and v come from
numpy.linalg.svd of the same matrix, outside the timed call (the reported time is norm's
alone). A sparse matrix is densified first (numpy has no sparse 2-norm), outside the clock."""
import time

import numpy as np

from peer_common import as_dense, sp, unit


@sp.matrix_estimator("numpy.linalg.norm(A, 2): a full SVD (peer, matrix mode)")
def numpy_norm(a, params):
    dense = as_dense(a)
    began = time.perf_counter()
    sigma = float(np.linalg.norm(dense, 2))
    elapsed = time.perf_counter() - began
    u, s, vh = np.linalg.svd(dense, full_matrices=False)
    return sigma, unit(u[:, 0]), unit(vh[0]), 0, elapsed


if __name__ == "__main__":
    sp.main(numpy_norm)
