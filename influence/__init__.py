"""influence: community influence mapping.

Read a map of the people and bodies around a neighbourhood, find its civic core, gatekeepers and
brokers, compute centrality, and run "who is missing from our sphere of influence" reviews.

Heavy dependencies (pandas, networkx, matplotlib, pyvis, igraph) are imported only when a function
needs them, so ``import influence`` and ``influence --help`` stay fast.

Examples
--------
>>> import influence
>>> m = influence.datasets.load("karate")
>>> m
<InfluenceMap karate: 34 actors, 78 ties>
"""

from __future__ import annotations

import importlib
import sys
import types

__version__ = "0.1.0"

from .errors import (  # noqa: E402, F401  (re-exported; cheap: no third-party imports)
    InfluenceError,
    InputError,
    OutputError,
    UnknownActorError,
    ValidationError,
)

#: public name -> module that defines it (imported on first use)
_LAZY = {
    # foundation
    "InfluenceMap": "influence.model",
    "read": "influence.io",
    "build": "influence.io",
    "from_networkx": "influence.io",
    "validate": "influence.io",
    "summary": "influence.summary",
    "write": "influence.io",
    "template": "influence.template",
    "Store": "influence.store",
    "network": "influence.graph",
    "Result": "influence.result",
    # analyses
    "centrality": "influence.centrality",
    "spheres": "influence.spheres",
    "frontier": "influence.spheres",
    "civic_core": "influence.civic",
    "core_periphery": "influence.coreperiphery",
    "brokerage": "influence.brokerage",
    "brokers": "influence.brokerage",
    "structural_holes": "influence.holes",
    "gatekeepers": "influence.gatekeepers",
    "communities": "influence.communities",
    "ei_index": "influence.mixing",
    "assortativity": "influence.mixing",
    "ego": "influence.ego",
    "brokerage_totals": "influence.brokerage_inference",
    "bonding_bridging": "influence.bonding",
    # maps and figures
    "to_html": "influence.html",
    "plot_spheres": "influence.figures",
    "plot_map": "influence.figures",
    "plot_engagement": "influence.figures",
    # the review
    "review": "influence.review",
    "missing": "influence.missing",
    "engagement": "influence.engagement",
    "leadership": "influence.leadership",
    "compare": "influence.compare",
    "anonymise": "influence.privacy",
    "shareable": "influence.privacy",
    "share_review": "influence.share",
    # from review to action
    "follow_up": "influence.actions",
    "suggest_actions": "influence.actions",
    "save_actions": "influence.actions",
    "brief": "influence.brief",
    "invite": "influence.invite",
    "legacy": "influence.legacy",
    "sphere_history": "influence.history",
}
_SUBMODULES = {"datasets", "uk", "schema", "errors", "graph", "output"}

__all__ = sorted(set(_LAZY) | _SUBMODULES | {
    "InfluenceError", "InputError", "OutputError", "UnknownActorError", "ValidationError",
    "__version__"})


class _Package(types.ModuleType):
    """The package module: a submodule named like a public function never hides the function.

    Importing ``influence.centrality`` (the module) would normally bind the module object to
    ``influence.centrality``, hiding the function ``influence.centrality()``. Names listed in
    ``_LAZY`` are kept for the functions; the modules stay reachable through ``sys.modules``
    and ``from influence.centrality import ...``.
    """

    def __setattr__(self, name, value):
        if name in _LAZY and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        module = importlib.import_module(f"influence.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'influence' has no attribute {name!r}")


def __dir__():
    return __all__
