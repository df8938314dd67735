"""Centrality: known answers, agreement with networkx AND igraph, conventions, properties."""

from __future__ import annotations

import random

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fixtures import FIXTURES, from_graph, make_map, permutation, relabel
from influence.centrality import MEASURES, centrality
from influence.errors import InputError

TOL = 1e-6


def simple(G):
    H = nx.DiGraph(G) if G.is_directed() else nx.Graph(G)
    H.remove_edges_from(list(nx.selfloop_edges(H)))
    for _, _, d in H.edges(data=True):
        d.setdefault("strength", 1.0)
        d["distance"] = 1.0 / d["strength"]
        d["d6"] = 6 // d["strength"]  # exact integer distances (strengths 1, 2, 3)
    return H


def nx_reference(H, *, sampled=None):
    ref = {
        "degree": nx.degree_centrality(H),
        "betweenness": nx.betweenness_centrality(H, weight="d6"),
        "closeness": nx.closeness_centrality(H, distance="distance"),
        "harmonic": nx.harmonic_centrality(H, distance="distance"),
        "pagerank": nx.pagerank(H, weight="strength", tol=1e-12, max_iter=10000),
        "core_number": nx.core_number(H),
        "eigenvector": nx.eigenvector_centrality(H, weight="strength", tol=1e-12,
                                                 max_iter=100000),
    }
    if H.is_directed():
        ref["in_degree"] = nx.in_degree_centrality(H)
        ref["out_degree"] = nx.out_degree_centrality(H)
    return ref


def weighted(G, seed=1):
    rng = random.Random(seed)
    for u, v in G.edges:
        G[u][v]["strength"] = float(rng.choice([1, 2, 3]))
    return G


def davis():
    return nx.davis_southern_women_graph()


GRAPHS = {
    "karate": nx.karate_club_graph,
    "florentine": nx.florentine_families_graph,
    "davis": davis,
    "karate_weighted": lambda: weighted(nx.karate_club_graph()),
    "directed_strong": lambda: weighted(nx.DiGraph(nx.scale_free_graph(60, seed=3)), 2),
    "directed_gnp": lambda: nx.gnp_random_graph(40, 0.12, seed=5, directed=True),
}


@pytest.mark.parametrize("name", list(GRAPHS))
def test_equals_networkx(name):
    G = GRAPHS[name]()
    H = simple(G)
    ours = centrality(G)
    try:
        ref = nx_reference(H)
    except nx.PowerIterationFailedConvergence:  # pragma: no cover
        pytest.skip("networkx eigenvector does not converge")
    for measure, values in ref.items():
        got = ours.loc[list(values), measure].to_numpy(dtype=float)
        want = np.array(list(values.values()), dtype=float)
        np.testing.assert_allclose(got, want, atol=TOL, err_msg=f"{name}: {measure}")


@pytest.mark.parametrize("name", ["karate", "florentine", "davis", "directed_gnp"])
def test_equals_igraph(name):
    G = nx.convert_node_labels_to_integers(GRAPHS[name]())
    H = simple(G)
    g = ig.Graph(n=len(H), edges=list(H.edges), directed=H.is_directed())
    n = g.vcount()
    ours = centrality(G)
    pair = 1 if g.is_directed() else 2
    np.testing.assert_allclose(ours["betweenness"],
                               np.array(g.betweenness()) * pair / ((n - 1) * (n - 2)), atol=TOL)
    np.testing.assert_allclose(ours["core_number"], g.coreness(mode="all"))
    np.testing.assert_allclose(ours["pagerank"], g.pagerank(), atol=TOL)
    np.testing.assert_allclose(ours["harmonic"],
                               np.array(g.harmonic_centrality(mode="in", normalized=False)),
                               atol=TOL)
    ev = np.array(g.eigenvector_centrality())
    if nx.is_connected(H.to_undirected()) and not g.is_directed():
        np.testing.assert_allclose(ours["eigenvector"], ev / np.linalg.norm(ev), atol=TOL)


