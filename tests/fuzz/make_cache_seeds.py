#!/usr/bin/python3
"""Writes the forged reference-cache seeds of tests/fuzz/corpus/cache from valid_entry.json: each
changes one field of the reference and RECOMPUTES the checksum (sha256 of the reference's compact
JSON with sorted keys, as nlohmann::json::dump writes it), so that only the field checks and the
invariants re-checked against the matrix can refuse it (issue 16). Run from the repository root:
  /usr/bin/python3 tests/fuzz/make_cache_seeds.py"""
import copy
import hashlib
import json
import pathlib

corpus = pathlib.Path("tests/fuzz/corpus/cache")
valid = json.loads((corpus / "valid_entry.json").read_text())


def dump(x):
    return json.dumps(x, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


# The regenerated checksum of the untouched entry must be the stored one, or the dump differs
# from nlohmann's and every seed below would only exercise the checksum test.
assert hashlib.sha256(dump(valid["reference"]).encode()).hexdigest() == valid["checksum"]

forgeries = {
    "forged_sigma1_high": {"sigma1": valid["reference"]["sigma1"] * 1.02},
    "forged_sigma1_and_text": {"sigma1": 4.35, "sigma1_text": "4.35e+00"},
    "forged_negative_bound": {"bound": -1.0},
    "forged_zero_bound": {"bound": 0.0},
    "forged_method": {"method": "trust-me"},
    "forged_text": {"sigma1_text": "hello"},
    "forged_digits": {"digits": 99},
    "forged_cluster_checksummed": {"cluster_size": 1000000},
    "forged_u1_short": {"u1": [1.0, 0.0]},
    "forged_v1_wrong": {"v1": [1.0, 0.0]},
    "forged_nan_text": {"sigma1_text": "nan"},
    "forged_huge_steps": {"lanczos_steps": 10**18},
}
for name, change in forgeries.items():
    e = copy.deepcopy(valid)
    e["reference"].update(change)
    e["checksum"] = hashlib.sha256(dump(e["reference"]).encode()).hexdigest()
    (corpus / f"{name}.json").write_text(dump(e) + "\n")
print(f"wrote {len(forgeries)} forged seeds to {corpus}")
