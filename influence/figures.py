"""Static figures for printed packs (matplotlib): the sphere diagram, the map, the engagement grid.

Each ``plot_*`` function draws on a given matplotlib ``Axes`` (or a new figure) and returns the
Axes; :func:`save_figure` writes one as PNG, SVG or PDF atomically. No pyplot state is used, so
they are safe in scripts and servers; in Jupyter, show ``ax.figure``. Labels are placed by
:mod:`influence.figure_labels`.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np

from .drawing import (OTHER_COLOUR, PALETTE, RING_LABELS, layout, size_values, sphere_layout,
                      text)
from .engagement import QUADRANT_WORDS
from .errors import InputError, OutputError
from .figure_labels import (BESIDE, finish_labels, label_actors, label_footnote, literal_text,
                            place_labels, place_ring_names)
from .privacy import pseudonyms

__all__ = ["plot_spheres", "plot_map", "plot_engagement", "save_figure"]

_FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}


def _axes(ax, size=(9, 9), dpi=100):
    if ax is not None:
        return ax
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, dpi=dpi, layout="constrained")
    return fig.subplots()


def _common(m, color_by, anonymise, salt):
    """Network, display labels and colour groups shared by the figures."""
    from .graph import network

    net = network(m)
    actors = net.actors
    names = {}
    if anonymise:
        names = pseudonyms(m, salt=salt)
    name_col = _texts(actors["name"]) if "name" in actors else [None] * net.n
    labels = [names[i] if i in names else (v or str(i))
              for i, v in zip(_listed(net.ids), name_col, strict=False)]
    if color_by not in actors or str(color_by).startswith("private_"):
        raise InputError(f"Cannot colour by {color_by!r}: there is no such actor column. "
                         "Fix: use kind, sector or sub_area.")
    raw = [v or "(none)" for v in _texts(actors[color_by])]
    counts = Counter(raw)
    ranked = [v for _, v in sorted((-n, v) for v, n in counts.items())]
    keep = ranked[: len(PALETTE) - 1] if len(ranked) > len(PALETTE) else ranked
    colours = {g: PALETTE[k] for k, g in enumerate(keep)}
    at = {g: k for k, g in enumerate(keep)}
    node_colour = _rgba([*PALETTE[:len(keep)], OTHER_COLOUR], [at.get(g, len(keep)) for g in raw])
    legend = [(g, colours[g]) for g in keep]
    if len(keep) < len(ranked):
        legend.append(("other", OTHER_COLOUR))
    return net, labels, node_colour, legend


def _listed(column):
    """The values of a column or index as a list (quicker than iterating over it)."""
    return column.to_numpy(dtype=object).tolist()


def _texts(column):
    """:func:`~influence.drawing.text` of each value of a column (text as it is: quick)."""
    return [v if type(v) is str else text(v) for v in _listed(column)]


def _values(column):
    """(value, missing) for each value of a column."""
    return zip(_listed(column), column.isna().tolist(), strict=True)


def _rgba(palette, codes):
    """The colours ``palette[code]`` as an (n, 4) array: what matplotlib makes of a list of
    colour names, each name converted once."""
    from matplotlib.colors import to_rgba

    return np.array([to_rgba(c) for c in palette])[np.asarray(codes, dtype=np.intp)]


#: Above this many edges the ties are drawn as one path per line width, each pair once: a
#: segment per tie costs ~25 s of CPU per figure at 300k ties, for a picture that is a haze.
#: In a PNG (Agg) each path is then rasterised by :func:`_tie_coverage`, several times faster
#: than Agg's own stroking of a path of 100,000s of segments, for the same picture.
FAST_EDGES = 20_000


def _edges(ax, net, xy):
    from matplotlib.collections import LineCollection

    if not net.m:
        return
    widths = 0.5 + 0.5 * (net.strength - 1)
    if net.m <= FAST_EDGES:
        segs = np.stack([xy[net.src], xy[net.dst]], axis=1)
        ax.add_collection(LineCollection(segs, colors="#777777", alpha=0.35,
                                         linewidths=widths, zorder=1))
        return
    und = net.undirected()
    widths = np.round((0.5 + 0.5 * (und.strength - 1)) * 4) / 4  # a few widths, not one each
    for w in np.unique(widths):
        pick = widths == w
        x = np.full((int(pick.sum()), 3), np.nan)
        y = x.copy()
        x[:, 0], x[:, 1] = xy[und.src[pick], 0], xy[und.dst[pick], 0]
        y[:, 0], y[:, 1] = xy[und.src[pick], 1], xy[und.dst[pick], 1]
        ax.add_line(_haze_class()(x.ravel(), y.ravel(), color="#777777", alpha=0.35,
                                  linewidth=float(w), zorder=1))


def _haze_class():
    """A ``Line2D`` whose segments, drawn into a PNG, are rasterised by :func:`_tie_coverage`
    (anything else, SVG or PDF, gets the line itself)."""
    global _Haze
    if _Haze is None:
        from matplotlib.backend_bases import RendererBase
        from matplotlib.backends.backend_agg import RendererAgg
        from matplotlib.lines import Line2D

        class Haze(Line2D):
            def draw(self, renderer):
                # a real Agg draw: not one with drawing switched off (measuring the layout),
                # whose draw_* are stand-ins wrapping RendererBase's
                off = getattr(renderer.draw_path, "__wrapped__", None) is RendererBase.draw_path
                if isinstance(renderer, RendererAgg) and not off:
                    renderer = _HazeRenderer(renderer)
                super().draw(renderer)

        _Haze = Haze
    return _Haze


_Haze = None


class _HazeRenderer:
    """An Agg renderer whose ``draw_path`` lays the path's segments down as one image."""

    def __init__(self, renderer):
        self._renderer = renderer

    def __getattr__(self, name):
        return getattr(self._renderer, name)

    def draw_path(self, gc, path, transform, rgbFace=None):
        r = self._renderer
        if (path.codes is not None or rgbFace is not None or not gc.get_antialiased()
                or gc.get_clip_path()[0] is not None or gc.get_dashes()[1] is not None
                or gc.get_sketch_params() is not None):  # not plain segments: Agg draws them
            return r.draw_path(gc, path, transform, rgbFace)
        v = transform.transform(path.vertices)
        v[:, 1] = r.height - v[:, 1]  # Agg's rows run down
        ok = np.isfinite(v).all(axis=1)
        ends = ok[:-1] & ok[1:]  # each pair of consecutive points is a segment
        x0, y0, x1, y1 = 0, 0, int(r.width), int(r.height)
        clip = gc.get_clip_rectangle()
        if clip is not None:  # Agg rounds the clip box to whole pixels, likewise
            (l, b), (rt, t) = clip.get_points()
            x0, x1 = max(int(np.floor(l + 0.5)), 0), min(int(np.floor(rt + 0.5)), x1)
            y0, y1 = max(int(np.floor(r.height - t + 0.5)), 0), \
                min(int(np.floor(r.height - b + 0.5)), y1)
        if x1 <= x0 or y1 <= y0 or not ends.any():
            return
        width = r.points_to_pixels(gc.get_linewidth())
        cap = 0.0 if gc.get_capstyle() == "butt" else width / 2
        off = np.array([x0, y0])
        cover = _tie_coverage(v[:-1][ends] - off, v[1:][ends] - off, width, cap,
                              (y1 - y0, x1 - x0))
        rgba = gc.get_rgb()
        image = np.empty(cover.shape + (4,), np.uint8)
        image[..., :3] = np.round(np.asarray(rgba[:3]) * 255).astype(np.uint8)
        image[..., 3] = np.round(cover * (rgba[3] * 255)).astype(np.uint8)
        r.draw_image(gc, x0, r.height - y1, image[::-1].copy())  # its first row at the bottom