def test_hand_computed_path_and_star():
    # path a - b - c - d: b lies on a-c, a-d; c on a-d, b-d
    G = nx.path_graph(list("abcd"))
    c = centrality(G, normalized=False)
    assert c["betweenness"].tolist() == [0, 2, 2, 0]
    assert c["degree"].tolist() == [1, 2, 2, 1]
    assert c["core_number"].tolist() == [1, 1, 1, 1]
    # closeness of a: 3 / (1 + 2 + 3)
    assert c.loc["a", "closeness"] == pytest.approx(0.5)
    assert c.loc["a", "harmonic"] == pytest.approx(1 + 1 / 2 + 1 / 3)
    cn = centrality(G)
    assert cn["betweenness"].tolist() == pytest.approx([0, 2 / 3, 2 / 3, 0])


def test_florentine_pucci_changes_normalised_betweenness():
    """Spec §6: Medici's raw betweenness is 47.5; normalisation depends on the node set."""
    G = nx.florentine_families_graph()
    raw = centrality(G, normalized=False, measures="betweenness")
    assert raw.loc["Medici", "betweenness"] == pytest.approx(47.5)
    assert centrality(G).loc["Medici", "betweenness"] == pytest.approx(47.5 / 91)
    G.add_node("Pucci")
    with_pucci = centrality(G)
    assert with_pucci.loc["Medici", "betweenness"] == pytest.approx(47.5 / 105)
    assert with_pucci.loc["Pucci", ["degree", "betweenness", "closeness", "harmonic",
                                    "eigenvector", "core_number"]].tolist() == [0] * 6


def test_strength_is_a_strength_not_a_distance():
    # a-b strong (3), b-c strong (3), a-c weak (1): the strong two-step path is shorter
    G = nx.Graph()
    G.add_edge("a", "b", strength=3.0)
    G.add_edge("b", "c", strength=3.0)
    G.add_edge("a", "c", strength=1.0)
    c = centrality(G)
    assert c.loc["b", "betweenness"] == 1.0
    assert centrality(G, weight=None).loc["b", "betweenness"] == 0.0
    # closeness of a: 2 / (1/3 + 2/3)
    assert c.loc["a", "closeness"] == pytest.approx(2.0)


def test_multi_ties_combined_by_max_and_self_loops_ignored():
    M = nx.MultiGraph()
    M.add_edge("a", "b", strength=1.0)
    M.add_edge("a", "b", strength=2.0)
    M.add_edge("b", "c", strength=2.0)
    M.add_edge("c", "c", strength=3.0)
    S = nx.Graph([("a", "b", {"strength": 2.0}), ("b", "c", {"strength": 2.0})])
    pd.testing.assert_frame_equal(centrality(M), centrality(S))


def test_disconnected_closeness_is_wasserman_faust():
    G = nx.Graph([(0, 1), (1, 2), (3, 4)])
    c = centrality(G)
    ref = nx.closeness_centrality(G)
    assert c["closeness"].tolist() == pytest.approx([ref[i] for i in range(5)])
    raw = centrality(G, normalized=False)
    ref = nx.closeness_centrality(G, wf_improved=False)
    assert raw["closeness"].tolist() == pytest.approx([ref[i] for i in range(5)])


def test_eigenvector_on_disconnected_graph_is_the_limit_of_networkx_iteration():
    # a triangle (lambda 2) and a separate edge (lambda 1): the edge gets 0
    G = nx.Graph([(0, 1), (1, 2), (0, 2), (3, 4)])
    ev = centrality(G, measures="eigenvector")["eigenvector"]
    assert ev.tolist() == pytest.approx([1 / np.sqrt(3)] * 3 + [0, 0])
    # two equal triangles share the centrality, as networkx's power iteration does
    G = nx.Graph([(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5)])
    ev = centrality(G, measures="eigenvector")["eigenvector"]
    ref = nx.eigenvector_centrality(G, tol=1e-12)
    assert ev.tolist() == pytest.approx([ref[i] for i in range(6)])


