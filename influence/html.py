"""Interactive maps: one self-contained, offline HTML file per map.

The page is rendered through our own template (``influence/templates/map.html`` with ``map.js``
and ``map.css``), with the copy of vis-network that pyvis bundles inlined, so it draws with no
internet at all. Safety rules:

* the data is embedded as JSON inside ``<script type="application/json">`` with ``<``, ``>``,
  ``&`` and U+2028/U+2029 escaped, and every piece of user text reaches the page through
  ``textContent`` (never ``innerHTML``);
* a Content-Security-Policy meta tag allows only our two inline scripts (by SHA-256 hash), no
  network access of any kind (``default-src 'none'``) and images only as ``data:`` URIs;
* ``private_*`` columns never reach the page, and ``anonymise=True`` pseudonymises residents.

Layouts are computed in Python (a seeded Fruchterman-Reingold layout from igraph, in two levels
on very large maps, and a concentric sphere layout) and physics is off, so the map appears at
once. Names are drawn by the page itself at a fixed screen size, placed so that no two overlap
(a name with no free room shows on hover or tap); ``window.__labelBoxes()`` returns the boxes
drawn, for checks. Many residents are drawn as one node per sub-area, and on very large maps
the less important actors as one node per community, opened by a click or tap.
"""

from __future__ import annotations

import base64
import hashlib
import html as _html
import importlib.util
import json
import math
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from .errors import InfluenceError, InputError
from .schema import PRIVATE_PREFIX, STANCE_LABELS

__all__ = ["to_html", "Map", "layout", "sphere_layout", "PALETTE"]

#: Colour-blind-friendly categorical palette (Okabe-Ito, then Tableau 10 extras).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
           "#8C564B", "#7F7F7F", "#BCBD22", "#17BECF", "#9467BD")
OTHER_COLOUR = "#B0B0B0"
RING_LABELS = ("partnership", "direct ties", "one introduction away", "further", "not reached")
_STEP = 60.0  # layout units per ring / per sqrt(actor)


class Map(str):
    """The HTML of a map: a ``str`` that also renders inline in Jupyter.

    ``_repr_html_`` wraps the page in an ``<iframe srcdoc=...>`` (sandboxed to scripts only),
    so the map's own Content-Security-Policy and styles stay isolated from the notebook.
    """

    def _repr_html_(self) -> str:
        return ('<iframe sandbox="allow-scripts" style="width:100%;height:640px;border:0" '
                f'srcdoc="{_html.escape(str(self), quote=True)}"></iframe>')


