"""Power iteration on A^T A as an operator-mode specbench plug-in (README, External estimators):
the same start (the cell's generator) and the same recurrence as the built-in `power`."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "plugins"))
import specbench_plugin as sp  # noqa: E402


@sp.operator_estimator("power iteration in Python (operator mode)", iteration_param="iters",
                       nested=True, params=[sp.param("iters", "int", 100, min=0, max=10**7,
                                                     help="iterations (2 products each)")])
def py_power(op, params):
    v = op.gaussian(op.n)
    v /= np.linalg.norm(v)
    for k in range(1, params["iters"] + 1):
        u = op.apply(v)                          # u = A v / ||A v||
        u /= np.linalg.norm(u)
        z = op.apply_transpose(u)                # sigma = ||A^T u||, v = A^T u / sigma
        sigma = np.linalg.norm(z)
        v = z / sigma
        yield k, sigma, u, v


if __name__ == "__main__":
    sp.main(py_power)