def _tie_coverage(p0, p1, width, cap, shape, chunk=1 << 17):
    """How much of each pixel the segments ``p0``-``p1`` (pixels, rows down) of ``width``
    cover, summed over the segments and capped at 1, as Agg fills one stroked path: each
    segment, extended by ``cap`` at both ends, is cut into one-pixel columns along its longer
    axis and each column's cross-section (``width`` over the cosine of the slope) spread over
    the pixels it overlaps."""
    d = p1 - p0
    length = np.hypot(d[:, 0], d[:, 1])
    keep = length > 0
    p0, p1, d, length = p0[keep], p1[keep], d[keep], length[keep]
    stretch = d * (cap / length)[:, None]
    p0, p1 = p0 - stretch, p1 + stretch
    steep = np.abs(d[:, 1]) > np.abs(d[:, 0])
    # along x, or along y with the axes swapped: columns run along a segment's longer axis
    a = np.where(steep[:, None], p0[:, ::-1], p0)
    b = np.where(steep[:, None], p1[:, ::-1], p1)
    back = a[:, 0] > b[:, 0]
    a, b = np.where(back[:, None], b, a), np.where(back[:, None], a, b)
    slope = (b[:, 1] - a[:, 1]) / (b[:, 0] - a[:, 0])
    thick = width * np.sqrt(1 + slope * slope)  # a column's cross-section
    deep = np.ceil(thick).astype(np.int64) + 1  # the rows it can touch
    total = np.zeros(shape)
    for major in (False, True):
        cols, rows = shape if major else shape[::-1]
        grid = np.zeros((rows + 2 * int(deep.max())) * cols)  # room above and below
        pad = int(deep.max())
        for depth in np.unique(deep):
            pick = (steep == major) & (deep == depth)
            first = np.maximum(np.floor(a[pick, 0]), 0).astype(np.int64)
            ncol = np.minimum(np.floor(b[pick, 0]), cols - 1).astype(np.int64) - first + 1
            on = ncol > 0  # some of it inside the picture
            _columns(grid, cols, rows, pad, depth, a[pick][on], b[pick][on], slope[pick][on],
                     thick[pick][on], first[on], ncol[on], chunk)
        grid = grid.reshape(-1, cols)[pad:pad + rows]
        total += grid.T if major else grid
    return np.minimum(total, 1.0)


