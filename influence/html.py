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
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .drawing import PALETTE, layout, sphere_layout  # public names of this module too
from .errors import InputError
from .htmldata import payload
from .privacy import pseudonyms, share_names, shareable

__all__ = ["to_html", "Map", "layout", "sphere_layout", "PALETTE"]



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
