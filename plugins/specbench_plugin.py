"""Write a specbench external estimator in Python (standard library + numpy).

The protocol (README, "External estimators"): JSON lines on stdin/stdout for control, vectors as
raw little-endian float64 (float32 in f32 runs), each payload announced by the JSON line before
it with its length. This module speaks it, so that an estimator is a generator:

    import specbench_plugin as sp

    @sp.operator_estimator("power iteration in Python", iteration_param="iters", nested=True,
                           params=[sp.param("iters", "int", 100, min=0, help="iterations")])
    def py_power(op, params):
        v = op.gaussian(op.n)            # the cell's own generator, as the built-ins start
        v /= np.linalg.norm(v)
        for k in range(1, params["iters"] + 1):
            u = op.apply(v)              # A v, answered (and counted) by the harness
            u /= np.linalg.norm(u)
            z = op.apply_transpose(u)    # A^T u
            sigma = np.linalg.norm(z)
            v = z / sigma
            yield k, sigma, u, v         # the helper sends the requested checkpoints

    if __name__ == "__main__":
        sp.main(py_power)

A matrix-mode estimator is a function of the matrix (a numpy array; its coordinate entries
for sparse storage: see load_matrix) returning (sigma, u, v), (sigma, u, v, products) or
(sigma, u, v, products, time_s) when it times its own call. cell_seed() seeds a generator of
the plug-in's own.
"""
import json
import os
import sys
import time

import numpy as np

PROTOCOL = 1


def param(name, type, default, min=None, max=None, choices=None, help=""):
    """One parameter of the schema (type: int, real, string, bool)."""
    p = {"name": name, "type": type, "default": default, "help": help}
    if min is not None:
        p["min"] = min
    if max is not None:
        p["max"] = max
    if choices is not None:
        p["choices"] = list(choices)
    return p


class _Wire:
    def __init__(self):
        self.inp = sys.stdin.buffer
        # The protocol keeps the original stdout to itself. File descriptor 1 then points at
        # stderr, so a library that prints (PROPACK's Fortran WRITEs, a C printf, print()) ends up
        # in the stderr tail of an error message instead of corrupting the JSON stream.
        sys.stdout.flush()
        self.out = os.fdopen(os.dup(1), "wb")
        os.dup2(2, 1)
        sys.stdout = sys.stderr
        self.dtype = np.float64

    def send(self, message, *vectors):
        little = np.dtype(self.dtype).newbyteorder("<")
        parts = [(json.dumps(message) + "\n").encode()]
        parts += [np.ascontiguousarray(v, dtype=little).tobytes() for v in vectors]
        self.out.write(b"".join(parts))  # one write: the harness wakes once
        self.out.flush()

    def receive(self):
        line = self.inp.readline()
        if not line:
            raise SystemExit("specbench closed the connection")
        return json.loads(line)

    def vector(self):
        m = self.receive()
        if m.get("type") != "vector":
            raise SystemExit(f"expected a vector, got {m!r}")
        n = int(m["length"])
        size = np.dtype(self.dtype).itemsize
        data = self.inp.read(n * size)
        return np.frombuffer(data, dtype=np.dtype(self.dtype).newbyteorder("<")).astype(self.dtype)


class Operator:
    """The cell's matrix, seen only through products that the harness answers and counts."""

    def __init__(self, wire, m, n):
        self._wire, self.m, self.n = wire, m, n

    def apply(self, x):
        """A x for a vector of length n (or an n x k block: k products)."""
        return self._product("apply", x, self.m)

    def apply_transpose(self, y):
        """A^T y for a vector of length m (or an m x k block)."""
        return self._product("apply_transpose", y, self.n)

    def gaussian(self, length):
        """`length` standard normal numbers from the cell's generator (the built-ins' start)."""
        self._wire.send({"type": "gaussian", "length": int(length)})
        return self._wire.vector()

    def _product(self, kind, x, rows):
        x = np.asarray(x)
        k = 1 if x.ndim == 1 else x.shape[1]
        message = {"type": kind, "length": int(x.size)}
        if x.ndim == 2:
            message["columns"] = k
        self._wire.send(message, x.reshape(-1, order="F"))
        y = self._wire.vector()
        return y if x.ndim == 1 else y.reshape(rows, k, order="F")