def to_html(m, *, path=None, color_by="kind", size_by="influence", focus=None, spheres=None,
            highlights=None, missing=None, anonymise=False, salt=None, title=None,
            label_top=30, force=False, inputs=(), share=False, group_above=50,
            detail_limit=1500):
    """Render the map as one self-contained interactive HTML page.

    Parameters
    ----------
    m : InfluenceMap or networkx.Graph
    path : str or Path, optional
        Also write the page there (atomically; refuses to overwrite without ``force``).
    color_by : str
        Actor column whose values colour the actors (``kind``, ``sector``, ``sub_area`` ...).
    size_by : str or pandas.Series
        An actor column (default ``influence``), a measure of :func:`influence.centrality`
        (``degree``, ``betweenness``, ``pagerank`` ...) or a Series indexed by actor id.
    focus : str or list, optional
        The focus of the sphere layout (see :func:`influence.spheres`); default the partnership.
    spheres : pandas.DataFrame, optional
        A result of :func:`influence.spheres` (computed when not given).
    highlights : dict, optional
        ``{"civic core": ids, "gatekeepers": ids, "brokers": ids}``: ids (or a boolean Series)
        to highlight in each view. Views not given are computed when the analysis can run.
    missing : pandas.DataFrame, optional
        A result of :func:`influence.missing`: absent power-holders become labelled "ghost"
        slots, present ones are marked with their status.
    anonymise : bool
        Replace residents' names by stable pseudonyms (see :func:`influence.anonymise`).
    salt : str, optional
        Secret for the pseudonyms.
    title : str, optional
    label_top : int
        Label this many most important actors at overview (the rest on hover, search, zoom).
    force : bool
        Overwrite ``path`` if it exists.
    inputs : sequence of paths
        Files the page must never be written over.
    share : bool
        Make the page safe to circulate (:func:`influence.privacy.shareable`): no stance,
        influence, interest, giving or hours of any individual in the pop-ups, office-holders
        shown by their role, anyone with ``ok_to_name = no`` by a pseudonym. The workshop's
        projector can use it too.
    group_above : int or None
        With more residents than this, residents are drawn as one node per sub-area
        ("42 residents, Nether Wyke") that opens on a click or tap; the partnership's members,
        bodies and named roles stay individual. None: never group.
    detail_limit : int or None
        Most nodes drawn at first: above it, all but the ``detail_limit // 2`` most important
        of the rest are drawn as one node per community (level of detail for very large maps,
        so the page draws in seconds and stays responsive). None: draw everyone.

    Returns
    -------
    Map
        The HTML (a ``str`` with ``_repr_html_`` for Jupyter).

    Examples
    --------
    >>> import networkx as nx
    >>> from influence.html import to_html
    >>> G = nx.Graph([("ann", "bob")])
    >>> G.nodes["ann"].update(kind="resident", name="Ann <b>")
    >>> G.nodes["bob"].update(kind="ward_councillor")
    >>> page = to_html(G, title="Our map")
    >>> page.startswith("<!DOCTYPE html>"), "Ann <b>" in page, "Ann \\\\u003cb\\\\u003e" in page
    (True, False, True)

    References
    ----------
    .. [1] Fruchterman, T. M. J., & Reingold, E. M. (1991). Graph drawing by force-directed
       placement. *Software: Practice and Experience*, 21(11), 1129-1164.
    .. [2] Schiffer, E. (2007). *Net-Map toolbox: influence mapping of social networks*.
       IFPRI (influence towers: size by influence).
    .. [3] W3C (2023). *Content Security Policy Level 3*, §8.3 hash-source expressions.
    """
    from .graph import network
    from .htmldata import payload

    if share:  # names already follow the rules (anonymised too, when asked)
        m, focus, spheres, highlights, missing = _shared(m, salt, focus, spheres, highlights,
                                                         missing, anonymise)
    net = network(m)
    data = payload(net, m, color_by=color_by, size_by=size_by, focus=focus, spheres=spheres,
                   highlights=highlights, missing=missing, anonymise=anonymise and not share,
                   salt=salt, label_top=label_top, title=title, group_above=group_above,
                   detail_limit=detail_limit)
    data["anonymised"] = bool(anonymise)
    page = Map(render(data, title=data["title"]))
    if path is not None:
        from .output import atomic_write

        with atomic_write(path, force=force, inputs=inputs) as fh:
            fh.write(page)
    return page


def _shared(m, salt, focus, spheres, highlights, missing, anonymise=False):
    """The map and its overlays with the sharing rules applied (ids renamed alike)."""
    from .io import from_networkx
    from .model import InfluenceMap
    from .privacy import pseudonyms, share_names, shareable

    if not isinstance(m, InfluenceMap):
        m = from_networkx(m)
    names = (pseudonyms if anonymise else share_names)(m.public(), salt=salt)

    def new(i):
        return names.get(i, i) if isinstance(i, str) else i

    if isinstance(focus, str):
        focus = new(focus)
    elif focus is not None:
        focus = [new(f) for f in focus]
    if spheres is not None:
        spheres = spheres.rename(index=new)
        if "via" in spheres:
            spheres = spheres.assign(via=spheres["via"].map(new))
        if "name" in spheres:
            spheres = spheres.assign(name=[names.get(i, n) for i, n in
                                           zip(spheres.index, spheres["name"], strict=True)])
    if highlights:
        highlights = {k: [new(i) for i in (v.index[v] if hasattr(v, "dtype") and
                                           v.dtype == bool else v)]
                      for k, v in highlights.items()}
    if missing is not None and "actor" in missing:
        old = missing["actor"]
        missing = missing.assign(actor=old.map(new))
        if "actor_name" in missing:
            missing["actor_name"] = [names.get(a, n) for a, n in
                                     zip(old, missing["actor_name"], strict=True)]
        for col in ("path", "gatekeeper"):
            if col in missing:
                missing[col] = None
    return shareable(m, salt=salt, anonymise=anonymise), focus, spheres, highlights, missing


