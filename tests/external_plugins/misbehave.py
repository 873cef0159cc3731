"""A specbench plug-in that fails on purpose, one way per value of its `fault` parameter
(tests/cli/test_cli.sh): every failure must become an error row naming what happened.
Arguments after the script choose a broken --describe instead: describe-exit, describe-garbage,
describe-sleep, describe-bad-schema. Standard library only (the protocol by hand)."""
import json
import os
import signal
import struct
import sys
import time

FAULTS = ["none", "crash", "sleep", "silent", "garbage", "nan", "wrong_length", "short_payload",
          "unknown", "early_exit", "huge_length", "bad_checkpoint", "error"]

args = sys.argv[1:]
if args and args[-1] == "--describe":
    how = args[0] if len(args) > 1 else ""
    if how == "describe-exit":
        sys.stderr.write("cannot describe myself\n")
        sys.exit(3)
    if how == "describe-garbage":
        print("this is not json")
        sys.exit(0)
    if how == "describe-sleep":
        time.sleep(600)
    if how == "describe-bad-schema":
        print(json.dumps({"summary": "x", "params": [{"name": "k", "type": "complex", "default": 1}]}))
        sys.exit(0)
    print(json.dumps({"summary": "fails on purpose", "params": [
        {"name": "fault", "type": "string", "default": "none", "choices": FAULTS,
         "help": "how to fail"}]}))
    sys.exit(0)

out = sys.stdout.buffer


def send(message, payload=b""):
    out.write((json.dumps(message) + "\n").encode() + payload)
    out.flush()


def vector(values):
    return struct.pack("<%dd" % len(values), *values)


send({"type": "hello", "protocol": 1})
start = json.loads(sys.stdin.buffer.readline())
m, n, fault = start["m"], start["n"], start["params"]["fault"]
sys.stderr.write(f"misbehave: fault={fault}\n")
sys.stderr.flush()
if fault == "crash":
    os.kill(os.getpid(), signal.SIGSEGV)
if fault == "sleep":
    time.sleep(600)
if fault == "silent":
    sys.stdin.buffer.read()  # waits for input that never comes
if fault == "garbage":
    out.write(b"{not json\n")
    out.flush()
    time.sleep(600)
if fault == "unknown":
    send({"type": "please_invert", "length": n})
    time.sleep(600)
if fault == "early_exit":
    sys.exit(4)
if fault == "huge_length":
    send({"type": "apply", "length": 1 << 40})
    time.sleep(600)
if fault == "wrong_length":
    send({"type": "apply", "length": n + 1}, vector([1.0] * (n + 1)))
    time.sleep(600)
if fault == "short_payload":
    send({"type": "apply", "length": n}, vector([1.0] * (n // 2)))
    sys.exit(0)
if fault == "nan":
    send({"type": "apply", "length": n}, vector([float("nan")] + [1.0] * (n - 1)))
    time.sleep(600)
if fault == "error":
    send({"type": "error", "message": "no convergence, I give up"})
    sys.exit(1)
if fault == "bad_checkpoint":
    send({"type": "checkpoint", "k": 999, "sigma": 1.0, "u_length": m, "v_length": n},
         vector([1.0] * m) + vector([1.0] * n))
    time.sleep(600)
# none: a valid result without products (e_1, e_1, sigma = 1)
send({"type": "result", "iterations": 0, "sigma": 1.0, "u_length": m, "v_length": n},
     vector([1.0] + [0.0] * (m - 1)) + vector([1.0] + [0.0] * (n - 1)))