def _columns(grid, cols, rows, pad, depth, a, b, slope, thick, first, ncol, chunk):
    """Add the cover of segments (along x, ``depth`` rows per column at most) to ``grid``."""
    if not len(a):
        return
    base = a[:, 1] - a[:, 0] * slope - thick / 2  # the top edge at x = 0
    start = np.concatenate([[0], np.cumsum(ncol)])
    cuts = np.unique(np.concatenate([
        np.searchsorted(start, np.arange(0, start[-1], chunk), side="right") - 1,
        [0, len(ncol)]]))
    steps = np.arange(depth)[:, None]
    for s, e in zip(cuts[:-1], cuts[1:], strict=True):
        seg = np.repeat(np.arange(s, e), ncol[s:e])
        col = np.arange(len(seg)) - (start[seg] - start[s]) + first[seg]
        # the part of each column the segment spans: the whole column but at its ends
        lo, hi = col.astype(float), col + 1.0
        ends = start[s:e] - start[s], start[s + 1:e + 1] - start[s] - 1
        lo[ends[0]] = np.maximum(lo[ends[0]], a[s:e, 0])
        hi[ends[1]] = np.minimum(hi[ends[1]], b[s:e, 0])
        top = base[seg] + (lo + hi) / 2 * slope[seg]
        row = np.floor(top)
        # how far the cross-section reaches below the top of each row, from its first
        reach = np.minimum(row + 1 - top + steps, thick[seg])
        cover = np.diff(reach, axis=0, prepend=0) * (hi - lo)
        where = (row.clip(-pad, rows).astype(np.int64) + pad + steps) * cols + col
        grid += np.bincount(where.ravel(), cover.ravel(), minlength=grid.size)


