"""scipy.linalg.interpolative.estimate_spectral_norm as a matrix-mode specbench peer: randomized
power iteration (its) through a counted LinearOperator. It returns sigma only, so u and v are
formed afterwards by one power step from a fixed start; those three products are not counted and
not timed (the reported time is estimate_spectral_norm's alone). The vector metrics of this peer
therefore describe that step, not the method."""
import time

import numpy as np

from peer_common import Counted, as_scipy, sp, unit


@sp.matrix_estimator(
    "scipy.linalg.interpolative.estimate_spectral_norm (peer, matrix mode)",
    params=[sp.param("its", "int", 20, min=1, max=10**6, help="power iterations")],
    iteration_param="its")
def scipy_interpolative(a, params):
    import scipy.linalg.interpolative as sli
    counted = Counted(as_scipy(a))
    sli.seed(sp.cell_seed() % (2**31))
    began = time.perf_counter()
    sigma = sli.estimate_spectral_norm(counted.op, its=params["its"])
    elapsed, products = time.perf_counter() - began, counted.products
    # vectors: one power step from a fixed start (estimate_spectral_norm returns sigma only)
    rng = np.random.default_rng(sp.cell_seed())
    v = counted.op.rmatvec(counted.op.matvec(rng.standard_normal(counted.op.shape[1])))
    u = counted.op.matvec(v)
    return float(sigma), unit(u), unit(v), products, elapsed


if __name__ == "__main__":
    sp.main(scipy_interpolative)
