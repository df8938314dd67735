"""The package's layers: no import circles, no private names across modules, imports only
downward.

Every import of one of the package's modules counts, at the top of a module or inside a
function (a function-local import hides a circle from Python but not from a reader). Imports
under ``if TYPE_CHECKING:`` are for annotations only and do not count.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

import influence

ROOT = Path(influence.__file__).parent

#: The layers, bottom first. A module may import modules of its own layer or of lower layers
#: only (and no circle within a layer). Data flows up them: a file's cells are parsed and
#: validated, the file formats are read into a map, the map's network is built once, the
#: analyses run on it, the writers draw and write their results, the review puts them together,
#: and the command line and the app sit on top.
LAYERS = {
    "foundation": {"errors", "schema", "result", "_catalogue", "_progress", "_igraph",
                   "output"},
    "values": {"parsing", "validate"},
    "files": {"formats", "_storedb", "_ukarea", "uk"},
    "map": {"model", "build", "store", "_actions_io", "io", "privacy", "datasets",
            "datasets.generate", "template"},
    "network": {"graph"},
    "analyses": {"centrality", "distributed", "spheres", "civic", "coreperiphery",
                 "communities", "mixing", "brokerage_inference", "brokerage", "holes",
                 "gatekeepers", "ego", "bonding", "_slots", "missing", "engagement",
                 "leadership", "representation", "legacy", "history", "compare", "actions",
                 "summary"},
    "writers": {"drawing", "htmldata", "html", "figure_labels", "figures", "report", "brief",
                "invite"},
    "review": {"share", "review"},
    "edge": {"cli", "__main__", "app", "app.addresses", "app.security", "app.views",
             "app.workshop", "app.workshop_views", "app.workshop_server"},
}


def _modules():
    out = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _type_checking(tree):
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip |= {id(n) for n in ast.walk(node)}
    return skip


def _imports(name):
    """(imported module, imported name or None, line) for every import of the package's own
    modules in module ``name`` ("" is the package itself)."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking(tree)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    package = [p for p in package if p]
    out = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            elif node.module and (node.module == "influence"
                                  or node.module.startswith("influence.")):
                target = node.module[len("influence."):] if node.module != "influence" else ""
            else:
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}".strip(".")
                if sub in MODULES:
                    out.append((sub, None, node.lineno))
                else:
                    out.append((target, alias.name, node.lineno))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("influence."):
                    out.append((alias.name[len("influence."):], None, node.lineno))
    return [(t, n, line) for t, n, line in out if t != name and (t in MODULES or t == "")]


def _graph():
    graph = nx.DiGraph()
    for name in MODULES:
        graph.add_node(name)
        for target, _, _ in _imports(name):
            if target:  # the package itself re-exports lazily: not an edge
                graph.add_edge(name, target)
    return graph


def test_every_module_has_a_layer():
    placed = set().union(*LAYERS.values())
    unplaced = sorted(set(MODULES) - placed - {""})
    assert not unplaced, f"add these modules to LAYERS in {__file__}: {unplaced}"
    gone = sorted(placed - set(MODULES))
    assert not gone, f"LAYERS names modules that do not exist: {gone}"


def test_no_import_circles():
    cycles = [sorted(c) for c in nx.strongly_connected_components(_graph()) if len(c) > 1]
    assert not cycles, f"import circles: {cycles}"


def test_no_private_names_across_modules():
    bad = [f"influence/{MODULES[name].relative_to(ROOT)}:{line}: from {target} import {imp}"
           for name in MODULES for target, imp, line in _imports(name)
           if imp and imp.startswith("_") and not imp.startswith("__")]
    assert not bad, "private names imported across modules:\n" + "\n".join(bad)


def test_imports_only_go_down_the_layers():
    rank = {mod: i for i, mods in enumerate(LAYERS.values()) for mod in mods}
    order = list(LAYERS)
    bad = [f"{name} ({order[rank[name]]}) imports {target} ({order[rank[target]]})"
           for name, target in _graph().edges
           if name and rank[target] > rank[name]]  # "" (the package) names everything lazily
    assert not bad, "imports up the layers:\n" + "\n".join(bad)


@pytest.mark.parametrize("name", sorted(m for m in MODULES if m.split(".")[0] not in
                                        ("cli", "__main__", "app")))
def test_the_library_never_imports_click_or_a_web_framework(name):
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    heavy = {"click", "starlette", "uvicorn"}
    found = {alias.name.split(".")[0] for node in ast.walk(tree)
             if isinstance(node, ast.Import) for alias in node.names} | {
        (node.module or "").split(".")[0] for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and not node.level}
    assert not found & heavy, f"influence.{name} imports {sorted(found & heavy)}"