def _legend(ax, legend, title):
    """The colour legend, each group named in words (display labels: "Council officer")."""
    from matplotlib.lines import Line2D

    from .schema import display_label

    handles = [Line2D([], [], marker="o", linestyle="", markersize=9, markerfacecolor=c,
                      markeredgecolor="#333333", label=literal_text(display_label(title, g)))
               for g, c in legend]
    ax.legend(handles=handles, title=literal_text(title), loc="upper left",
              bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=9)


def _importance(net):
    import pandas as pd

    if "influence" in net.actors:
        v = pd.to_numeric(net.actors["influence"], errors="coerce").to_numpy(float, na_value=np.nan)
        if np.isfinite(v).any():
            return np.nan_to_num(v, nan=0.0)
    deg = np.bincount(np.concatenate([net.src, net.dst]), minlength=net.n).astype(float)
    return deg


def plot_spheres(m, *, ax=None, focus=None, spheres=None, color_by="kind", label_top=12,
                 anonymise=False, salt=None, title=None, dpi=100):
    """The sphere-of-influence diagram: concentric labelled rings around the partnership.

    Parameters
    ----------
    m : InfluenceMap or networkx.Graph
    ax : matplotlib.axes.Axes, optional
    focus : str or list, optional
        Centre of the spheres (see :func:`influence.spheres`); default the partnership.
    spheres : pandas.DataFrame, optional
        A result of :func:`influence.spheres` (computed when not given).
    color_by : str
    label_top : int
        Label this many actors (most influential first).
    anonymise : bool
        Pseudonymise residents' names (see :func:`influence.anonymise`).
    salt : str, optional
    title : str, optional
    dpi : int
        Resolution of a new figure (when ``ax`` is not given). Labels are measured at it, so
        save at the same dpi (as :func:`save_figure` does) for exact placement.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import networkx as nx
    >>> from influence.figures import plot_spheres
    >>> G = nx.Graph([("us", "ann"), ("ann", "cllr")])
    >>> nx.set_node_attributes(G, {"us": "big_local_partnership", "ann": "resident",
    ...                            "cllr": "ward_councillor"}, "kind")
    >>> ax = plot_spheres(G, focus="us")
    >>> [t.get_text() for t in ax.texts if t.get_gid() == "influence-ring"]
    ['partnership', 'direct ties', 'one introduction away', 'further', 'not reached']
    >>> [t.get_text() for t in ax.texts if t.get_gid() == "influence-label"]  # by degree here
    ['ann', 'us', 'cllr']

    References
    ----------
    .. [1] Local Trust (2024). *Spheres of community influence*.
    """
    from matplotlib.patches import Circle

    own = ax is None
    ax = _axes(ax, dpi=dpi)
    net, labels, colours, legend = _common(m, color_by, anonymise, salt)
    if spheres is None:
        from .spheres import spheres as _spheres

        spheres = _spheres(m, focus=focus)
    sph = spheres.reindex(net.ids)
    sphere_of = [None if na else int(s) for s, na in _values(sph["sphere"])]
    via = [None if na else v for v, na in _values(sph["via"])] if "via" in sph else [None] * net.n
    xy, radii = sphere_layout(sphere_of, via, ids=_listed(net.ids))
    ring_labels = list(RING_LABELS)
    if "ring" in sph and any(s == 0 for s in sphere_of):
        ring_labels[0] = str(next(r for r, s in zip(sph["ring"], sphere_of, strict=False)
                                  if s == 0))
    for k, (r, _lab) in enumerate(zip(radii, ring_labels, strict=False)):
        if r <= 0:
            continue
        ax.add_patch(Circle((0, 0), r, fill=False, color="#999999", lw=1.2,
                            linestyle="--" if k == 4 else "-", zorder=0))
    rings = [(r, lab) for r, lab in zip(radii, ring_labels, strict=False) if r > 0]
    _edges(ax, net, xy)
    imp = _importance(net)
    sizes = 40 + 25 * imp
    ax.scatter(xy[:, 0], xy[:, 1], s=sizes, c=colours, edgecolors="#333333",
               linewidths=0.6, zorder=3)
    _legend(ax, legend, color_by)
    lim = max(radii) + 60 if radii else 1
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    ax.invert_yaxis()
    ax.set_axis_off()
    ax.set_title(literal_text(title or "Spheres of influence", 80))
    foot = label_footnote(ax, label_top)
    ring_texts = place_ring_names(ax, rings, xy)
    order = np.lexsort((np.arange(net.n), -imp))
    # the ring names move nothing unless a layout engine makes room for them
    shown = label_actors(ax, xy, labels, order, label_top, sizes, obstacles=ring_texts,
                         laid_out=ax.figure.get_layout_engine() is None)
    finish_labels(ax, own, foot, shown, net.n)
    return ax


