"""Run the ``influence`` command line from a checkout: ``python cli.py ...``.

The click app lives in :mod:`influence.cli` (the installed ``influence`` console script, and
``python -m influence``). This file is only a runnable entry for a checkout: it is not
installed, so no top-level module named ``cli`` lands in site-packages.
"""

from influence.cli import main  # noqa: F401  (re-exported: ``import cli`` in a checkout works)

if __name__ == "__main__":  # pragma: no cover
    main()
