"""One contract over every analysis x every fixture map (tests/fixtures.py).

To add an analysis, append ONE line to ``ANALYSES``: a name and a function of the map that
calls it. The test then checks, on every fixture (empty, single actor, disconnected, directed,
multi-tie, self-loops, karate, Florentine), that it runs without error and that every
DataFrame it returns (the result itself, or the DataFrame attributes of a result object):

* has a unique index; when indexed by actor (index named ``id``), every label is an actor id;
* has at least the columns it has on the empty map, each with the same dtype on every fixture;
* is the same when the analysis runs again (deterministic).
"""

from __future__ import annotations

import importlib

import pandas as pd
import pytest

from fixtures import FIXTURES, first_actor


def _call(module, name, **kwargs):
    """A lazy call: import ``influence.<module>`` only when the analysis runs."""
    def run(m):
        fn = getattr(importlib.import_module(f"influence.{module}"), name)
        return fn(m, **{k: (v(m) if callable(v) else v) for k, v in kwargs.items()})
    return run


ANALYSES = {
    "centrality": _call("centrality", "centrality"),
    "centrality_raw": _call("centrality", "centrality", normalized=False, weight=None),
    "spheres": _call("spheres", "spheres", focus=first_actor),
    "spheres_steps": _call("spheres", "spheres", focus=first_actor, steps=1),
    "frontier": _call("spheres", "frontier", focus=first_actor),
    "civic_core": _call("civic", "civic_core"),
    "core_periphery": _call("coreperiphery", "core_periphery"),
    "core_periphery_tie": _call("coreperiphery", "core_periphery", pattern="core_periphery_tie"),
    "core_periphery_continuous": _call("coreperiphery", "core_periphery", model="continuous"),
    "brokerage": _call("brokerage", "brokerage", by="kind"),
    "brokerage_fractional": _call("brokerage", "brokerage", by="kind", fractional=True),
    "brokers": _call("brokerage", "brokers", by="kind"),
    "structural_holes": _call("holes", "structural_holes"),
    "structural_holes_ego": _call("holes", "structural_holes", scope="ego", weight=None),
    "gatekeepers": _call("gatekeepers", "gatekeepers", community=first_actor,
                         institution=lambda m: m.actors.index[-1] if len(m.actors) else None),
    "communities": _call("communities", "communities"),
    "communities_louvain": _call("communities", "communities", method="louvain", weight=None),
    "communities_label_propagation": _call("communities", "communities",
                                           method="label_propagation"),
    "ei_index": _call("mixing", "ei_index", by="kind"),
    "ei_index_permutations": _call("mixing", "ei_index", by="kind", permutations=20, seed=1),
    "assortativity": _call("mixing", "assortativity", by=["kind", "sector", "influence"]),
    "ego": _call("ego", "ego"),
    "ego_focus": _call("ego", "ego", focus=lambda m: [first_actor(m)] if len(m.actors) else [],
                       radius=2, by="sub_area"),
    "brokerage_permutations": _call("brokerage", "brokerage", by="kind", permutations=20,
                                    seed=1),
    "brokerage_totals": _call("brokerage_inference", "brokerage_totals", by="kind",
                              permutations=20, seed=1),
    "brokers_communities": _call("brokerage", "brokers"),
    "bonding_bridging": _call("bonding", "bonding_bridging", focus=first_actor),
    # other analyses: add one line each, e.g.
    # "brokerage": _call("brokerage", "brokerage", partition="kind"),
}


def frames(result) -> dict:
    """The DataFrames in a result: itself, or its DataFrame attributes by name."""
    if isinstance(result, pd.DataFrame):
        return {"": result}
    out = {k: v for k, v in vars(result).items() if isinstance(v, pd.DataFrame)}
    assert out, f"{type(result).__name__} holds no DataFrame"
    return out


_CACHE: dict = {}


def run(analysis, fixture):
    key = (analysis, fixture)
    if key not in _CACHE:
        _CACHE[key] = ANALYSES[analysis](FIXTURES[fixture]())
    return _CACHE[key]


@pytest.mark.parametrize("fixture", list(FIXTURES))
@pytest.mark.parametrize("analysis", list(ANALYSES))
def test_contract(analysis, fixture):
    m = FIXTURES[fixture]()
    result = run(analysis, fixture)
    reference = frames(run(analysis, "empty"))
    got = frames(result)
    assert set(got) == set(reference)
    ids = set(m.actors.index)
    for name, frame in got.items():
        where = f"{analysis}.{name or 'result'} on {fixture}"
        assert frame.index.is_unique, where
        if frame.index.name == "id":
            assert set(frame.index) <= ids, f"{where}: labels that are not actor ids"
        ref = reference[name]
        missing = set(ref.columns) - set(frame.columns)
        assert not missing, f"{where}: missing columns {missing}"
        for col in ref.columns:
            assert frame[col].dtype == ref[col].dtype, (
                f"{where}: column {col!r} is {frame[col].dtype}, {ref[col].dtype} on the empty map")
    again = frames(ANALYSES[analysis](m))
    for name, frame in got.items():
        pd.testing.assert_frame_equal(frame, again[name], obj=f"{analysis} rerun")


@pytest.mark.parametrize("analysis", list(ANALYSES))
def test_actor_rows_cover_the_map(analysis):
    """Per-actor tables on the disconnected fixture never drop an actor silently."""
    m = FIXTURES["disconnected"]()
    for name, frame in frames(run(analysis, "disconnected")).items():
        if frame.index.name == "id" and name in ("", "table"):
            assert set(frame.index) == set(m.actors.index) or analysis in ("frontier", "ego_focus")


def test_network_min_strength_filters_on_strength_when_weights_are_ignored():
    import networkx as nx

    from influence.graph import network

    G = nx.Graph()
    G.add_edge("a", "b", strength=3)
    G.add_edge("b", "c", strength=1)
    net = network(G, weight=None, min_strength=2)
    assert net.m == 1 and list(net.strength) == [1.0]
    assert network(G, weight="strength", min_strength=2).strength.tolist() == [3.0]
    summed = network(nx.MultiGraph([("a", "b", {"strength": 1}), ("a", "b", {"strength": 2})]),
                     combine="sum")
    assert summed.strength.tolist() == [3.0]
