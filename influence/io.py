"""Reading, building and writing influence maps.

Formats (chosen by the path): an ``.xlsx`` workbook or a LibreOffice ``.ods`` spreadsheet with
sheets ``actors`` and ``ties`` (names matched case-insensitively; a Kumu export with
``Elements``/``Connections`` sheets also works, and ``*.kumu.xlsx`` is written in Kumu's
layout); a folder holding ``actors.csv`` and ``ties.csv`` (a single other ``.csv`` is read as an
edge list); GraphML (``.graphml``); GEXF (``.gexf``); networkx node-link JSON (``.json``), or
Kumu's own JSON (``elements`` and ``connections``), told apart by its keys. A title row above
the headers is skipped with a warning. Hostile or broken files get a clear error, with bounded
work: at most 1,000 columns, 256 MB unzipped, 131,072 characters in a CSV cell (see
:mod:`influence.formats`). CSV files are read as UTF-8 with or without a
byte-order mark, or else as Windows-1252 (what Excel in the UK writes), so "£" and "é" survive;
they are written as UTF-8 with a byte-order mark, which Excel opens correctly.

What each format can hold, and how the rest is encoded (``read(write(m))`` equals ``m``
otherwise; tested as a hypothesis property):

* Missing values are left out (empty cells; no attribute in GraphML/GEXF/JSON). Empty text
  counts as missing, text is stripped of surrounding spaces, and an extra column with no
  values at all is dropped, on reading and building alike.
* ``themes`` (tuples of text) are written as ``;``-joined text in CSV, XLSX, GraphML and GEXF
  (so a theme cannot itself contain ``;`` or ``|``), as a JSON list in node-link JSON, and as
  ``|``-joined Kumu tags.
* Dates are written as ISO 8601 text in CSV, GraphML, GEXF and JSON (date cells in XLSX).
  Extra (non-canonical) date columns therefore come back from those formats as text.
* Extra columns come back from CSV as text; XLSX, GraphML, GEXF and JSON keep numbers and
  booleans. ``private_*`` columns are never written to any format.
* GraphML, GEXF and JSON keep every tie (multigraphs) and each tie's ``directed`` flag; an
  undirected tie may come back with ``source`` and ``target`` swapped (the same tie).

The format-specific readers and writers are in :mod:`influence.formats` (:func:`write` is
:func:`influence.formats.write_map`, so that :meth:`InfluenceMap.write
<influence.model.InfluenceMap.write>` needs nothing above the map); building and validating is
:mod:`influence.build`. This module is the top of reading: it picks the reader for a path (a
store, a workbook, a CSV folder, a graph file), builds the map and adds its ``actions`` sheet.
"""

from __future__ import annotations

from pathlib import Path

from ._actions_io import read_actions
from .build import assemble, build
from .errors import InputError, Problem, ValidationError
from .formats import (csv_table, is_kumu_json, kumu_json_tables, load_json, read_folder_tables,
                      read_graph_file, read_xlsx_tables, record_values, xlsx_as_at)
from .formats import write_map as write
from .model import InfluenceMap, frames_equal
from .schema import ACTOR_SHEETS, TIE_SHEETS
from .store import is_store_path, read_store
from .validate import Collector, Table

__all__ = ["build", "read", "from_networkx", "write", "validate", "frames_equal",
           "record_values", "Report"]


def from_networkx(G, *, name=None) -> InfluenceMap:
    """An InfluenceMap from any networkx graph.

    Lenient: node labels become strings; nodes without ``kind`` get kind ``person`` silently;
    node and edge attributes become columns (headers matched as in a workbook, so ``label`` is
    ``name``; the edge attribute ``weight`` is kept as it is, only ``strength`` is a strength).
    Ties of a directed graph are directed unless an edge says ``directed=False``.

    Examples
    --------
    >>> import networkx as nx, influence
    >>> G = nx.DiGraph([(1, 2, {"strength": 3})])
    >>> m = influence.from_networkx(G)
    >>> cols = ["source", "target", "directed", "strength"]
    >>> m.actors["kind"].tolist(), m.ties[cols].values.tolist()
    (['person', 'person'], [['1', '2', True, 3.0]])

    References
    ----------
    .. [1] Hagberg, A., Schult, D. and Swart, P. (2008). Exploring network structure, dynamics,
       and function using NetworkX. Proc. SciPy 2008, 11-15.
    """
    if name is None:
        name = getattr(G, "graph", {}).get("name") or None
    return _from_nx(G, Collector(), name=name)


