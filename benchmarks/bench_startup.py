"""Startup time of the ``influence`` command: ``--help`` and ``--version``.

Prints the mean wall time of N runs of each command next to a bare ``python -c pass`` and
``python -c "import pandas"``, as ratios, plus the slowest imports at startup
(``python -X importtime``) and a check that nothing heavy is imported.

    python benchmarks/bench_startup.py [--runs 10]

The figures are noisy on a shared machine: compare ratios, not absolute times.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "numpy", "networkx", "igraph", "matplotlib", "pyvis", "scipy", "openpyxl")


def wall(cmd, runs):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=True)
        times.append(time.perf_counter() - t0)
    return statistics.mean(times), statistics.stdev(times) if runs > 1 else 0.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    exe = shutil.which("influence")
    entry = [exe] if exe else [sys.executable, "-m", "influence"]
    rows = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import pandas'": [sys.executable, "-c", "import pandas"],
        "influence --version": entry + ["--version"],
        "influence --help": entry + ["--help"],
        "python -m influence --help": [sys.executable, "-m", "influence", "--help"],
        "python cli.py --help": [sys.executable, "cli.py", "--help"],
    }
    base = None
    print(f"{'command':32s} {'mean s':>8s} {'sd s':>7s} {'x python':>9s}  ({args.runs} runs)")
    for label, cmd in rows.items():
        mean, sd = wall(cmd, args.runs)
        base = base or mean
        print(f"{label:32s} {mean:8.3f} {sd:7.3f} {mean / base:9.2f}")
    env = dict(os.environ, PYTHONPROFILEIMPORTTIME="1")
    r = subprocess.run([sys.executable, "-X", "importtime", "-c", "import influence.cli"],
                       cwd=ROOT, capture_output=True, text=True, env=env)
    rows = []
    for line in r.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].strip()))
    total = max(rows)[0] if rows else 0
    heavy = sorted({name.split(".")[0] for _, name in rows} & set(HEAVY))
    print(f"\nimport influence.cli: {total / 1e6:.3f} s cumulative; heavy modules imported: "
          f"{', '.join(heavy) or 'none'}")
    print("slowest imports (cumulative):")
    for us, name in sorted(rows, reverse=True)[:8]:
        print(f"  {us / 1e6:7.3f} s  {name}")


if __name__ == "__main__":
    main()
