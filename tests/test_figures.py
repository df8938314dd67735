"""Static figures: rendered, then checked as images (size, ink, legend, labels)."""

from __future__ import annotations

import numpy as np
import pytest
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
    assert "resident" in legend and "county_council" in legend
    assert "Shire County Council" in texts  # the most influential are labelled


def test_map_and_engagement_axes():
    ax = plot_map(area(), color_by="sector", size_by="degree")
    assert ax.get_legend().get_title().get_text() == "sector"
    ax = plot_engagement(area())
    assert len(ax.collections[0].get_offsets()) == 8  # the partnership has no stance
    assert "Key to win over: engage and persuade" in [t.get_text() for t in ax.texts]
    # the county council (influence 5, stance -1) sits in the top-left quadrant
    assert [-1.0, 5.0] in ax.collections[0].get_offsets().tolist()


def test_anonymised_and_hostile_labels_are_literal(tmp_path):
    ax = plot_spheres(area(), anonymise=True, salt="s", label_top=20)
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "Ann Smith" not in texts and "Resident " in texts and "Cllr Dee Patel" in texts
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
    from cli import main

    src = tmp_path / "area.xlsx"
    area().write(src)
    out = tmp_path / "spheres.png"
    res = CliRunner().invoke(main, ["figure", str(src), "-o", str(out), "--view", "spheres"])
    assert res.exit_code == 0, res.output
    assert _ink(_pixels(out)) > 0.01
    res = CliRunner().invoke(main, ["figure", str(src), "-o", str(tmp_path / "x.bmp")])
    assert res.exit_code == 1 and "Error:" in res.output and ".png, .svg or .pdf" in res.output