def plot_map(m, *, ax=None, color_by="kind", size_by="influence", label_top=12,
             anonymise=False, salt=None, title=None, dpi=100):
    """The whole map: a force-directed layout, colour by a column, size by a column or measure.

    Examples
    --------
    >>> import networkx as nx
    >>> from influence.figures import plot_map
    >>> ax = plot_map(nx.karate_club_graph(), color_by="club")
    >>> ax.get_legend().get_title().get_text()
    'club'

    References
    ----------
    .. [1] Fruchterman, T. M. J., & Reingold, E. M. (1991). Graph drawing by force-directed
       placement. *Software: Practice and Experience*, 21(11), 1129-1164.
    """
    own = ax is None
    ax = _axes(ax, dpi=dpi)
    net, labels, colours, legend = _common(m, color_by, anonymise, salt)
    xy = layout(net)
    _edges(ax, net, xy)
    v = size_values(net, m, size_by, [])
    v = np.nan_to_num(v, nan=np.nanmin(v) if np.isfinite(v).any() else 0.0)
    scaled = (v - v.min()) / (np.ptp(v) or 1.0) if len(v) else v  # an empty map draws empty
    sizes = 30 + 250 * scaled
    ax.scatter(xy[:, 0], xy[:, 1], s=sizes, c=colours, edgecolors="#333333",
               linewidths=0.6, zorder=3)
    _legend(ax, legend, color_by)
    ax.set_aspect("equal", adjustable="datalim")  # a flat (collinear) layout keeps its box
    ax.autoscale_view()
    ax.margins(0.08)
    ax.set_axis_off()
    ax.set_title(literal_text(title or "Influence map", 80))
    foot = label_footnote(ax, label_top)
    order = np.lexsort((np.arange(net.n), -v))
    shown = label_actors(ax, xy, labels, order, label_top, sizes)
    finish_labels(ax, own, foot, shown, net.n)
    return ax


#: Engagement quadrants: (influence >= threshold, stance > 0) -> the action that
#: :func:`influence.engagement` suggests there, so the printed grid and the report agree.
QUADRANTS = {
    (True, True): "keep close",
    (True, False): "win over",
    (False, True): "keep informed",
    (False, False): "watch",
}


