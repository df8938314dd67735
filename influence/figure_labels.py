"""Label placement for the static figures: greedy, collision-free labels on a matplotlib Axes.

Labels are measured in display coordinates (after the figure is laid out) and placed in
priority order at the first offset around their point that stays inside the axes, clear of the
labels already placed and of given obstacles, hiding as few markers as possible; a label that
fits nowhere is left out and the figure's footnote says so. Ring names of the sphere diagram
are placed the same way but are never dropped. Used by :mod:`influence.figures`.
"""

from __future__ import annotations

import numpy as np

__all__ = ["literal_text", "place_labels", "label_actors", "place_ring_names", "label_footnote",
           "finish_labels", "BESIDE"]


def literal_text(s, limit: int = 40) -> str:
    """Text shown literally by matplotlib (no mathtext), shortened to ``limit`` characters."""
    s = str(s)
    if len(s) > limit:
        s = s[: limit - 1] + "\u2026"
    return s.replace("$", r"\$")


#: Where a label may go around its point, in the order tried: (dx, dy, ha, va).
_AROUND = ((0, 1, "center", "bottom"), (0, -1, "center", "top"), (1, 0, "left", "center"),
           (-1, 0, "right", "center"), (0.7, 0.7, "left", "bottom"), (-0.7, 0.7, "right", "bottom"),
           (0.7, -0.7, "left", "top"), (-0.7, -0.7, "right", "top"))
#: The same, right or left first (the engagement grid).
BESIDE = _AROUND[2:4] + _AROUND[4:] + _AROUND[:2]
_GID = "influence-label"


def _renderer(ax):
    """Lay the figure out (layout engine, equal aspect) and return a renderer to measure with."""
    fig = ax.figure
    fig.draw_without_rendering()
    return fig._get_renderer()


def _extent(text, renderer):
    """A text's box in display coordinates, with its background box's padding if it has one."""
    x0, y0, x1, y1 = text.get_window_extent(renderer).extents
    patch = text.get_bbox_patch()
    if patch is not None:
        grow = (patch.get_boxstyle().pad * text.get_fontsize() + patch.get_linewidth()) \
            * text.figure.dpi / 72
        x0, y0, x1, y1 = x0 - grow, y0 - grow, x1 + grow, y1 + grow
    return (x0, y0, x1, y1)


def _boxes(artists, renderer):
    return [_extent(a, renderer) for a in artists]


def _free(box, placed, pad):
    """True when ``box`` (x0, y0, x1, y1) keeps ``pad`` pixels from every placed box."""
    if not placed:
        return True
    p = np.asarray(placed)
    return not np.any((box[0] < p[:, 2] + pad) & (p[:, 0] < box[2] + pad)
                      & (box[1] < p[:, 3] + pad) & (p[:, 1] < box[3] + pad))


def _covered(box, centres, margin=0.0):
    """How many marker centres (display coordinates) lie in a box grown by ``margin`` pixels:
    markers a label would hide, or sit so close to that the label could be read as theirs."""
    if not len(centres):
        return 0
    return int(np.count_nonzero((centres[:, 0] >= box[0] - margin)
                                & (centres[:, 0] <= box[2] + margin)
                                & (centres[:, 1] >= box[1] - margin)
                                & (centres[:, 1] <= box[3] + margin)))


def place_labels(ax, xy, texts, radii, *, obstacles=(), markers=None, around=_AROUND,
                 fontsize=8, laid_out=False):
    """Greedy label placement; returns how many labels were drawn.

    Labels come in priority order (most influential first). Each is measured in display
    coordinates at a few offsets around its point (just outside its marker, ``radii`` in
    points); it takes the first offset that stays inside the axes and clear of every label
    already placed (and of ``obstacles``), preferring offsets that hide fewest ``markers``
    (data coordinates); a label that fits nowhere is not drawn. ``laid_out=True`` says that
    the figure was laid out for measuring since anything that moves the axes (no layout
    engine, same limits), so it is not laid out again.
    """
    renderer = ax.figure._get_renderer() if laid_out else _renderer(ax)
    frame = ax.get_window_extent(renderer).extents
    pad = 2.0 * ax.figure.dpi / 72  # 2 points of clear space between labels
    placed = _boxes(obstacles, renderer)
    centres = ax.transData.transform(np.asarray(markers, float)) if markers is not None \
        else np.zeros((0, 2))
    shown = 0
    for (x, y), text, r in zip(xy, texts, radii, strict=False):
        ann = ax.annotate(literal_text(text), (x, y), xytext=(0, 0), textcoords="offset points",
                          fontsize=fontsize, zorder=4, annotation_clip=False, gid=_GID,
                          bbox={"boxstyle": "square,pad=0.15", "fc": "white", "ec": "none",
                                "alpha": 0.7})
        ann.set_in_layout(False)
        best = None
        anchor = ax.transData.transform((x, y))
        others = centres[np.hypot(*(centres - anchor).T) > 0.5] if len(centres) else centres
        margin = (r + 3) * ax.figure.dpi / 72
        for dx, dy, ha, va in around:
            ann.xyann = (dx * (r + 2), dy * (r + 2))
            ann.set_horizontalalignment(ha)
            ann.set_verticalalignment(va)
            box = _extent(ann, renderer)
            grow = 0.03 * (box[2] - box[0])  # text widths vary a little with the saving dpi
            box = (box[0] - grow, box[1], box[2] + grow, box[3])
            inside = (box[0] >= frame[0] and box[2] <= frame[2] and box[1] >= frame[1]
                      and box[3] <= frame[3])
            if inside and _free(box, placed, pad):
                score = _covered(box, others, margin)
                if best is None or score < best[0]:
                    best = (score, (dx, dy, ha, va), box)
                if score == 0:
                    break
        if best is None:
            ann.remove()
            continue
        dx, dy, ha, va = best[1]
        ann.xyann = (dx * (r + 2), dy * (r + 2))
        ann.set_horizontalalignment(ha)
        ann.set_verticalalignment(va)
        placed.append(best[2])
        shown += 1
    return shown


