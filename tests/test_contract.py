"""One contract over every analysis x every fixture map (tests/fixtures.py).

To add an analysis, append ONE line to ``ANALYSES``: a name and a function of the map that
calls it. The test then checks, on every fixture (empty, single actor, disconnected, directed,
multi-tie, self-loops, karate, Florentine), that it runs without error and that

* its result follows the result convention (:mod:`influence.result`): a DataFrame (a measure),
  or a :class:`influence.Result` whose ``.table`` is a DataFrame, whose ``.tables`` are all
  DataFrames with ``table`` first, and whose ``.sentences`` is a list of str;
* every table of the result (the DataFrame itself, or each of ``.tables``):

  - has a unique index; when indexed by actor (index named ``id``), every label is an actor id;
  - has at least the columns it has on the empty map, each with the same dtype on every fixture;
  - is the same when the analysis runs again (deterministic).

An analysis that cannot run on some maps says so with ``needs=``: on a fixture without what it
needs it must raise an :class:`~influence.InfluenceError` whose message matches, and on every
other fixture it must run. Nothing is skipped silently.
"""

from __future__ import annotations

import importlib
import re
from typing import Callable, NamedTuple

import pandas as pd
import pytest

from fixtures import FIXTURES, first_actor
from influence.errors import InfluenceError
from influence.model import InfluenceMap
from influence.result import Result
from influence.schema import PARTNERSHIP_KIND, PERSON_KINDS


class Need(NamedTuple):
    """What an analysis needs from a map, and the error it raises on a map without it."""

    what: str
    holds: Callable
    error: str  # a regular expression the error message matches


def _call(module, name, *, first=None, needs=(), some_actors=False, other_ids=(), **kwargs):
    """A lazy call: import ``influence.<module>`` only when the analysis runs.

    ``first``: the first argument as a function of the map (default the map itself).
    ``needs``: the :class:`Need` s of the analysis. ``some_actors``: its main table has rows for
    some actors only (not every actor). ``other_ids``: its tables whose index is named ``id``
    but holds ids of something else (indicators).
    """
    def run(m):
        fn = getattr(importlib.import_module(f"influence.{module}"), name)
        return fn(m if first is None else first(m),
                  **{k: (v(m) if callable(v) else v) for k, v in kwargs.items()})
    run.public, run.needs = name, tuple(needs)
    run.some_actors, run.other_ids = some_actors, set(other_ids)
    return run


def _body(m):
    """The first actor that is a body (neither a person nor the partnership), or None."""
    kinds = m.actors["kind"]
    found = kinds.index[~kinds.isin(list(PERSON_KINDS) + [PARTNERSHIP_KIND])]
    return found[0] if len(found) else None


def _without_last(m):
    """The map without its last actor and that actor's ties (a later snapshot to compare)."""
    if not len(m.actors):
        return m
    last = m.actors.index[-1]
    t = m.ties
    keep = (t["source"] != last) & (t["target"] != last)
    return InfluenceMap(m.actors.drop(index=last), t[keep].reset_index(drop=True), name=m.name)


def _snapshots(m):
    """Two snapshots of the map, labelled 2019 (without its last actor) and 2023 (the map)."""
    old = _without_last(m)
    return [InfluenceMap(old.actors, old.ties, name="area 2019"),
            InfluenceMap(m.actors, m.ties, name="area 2023")]


#: The default focus: the partnership (an empty map needs none: there is nothing to reach).
PARTNERSHIP = Need("a big_local_partnership actor (the default focus)",
                   lambda m: not len(m.actors) or bool((m.actors["kind"] == PARTNERSHIP_KIND)
                                                       .any()),
                   "has no big_local_partnership actor")