# --- rendering ----------------------------------------------------------------------------------
def script_json(obj) -> str:
    """JSON that is safe inside ``<script type="application/json">`` (and in any HTML).

    Examples
    --------
    >>> from influence.html import script_json
    >>> script_json({"a": "</script><b>&\\u2028"})
    '{"a":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026\\\\u2028"}'
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode() + "'"


@lru_cache(maxsize=1)
def _assets():
    tpl = resources.files("influence") / "templates"
    page = (tpl / "map.html").read_text(encoding="utf-8")
    app = (tpl / "map.js").read_text(encoding="utf-8")
    css = (tpl / "map.css").read_text(encoding="utf-8")
    try:  # locate pyvis's bundled copy without importing pyvis (which imports IPython)
        spec = importlib.util.find_spec("pyvis")
        if spec is None or not spec.submodule_search_locations:
            raise ModuleNotFoundError("pyvis")
        vis = (Path(spec.submodule_search_locations[0]) / "lib" / "vis-9.1.2" /
               "vis-network.min.js").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as exc:  # pragma: no cover
        raise InputError("The interactive map needs vis-network from pyvis 0.3.2. "
                         "Fix: pip install 'pyvis>=0.3.2'.") from exc
    for name, code in (("vis-network", vis), ("map.js", app)):
        low = code.lower()
        if "</script" in low or "<!--" in low:  # pragma: no cover - a broken asset
            raise InputError(f"{name} cannot be inlined safely. Fix: reinstall influence/pyvis.")
    csp = ("default-src 'none'; script-src " + _sha256(vis) + " " + _sha256(app) +
           "; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'")
    return page, app, css, vis, csp


def render(data: dict, *, title: str) -> str:
    """Fill the template with the data (one pass, so user text is never re-substituted)."""
    page, app, css, vis, csp = _assets()
    values = {"CSP": _html.escape(csp, quote=False).replace('"', "&quot;"),
              "TITLE": _html.escape(title), "CSS": css, "DATA": script_json(data), "VIS": vis,
              "APP": app}
    return re.sub(r"\{\{([A-Z]+)\}\}", lambda mo: values[mo.group(1)], page)


# --- layouts -----------------------------------------------------------------------------------
def layout(net, *, seed: int = 1, large: int = 5000) -> np.ndarray:
    """A force-directed layout (n x 2) of the combined graph, deterministic for a given seed.

    Fruchterman-Reingold from igraph (grid variant above 1,000 actors), on the undirected
    graph, scaled so that the average actor has about ``60 x 60`` units of room. Above
    ``large`` actors it is done in two levels, so that 50,000 actors take seconds, not minutes:
    the communities (Louvain) are laid out as one node each, then each community on its own,
    in a disc around its place.

    Examples
    --------
    >>> import networkx as nx
    >>> from influence.graph import network
    >>> from influence.html import layout
    >>> xy = layout(network(nx.path_graph(4)))
    >>> xy.shape, bool((layout(network(nx.path_graph(4))) == xy).all())
    ((4, 2), True)
    """
    n = net.n
    if n == 0:
        return np.zeros((0, 2))
    if n == 1:
        return np.zeros((1, 2))
    g = net.igraph
    if g.is_directed():
        g = g.as_undirected(mode="collapse")
    if n >= 5000:
        from ._progress import _duration, note

        note(f"Laying out {n:,} actors for the map: about {_duration(4e-4 * n)}.")
    rng = np.random.default_rng(seed)
    start = rng.uniform(-math.sqrt(n), math.sqrt(n), size=(n, 2)).tolist()
    import random

    from ._igraph import load

    ig = load()

    ig.set_random_number_generator(random.Random(seed))
    try:
        if n > large:
            xy = _two_level(g.simplify(), rng, communities(net))
        else:
            xy = np.asarray(g.layout_fruchterman_reingold(seed=start, niter=500,
                                                          grid=n > 1000).coords)
    finally:
        ig.set_random_number_generator(random)
    xy -= xy.mean(axis=0)
    span = np.abs(xy).max() or 1.0
    return xy / span * (_STEP * math.sqrt(n) * 1.2)


def communities(net) -> np.ndarray:
    """Louvain communities of the network (:func:`influence.communities`, seeded, unweighted):
    one run per network, cached.

    Examples
    --------
    >>> import networkx as nx
    >>> from influence.graph import network
    >>> from influence.html import communities
    >>> G = nx.disjoint_union(nx.complete_graph(4), nx.complete_graph(4))
    >>> len(set(communities(network(G)).tolist()))
    2

    References
    ----------
    .. [1] Blondel, V. D., Guillaume, J.-L., Lambiotte, R., & Lefebvre, E. (2008). Fast
       unfolding of communities in large networks. *J. Stat. Mech.*, P10008.
    """
    cached = _LOUVAIN.get(id(net))
    if cached is not None and cached[0] is net:
        return cached[1]
    from .communities import communities as find

    membership = find(net, method="louvain", weight=None, seed=1).table["community"].to_numpy()
    _LOUVAIN.clear()  # one network at a time: no growing cache
    _LOUVAIN[id(net)] = (net, membership)
    return membership


_LOUVAIN: dict = {}


def forget_communities():
    """Drop the cached communities of :func:`communities` (once a page is built)."""
    _LOUVAIN.clear()


def _two_level(g, rng, membership) -> np.ndarray:
    """Communities placed by Fruchterman-Reingold on their quotient graph, then each laid out
    on its own inside a disc of radius ~ sqrt(size) around its place."""
    k = int(membership.max()) + 1
    sizes = np.bincount(membership, minlength=k)
    q = g.copy()
    q.contract_vertices(membership.tolist(), combine_attrs=None)
    q.simplify()
    qstart = rng.uniform(-1, 1, size=(k, 2)).tolist()
    centre = np.asarray(q.layout_fruchterman_reingold(seed=qstart, niter=300,
                                                      grid=k > 1000).coords)
    centre -= centre.mean(axis=0)
    # spread the communities so that their discs (radius sqrt(size)) rarely overlap
    pick = centre if k <= 2000 else centre[rng.choice(k, 2000, replace=False)]
    if len(pick) > 1:
        dist = np.linalg.norm(pick[:, None] - pick[None, :], axis=2)
        np.fill_diagonal(dist, np.inf)
        spacing = float(np.median(dist.min(axis=1))) or 1.0
    else:
        spacing = 1.0
    centre *= 2.2 * math.sqrt(float(np.median(sizes))) / spacing
    xy = np.zeros((g.vcount(), 2))
    order = np.argsort(membership, kind="stable")
    bounds = np.searchsorted(membership[order], np.arange(k + 1))
    for c in range(k):
        members = order[bounds[c]:bounds[c + 1]]
        if len(members) == 1:
            xy[members] = centre[c]
            continue
        sub = g.induced_subgraph(members.tolist())
        local = np.asarray(sub.layout_fruchterman_reingold(
            seed=rng.uniform(-1, 1, size=(len(members), 2)).tolist(), niter=50,
            grid=len(members) > 300).coords)
        local -= local.mean(axis=0)
        local /= np.abs(local).max() or 1.0
        xy[members] = centre[c] + local * math.sqrt(len(members))
    return xy


def sphere_layout(sphere, via, *, ids) -> tuple[np.ndarray, list[float]]:
    """Concentric rings: sphere 0 in the centre, then 1, 2, "further", "not reached".

    Returns the positions (n x 2) and the ring radii (5 values, by ring index). Actors on a ring
    are ordered by the angle of their ``via`` actor, so introductions point outwards.
    ``sphere`` and ``via`` are lists aligned with ``ids`` (None where missing).
    """
    n = len(ids)
    ring = np.array([4 if s is None else min(int(s), 3) for s in sphere], dtype=int)
    counts = np.bincount(ring, minlength=5)
    radii, r = [], 0.0
    for k in range(5):
        # room for the actors on this ring: circumference >= 28 units per actor
        need = counts[k] * 28 / (2 * math.pi)
        r = max(need, 0.0) if k == 0 and counts[0] <= 1 else max(r + 2.2 * _STEP, need)
        radii.append(r)
    xy = np.zeros((n, 2))
    angle = np.zeros(n)
    pos = {i: k for k, i in enumerate(ids)}
    for k in range(5):
        members = np.flatnonzero(ring == k)
        if not len(members):
            continue
        parent = np.array([angle[pos[via[i]]] if via[i] is not None and via[i] in pos
                           else 2 * math.pi for i in members])
        order = members[np.lexsort((members, parent))]
        # half a step off the top, so the ring's label (drawn at the top) is never covered
        theta = 2 * math.pi * (np.arange(len(order)) + 0.5) / len(order) - math.pi / 2
        if k == 0 and len(order) > 1:
            rr = radii[0] if radii[0] > 0 else 0.6 * _STEP
            radii[0] = rr
        else:
            rr = radii[k]
        xy[order, 0] = rr * np.cos(theta)
        xy[order, 1] = rr * np.sin(theta)
        angle[order] = np.mod(theta + math.pi / 2, 2 * math.pi)
    return xy, radii


def text(value) -> str | None:
    """A cell as display text (tuples joined, floats compact, stance in words); None if missing."""
    import pandas as pd

    if isinstance(value, (tuple, list)):
        parts = [str(v) for v in value if v is not None]
        return "; ".join(parts) if parts else None
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.4g}"
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


def public_columns(frame) -> list:
    """Columns that may be shown: everything but ``private_*``."""
    return [c for c in frame.columns if not str(c).startswith(PRIVATE_PREFIX)]


def display_label(column, value, shown):
    """What a volunteer reads for a kind or theme id: the catalogue's label, not the code.

    Examples
    --------
    >>> display_label("kind", "council_officer", "council_officer")
    'Council officer'
    >>> display_label("themes", ("health", "parks"), "health; parks")
    'Health and wellbeing; parks'
    """
    from .schema import catalogue_labels

    if column == "kind":
        return catalogue_labels("kind").get(value, shown) if isinstance(value, str) else shown
    names = catalogue_labels("themes")
    items = value if isinstance(value, (tuple, list)) else [x.strip() for x in shown.split(";")]
    return "; ".join(str(names.get(x, x)) for x in items)


def stance_text(value) -> str | None:
    try:
        v = int(value)
    except (TypeError, ValueError):
        return None
    return str(STANCE_LABELS.get(v, v))


def safe_call(label, fn, notes):
    """Run an optional analysis; when it reports an :class:`InfluenceError` (the map cannot
    support the view), note why the view is unavailable. Any other error is a bug and raised."""
    try:
        return fn()
    except InfluenceError as exc:
        notes.append(f"{label}: not shown ({exc})")
        return None
