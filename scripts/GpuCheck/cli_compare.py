#!/usr/bin/env python3
"""Compares the CPU and device samples of cli-check.sh (float32 .npy files), standard library only.

    python3 cli_compare.py WORKDIR CASES_FILE SUMMARY_JSON

CASES_FILE: one case a line, "name tolerance": WORKDIR/name.cpu.npy is compared with WORKDIR/name.dev.npy.
WORKDIR/rc.txt ("label rc" lines, written by cli-check.sh) is copied into the summary.
Per case: shape, elements, differing elements, max |cpu - dev|, max ulp distance (float32 ordering), NaNs,
and pass = same shape, no NaN mismatch, max |diff| <= tolerance.
"""
import ast
import json
import math
import os
import struct
import sys


def read_npy(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:6] != b"\x93NUMPY":
        raise ValueError(f"{path}: not an npy file")
    major = data[6]
    if major == 1:
        hlen = struct.unpack("<H", data[8:10])[0]
        start = 10
    else:
        hlen = struct.unpack("<I", data[8:12])[0]
        start = 12
    header = ast.literal_eval(data[start:start + hlen].decode("latin1"))
    if header["descr"] not in ("<f4", "=f4") or header["fortran_order"]:
        raise ValueError(f"{path}: expected little-endian float32 C order, got {header}")
    shape = tuple(header["shape"])
    n = 1
    for s in shape:
        n *= s
    body = data[start + hlen:]
    values = struct.unpack(f"<{n}f", body[:4 * n])
    bits = struct.unpack(f"<{n}i", body[:4 * n])
    return shape, values, bits


def ordered(b):
    # float32 bits -> integers whose order is the float order (so |a - b| counts ulps, -0 == +0)
    return b if b >= 0 else -(b & 0x7FFFFFFF)


def compare(cpu_path, dev_path, tol):
    cs, cv, cb = read_npy(cpu_path)
    ds, dv, db = read_npy(dev_path)
    r = {"shape_cpu": list(cs), "shape_dev": list(ds), "tolerance": tol}
    if cs != ds:
        r.update(passed=False, reason="shape differs")
        return r
    differing = nan_cpu = nan_dev = nan_mismatch = 0
    max_abs = 0.0
    max_ulp = 0
    max_rel = 0.0
    worst = None
    for i, (a, b) in enumerate(zip(cv, dv)):
        na, nb = math.isnan(a), math.isnan(b)
        nan_cpu += na
        nan_dev += nb
        if na or nb:
            if na != nb:
                nan_mismatch += 1
                differing += 1
            continue
        if cb[i] != db[i]:
            differing += 1
        d = abs(a - b)
        if d > max_abs:
            max_abs, worst = d, i
        u = abs(ordered(cb[i]) - ordered(db[i]))
        max_ulp = max(max_ulp, u)
        if d > 0:
            max_rel = max(max_rel, d / max(abs(a), abs(b)))
    r.update(elements=len(cv), differing=differing, bit_identical=differing == 0, max_abs=max_abs, max_rel=max_rel,
             max_ulp=max_ulp, nan_cpu=nan_cpu, nan_dev=nan_dev, nan_mismatch=nan_mismatch,
             worst_index=worst, worst_cpu=None if worst is None else cv[worst], worst_dev=None if worst is None else dv[worst],
             range_cpu=[min(cv), max(cv)] if cv else None,
             passed=nan_mismatch == 0 and max_abs <= tol)
    return r


def main():
    work, cases_file, out = sys.argv[1:4]
    summary = {"cases": {}, "rc": {}}
    with open(cases_file) as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            name, tol = line.split()[:2]
            cpu, dev = os.path.join(work, name + ".cpu.npy"), os.path.join(work, name + ".dev.npy")
            try:
                summary["cases"][name] = compare(cpu, dev, float(tol))
            except Exception as e:  # a missing file (a failed run) is reported, not fatal
                summary["cases"][name] = {"passed": False, "reason": f"{type(e).__name__}: {e}"}
    rcs = os.path.join(work, "rc.txt")
    if os.path.exists(rcs):
        with open(rcs) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 2:
                    summary["rc"][parts[0]] = int(parts[1])
    summary["all_passed"] = all(c.get("passed") for c in summary["cases"].values())
    with open(out, "w") as f:
        json.dump(summary, f, indent=1)
    for name, c in summary["cases"].items():
        keys = ("passed", "bit_identical", "elements", "differing", "max_abs", "max_ulp", "tolerance", "reason")
        print(name, {k: c[k] for k in keys if k in c})
    print("rc", summary["rc"])
    print("all_passed", summary["all_passed"])


if __name__ == "__main__":
    main()