def plot_engagement(m, *, ax=None, label_top=20, anonymise=False, salt=None, title=None,
                    threshold=2.5, interest_threshold=2.5, dpi=100):
    """The engagement grid: influence (0-5) against stance (-2 opposes ... +2 champion).

    The quadrants are named with the actions of :func:`influence.engagement` (keep close,
    win over, keep informed, watch), split where it splits them: influence at or above
    ``threshold``, stance above neutral. Low-influence actors that are not supportive but
    whose interest is at or above ``interest_threshold`` are ringed: engagement keeps them
    informed too. Actors without a stance or an influence score are left out (and counted in
    the title).

    Parameters
    ----------
    m : InfluenceMap or networkx.Graph
    ax : matplotlib.axes.Axes, optional
    label_top : int
        Label at most this many actors (most influential first; those that do not fit are
        left unlabelled and a footnote says so).
    anonymise : bool
    salt : str, optional
    title : str, optional
    threshold, interest_threshold : float
        As in :func:`influence.engagement` (default 2.5 each).
    dpi : int
        Resolution of a new figure (labels are measured at it).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import networkx as nx
    >>> from influence.figures import plot_engagement
    >>> G = nx.Graph([("a", "b")])
    >>> nx.set_node_attributes(G, {"a": 4.0, "b": 1.0}, "influence")
    >>> nx.set_node_attributes(G, {"a": 2, "b": -1}, "stance")
    >>> ax = plot_engagement(G)
    >>> len(ax.collections[0].get_offsets())
    2

    References
    ----------
    .. [1] Mendelow, A. (1991). Stakeholder mapping. *Proceedings of the 2nd International
       Conference on Information Systems*, Cambridge, MA.
    .. [2] Schiffer, E., & Hauck, J. (2010). Net-Map: collecting social network data and
       facilitating network learning through participatory influence network mapping.
       *Field Methods*, 22(3), 231-249.
    """
    import pandas as pd

    from .engagement import check_thresholds

    check_thresholds(threshold, interest_threshold)
    own = ax is None
    ax = _axes(ax, size=(9, 7), dpi=dpi)
    net, labels, _, _ = _common(m, "kind" if "kind" in network_columns(m) else _first(m),
                                anonymise, salt)
    a = net.actors
    def numbers(col):
        return (pd.to_numeric(a[col], errors="coerce") if col in a
                else pd.Series(np.nan, index=a.index))

    infl, stance = numbers("influence"), numbers("stance")
    ok = (infl.notna() & stance.notna()).to_numpy()
    x, y = stance.to_numpy(float, na_value=np.nan)[ok], infl.to_numpy(float, na_value=np.nan)[ok]
    # spread actors that share a cell, deterministically, around the cell's centre: the c-th
    # actor of a cell (from 0, in the actors' order) c golden angles round, 0.09 sqrt(c) out
    order = np.lexsort((y, x))  # stable: within a cell, in the actors' order
    xs, ys = x[order], y[order]
    first = np.flatnonzero(np.r_[True, (xs[1:] != xs[:-1]) | (ys[1:] != ys[:-1])])
    c = np.empty(len(x), dtype=np.int64)
    c[order] = np.arange(len(x)) - np.repeat(first, np.diff(np.r_[first, len(x)]))
    ang, rad = c * 2.39996, 0.09 * np.sqrt(c)
    jx, jy = rad * np.cos(ang), rad * np.sin(ang)
    colour = _rgba(["#009E73", "#D55E00", "#7F7F7F"], np.where(x > 0, 0, np.where(x < 0, 1, 2)))
    px, py = x + jx, y + jy
    ax.scatter(px, py, s=70, c=colour, edgecolors="#333333", zorder=3)
    interest = pd.to_numeric(a["interest"], errors="coerce").to_numpy(float, na_value=np.nan)[ok] \
        if "interest" in a else np.full(len(x), np.nan)
    ringed = (y < threshold) & (x <= 0) & (np.nan_to_num(interest, nan=-1) >= interest_threshold)
    if ringed.any():
        ax.scatter(px[ringed], py[ringed], s=190, facecolors="none", edgecolors="#0072B2",
                   linewidths=1.5, zorder=3)
    ax.axvline(0.5, color="#555555", lw=1)
    ax.axhline(threshold, color="#555555", lw=1)
    quadrant_texts = []
    for (high, pos), action in QUADRANTS.items():
        t = ax.text(2.55 if pos else -2.55, 5.75 if high else -0.1, action,
                    ha="right" if pos else "left", va="top", fontsize=11, fontweight="bold",
                    color="#333333", zorder=5, gid="influence-quadrant")
        d = ax.annotate(QUADRANT_WORDS[action], (1 if pos else 0, 0), xycoords=t, xytext=(0, -1),
                        textcoords="offset points", ha="right" if pos else "left", va="top",
                        fontsize=8.5, fontstyle="italic", color="#555555", zorder=5)
        quadrant_texts += [t, d]
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], marker="o", ls="", markerfacecolor=c, markeredgecolor="#333",
                      label=lab) for c, lab in (("#009E73", "supportive"),
                                                ("#7F7F7F", "neutral"), ("#D55E00", "opposed"))]
    if ringed.any():
        handles.append(Line2D([], [], marker="o", ls="", markersize=11, markerfacecolor="none",
                              markeredgecolor="#0072B2", markeredgewidth=1.5,
                              label="interested:\nkeep informed"))
    ax.legend(handles=handles, title="stance", loc="upper left", bbox_to_anchor=(1.0, 1.0),
              frameon=False)
    ax.set_xlim(-2.6, 2.6)
    ax.set_ylim(-0.8, 5.8)
    ax.set_yticks(range(6))
    ax.set_xticks([-2, -1, 0, 1, 2], ["opposes", "sceptical", "neutral", "supportive", "champion"])
    ax.set_xlabel("stance towards our goals")
    ax.set_ylabel("influence (0-5)")
    left = int((~ok).sum())
    ax.set_title(literal_text(title or "Engagement: influence x stance", 80)
                 + (f"  ({left} without influence or stance not shown)" if left else ""))
    foot = label_footnote(ax, label_top)
    idx = np.flatnonzero(ok)
    order = np.lexsort((idx, -y))[: max(int(label_top), 0)]
    shown = place_labels(ax, np.column_stack([px, py])[order],
                         [labels[i] for i in idx[order]], np.full(len(order), np.sqrt(70) / 2),
                         obstacles=quadrant_texts, markers=np.column_stack([px, py]),
                         around=BESIDE)
    finish_labels(ax, own, foot, shown, len(x))
    return ax


