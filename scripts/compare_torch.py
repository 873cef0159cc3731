#!/usr/bin/python3
"""Compares specbench's torch_power with PyTorch (optional: needs Debian's python3-torch).

Usage: /usr/bin/python3 scripts/compare_torch.py [path/to/specbench]

Takes a float32 nn.Linear(7, 5) weight and a random normalized u from PyTorch, writes both as
Matrix Market files, and runs torch.nn.utils.spectral_norm (hook order) and the
parametrizations power method (u first, then v, from v = normalize(W^T u)) for 1, 3 and 10
iterations next to `specbench estimate -e torch_power --start u0.mtx -p f32 --vectors`.
Prints sigma, u and v differences; exits 1 if any exceeds 16 float32 roundoffs. Not part of
the test suite (the tests must not depend on PyTorch).
"""
import os
import sys
import tempfile
try:
    import torch
except ImportError:
    sys.exit("compare_torch.py: PyTorch is not installed (apt-get install python3-torch)")
import json
import subprocess

import numpy as np

binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "build", "specbench")
tmp = tempfile.mkdtemp()
w_path, u_path = os.path.join(tmp, "W.mtx"), os.path.join(tmp, "u0.mtx")
torch.manual_seed(0)
W = torch.nn.Linear(7, 5).weight.detach().clone()  # 5 x 7 float32
u0 = torch.nn.functional.normalize(torch.randn(5), dim=0, eps=1e-12)
def mm(path, a):
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 1: a = a[:, None]
    with open(path, "w") as f:
        f.write("%%MatrixMarket matrix array real general\n")
        f.write("%d %d\n" % a.shape)
        for j in range(a.shape[1]):
            for i in range(a.shape[0]):
                f.write(repr(float(a[i, j])) + "\n")
mm(w_path, W.numpy())
mm(u_path, u0.numpy())
worst = 0
for order in ["hook", "parametrizations"]:
    for iters in [1, 3, 10]:
        if order == "hook":
            lin = torch.nn.Linear(7, 5)
            with torch.no_grad(): lin.weight.copy_(W)
            sn = torch.nn.utils.spectral_norm(lin, n_power_iterations=iters)
            with torch.no_grad(): sn.weight_u.copy_(u0)
            sn.train(); sn(torch.zeros(1, 7))
            u, v = sn.weight_u.detach(), sn.weight_v.detach()
            sigma = torch.dot(u, torch.mv(W, v)).item()
        else:
            u = u0.clone(); v = torch.nn.functional.normalize(torch.mv(W.t(), u), dim=0, eps=1e-12)
            for _ in range(iters):
                u = torch.nn.functional.normalize(torch.mv(W, v), dim=0, eps=1e-12)
                v = torch.nn.functional.normalize(torch.mv(W.t(), u), dim=0, eps=1e-12)
            sigma = torch.vdot(u, torch.mv(W, v)).item()
        out = subprocess.run([binary, "estimate", "-m", w_path, "-e",
                              f"torch_power:iters={iters},order={order}", "--start", u_path,
                              "-p", "f32", "--format", "json", "--vectors"], capture_output=True, text=True)
        j = json.loads(out.stdout)
        du = np.max(np.abs(np.array(j["u"]) - u.numpy())); dv = np.max(np.abs(np.array(j["v"]) - v.numpy()))
        rel = abs(sigma - j["sigma"]) / sigma
        worst = max(worst, rel / 6e-8, du / 6e-8, dv / 6e-8)
        print(order, iters, "sigma torch %.9g specbench %.9g rel diff %.2e; max |du| %.2e |dv| %.2e" % (sigma, j["sigma"], rel, du, dv))
print("worst difference in units of float32 roundoff (6e-8): %.1f" % worst)

# Extreme scales, float64: torch's norm is a plain sum of squares, so it overflows (1e300, 1e160)
# or underflows (1e-300) and the hook's sigma is 0; specbench's torch_power must do the same.
scale_ok = True
W64 = W.double()
for scale in [1e300, 1e160, 1e-300]:
    Ws = W64 * scale
    u = u0.double().clone()
    for _ in range(3):
        v = torch.nn.functional.normalize(torch.mv(Ws.t(), u), dim=0, eps=1e-12)
        u = torch.nn.functional.normalize(torch.mv(Ws, v), dim=0, eps=1e-12)
    sigma = torch.dot(u, torch.mv(Ws, v)).item()
    mm(w_path, Ws.numpy())
    out = subprocess.run([binary, "estimate", "-m", w_path, "-e", "torch_power:iters=3",
                          "--start", u_path, "--format", "json"], capture_output=True, text=True)
    j = json.loads(out.stdout)
    same = (sigma == j["sigma"]) or abs(sigma - j["sigma"]) <= 1e-14 * abs(sigma)
    scale_ok = scale_ok and same
    print("scale %g: sigma torch %r specbench %r %s" % (scale, sigma, j["sigma"], "same" if same else "DIFFERENT"))
sys.exit(0 if worst <= 16 and scale_ok else 1)