ANALYSES = {
    "centrality": _call("centrality", "centrality"),
    "centrality_raw": _call("centrality", "centrality", normalized=False, weight=None),
    "spheres": _call("spheres", "spheres", focus=first_actor),
    "spheres_steps": _call("spheres", "spheres", focus=first_actor, steps=1),
    "frontier": _call("spheres", "frontier", focus=first_actor, some_actors=True),
    "civic_core": _call("civic", "civic_core", some_actors=True),  # people only
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
                       radius=2, by="sub_area", some_actors=True),
    "brokerage_permutations": _call("brokerage", "brokerage", by="kind", permutations=20,
                                    seed=1),
    "brokerage_totals": _call("brokerage_inference", "brokerage_totals", by="kind",
                              permutations=20, seed=1),
    "brokers_communities": _call("brokerage", "brokers"),
    "bonding_bridging": _call("bonding", "bonding_bridging", focus=first_actor,
                              some_actors=True),
    "bonding_bridging_partnership": _call("bonding", "bonding_bridging", needs=[PARTNERSHIP],
                                          some_actors=True),
    "leadership": _call("leadership", "leadership", focus=first_actor, other_ids=["table"]),
    "leadership_partnership": _call("leadership", "leadership", needs=[PARTNERSHIP],
                                    other_ids=["table"]),
    "engagement": _call("engagement", "engagement", focus=first_actor, some_actors=True),
    "missing": _call("missing", "missing", focus=first_actor),
    "missing_partnership": _call("missing", "missing", priorities="health,youth",
                                 needs=[PARTNERSHIP]),
    "compare": _call("compare", "compare", new=_without_last, focus=first_actor,
                     some_actors=True, other_ids=["leadership"]),
    "follow_up": _call("actions", "follow_up", focus=first_actor, as_at="2023-09-01"),
    "suggest_actions": _call("actions", "suggest_actions", focus=first_actor,
                             as_at="2023-09-01"),
    "brief": _call("brief", "brief", body=_body, focus=first_actor, as_at="2023-09-01",
                   needs=[Need("a body to meet (not a person or the partnership)",
                               lambda m: _body(m) is not None, "Unknown body None")]),
    "invite": _call("invite", "invite", theme="youth", focus=first_actor, some_actors=True),
    "legacy": _call("legacy", "legacy", focus=first_actor, some_actors=True),
    "sphere_history": _call("history", "sphere_history", first=_snapshots,
                            person=first_actor, some_actors=True, needs=[
        Need("a person to follow", lambda m: len(m.actors) > 0, "Unknown person None"),
        PARTNERSHIP]),
    # other analyses: add one line each, e.g.
    # "brokerage": _call("brokerage", "brokerage", partition="kind"),
}
#: Public analyses the contract does not run, and why (every other one must be in ANALYSES).
NOT_IN_CONTRACT = {
    "review": "a report of every analysis above, not one analysis (tests/test_review.py)",
}


def _missing_need(analysis, m):
    """The first thing the analysis needs that the map lacks, or None."""
    return next((n for n in ANALYSES[analysis].needs if not n.holds(m)), None)


def frames(result) -> dict:
    """The tables of a result (name -> DataFrame), checking the result convention."""
    if isinstance(result, Result):
        tables = result.tables
        assert isinstance(result.table, pd.DataFrame), f"{type(result).__name__}.table"
        assert list(tables)[:1] == ["table"] and tables["table"] is result.table, (
            f"{type(result).__name__}.tables must start with its main table, 'table'")
        wrong = [k for k, v in tables.items() if not isinstance(v, pd.DataFrame)]
        assert not wrong, f"{type(result).__name__}.tables {wrong} are not DataFrames"
        sentences = result.sentences
        assert isinstance(sentences, list) and all(isinstance(x, str) for x in sentences), (
            f"{type(result).__name__}.sentences must be a list of str")
        return tables
    assert isinstance(result, pd.DataFrame), (
        f"{type(result).__name__} is neither a DataFrame nor an influence.Result")
    return {"table": result}


_CACHE: dict = {}


def run(analysis, fixture):
    key = (analysis, fixture)
    if key not in _CACHE:
        _CACHE[key] = ANALYSES[analysis](FIXTURES[fixture]())
    return _CACHE[key]


