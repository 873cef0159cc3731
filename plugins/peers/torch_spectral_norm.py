"""torch's own spectral normalization as a matrix-mode specbench peer: a bias-free
torch.nn.Linear holding A (float32, as in training), wrapped by torch.nn.utils.spectral_norm
(variant hook) or torch.nn.utils.parametrizations.spectral_norm (variant parametrizations), then
`passes` training-mode forward passes, the persisted u carried from pass to pass. sigma is
u^T W v from the module's own u, v (what it divides W by); registration's power iterations (15
for parametrizations) are included, as they are in training."""
import time

import numpy as np

from peer_common import as_dense, sp, unit


@sp.matrix_estimator(
    "torch.nn.utils(.parametrizations).spectral_norm, training-mode forward passes (peer)",
    params=[sp.param("variant", "string", "hook", choices=["hook", "parametrizations"],
                     help="hook: nn.utils.spectral_norm; parametrizations: the newer module"),
            sp.param("n_power_iterations", "int", 1, min=1, max=10**6,
                     help="power iterations per forward pass"),
            sp.param("passes", "int", 1, min=1, max=10**6, help="training-mode forward passes")],
    iteration_param="passes")
def torch_spectral_norm(a, params):
    import torch
    torch.manual_seed(sp.cell_seed() % (2**63))
    w = torch.from_numpy(np.ascontiguousarray(as_dense(a), dtype=np.float32))
    m, n = w.shape
    layer = torch.nn.Linear(n, m, bias=False)
    with torch.no_grad():
        layer.weight.copy_(w)
    k = params["n_power_iterations"]
    hook = params["variant"] == "hook"
    began = time.perf_counter()  # registration and the passes: not the import of torch
    if hook:
        layer = torch.nn.utils.spectral_norm(layer, n_power_iterations=k)
    else:
        layer = torch.nn.utils.parametrizations.spectral_norm(layer, n_power_iterations=k)
    layer.train()
    x = torch.zeros(1, n)
    with torch.no_grad():
        for _ in range(params["passes"]):
            layer(x)
        if hook:
            u, v, weight = layer.weight_u, layer.weight_v, layer.weight_orig
        else:
            p = layer.parametrizations.weight[0]
            u, v, weight = p._u, p._v, layer.parametrizations.weight.original
        elapsed = time.perf_counter() - began
        sigma = float(torch.dot(u, torch.mv(weight, v)))
    # products: 2 per power iteration and 1 for sigma per pass; parametrizations adds 15
    # iterations at registration
    products = params["passes"] * (2 * k + 1) + (0 if hook else 30)
    return sigma, unit(u.numpy()), unit(v.numpy()), products, elapsed


if __name__ == "__main__":
    sp.main(torch_spectral_norm)
