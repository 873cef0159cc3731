"""sigma1 by numpy's SVD as a matrix-mode specbench plug-in: it reads the matrix file and
reports its own time (runs.csv counted_by = plugin)."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "plugins"))
import specbench_plugin as sp  # noqa: E402


@sp.matrix_estimator("numpy.linalg.svd, top singular triple (matrix mode)")
def py_svd(a, params):
    if isinstance(a, tuple):  # sparse storage: coordinate entries
        rows, cols, values, shape = a
        dense = np.zeros(shape, dtype=values.dtype)
        np.add.at(dense, (rows, cols), values)
        a = dense
    u, s, vt = np.linalg.svd(a, full_matrices=False)
    return s[0], u[:, 0], vt[0], 0


if __name__ == "__main__":
    sp.main(py_svd)
