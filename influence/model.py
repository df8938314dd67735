"""The influence map: actors and ties as two pandas DataFrames.

An :class:`InfluenceMap` is what every reader returns and every analysis accepts. Its frames are
canonical (column names and dtypes of :mod:`influence.schema`) because data is validated once,
when the map is read or built, and never again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .formats import record_values, write_map
from .schema import ACTOR_COLUMNS, PRIVATE_PREFIX, TIE_COLUMNS

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    import pandas as pd

__all__ = ["InfluenceMap", "empty_actors", "empty_ties", "frames_equal"]


def _empty(columns: dict[str, str], index: str | None = None):
    import pandas as pd

    data = {}
    for col, dtype in columns.items():
        data[col] = pd.Series([], dtype=object if dtype == "list" else dtype)
    frame = pd.DataFrame(data)
    if index:
        frame.index = pd.Index([], dtype="string", name=index)
    return frame


def empty_actors():
    """An actors frame with the canonical columns and no rows."""
    return _empty(ACTOR_COLUMNS, "id")


def empty_ties():
    """A ties frame with the canonical columns and no rows."""
    return _empty(TIE_COLUMNS)


def frames_equal(a, b) -> bool:
    """True when two maps hold the same actors (by id) and ties (as a multiset), dtypes included.

    An undirected tie is the same tie whichever of its ends is the ``source``.

    Examples
    --------
    >>> import influence
    >>> from influence.model import frames_equal
    >>> t = [{"source": "a", "target": "b"}, {"source": "b", "target": "c"}]
    >>> frames_equal(influence.build(ties=t), influence.build(ties=t[::-1]))
    True
    """
    import pandas as pd

    def ties_sorted(frame):
        if len(frame) and {"source", "target", "directed"} <= set(frame.columns):
            swap = ~frame["directed"].astype(bool) & (frame["source"] > frame["target"]).fillna(
                False).astype(bool)
            frame = frame.copy()
            frame.loc[swap, ["source", "target"]] = frame.loc[swap, ["target", "source"]].to_numpy()
        key = ["\x1f".join(map(repr, r)) for r in frame.itertuples(index=False, name=None)]
        return frame.iloc[pd.Series(key, dtype=object).argsort(kind="stable").to_numpy()
                          ].reset_index(drop=True)

    try:
        if sorted(map(str, a.actors.columns)) != sorted(map(str, b.actors.columns)) or \
                sorted(map(str, a.ties.columns)) != sorted(map(str, b.ties.columns)):
            return False
        pd.testing.assert_frame_equal(a.actors.sort_index(), b.actors.sort_index(),
                                      check_like=True)
        ta, tb = ties_sorted(a.ties), ties_sorted(b.ties[list(a.ties.columns)])
        pd.testing.assert_frame_equal(ta, tb)
    except AssertionError:
        return False
    return True


class InfluenceMap:
    """Actors and the ties between them.

    Build one with :func:`influence.read`, :func:`influence.build` (from DataFrames) or
    :func:`influence.from_networkx`; the constructor itself expects canonical frames that have
    already been validated.

    Attributes
    ----------
    actors : pandas.DataFrame
        One row per actor, indexed by ``id`` (string). Canonical columns: ``name``, ``kind``,
        ``sector``, ``sub_area``, ``influence``, ``stance``, ``interest``, ``giving``,
        ``themes`` (tuples of strings), ``age_band``, ``org_code``; any other column is kept.
    ties : pandas.DataFrame
        One row per tie (RangeIndex): ``source``, ``target``, ``kind``, ``directed``,
        ``strength``, ``sign``, ``since``, ``until``, ``confirmed``, ``hours``, ``notes``, plus
        any other column.
    name : str or None
        A label for the map (the file name it came from, or a dataset name).
    source : str or None
        The path it was read from (outputs are never written over it).
    warnings : list of influence.errors.Problem
        What validation noticed but accepted (duplicate ties, self-loops, custom kinds ...).
    actions : pandas.DataFrame or None
        The optional ``actions`` sheet (what the partnership said it would do; see
        :mod:`influence.actions`), or None when the map has none.

    The network the analyses run on is built once per map and cached on it
    (:func:`influence.network`). Assigning ``actors`` or ``ties`` drops it; treat the frames as
    read-only otherwise, or call :meth:`changed` after editing them in place.

    Examples
    --------
    >>> import influence
    >>> m = influence.build(
    ...     actors=[{"id": "ann", "kind": "resident"}, {"id": "pc", "kind": "Parish Council"}],
    ...     ties=[{"source": "ann", "target": "pc", "kind": "member_of"}],
    ... )
    >>> m
    <InfluenceMap: 2 actors, 1 tie>
    >>> m.actors.loc["pc", "kind"]
    'parish_council'
    """

    def __init__(self, actors: pd.DataFrame, ties: pd.DataFrame, *, name=None, source=None,
                 warnings=None, as_at=None, actions=None):
        self._network_cache = {}
        self.actors = actors
        self.actions = actions
        self.ties = ties
        self.name = name
        self.source = source
        self.warnings = list(warnings or [])
        self.as_at = as_at  # the snapshot's date (staleness is judged on it), or None

    # --- the frames: assigning one drops the networks built from the old ones -------------
    @property
    def actors(self) -> pd.DataFrame:
        return self._actors

    @actors.setter
    def actors(self, frame):
        self._actors = frame
        self.changed()

    @property
    def ties(self) -> pd.DataFrame:
        return self._ties

    @ties.setter
    def ties(self, frame):
        self._ties = frame
        self.changed()

    def changed(self) -> None:
        """Forget the networks built from this map (:func:`influence.graph.network` builds one
        once per map and caches it). Assigning ``actors`` or ``ties`` calls this; call it
        yourself after editing either frame in place.

        Examples
        --------
        >>> import influence
        >>> m = influence.build(actors=[{"id": "a", "kind": "resident"},
        ...                             {"id": "b", "kind": "resident"}],
        ...                     ties=[{"source": "a", "target": "b", "strength": 1}])
        >>> influence.network(m) is influence.network(m)
        True
        >>> m.ties.loc[0, "strength"] = 3
        >>> m.changed()
        >>> influence.network(m).strength.tolist()
        [3.0]
        """
        self._network_cache = {}

    def __getstate__(self):  # a pickled or copied map leaves its networks behind
        state = self.__dict__.copy()
        state["_network_cache"] = {}
        return state

    # --- basics --------------------------------------------------------------------------
    def __repr__(self) -> str:
        n, m = len(self.actors), len(self.ties)
        label = f" {self.name}" if self.name else ""
        return (f"<InfluenceMap{label}: {n} actor{'s' if n != 1 else ''}, "
                f"{m} tie{'s' if m != 1 else ''}>")

    def __len__(self) -> int:
        return len(self.actors)

    @property
    def directed(self) -> bool:
        """True when any tie is directed."""
        return bool(len(self.ties)) and bool(self.ties["directed"].any())

    def copy(self) -> InfluenceMap:
        """A deep copy (frames copied, warnings shared)."""
        return InfluenceMap(self.actors.copy(), self.ties.copy(), name=self.name,
                            source=self.source, warnings=self.warnings, as_at=self.as_at,
                            actions=None if self.actions is None else self.actions.copy())

    def equals(self, other: InfluenceMap) -> bool:
        """True when both maps hold the same actors and ties (same columns, values and dtypes).

        Ties are compared as multisets (their order does not matter); actors by id.
        """
        return frames_equal(self, other)

    def public(self) -> InfluenceMap:
        """A copy without the ``private_*`` columns: what every export writes.

        Examples
        --------
        >>> import influence
        >>> m = influence.build(actors=[{"id": "a", "kind": "resident", "private_phone": "0"}])
        >>> list(m.public().actors.columns).count("private_phone")
        0
        """
        a = self.actors.drop(columns=[c for c in self.actors if str(c).startswith(PRIVATE_PREFIX)])
        t = self.ties.drop(columns=[c for c in self.ties if str(c).startswith(PRIVATE_PREFIX)])
        return InfluenceMap(a, t, name=self.name, source=self.source, warnings=self.warnings,
                            as_at=self.as_at, actions=self.actions)

    def subset(self, ids) -> InfluenceMap:
        """The map restricted to the given actor ids and the ties among them."""
        keep = self.actors.index.isin(list(ids))
        actors = self.actors[keep]
        idx = set(actors.index)
        ties = self.ties[self.ties["source"].isin(idx) & self.ties["target"].isin(idx)]
        return InfluenceMap(actors, ties.reset_index(drop=True), name=self.name,
                            source=self.source, as_at=self.as_at)

    def write(self, path, *, force: bool = False, inputs=(), safe_csv: bool = True):
        """Write the map to ``path``; the format comes from the extension (see
        :func:`influence.write`).

        ``private_*`` columns are never written. The write is atomic and refuses to overwrite an
        existing file unless ``force=True``, or the file the map was read from, ever.
        """
        return write_map(self, path, force=force, inputs=inputs, safe_csv=safe_csv)

    # --- conversion ----------------------------------------------------------------------
    def to_networkx(self) -> nx.MultiGraph | nx.MultiDiGraph:
        """The whole map as a networkx multigraph, every column kept as an attribute.

        A :class:`networkx.MultiGraph` when no tie is directed, else a
        :class:`networkx.MultiDiGraph` in which each tie is one edge carrying its ``directed``
        flag (an undirected tie is stored once, from ``source`` to ``target``). Missing values
        are left out of the attribute dicts. For a simple graph with multi-ties combined, as
        the analyses use, see :func:`influence.graph.network`.

        Examples
        --------
        >>> import influence
        >>> m = influence.datasets.load("karate")
        >>> G = m.to_networkx()
        >>> G.number_of_nodes(), G.number_of_edges()
        (34, 78)
        """
        import networkx as nx

        G = nx.MultiDiGraph() if self.directed else nx.MultiGraph()
        if self.name:
            G.graph["name"] = self.name
        for node_id, attrs in zip(self.actors.index, record_values(self.actors), strict=False):
            G.add_node(node_id, **attrs)
        for attrs in record_values(self.ties):
            u, v = attrs.pop("source"), attrs.pop("target")
            G.add_edge(u, v, **attrs)
        return G