def _from_nx(G, col, *, name=None, source=None, file=None):
    import networkx as nx
    import pandas as pd

    if not isinstance(G, nx.Graph):
        raise InputError(f"Expected a networkx graph, got {type(G).__name__}. "
                         "Fix: pass a networkx Graph, DiGraph, MultiGraph or MultiDiGraph.")
    nodes = []
    for n, d in G.nodes(data=True):
        d = {k: v for k, v in d.items() if k != "id"}
        if "name" in d and d.get("label") in (n, str(n)):
            d.pop("label")
        nodes.append({"id": str(n), **d})
    edges = []
    for e in G.edges(data=True):
        d = {k: v for k, v in e[2].items() if k not in ("id", "key", "source", "target")}
        edges.append({"source": str(e[0]), "target": str(e[1]), **d})
    a = pd.DataFrame(nodes or {"id": []}).astype(object)
    t = pd.DataFrame(edges or {"source": [], "target": []}).astype(object)
    a, t = (f.where(f.notna(), None) for f in (a, t))
    # in a graph file, "row N" is its Nth node or edge (in a networkx graph, the Nth record)
    return assemble(Table(a, file=file, sheet="nodes" if file else "actors",
                           rows=range(1, len(a) + 1) if file else None),
                     Table(t, file=file, sheet="edges" if file else "ties",
                           rows=range(1, len(t) + 1) if file else None), col, name=name,
                     source=source, default_kind="person", default_directed=G.is_directed())


# --- reading -----------------------------------------------------------------------------------
def _read_folder(folder: Path, col):
    return assemble(*read_folder_tables(folder, col), col, name=folder.name, source=str(folder))


def _read(path, col) -> InfluenceMap:
    if is_store_path(path):  # a store, or store@snapshot
        return read_store(path)
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path} does not exist. Fix: check the path.")
    if path.is_dir():
        return _read_folder(path, col)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".ods"):
        at, tt, kumu = read_xlsx_tables(path, col)
        m = assemble(at, tt, col, name=path.stem, source=str(path),
                     default_kind="person" if kumu else None)
        m.as_at = xlsx_as_at(path)
        return m
    if suffix in (".graphml", ".gexf", ".json"):
        data = load_json(path) if suffix == ".json" else None
        if is_kumu_json(data):  # Kumu's own JSON, read like its workbook
            return assemble(*kumu_json_tables(data, path.name), col, name=path.stem,
                            source=str(path), default_kind="person")
        G = read_graph_file(path, col, data)
        return _from_nx(G, col, name=G.graph.get("name") or path.stem, source=str(path),
                        file=path.name)
    if suffix == ".csv":
        if path.stem.lower() in ACTOR_SHEETS + TIE_SHEETS:
            return _read_folder(path.parent, col)
        return assemble(None, csv_table(path, col=col), col, name=path.stem,
                        source=str(path))
    raise InputError(f"Unknown input format {path.name!r}. Fix: use .xlsx, .ods, a folder of CSVs "
                     "(actors.csv, ties.csv), .graphml, .gexf or node-link .json.")


def read(path) -> InfluenceMap:
    """Read and validate a map from a workbook, CSV folder, GraphML, GEXF or node-link JSON.

    Parameters
    ----------
    path : str or path-like
        See the module docstring for the formats.

    Returns
    -------
    InfluenceMap
        With ``source`` set to ``path`` and ``warnings`` listing what was accepted with a
        warning.

    Raises
    ------
    influence.InputError
        The file cannot be read at all.
    influence.ValidationError
        The data has errors; its message lists every one (file, sheet, row, column, value, fix).

    Examples
    --------
    >>> import influence, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "actors.csv").write_text("ID,Label,Type\\n1,Ann,Resident\\n2,Cllr Bo,Cllr\\n")
    >>> _ = (folder / "ties.csv").write_text("From,To,Strength\\n1,2,3\\n")
    >>> m = influence.read(folder)
    >>> m.actors[["name", "kind"]].values.tolist()
    [['Ann', 'resident'], ['Cllr Bo', 'ward_councillor']]

    References
    ----------
    .. [1] Brandes, U. et al. (2002). GraphML progress report. Graph Drawing 2001, LNCS 2265.
    """
    col = Collector()
    return _with_actions(_read(path, col), path, col)


def _with_actions(m, path, col):
    """The map with its optional ``actions`` sheet (see :mod:`influence.actions`)."""
    m.actions = read_actions(path, col, m.actors.index)
    m.warnings = col.problems
    col.raise_errors()
    return m


class Report(list):
    """The problems :func:`validate` found (errors first), with the counts it read."""

    n_actors: int | None = None
    n_ties: int | None = None

    @property
    def errors(self):
        return [p for p in self if p.severity == "error"]

    @property
    def warnings(self):
        return [p for p in self if p.severity != "error"]


def validate(path) -> Report:
    """Every problem in a map file (errors and warnings); never raises for bad data.

    Examples
    --------
    >>> import influence, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "actors.csv").write_text("id,kind,influence\\nann,resident,9\\n")
    >>> _ = (folder / "ties.csv").write_text("source,target\\n")
    >>> for p in influence.validate(folder):
    ...     print(p)
    actors.csv, row 2, column "influence": influence must be between 0 and 5 (value: '9'). Fix: ...
    """
    col = Collector()
    report = Report()
    try:
        m = _with_actions(_read(path, col), path, col)
        report.n_actors, report.n_ties = len(m.actors), len(m.ties)
    except ValidationError:
        pass
    except InputError as exc:
        col.errors.append(Problem(Path(path).name, None, None, None, None, str(exc), ""))
    report.extend(col.problems)
    return report
