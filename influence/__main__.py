"""``python -m influence``: the command line of :mod:`influence.cli`."""

from influence.cli import main

if __name__ == "__main__":  # pragma: no cover
    main()