_FOOT = "Labels shown for the {n} most\ninfluential that fit; others\nomitted to stay legible."


def label_footnote(ax, top):
    """A small note under the legend (room reserved now, text set by :func:`finish_labels`)."""
    return ax.annotate(_FOOT.format(n=max(int(top), 1)), (1.02, 0.0), xycoords="axes fraction",
                       ha="left", va="bottom", fontsize=7.5, color="#555555")


def finish_labels(ax, own, foot, shown, labelled):
    """Freeze the layout of a figure we made (labels measured in it must not move); say how
    many actors are labelled when some are not."""
    if own:
        ax.figure.set_layout_engine("none")
    foot.set_text(_FOOT.format(n=shown) if shown < labelled else "")


def label_actors(ax, xy, labels, order, top, sizes, *, obstacles=(), laid_out=False):
    """Label the ``top`` actors of ``order`` that fit; ``sizes`` are the markers' areas (pt^2)."""
    order = list(order)[: max(int(top), 0)]
    radii = np.sqrt(np.asarray(sizes, float)) / 2
    return place_labels(ax, xy[order], [labels[k] for k in order], radii[order],
                        obstacles=obstacles, markers=xy, laid_out=laid_out)


#: Ring names sit just outside their ring near this angle (degrees; y points down: 270 = top),
#: where a horizontal name lies along the ring, in the clear band between two rings.
_RING_ANGLE = 270.0


def place_ring_names(ax, rings, xy):
    """Name each ring in a white rounded box sitting on the ring, near :data:`_RING_ANGLE`,
    turned (up to 40 degrees) where it would hide actors, leave the axes or touch another
    ring's name. Ring names are never dropped."""
    renderer = _renderer(ax)
    frame = ax.get_window_extent(renderer).extents
    centres = ax.transData.transform(xy) if len(xy) else np.zeros((0, 2))
    pad = 2.0 * ax.figure.dpi / 72
    steps = [0] + [s * k for k in range(1, 9) for s in (1, -1)]
    texts, placed = [], []
    for r, lab in rings:
        t = ax.annotate(literal_text(lab), (0, 0), xytext=(0, 0), textcoords="offset points",
                        ha="center", va="center", fontsize=10, color="#333333", zorder=5,
                        annotation_clip=False, gid="influence-ring",
                        bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": "#999999",
                              "lw": 0.8, "alpha": 0.9})
        x0, y0, x1, y1 = _extent(t, renderer)
        clear = (y1 - y0) / 2 * 72 / ax.figure.dpi + 2  # points: the box's bottom 2 pt off the ring
        best = None
        for s in steps:
            a = np.radians(_RING_ANGLE + 5 * s)
            t.xy = (r * np.cos(a), r * np.sin(a))
            t.xyann = (clear * np.cos(a), -clear * np.sin(a))  # outwards (the y axis is inverted)
            box = _extent(t, renderer)
            inside = (box[0] >= frame[0] and box[2] <= frame[2] and box[1] >= frame[1]
                      and box[3] <= frame[3])
            score = (not (inside and _free(box, placed, pad)), _covered(box, centres))
            if best is None or score < best[0]:
                best = (score, (t.xy, t.xyann), box)
            if score == (False, 0):
                break
        t.xy, t.xyann = best[1]
        placed.append(best[2])
        texts.append(t)
    return texts