def network_columns(m):
    from .graph import network

    return list(network(m).actors.columns)


def _first(m):
    cols = network_columns(m)
    if not cols:
        raise InputError("The map has no actor attributes to draw. Fix: add kind, influence "
                         "and stance columns.")
    return cols[0]


def save_figure(m, path, *, view="spheres", force=False, inputs=(), dpi=150, **options):
    """Draw one view (``spheres``, ``map`` or ``engagement``) and write it as PNG, SVG or PDF.

    Examples
    --------
    >>> import networkx as nx, tempfile, pathlib
    >>> from influence.figures import save_figure
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "map.svg"
    >>> G = nx.path_graph(3)
    >>> nx.set_node_attributes(G, "resident", "kind")
    >>> save_figure(G, out, view="map").stat().st_size > 1000
    True
    """
    from .output import atomic_write

    path = Path(path)
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise OutputError(f"Cannot write a figure as {path.suffix or 'a file without extension'}. "
                          "Fix: name the output .png, .svg or .pdf.")
    draw = {"spheres": plot_spheres, "map": plot_map, "engagement": plot_engagement}.get(view)
    if draw is None:
        raise InputError(f"Unknown view {view!r}. Fix: use spheres, map or engagement.")
    if view == "engagement":
        options.pop("focus", None)
        options.pop("color_by", None)
    if view == "map":
        options.pop("focus", None)
    ax = draw(m, dpi=dpi, **options)
    with atomic_write(path, force=force, inputs=inputs, mode="wb") as fh:
        ax.figure.savefig(fh, format=fmt, dpi=dpi)
    return path
