"""Static figures: rendered, then checked as images (size, ink, legend, labels)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from click.testing import CliRunner

from influence.errors import InputError, OutputError
from influence.figures import plot_engagement, plot_map, plot_spheres, save_figure
from test_html import HOSTILE, area, hostile_area


def _pixels(path):
    import matplotlib.image as mpimg

    img = mpimg.imread(path)
    return img


def _ink(img):
    """Share of pixels that are not white."""
    rgb = img[..., :3]
    return float((rgb.min(axis=2) < 0.95).mean())


@pytest.mark.parametrize("view", ["spheres", "map", "engagement"])
def test_png_is_drawn_with_legend(tmp_path, view):
    out = save_figure(area(extra=12), tmp_path / f"{view}.png", view=view)
    img = _pixels(out)
    assert img.shape[0] >= 600 and img.shape[1] >= 600
    assert 0.01 < _ink(img) < 0.6  # not blank, not a solid block
    # colour: the legend's swatches and the points are coloured, not only grey
    rgb = img[..., :3]
    assert (rgb.max(axis=2) - rgb.min(axis=2) > 0.3).mean() > 0.0005


def test_sphere_axes_have_rings_legend_and_labels():
    ax = plot_spheres(area())
    texts = [t.get_text() for t in ax.texts]
    for ring in ("partnership", "direct ties", "one introduction away", "not reached"):
        assert ring in texts
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Resident / individual" in legend and "County council" in legend
    assert "resident" not in legend and "county_council" not in legend
    assert "Shire County Council" in texts  # the most influential are labelled


def test_map_and_engagement_axes():
    ax = plot_map(area(), color_by="sector", size_by="degree")
    assert ax.get_legend().get_title().get_text() == "sector"
    ax = plot_engagement(area())
    assert len(ax.collections[0].get_offsets()) == 8  # the partnership has no stance
    assert "win over" in [t.get_text() for t in ax.texts]
    # the county council (influence 5, stance -1) sits in the top-left quadrant
    assert [-1.0, 5.0] in ax.collections[0].get_offsets().tolist()


def test_anonymised_and_hostile_labels_are_literal(tmp_path):
    ax = plot_spheres(area(), anonymise=True, salt="s", label_top=20)
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "Ann Smith" not in texts and "Resident " in texts and "Cllr Dee Patel" not in texts
    assert "Ward councillor" in texts  # office-holders by role
    m = hostile_area()
    m.actors.loc["ann", "name"] = "cost $5 and $x^2$ " + HOSTILE
    out = save_figure(m, tmp_path / "h.svg", view="map", label_top=20)
    assert out.stat().st_size > 5000  # mathtext never tried to parse the dollars


def test_formats_and_errors(tmp_path):
    for ext in ("svg", "pdf"):
        out = save_figure(area(), tmp_path / f"f.{ext}", view="spheres")
        head = out.read_bytes()[:5]
        assert head in (b"<?xml", b"%PDF-")
    with pytest.raises(OutputError, match="Fix: name the output .png, .svg or .pdf"):
        save_figure(area(), tmp_path / "f.gif")
    with pytest.raises(OutputError, match="already exists"):
        save_figure(area(), tmp_path / "f.svg")
    with pytest.raises(InputError, match="Cannot colour by"):
        plot_map(area(), color_by="private_phone")


def test_cli_figure(tmp_path):
    from influence.cli import main

    src = tmp_path / "area.xlsx"
    area().write(src)
    out = tmp_path / "spheres.png"
    res = CliRunner().invoke(main, ["figure", str(src), "-o", str(out), "--view", "spheres"])
    assert res.exit_code == 0, res.output
    assert _ink(_pixels(out)) > 0.01
    res = CliRunner().invoke(main, ["figure", str(src), "-o", str(tmp_path / "x.bmp")])
    assert res.exit_code == 1 and "Error:" in res.output and ".png, .svg or .pdf" in res.output


# --- legibility: label placement and wording (issue 6 follow-up) ------------------------------

DEMO = Path(__file__).resolve().parents[1] / "datasets" / "hollinford" / "2023.xlsx"


@pytest.fixture(scope="module")
def demo():
    from influence import read

    return read(DEMO)


def _drawn_boxes(ax):
    """(text, box) of every non-empty text drawn on the axes, measured after a real draw."""
    import io

    fig = ax.figure
    fig.savefig(io.BytesIO(), format="png", dpi=fig.dpi)
    renderer = fig._get_renderer()
    out = []
    for t in ax.texts:
        if not t.get_visible() or not t.get_text():
            continue
        patch = t.get_bbox_patch()
        box = (patch if patch is not None else t).get_window_extent(renderer)
        out.append((t.get_text(), box.extents))
    return out


def _overlaps(boxes):
    bad = []
    for i, (a, p) in enumerate(boxes):
        for b, q in boxes[i + 1:]:
            if p[0] < q[2] and q[0] < p[2] and p[1] < q[3] and q[1] < p[3]:
                bad.append((a, b))
    return bad


def _node_labels(ax):
    return [t for t in ax.texts if t.get_gid() == "influence-label"]


@pytest.mark.parametrize("draw", [plot_spheres, plot_engagement, plot_map])
def test_no_two_drawn_labels_overlap_on_the_demo_area(demo, draw):
    ax = draw(demo)
    boxes = _drawn_boxes(ax)
    assert _overlaps(boxes) == []
    shown = _node_labels(ax)
    assert 5 <= len(shown) <= (20 if draw is plot_engagement else 12)
    # every label lies inside the axes
    frame = ax.get_window_extent().extents
    for t in shown:
        e = t.get_window_extent().extents
        assert frame[0] <= e[0] and e[2] <= frame[2] and frame[1] <= e[1] and e[3] <= frame[3]
    # the footnote says how many are labelled
    foot = [t.get_text() for t in ax.texts if t.get_text().startswith("Labels shown")]
    assert foot and foot[0].startswith(f"Labels shown for the {len(shown)} most")
    assert "others\nomitted to stay legible" in foot[0]


def test_labels_go_to_the_most_influential_first(demo):
    ax = plot_spheres(demo, label_top=3)
    names = {t.get_text() for t in _node_labels(ax)}
    assert "Westshire County Council" in names  # influence 5: the most influential actor
    assert len(names) <= 3


def test_ring_labels_are_never_dropped_and_clear(demo):
    ax = plot_spheres(demo, label_top=60)
    texts = [t.get_text() for t in ax.texts]
    for ring in ("partnership", "direct ties", "one introduction away", "further", "not reached"):
        assert texts.count(ring) == 1
    assert _overlaps(_drawn_boxes(ax)) == []
    assert 12 < len(_node_labels(ax)) < 60  # many labelled, the rest omitted


def test_no_footnote_when_every_actor_is_labelled():
    ax = plot_spheres(area(), label_top=50)
    assert len(_node_labels(ax)) == 9
    assert not any(t.get_text().startswith("Labels shown") for t in ax.texts)


def test_quadrants_use_the_engagement_actions():
    from influence.engagement import ACTIONS, engagement
    from influence.figures import QUADRANTS

    ax = plot_engagement(area())
    quadrants = [t.get_text() for t in ax.texts if t.get_gid() == "influence-quadrant"]
    assert sorted(quadrants) == sorted(ACTIONS) == sorted(QUADRANTS.values())
    # each scored actor sits in the quadrant named by the action engagement() gives it
    eng = engagement(area(), focus="bl").dropna(subset=["action"])
    where = {tuple(p): None for p in ax.collections[0].get_offsets().tolist()}
    for row in eng.itertuples():
        x, y = float(row.stance), float(row.influence)
        assert (x, y) in where
        assert QUADRANTS[(y >= 2.5, x > 0.5)] == row.action


def test_interested_actors_are_ringed_as_keep_informed(demo):
    from influence.engagement import engagement

    ax = plot_engagement(demo)
    eng = engagement(demo)
    ringed = eng[(eng["action"] == "keep informed") & (eng["stance"] <= 0)]
    assert len(ringed) and len(ax.collections[1].get_offsets()) == len(ringed)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "interested:\nkeep informed" in legend


@settings(max_examples=4, deadline=None)
@given(st.integers(4, 30), st.integers(0, 10_000))
def test_labels_never_overlap_on_random_maps(n, seed):
    import networkx as nx

    G = nx.gnm_random_graph(n, 2 * n, seed=seed)
    nx.set_node_attributes(G, {v: f"Actor number {v} of the estate" for v in G}, "name")
    nx.set_node_attributes(G, {v: "resident" for v in G}, "kind")
    nx.set_node_attributes(G, {v: (v * 7 % 11) / 2 for v in G}, "influence")
    nx.set_node_attributes(G, {v: v % 5 - 2 for v in G}, "stance")
    for draw in (plot_map, plot_engagement):
        ax = draw(G, label_top=n)
        assert _overlaps(_drawn_boxes(ax)) == []


def test_many_ties_are_drawn_once_per_pair_by_width(monkeypatch):
    """Above FAST_EDGES the ties become one path per line width (NaN-separated segments),
    each pair of actors once, at the same positions as the segment-per-tie drawing."""
    import importlib

    import numpy as np

    from influence.graph import network

    figures = importlib.import_module("influence.figures")
    m = area()
    slow = plot_spheres(m)
    from matplotlib.collections import LineCollection

    segments = [c for c in slow.collections if isinstance(c, LineCollection)]
    assert len(segments) == 1 and not slow.lines
    monkeypatch.setattr(figures, "FAST_EDGES", 0)
    fast = plot_spheres(m)
    assert not [c for c in fast.collections if isinstance(c, LineCollection)]
    und = network(m).undirected()
    drawn = sum(int(np.isnan(line.get_xdata()).sum()) for line in fast.lines)
    assert drawn == und.m  # one NaN gap per tie: each pair once
    widths = {line.get_linewidth() for line in fast.lines}
    assert widths == {0.5 + 0.5 * (w - 1) for w in set(und.strength.tolist())}
    ends = {tuple(np.round(s, 9).ravel()) for s in segments[0].get_segments()}
    xs = np.concatenate([line.get_xdata() for line in fast.lines])
    ys = np.concatenate([line.get_ydata() for line in fast.lines])
    pts = np.column_stack([xs, ys])
    pairs = {tuple(np.round(np.concatenate([pts[i], pts[i + 1]]), 9))
             for i in range(0, len(pts), 3)}
    flipped = {(a[2], a[3], a[0], a[1]) for a in ends}
    assert pairs <= ends | flipped


def test_many_ties_in_a_png_look_as_agg_draws_them(tmp_path, monkeypatch):
    """Above FAST_EDGES a PNG's ties are laid down by _tie_coverage, not by Agg's stroking:
    the picture is the same to within a few levels of grey (caps aside), and an SVG still
    gets the ties as vector paths."""
    import importlib

    import matplotlib.image as mpimg
    import numpy as np
    from matplotlib.lines import Line2D

    figures = importlib.import_module("influence.figures")
    monkeypatch.setattr(figures, "FAST_EDGES", 0)
    m = area(extra=300)
    fast = save_figure(m, tmp_path / "fast.png")
    monkeypatch.setattr(figures, "_Haze", Line2D)  # Agg strokes the same lines itself
    agg = save_figure(m, tmp_path / "agg.png")
    a, b = mpimg.imread(agg)[..., :3], mpimg.imread(fast)[..., :3]
    assert a.shape == b.shape
    diff = np.abs(a - b) * 255
    assert diff.mean() < 0.5 and (diff > 16).mean() < 0.001
    monkeypatch.setattr(figures, "_Haze", None)
    svg = save_figure(m, tmp_path / "fast.svg").read_text()
    assert svg.count("<path") > 10 and "<image" not in svg
