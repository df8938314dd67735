"""Reading the bundled UK catalogue files (``influence/data/uk``), each read once and cached.

The lowest layer under :mod:`influence.uk` (the catalogue's public functions),
:mod:`influence._ukarea` (the area resolver) and :mod:`influence.schema` (the kind and theme
labels): plain readers of the CSV files and of an "as at" date, importing none of them.
"""

from __future__ import annotations

import csv
import datetime as _dt
from functools import lru_cache
from importlib import resources

from .errors import InputError

__all__ = ["data_path", "read_table", "records", "vintage", "keyed", "rows_for",
           "local_authorities", "as_at_date"]


def data_path(name):
    """The bundled catalogue file ``name`` (a :mod:`importlib.resources` traversable)."""
    return resources.files("influence") / "data" / "uk" / name


@lru_cache(maxsize=None)
def read_table(name):
    """A catalogue CSV as a pandas DataFrame of strings (empty cells as ``""``), cached."""
    import pandas as pd

    with data_path(name).open(encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


@lru_cache(maxsize=None)
def records(name):
    """The rows of a CSV as dicts of strings (the stdlib reader: faster than pandas here)."""
    with data_path(name).open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


@lru_cache(maxsize=None)
def vintage(file):
    """The vintage of a bundled file, as SOURCES.csv records it."""
    return read_table("SOURCES.csv").set_index("file").loc[file, "vintage"]


@lru_cache(maxsize=None)
def _by_lad(file, column):
    """``lad code -> list of row dicts`` for a lookup file (built once)."""
    out = {}
    for rec in records(file):
        out.setdefault(rec[column], []).append(rec)
    return out


@lru_cache(maxsize=None)
def keyed(file, column):
    """``key -> row dict`` for a file whose ``column`` is unique."""
    return {rec[column]: rec for rec in records(file)}


def rows_for(file, column, codes):
    """The rows of a lookup file whose ``column`` is one of ``codes`` (in the codes' order)."""
    index = _by_lad(file, column)
    return [rec for c in dict.fromkeys(codes) for rec in index.get(c, [])]


def local_authorities():
    """The 317 English principal councils (296 districts/unitaries + 21 counties), by GSS code.

    Examples
    --------
    >>> from influence import uk
    >>> uk.local_authorities().loc["E07000062", ["nice_name", "county_name"]].tolist()
    ['Hastings', 'East Sussex']
    """
    return read_table("local_authorities_england.csv").set_index("gss_code")


def as_at_date(as_at):
    """The "as at" date of a review or an area: ``as_at`` read as a date (today when None).

    Raises
    ------
    InputError
        The date cannot be read.
    """
    if as_at is None:
        return _dt.date.today()
    import pandas as pd

    try:
        return pd.Timestamp(as_at).date()
    except (ValueError, TypeError):
        raise InputError(f"Cannot read the date {as_at!r}. Fix: write it as YYYY-MM-DD, "
                         "e.g. 2026-04-01.") from None