def reference_fixture(analysis):
    """The empty map, or the first fixture with what the analysis needs."""
    return next(f for f in FIXTURES if _missing_need(analysis, FIXTURES[f]()) is None)


@pytest.mark.parametrize("fixture", list(FIXTURES))
@pytest.mark.parametrize("analysis", list(ANALYSES))
def test_contract(analysis, fixture):
    m = FIXTURES[fixture]()
    need = _missing_need(analysis, m)
    if need is not None:
        with pytest.raises(InfluenceError) as caught:
            ANALYSES[analysis](m)
        assert re.search(need.error, str(caught.value)), (
            f"{analysis} on {fixture} (without {need.what}) raised {caught.value!r}")
        return
    result = run(analysis, fixture)
    ref_fixture = reference_fixture(analysis)
    reference = frames(run(analysis, ref_fixture))
    got = frames(result)
    assert set(got) == set(reference)
    ids = set(m.actors.index)
    for name, frame in got.items():
        where = f"{analysis}.{name} on {fixture}"
        assert frame.index.is_unique, where
        if frame.index.name == "id" and name not in ANALYSES[analysis].other_ids:
            assert set(frame.index) <= ids, f"{where}: labels that are not actor ids"
        ref = reference[name]
        missing = set(ref.columns) - set(frame.columns)
        assert not missing, f"{where}: missing columns {missing}"
        for col in ref.columns:
            assert frame[col].dtype == ref[col].dtype, (
                f"{where}: column {col!r} is {frame[col].dtype}, {ref[col].dtype} on the "
                f"{ref_fixture} map")
    again = frames(ANALYSES[analysis](m))
    for name, frame in got.items():
        pd.testing.assert_frame_equal(frame, again[name], obj=f"{analysis} rerun")


@pytest.mark.parametrize("analysis", list(ANALYSES))
def test_actor_rows_cover_the_map(analysis):
    """Per-actor main tables on the disconnected fixture never drop an actor silently."""
    m = FIXTURES["disconnected"]()
    if _missing_need(analysis, m) is not None or ANALYSES[analysis].some_actors:
        return
    frame = frames(run(analysis, "disconnected"))["table"]
    if frame.index.name == "id" and "table" not in ANALYSES[analysis].other_ids:
        assert set(frame.index) == set(m.actors.index), analysis


def test_every_public_analysis_is_in_the_contract():
    """Each analysis in ``tests/test_docs.py`` runs here (or says in NOT_IN_CONTRACT why not)."""
    from test_docs import ANALYSES as PUBLIC

    run_here = {fn.public for fn in ANALYSES.values()}
    left_out = sorted(PUBLIC - run_here - set(NOT_IN_CONTRACT))
    assert not left_out, f"public analyses {left_out} are not in tests/test_contract.py"


def test_old_result_names_still_work():
    """Each Result's main table keeps the name it had before the result convention."""
    for analysis, old in [("civic_core", "people"), ("ei_index", "actors"),
                          ("bonding_bridging", "members"), ("compare", "actors"),
                          ("brief", "duties")]:
        result = run(analysis, "disconnected")
        assert getattr(result, old) is result.table, f"{analysis}: .{old} is not .table"
    for analysis in ("civic_core", "communities", "ei_index", "leadership"):
        result = run(analysis, "disconnected")
        assert result.sentences == [result.sentence], analysis
    h = run("sphere_history", "disconnected")
    assert h.sentences is h.attrs["sentences"] and h.summary is h.attrs["summary"]


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


def test_results_show_their_main_table_in_a_notebook():
    for analysis in ANALYSES:
        if _missing_need(analysis, FIXTURES["disconnected"]()) is not None:
            continue
        result = run(analysis, "disconnected")
        if isinstance(result, Result) and not isinstance(result, pd.DataFrame):
            shown = result._repr_html_()
            assert "<table" in shown and shown.startswith("<p><code>&lt;"), analysis
