"""Shared by the peer plug-ins (plugins/peers/): the import path of the helper module and the
matrix of a matrix-mode cell as scipy or numpy wants it."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import specbench_plugin as sp  # noqa: E402,F401  (re-exported)


def as_scipy(a):
    """A dense ndarray as it is; sparse storage (coordinate entries) as a scipy CSR matrix, so
    that scipy and sklearn see the sparse matrix a user would hand them."""
    if isinstance(a, tuple):
        import scipy.sparse
        rows, cols, values, shape = a
        return scipy.sparse.csr_matrix((values, (rows, cols)), shape=shape)
    return a


def as_dense(a):
    """The matrix as a dense ndarray (torch modules need one)."""
    if isinstance(a, tuple):
        rows, cols, values, shape = a
        dense = np.zeros(shape, dtype=values.dtype)
        np.add.at(dense, (rows, cols), values)
        return dense
    return np.asarray(a)


class Counted:
    """A scipy LinearOperator over `a` that counts its products (a block of k columns counts
    k), for the self-reported `matvecs` of matrix-mode peers."""

    def __init__(self, a):
        from scipy.sparse.linalg import LinearOperator
        self.products = 0
        self.a = a

        def mv(x):
            self.products += 1
            return a @ x

        def rmv(y):
            self.products += 1
            return a.T @ y

        def mm(x):
            self.products += x.shape[1]
            return a @ x

        def rmm(y):
            self.products += y.shape[1]
            return a.T @ y

        self.op = LinearOperator(a.shape, matvec=mv, rmatvec=rmv, matmat=mm, rmatmat=rmm,
                                 dtype=a.dtype)


def unit(x):
    x = np.asarray(x, dtype=np.float64).ravel()
    return x / np.linalg.norm(x)