@pytest.mark.parametrize("k", [1, 5, 20, 34])
@pytest.mark.parametrize("normalized", [True, False])
def test_sampled_betweenness_equals_networkx_k(k, normalized):
    G = nx.karate_club_graph()
    ours = centrality(G, measures="betweenness", k=k, seed=42, normalized=normalized)
    ref = nx.betweenness_centrality(G, k=k, seed=42, normalized=normalized)
    got = ours["betweenness"].to_numpy()
    want = np.array([ref[i] for i in G])
    np.testing.assert_allclose(got, want, atol=TOL, equal_nan=True)


def test_directed_map_has_in_and_out_degree():
    m = FIXTURES["directed"]()
    c = centrality(m)
    assert {"in_degree", "out_degree"} <= set(c.columns)
    # cc funds bl (one way): bl's in-degree counts it
    assert c.loc["bl", "in_degree"] * (len(m.actors) - 1) == pytest.approx(2)  # ann, cc
    assert c.loc["bl", "out_degree"] * (len(m.actors) - 1) == pytest.approx(2)  # ann, cllr


@pytest.mark.parametrize("normalized", [True, False])
def test_editing_a_result_in_place_leaves_the_next_call_alone(normalized):
    """Repeated calls on one map share its cached network (and degree counts), never a table
    or an array: a caller's in-place edits of one result do not reach the next."""
    m = FIXTURES["directed"]()
    measures = ["degree", "pagerank", "core_number"]
    want = centrality(m, measures=measures, normalized=normalized)
    got = centrality(m, measures=measures, normalized=normalized)
    first = got.index[0]
    got.loc[first, "name"] = "edited"
    got.iloc[0, 0] = "edited"
    got["name"].array[1] = "edited"
    got["kind"].array[1] = "edited"
    for col in ("degree", "in_degree", "out_degree", "core_number"):
        got.loc[first, col] = 99
        values = got[col].to_numpy()
        if values.flags.writeable:  # pandas < 3 hands out the column's own array
            values[1] = 99
    again = centrality(m, measures=measures, normalized=normalized)
    pd.testing.assert_frame_equal(again, want, check_exact=True)
    assert again.loc[first, "name"] != "edited"


def test_map_input_equals_graph_input():
    G = nx.karate_club_graph()
    m = from_graph(G)
    a = centrality(m).drop(columns=["kind", "name"])
    b = centrality(G).drop(columns=["kind", "name"])
    b.index = pd.Index([str(i) for i in b.index], dtype="string", name="id")
    pd.testing.assert_frame_equal(a, b)


def test_columns_and_dtypes():
    c = centrality(nx.karate_club_graph())
    assert list(c.columns) == ["kind", "name", *MEASURES]
    assert c["core_number"].dtype == np.int64 and c["betweenness"].dtype == float
    assert c.index.name == "id"
    assert centrality(nx.Graph(), measures=["pagerank"]).shape == (0, 3)


def test_single_actor_follows_networkx():
    G = nx.Graph()
    G.add_node("x")
    c = centrality(G)
    assert c.loc["x", "degree"] == 1.0 and c.loc["x", "pagerank"] == 1.0
    assert c.loc["x", "eigenvector"] == 1.0 and c.loc["x", "betweenness"] == 0.0


def test_bad_options():
    with pytest.raises(InputError, match="Unknown centrality measure 'fame'. Fix"):
        centrality(nx.path_graph(3), measures=["fame"])
    with pytest.raises(InputError, match="k=0 sampled sources"):
        centrality(nx.path_graph(3), k=0)
    with pytest.raises(InputError, match="must be positive"):
        centrality(nx.Graph([(0, 1, {"strength": -1})]))


@st.composite
def graphs(draw):
    n = draw(st.integers(2, 12))
    edges = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1),
                                    st.sampled_from([1.0, 2.0, 3.0])), max_size=30))
    directed = draw(st.booleans())
    actors = [{"id": f"a{i}", "kind": "resident"} for i in range(n)]
    ties = [{"source": f"a{u}", "target": f"a{v}", "strength": w,
             "kind": "influences" if directed else "knows"} for u, v, w in edges]
    return make_map(actors, ties)


