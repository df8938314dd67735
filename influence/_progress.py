"""Progress for long work: a tqdm bar (or a one-line note) on stderr, only on a terminal.

Reading a big file, a review, exact path measures and the map layout on thousands of actors
can take from seconds to minutes; a person at a terminal sees what is happening and how long it
may take, while scripts, notebooks' captured output and test runs see nothing (tqdm's
``disable=None``: off when stderr is not a terminal). tqdm is imported only when a bar is shown.

:data:`ENABLED` turns everything off (``False``) or on (``True``) whatever stderr is; ``None``
(the default) decides by the terminal. Notes name options in their Python form unless
:data:`CLI` is set (the command line sets it), see :func:`influence.errors.either`.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager

#: None: show progress only when stderr is a terminal; True/False: always / never.
ENABLED: bool | None = None
#: True when the command line runs: notes name its options rather than keywords.
CLI = False


def _on() -> bool:
    if ENABLED is not None:
        return ENABLED
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def shown() -> bool:
    """Whether progress is shown at all (so that sizing work for a bar can be skipped)."""
    return _on()


def note(text: str) -> None:
    """Write one line to stderr (a terminal only): what is about to take a while."""
    if not text or not _on():
        return
    from .errors import for_cli, for_python

    print((for_cli if CLI else for_python)(text), file=sys.stderr, flush=True)


def bar(iterable=None, *, total=None, desc=None, unit="it", at_least=0, delay=0.0):
    """``tqdm(iterable)`` on stderr when the work is big enough (``total >= at_least``) and
    stderr is a terminal; otherwise the iterable itself (or a do-nothing bar).

    Where the size is not known in advance, ``delay`` (seconds) shows the bar only once the
    work has taken that long (tqdm's ``delay``).
    """
    size = total if total is not None else (len(iterable) if hasattr(iterable, "__len__")
                                            else None)
    if not _on() or (at_least and (size is None or size < at_least)):
        return iterable if iterable is not None else _Null()
    from tqdm import tqdm

    return tqdm(iterable, total=size, desc=desc, unit=unit, file=sys.stderr, leave=False,
                disable=None if ENABLED is None else not ENABLED, dynamic_ncols=True,
                delay=delay)


@contextmanager
def steps(total: int, desc: str):
    """A bar of ``total`` named steps: ``with steps(3, "Review") as step: step("missing")``."""
    b = bar(total=total, desc=desc, unit="step")

    def step(name: str | None = None):
        if name and hasattr(b, "set_postfix_str"):
            b.set_postfix_str(name, refresh=False)
        b.update(1)

    try:
        yield step
    finally:
        b.close()


def path_measure_estimate(n: int, m: int, measures) -> str:
    """A note with the expected time of exact path measures (Brandes: n (m + n log n)), and
    the faster way, or '' when the work is small (< 5,000 actors)."""
    import math

    path = [x for x in measures if x in ("betweenness", "closeness", "harmonic")]
    if n < 5000 or not path:
        return ""
    seconds = 4e-8 * n * (m + n * math.log(n)) * len(path)
    from .errors import either

    k = 500
    return (f"Computing exact {', '.join(path)} on {n:,} actors and {m:,} ties: about "
            f"{duration(seconds)}. For a quick estimate of betweenness use "
            f"{either(f'k={k}', f'--sample {k}')} (sampled sources).")


def duration(seconds: float) -> str:
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    if seconds < 5400:
        return f"{round(seconds / 60)} min"
    return f"{seconds / 3600:.1f} h"


class Tables(dict):
    """A dict of a long computation's tables that ticks a bar (no total) as each one is added.

    ``done()`` closes the bar and returns a plain dict of the tables.
    """

    def __init__(self, desc: str):
        super().__init__()
        self._bar = bar(total=None, desc=desc, unit="table") if _on() else _Null()

    def __setitem__(self, key, value):
        new = key not in self
        super().__setitem__(key, value)
        if new:
            if hasattr(self._bar, "set_postfix_str"):
                self._bar.set_postfix_str(str(key), refresh=False)
            self._bar.update(1)

    def done(self) -> dict:
        self._bar.close()
        return dict(self)


class _Null:
    def update(self, n=1):
        pass

    def close(self):
        pass
