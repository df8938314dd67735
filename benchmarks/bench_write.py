"""Writing a map to .xlsx: xlsxwriter (what ``influence.write`` uses) against openpyxl (before).

A synthetic map (``influence.datasets.synthetic``) at each size is written once each way to
a workbook with the same sheets (actors, ties), through the same code
(``influence.formats._write_xlsx``) with only the engine changed, then once through
``influence.write`` itself. Reports CPU time (``time.process_time``) and wall time of each,
their ratio, the file sizes, and the machine load (``uptime``) before and after, so that a
noisy run shows as one. Goal: a 100k-actor map written in <= 20 s (judged on CPU time, which
a busy machine inflates less than wall time)::

    python benchmarks/bench_write.py [--actors 10000 100000] [--old-max 100000]

``--old-max`` skips the openpyxl run above that many actors (it takes minutes at 100k).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's influence
from _timing import uptime, cpu_and_wall as timed  # noqa: E402


def main(argv=None):
    import influence
    from influence.datasets import synthetic
    from influence.formats import _write_xlsx

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--actors", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--old-max", type=int, default=100_000,
                    help="largest map also written by openpyxl (0: never)")
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="influence-bench-write-"))
    small = synthetic(actors=200, seed=0).public()  # warm up: imports
    _write_xlsx(small, tmp / "warm.tmp.xlsx")
    _write_xlsx(small, tmp / "warm-old.tmp.xlsx", engine="openpyxl")
    print("load before:", uptime())
    for n in args.actors:
        m = synthetic(actors=n, seed=0)
        pub = m.public()
        print(f"\n{len(m.actors):,} actors, {len(m.ties):,} ties")
        new = timed(lambda: _write_xlsx(pub, tmp / f"new-{n}.tmp.xlsx"))
        mb = (tmp / f"new-{n}.tmp.xlsx").stat().st_size / 2**20
        print(f"  xlsxwriter       CPU {new[0]:7.2f} s  wall {new[1]:7.2f} s  ({mb:.1f} MB)")
        full = timed(lambda: influence.write(m, tmp / f"write-{n}.xlsx"))
        verdict = ("met" if full[0] <= 20 else "NOT met") + (
            "" if full[1] <= 20 else "; wall over 20 s: see the load")
        print(f"  influence.write  CPU {full[0]:7.2f} s  wall {full[1]:7.2f} s"
              + (f"  (goal <= 20 s at 100k, CPU: {verdict})" if n == 100_000 else ""))
        if n <= args.old_max:
            old = timed(lambda: _write_xlsx(pub, tmp / f"old-{n}.tmp.xlsx", engine="openpyxl"))
            mb = (tmp / f"old-{n}.tmp.xlsx").stat().st_size / 2**20
            print(f"  openpyxl (before) CPU {old[0]:6.2f} s  wall {old[1]:7.2f} s  ({mb:.1f} MB)"
                  f"  | old/new CPU {old[0] / new[0]:.1f}x  wall {old[1] / new[1]:.1f}x")
        for f in tmp.glob(f"*-{n}*"):
            f.unlink()
    print("\nload after: ", uptime())


if __name__ == "__main__":
    main()