@settings(max_examples=15, deadline=None)
@given(graphs())
def test_relabelling_permutes_rows_only_and_bounds_hold(m):
    mapping = permutation(list(m.actors.index), seed=1)
    a = centrality(m)
    b = centrality(relabel(m, mapping))
    b = b.rename(index={v: k for k, v in mapping.items()}).loc[a.index]
    pd.testing.assert_frame_equal(a.drop(columns=["name"]), b.drop(columns=["name"]),
                                  check_exact=False, atol=1e-9, check_index_type=False)
    pd.testing.assert_frame_equal(a, centrality(m))  # deterministic
    # (weighted closeness can exceed 1: a strength-3 tie is a step of length 1/3)
    for col in ["betweenness", "pagerank", "eigenvector", "in_degree", "out_degree"]:
        if col in a:
            assert ((a[col] >= -1e-12) & (a[col] <= 1 + 1e-9)).all(), col
    assert (a["degree"] <= (2 if "in_degree" in a else 1) + 1e-9).all()  # networkx: in + out
    assert a["pagerank"].sum() == pytest.approx(1.0)


def test_equal_strengths_take_the_fast_path_with_the_same_values():
    G = nx.karate_club_graph()
    nx.set_edge_attributes(G, 2.0, "strength")
    nx.set_edge_attributes(G, 0.5, "distance")
    c = centrality(G)
    for measure, ref in [("closeness", nx.closeness_centrality(G, distance="distance")),
                         ("harmonic", nx.harmonic_centrality(G, distance="distance")),
                         ("betweenness", nx.betweenness_centrality(G, weight="distance"))]:
        np.testing.assert_allclose(c[measure], [ref[v] for v in G], atol=TOL)


# --- the analyses I commands -------------------------------------------------------------------
CLI_CASES = [
    (["centrality", "-m", "degree", "-m", "betweenness", "-f", "csv"], 0, "id,kind,name,degree"),
    (["centrality", "-m", "fame"], 1, "Error: Unknown centrality measure 'fame'. Fix: use any"),
    (["spheres", "--focus", "cc"], 0, "icb"),
    (["spheres", "--frontier"], 0, "cllr"),
    (["spheres", "--focus", "zed"], 1,
     "Error: Unknown focus: zed is neither an actor id nor a kind in the map. Fix:"),
    (["civic-core", "--table", "dimensions"], 0, "people on our map"),
    (["core-periphery", "--model", "continuous", "-f", "json"], 0, '"coreness"'),
]


@pytest.mark.parametrize("args,code,text", CLI_CASES)
def test_cli(tmp_path, args, code, text):
    from click.testing import CliRunner

    from influence.cli import main
    from test_spheres import area

    path = tmp_path / "area.xlsx"
    area().write(path)
    result = CliRunner().invoke(main, [args[0], str(path), *args[1:]])
    assert result.exit_code == code, result.output
    assert text in result.output
    assert "Traceback" not in result.output


def test_cli_writes_a_file_and_refuses_to_overwrite(tmp_path):
    from click.testing import CliRunner

    from influence.cli import main
    from test_spheres import area

    path, out = tmp_path / "area.xlsx", tmp_path / "c.csv"
    area().write(path)
    assert CliRunner().invoke(main, ["centrality", str(path), "-o", str(out)]).exit_code == 0
    assert pd.read_csv(out, index_col="id").shape[0] == 9
    again = CliRunner().invoke(main, ["centrality", str(path), "-o", str(out)])
    assert again.exit_code == 1 and "already exists. Fix" in again.output


# --- the demo area (datasets/hollinford/README.md, finding 2) ----------------------------------
@pytest.mark.parametrize("year", [2019, 2023])
def test_demo_area_brokers_as_the_data_card_says(year):
    import influence
    from influence.schema import PERSON_KINDS

    c = centrality(influence.datasets.load("hollinford", year=year), measures="betweenness")
    people = c[c["kind"].isin(PERSON_KINDS)].sort_values("betweenness", ascending=False)
    assert people.index[0] == "ruth_ellis"
    assert "bev_norris" in people.index[:5]
