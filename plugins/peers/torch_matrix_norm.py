"""torch.linalg.matrix_norm(A, ord=2) as a matrix-mode specbench peer (a full SVD in torch, in
the run's precision). matrix_norm returns sigma only; u and v come from torch.linalg.svd of the
same matrix, outside the timed call (the reported time is matrix_norm's alone)."""
import time

import numpy as np

from peer_common import as_dense, sp, unit


@sp.matrix_estimator("torch.linalg.matrix_norm(A, ord=2) (peer, matrix mode)")
def torch_matrix_norm(a, params):
    import torch
    t = torch.from_numpy(np.ascontiguousarray(as_dense(a)))
    began = time.perf_counter()
    sigma = float(torch.linalg.matrix_norm(t, ord=2))
    elapsed = time.perf_counter() - began
    u, s, vh = torch.linalg.svd(t, full_matrices=False)
    return sigma, unit(u[:, 0].numpy()), unit(vh[0].numpy()), 0, elapsed


if __name__ == "__main__":
    sp.main(torch_matrix_norm)