def _describe(summary, params, iteration_param, nested):
    return {"protocol": PROTOCOL, "summary": summary, "params": params,
            "iteration_param": iteration_param, "nested": nested}


def operator_estimator(summary, params=(), iteration_param="", nested=False):
    """Decorates a generator fn(op, params) yielding (k, sigma, u, v[, status])."""
    def wrap(fn):
        fn.specbench = ("operator", _describe(summary, list(params), iteration_param, nested))
        return fn
    return wrap


def matrix_estimator(summary, params=(), iteration_param=""):
    """Decorates fn(a, params) -> (sigma, u, v[, products[, time_s]]); a from load_matrix.
    iteration_param names the int parameter that is the method's budget (never nested: each
    value is its own run), so that sweeps, summaries and figures treat it as the iteration count;
    the run then reports that many iterations and status max_iterations."""
    def wrap(fn):
        fn.specbench = ("matrix", _describe(summary, list(params), iteration_param, False))
        return fn
    return wrap


def load_matrix(path, fmt, dtype):
    """The matrix file of a matrix-mode cell: .npy -> ndarray; .mtx (sparse storage) ->
    (rows, cols, values, shape) of its coordinate entries, 0-based."""
    if fmt == "npy":
        return np.load(path).astype(dtype, copy=False)
    with open(path) as f:
        lines = [l for l in f if not l.startswith("%")]
    m, n, nnz = (int(t) for t in lines[0].split())
    if nnz == 0:
        return np.zeros(0, int), np.zeros(0, int), np.zeros(0, dtype), (m, n)
    e = np.loadtxt(lines[1:], ndmin=2)
    return e[:, 0].astype(int) - 1, e[:, 1].astype(int) - 1, e[:, 2].astype(dtype), (m, n)


def _run_operator(fn, wire, start):
    op = Operator(wire, start["m"], start["n"])
    wanted = sorted(set(start["checkpoints"]))
    last = None
    for item in fn(op, start["params"]):
        k, sigma, u, v = item[:4]
        status = item[4] if len(item) > 4 else "max_iterations"
        last = (k, sigma, u, v, status)
        while wanted and wanted[0] == k:
            wanted.pop(0)
            wire.send({"type": "checkpoint", "k": k, "iterations": k, "sigma": float(sigma),
                       "status": status, "u_length": len(u), "v_length": len(v)}, u, v)
    if last is None:
        raise SystemExit("the estimator yielded nothing")
    k, sigma, u, v, status = last
    wire.send({"type": "result", "iterations": k, "sigma": float(sigma), "status": status,
               "u_length": len(u), "v_length": len(v)}, u, v)


_cell = {}


def cell_seed():
    """The cell's seed for a generator of the plug-in's own (numpy, torch, sklearn): an integer
    in [0, 2^63) the harness derives from the cell's generator, so the same config and seed give
    the same numbers."""
    return int(_cell["seed"])


def _run_matrix(fn, wire, start, iteration_param):
    a = load_matrix(start["matrix"], start["format"], wire.dtype)
    began = time.perf_counter()
    out = fn(a, start["params"])
    elapsed = time.perf_counter() - began
    sigma, u, v = out[:3]
    products = int(out[3]) if len(out) > 3 else 0
    if len(out) > 4:  # the estimator timed its own call (work outside it is not the method's)
        elapsed = float(out[4])
    budget = int(start["params"][iteration_param]) if iteration_param else None
    wire.send({"type": "result", "iterations": 1 if budget is None else budget,
               "sigma": float(sigma), "products": products, "time_s": elapsed,
               "status": "converged" if budget is None else "max_iterations",
               "u_length": len(u), "v_length": len(v)}, u, v)


def main(fn):
    """The plug-in's entry point: --describe prints the schema; otherwise one cell."""
    mode, description = fn.specbench
    if sys.argv[1:] == ["--describe"]:
        print(json.dumps(description))
        return
    wire = _Wire()
    wire.send({"type": "hello", "protocol": PROTOCOL})
    start = wire.receive()
    _cell.update(start)
    wire.dtype = np.float32 if start["dtype"] == "float32" else np.float64
    try:
        if mode == "operator":
            _run_operator(fn, wire, start)
        else:
            _run_matrix(fn, wire, start, description["iteration_param"])
    except Exception as e:  # reported as the cell's error message
        wire.send({"type": "error", "message": f"{type(e).__name__}: {e}"})
        raise
