"""Import python-igraph without importing matplotlib.

python-igraph's drawing modules run ``import matplotlib.pyplot`` when igraph itself is imported
(``igraph.drawing.matplotlib.utils.find_matplotlib``, called at module level), which is 0.57 s
of igraph's 0.65 s import and has no switch or environment variable to turn it off. Every graph
command would pay for plotting it never does. :func:`load` imports igraph with stand-ins for
``matplotlib`` and ``matplotlib.pyplot`` in ``sys.modules`` whose attributes are missing while
igraph is being imported, so igraph's drawing modules take their own "matplotlib is not
installed" branch; the stand-ins are taken out of ``sys.modules`` as soon as igraph is
imported, so ``import matplotlib`` anywhere else gets the real package as usual, and any later
use of them by igraph imports the real modules.

The cost: in a process where :func:`load` imported igraph, igraph's *own* matplotlib plotting
(``igraph.plot(g, target=ax)``) is unavailable (its Cairo plotting is not affected). influence
draws with matplotlib directly and never uses it; a script that wants igraph's matplotlib
plotting imports ``matplotlib.pyplot`` before influence, and then igraph is imported as usual.
"""

from __future__ import annotations

import importlib
import sys
import types

__all__ = ["load", "from_arcs"]

_NAMES = ("matplotlib", "matplotlib.pyplot")
_importing = False


class _OnFirstUse(types.ModuleType):
    """A module stand-in that imports the real module when an attribute is first read."""

    def __getattr__(self, attr):
        if attr.startswith("__") or _importing:
            raise AttributeError(attr)
        _restore(self._stand_ins)
        importlib.import_module("matplotlib.pyplot")  # igraph's drawing expects pyplot loaded
        return getattr(importlib.import_module(self.__name__), attr)


def _restore(stand_ins):
    for name, mod in stand_ins.items():
        if sys.modules.get(name) is mod:
            del sys.modules[name]


def load():
    """The ``igraph`` module, imported (once) without importing matplotlib.

    Examples
    --------
    >>> from influence._igraph import load
    >>> load().Graph.Ring(4).vcount()
    4
    """
    ig = sys.modules.get("igraph")
    if ig is not None:
        return ig
    if any(n in sys.modules for n in _NAMES):  # already paid for: nothing to save
        return importlib.import_module("igraph")
    stand_ins = {n: _OnFirstUse(n) for n in _NAMES}
    for mod in stand_ins.values():
        mod.__dict__["_stand_ins"] = stand_ins
    stand_ins["matplotlib"].__dict__["pyplot"] = stand_ins["matplotlib.pyplot"]
    global _importing
    sys.modules.update(stand_ins)
    _importing = True
    try:
        return importlib.import_module("igraph")
    finally:
        _importing = False
        _restore(stand_ins)


def from_arcs(n, arcs, *, directed=True):
    """An ``igraph.Graph`` on ``n`` nodes with the edges in ``arcs`` (a k x 2 integer array),
    added straight from the array: ``Graph(edges=...)`` goes through Python lists
    (docs/performance.md section 6).

    Examples
    --------
    >>> import numpy as np
    >>> from influence._igraph import from_arcs
    >>> from_arcs(3, np.array([[0, 1], [1, 2]])).get_edgelist()
    [(0, 1), (1, 2)]
    """
    g = load().Graph(n=n, directed=directed)
    if len(arcs):
        g.add_edges(arcs)
    return g
