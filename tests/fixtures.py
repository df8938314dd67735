"""Fixture maps shared by the tests: small canonical InfluenceMaps covering the edge cases.

``FIXTURES`` maps a name to a zero-argument function returning an :class:`InfluenceMap`:
empty, single actor, disconnected, directed, multi-tie, self-loops, and the classic karate and
Florentine networks as maps. The frames are built directly in the canonical dtypes of
:mod:`influence.schema` (no reader involved), so these fixtures do not depend on ``influence.io``.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from influence.model import InfluenceMap, empty_actors, empty_ties
from influence.schema import ACTOR_COLUMNS, DIRECTED_TIE_KINDS, TIE_COLUMNS


def make_map(actors=(), ties=(), name=None) -> InfluenceMap:
    """An InfluenceMap from records, in canonical dtypes (missing columns are NA).

    ``actors``: dicts with ``id`` and any canonical column (``themes`` as a tuple or a
    ';'-separated string). ``ties``: dicts with ``source``, ``target`` and any tie column;
    ``kind`` defaults to ``knows``, ``directed`` to the kind's default, ``strength`` to 1.
    """
    a = empty_actors()
    if actors:
        rows = pd.DataFrame.from_records(list(actors))
        frame = {}
        for col, dtype in ACTOR_COLUMNS.items():
            values = rows[col] if col in rows else pd.Series([pd.NA] * len(rows))
            if col == "name":
                values = values.where(values.notna(), rows["id"])
            if dtype == "list":
                frame[col] = pd.Series([_themes(v) for v in values], dtype=object)
            else:
                frame[col] = _typed(values, dtype)
        a = pd.DataFrame(frame)
        a.index = pd.Index(rows["id"].astype(str), dtype="string", name="id")
        for extra in rows.columns.difference(list(ACTOR_COLUMNS) + ["id"]):
            a[extra] = rows[extra].to_numpy()
    t = empty_ties()
    if ties:
        rows = pd.DataFrame.from_records(list(ties))
        if "kind" not in rows:
            rows["kind"] = "knows"
        rows["kind"] = rows["kind"].fillna("knows")
        if "directed" not in rows:
            rows["directed"] = rows["kind"].isin(DIRECTED_TIE_KINDS)
        if "strength" not in rows:
            rows["strength"] = 1.0
        rows["strength"] = rows["strength"].fillna(1.0)
        frame = {}
        for col, dtype in TIE_COLUMNS.items():
            values = rows[col] if col in rows else pd.Series([pd.NA] * len(rows))
            if dtype.startswith("datetime"):
                frame[col] = pd.to_datetime(values).astype(dtype)
            elif dtype == "bool":
                frame[col] = values.astype(bool)
            else:
                frame[col] = _typed(values, dtype)
        t = pd.DataFrame(frame)
    return InfluenceMap(a, t, name=name)


def _typed(values, dtype):
    values = pd.Series(values.to_numpy(dtype=object))
    if dtype in ("float64", "Int64"):
        return pd.to_numeric(values, errors="coerce").astype(dtype)
    return values.astype(dtype)


def _themes(v):
    if isinstance(v, (tuple, list)):
        return tuple(v)
    if isinstance(v, str):
        return tuple(s.strip() for s in v.split(";") if s.strip())
    return ()


def from_graph(G, *, kind="person", name=None) -> InfluenceMap:
    """A map from a networkx graph: string ids, every node of ``kind``, ties 'knows'."""
    actors = [{"id": str(v), "kind": d.get("kind", kind)} for v, d in G.nodes(data=True)]
    ties = [{"source": str(u), "target": str(v), "strength": float(d.get("strength", 1.0))}
            for u, v, d in G.edges(data=True)]
    return make_map(actors, ties, name=name)


# --- the fixtures -----------------------------------------------------------------------------
def empty():
    return make_map(name="empty")


def single():
    return make_map([{"id": "bl", "kind": "big_local_partnership", "name": "Our Big Local"}],
                    name="single")


def disconnected():
    """A partnership with two members, a separate pair, and an isolated resident."""
    return make_map(
        [{"id": "bl", "kind": "big_local_partnership"},
         {"id": "ann", "kind": "resident", "giving": 100.0},
         {"id": "bob", "kind": "resident", "giving": 0.0},
         {"id": "pc", "kind": "parish_council"},
         {"id": "cat", "kind": "resident"},
         {"id": "club", "kind": "community_group"},
         {"id": "dan", "kind": "resident"}],
        [{"source": "ann", "target": "bl", "kind": "member_of", "hours": 10.0},
         {"source": "bob", "target": "bl", "kind": "chairs", "hours": 40.0},
         {"source": "ann", "target": "pc", "kind": "knows", "strength": 2.0},
         {"source": "cat", "target": "club", "kind": "volunteers_at", "hours": 5.0}],
        name="disconnected")


def directed():
    """Funding and advice flow one way; some ties are undirected."""
    return make_map(
        [{"id": "bl", "kind": "big_local_partnership"},
         {"id": "ann", "kind": "resident"},
         {"id": "cc", "kind": "county_council"},
         {"id": "icb", "kind": "icb"},
         {"id": "cllr", "kind": "county_councillor"},
         {"id": "dev", "kind": "developer"}],
        [{"source": "ann", "target": "bl", "kind": "member_of"},
         {"source": "cc", "target": "bl", "kind": "funds"},
         {"source": "bl", "target": "cllr", "kind": "advises", "strength": 3.0},
         {"source": "cllr", "target": "cc", "kind": "member_of"},
         {"source": "icb", "target": "cc", "kind": "influences"},
         {"source": "dev", "target": "icb", "kind": "influences", "strength": 2.0}],
        name="directed")


def multi_tie():
    """The same pairs tied several times, with different kinds, strengths and hours."""
    return make_map(
        [{"id": "bl", "kind": "big_local_partnership"},
         {"id": "ann", "kind": "resident", "giving": 50.0},
         {"id": "bob", "kind": "resident", "giving": 10.0},
         {"id": "grp", "kind": "community_group"},
         {"id": "pc", "kind": "parish_council"}],
        [{"source": "ann", "target": "bl", "kind": "member_of", "hours": 20.0},
         {"source": "ann", "target": "bl", "kind": "chairs", "hours": 30.0, "strength": 3.0},
         {"source": "ann", "target": "grp", "kind": "member_of", "hours": 2.0},
         {"source": "bob", "target": "grp", "kind": "member_of", "hours": 1.0},
         {"source": "bob", "target": "pc", "kind": "knows"},
         {"source": "pc", "target": "bob", "kind": "knows", "strength": 2.0}],
        name="multi_tie")


def self_loops():
    return make_map(
        [{"id": "bl", "kind": "big_local_partnership"},
         {"id": "ann", "kind": "resident"},
         {"id": "bob", "kind": "resident"}],
        [{"source": "ann", "target": "ann", "kind": "knows"},
         {"source": "ann", "target": "bl", "kind": "member_of", "hours": 3.0},
         {"source": "bl", "target": "bl", "kind": "works_with"},
         {"source": "bob", "target": "ann", "kind": "knows"}],
        name="self_loops")


def karate():
    return from_graph(nx.karate_club_graph(), name="karate")


def florentine():
    G = nx.florentine_families_graph()
    return from_graph(G, kind="community_group", name="florentine")


FIXTURES = {f.__name__: f for f in (empty, single, disconnected, directed, multi_tie,
                                     self_loops, karate, florentine)}


def first_actor(m):
    """The first actor id, or None for an empty map (a focus for analyses that need one)."""
    return m.actors.index[0] if len(m.actors) else None


def relabel(m: InfluenceMap, mapping: dict) -> InfluenceMap:
    """The same map with actor ids renamed (and actors shuffled by the new ids' order)."""
    a = m.actors.copy()
    a.index = pd.Index([mapping[i] for i in a.index], dtype="string", name="id")
    a = a.sort_index()
    t = m.ties.copy()
    t["source"] = t["source"].map(mapping).astype("string")
    t["target"] = t["target"].map(mapping).astype("string")
    return InfluenceMap(a, t, name=m.name)


def permutation(ids, seed=0) -> dict:
    rng = np.random.default_rng(seed)
    new = [f"x{i:03d}" for i in rng.permutation(len(ids))]
    return dict(zip(ids, new, strict=False))
