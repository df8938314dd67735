"""Building a validated map from records, dicts or DataFrames.

The step between the raw tables that readers produce (:mod:`influence.formats`, the store) and
an :class:`~influence.model.InfluenceMap`: every table is checked and made canonical by
:mod:`influence.validate`, then the map is assembled. :func:`influence.build` is
:func:`build`; :mod:`influence.io` reads files through :func:`assemble`.
"""

from __future__ import annotations

from .errors import InputError
from .model import InfluenceMap
from .validate import Collector, Table, canonical_actors, canonical_ties

__all__ = ["build", "assemble"]


def _raw_frame(data, kind):
    import pandas as pd

    if data is None:
        return None
    if isinstance(data, pd.DataFrame):
        frame = data
        if kind == "actors" and "id" not in frame.columns and not isinstance(
                frame.index, pd.RangeIndex):
            frame = frame.reset_index().rename(columns={frame.index.name or "index": "id"})
    elif isinstance(data, dict):
        if data and all(isinstance(v, dict) for v in data.values()):
            frame = pd.DataFrame([{"id": k, **v} for k, v in data.items()])
        else:
            frame = pd.DataFrame(data)
    else:
        records = list(data)
        if records and not isinstance(records[0], dict):
            raise InputError(f"{kind} must be records (dicts), a dict or a DataFrame; got "
                             f"{type(records[0]).__name__} items. Fix: pass e.g. "
                             '[{"id": "ann", "kind": "resident"}].')
        frame = pd.DataFrame(records)
        if not records:
            frame = pd.DataFrame({c: [] for c in (("id", "kind") if kind == "actors" else
                                                 ("source", "target"))})
    frame = frame.astype(object)
    return frame.where(frame.notna(), None) if len(frame.columns) else frame


def assemble(actors: Table | None, ties: Table | None, col: Collector, *, name=None,
             source=None, default_kind=None, default_directed=None) -> InfluenceMap:
    """The validated map of raw actors and ties tables; every problem goes to ``col``.

    ``actors`` None: the actors are the ties' endpoints (of ``default_kind``, else
    ``person``). Raises :class:`~influence.ValidationError` when ``col`` holds errors.
    """
    import pandas as pd

    if ties is None:
        ties = Table(pd.DataFrame({"source": [], "target": []}, dtype=object), sheet="ties")
    if actors is None:  # actors from the ties' endpoints
        tie_frame = canonical_ties(ties, col, None, default_directed=default_directed)
        ids = pd.unique(pd.concat([tie_frame["source"], tie_frame["target"]]).dropna())
        actors = Table(pd.DataFrame({"id": list(ids)}, dtype=object), sheet="actors")
        actor_frame = canonical_actors(actors, col, default_kind=default_kind or "person")
    else:
        actor_frame = canonical_actors(actors, col, default_kind=default_kind)
        known = None if actors.unreadable else actor_frame.index  # no knock-on tie errors
        tie_frame = canonical_ties(ties, col, known, default_directed=default_directed)
        if not len(actors.frame) and actors.file:  # a file with a header and nothing else
            col.add(actors.file, actors.sheet, None, None, None, "there are no actors",
                    "add one row per person, group or body below the header (see "
                    "`influence template`)", severity="warning")
    col.raise_errors()
    return InfluenceMap(actor_frame, tie_frame, name=name, source=source,
                        warnings=col.problems)


def build(actors=None, ties=None, *, name=None) -> InfluenceMap:
    """Build a validated map from records, dicts or DataFrames.

    Parameters
    ----------
    actors : list of dict, dict or pandas.DataFrame, optional
        One record per actor with at least ``id`` and ``kind`` (headers and kinds are matched
        as in a workbook: ``Label`` -> ``name``, "Cllr" -> ``ward_councillor``). A dict of
        ``id -> attributes`` also works. When omitted, the actors are the ties' endpoints,
        of kind ``person``.
    ties : list of dict, dict or pandas.DataFrame, optional
        One record per tie with ``source`` and ``target``.
    name : str, optional
        A label for the map.

    Returns
    -------
    InfluenceMap

    Raises
    ------
    influence.ValidationError
        Listing every problem found (rows are numbered as in a spreadsheet: first record =
        row 2).

    Examples
    --------
    >>> import influence
    >>> m = influence.build(
    ...     actors=[{"id": "ann", "kind": "Resident", "stance": "supportive"},
    ...             {"id": "cllr_b", "kind": "Cllr"}],
    ...     ties=[{"source": "ann", "target": "cllr_b", "strength": 2}])
    >>> m.actors[["kind", "stance"]]
                       kind  stance
    id
    ann            resident       1
    cllr_b  ward_councillor    <NA>
    >>> m.ties[["kind", "directed", "strength"]].to_dict("records")
    [{'kind': 'knows', 'directed': False, 'strength': 2.0}]

    References
    ----------
    .. [1] Schiffer, E. and Hauck, J. (2010). Net-Map: collecting social network data and
       facilitating network learning through participatory influence network mapping.
       Field Methods 22(3), 231-249.
    """
    col = Collector()
    a = _raw_frame(actors, "actors")
    t = _raw_frame(ties, "ties")
    return assemble(None if a is None else Table(a, sheet="actors"),
                     None if t is None else Table(t, sheet="ties"), col, name=name)
