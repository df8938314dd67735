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

The format-specific readers and writers are in :mod:`influence.formats`; this module validates
what they read and holds the public functions.
"""

from __future__ import annotations

from pathlib import Path

from .errors import InputError, OutputError
from .formats import (ACTOR_SHEETS, TIE_SHEETS, _csv_table, _flat, _write_xlsx, is_kumu_json,
                      kumu_json_tables, load_json, read_folder_tables, read_graph_file,
                      read_xlsx_tables, record_values, write_graph)
from .model import InfluenceMap
from .validate import Collector, Table, canonical_actors, canonical_ties

__all__ = ["build", "read", "from_networkx", "write", "validate", "frames_equal",
           "record_values", "Report"]


# --- building ----------------------------------------------------------------------------------
def _raw_frame(data, kind):
    import pandas as pd

    if data is None:
        return None
    if isinstance(data, pd.DataFrame):
        frame = data
        if kind == "actors" and "id" not in frame.columns and not isinstance(
                frame.index, pd.RangeIndex):
            frame = frame.reset_index().rename(columns={frame.index.name or "index": "id"})
    elif isinstance(data, dict):
        if data and all(isinstance(v, dict) for v in data.values()):
            frame = pd.DataFrame([{"id": k, **v} for k, v in data.items()])
        else:
            frame = pd.DataFrame(data)
    else:
        records = list(data)
        if records and not isinstance(records[0], dict):
            raise InputError(f"{kind} must be records (dicts), a dict or a DataFrame; got "
                             f"{type(records[0]).__name__} items. Fix: pass e.g. "
                             '[{"id": "ann", "kind": "resident"}].')
        frame = pd.DataFrame(records)
        if not records:
            frame = pd.DataFrame({c: [] for c in (("id", "kind") if kind == "actors" else
                                                 ("source", "target"))})
    frame = frame.astype(object)
    return frame.where(frame.notna(), None) if len(frame.columns) else frame


def _assemble(actors: Table | None, ties: Table | None, col: Collector, *, name=None,
              source=None, default_kind=None, default_directed=None) -> InfluenceMap:
    import pandas as pd

    if ties is None:
        ties = Table(pd.DataFrame({"source": [], "target": []}, dtype=object), sheet="ties")
    if actors is None:  # actors from the ties' endpoints
        tie_frame = canonical_ties(ties, col, None, default_directed=default_directed)
        ids = pd.unique(pd.concat([tie_frame["source"], tie_frame["target"]]).dropna())
        actors = Table(pd.DataFrame({"id": list(ids)}, dtype=object), sheet="actors")
        actor_frame = canonical_actors(actors, col, default_kind=default_kind or "person")
    else:
        actor_frame = canonical_actors(actors, col, default_kind=default_kind)
        known = None if actors.unreadable else actor_frame.index  # no knock-on tie errors
        tie_frame = canonical_ties(ties, col, known, default_directed=default_directed)
        if not len(actors.frame) and actors.file:  # a file with a header and nothing else
            col.add(actors.file, actors.sheet, None, None, None, "there are no actors",
                    "add one row per person, group or body below the header (see "
                    "`influence template`)", severity="warning")
    col.raise_errors()
    return InfluenceMap(actor_frame, tie_frame, name=name, source=source,
                        warnings=col.problems)


def build(actors=None, ties=None, *, name=None) -> InfluenceMap:
    """Build a validated map from records, dicts or DataFrames.

    Parameters
    ----------
    actors : list of dict, dict or pandas.DataFrame, optional
        One record per actor with at least ``id`` and ``kind`` (headers and kinds are matched
        as in a workbook: ``Label`` -> ``name``, "Cllr" -> ``ward_councillor``). A dict of
        ``id -> attributes`` also works. When omitted, the actors are the ties' endpoints,
        of kind ``person``.
    ties : list of dict, dict or pandas.DataFrame, optional
        One record per tie with ``source`` and ``target``.
    name : str, optional
        A label for the map.

    Returns
    -------
    InfluenceMap

    Raises
    ------
    influence.ValidationError
        Listing every problem found (rows are numbered as in a spreadsheet: first record =
        row 2).

    Examples
    --------
    >>> import influence
    >>> m = influence.build(
    ...     actors=[{"id": "ann", "kind": "Resident", "stance": "supportive"},
    ...             {"id": "cllr_b", "kind": "Cllr"}],
    ...     ties=[{"source": "ann", "target": "cllr_b", "strength": 2}])
    >>> m.actors[["kind", "stance"]]
                       kind  stance
    id
    ann            resident       1
    cllr_b  ward_councillor    <NA>
    >>> m.ties[["kind", "directed", "strength"]].to_dict("records")
    [{'kind': 'knows', 'directed': False, 'strength': 2.0}]

    References
    ----------
    .. [1] Schiffer, E. and Hauck, J. (2010). Net-Map: collecting social network data and
       facilitating network learning through participatory influence network mapping.
       Field Methods 22(3), 231-249.
    """
    col = Collector()
    a = _raw_frame(actors, "actors")
    t = _raw_frame(ties, "ties")
    return _assemble(None if a is None else Table(a, sheet="actors"),
                     None if t is None else Table(t, sheet="ties"), col, name=name)


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
    return _assemble(Table(a, file=file, sheet="nodes" if file else "actors",
                           rows=range(1, len(a) + 1) if file else None),
                     Table(t, file=file, sheet="edges" if file else "ties",
                           rows=range(1, len(t) + 1) if file else None), col, name=name,
                     source=source, default_kind="person", default_directed=G.is_directed())


# --- reading -----------------------------------------------------------------------------------
def _read_folder(folder: Path, col):
    return _assemble(*read_folder_tables(folder, col), col, name=folder.name, source=str(folder))


def _read(path, col) -> InfluenceMap:
    from .store import is_store_path, read_store  # a store, or store@snapshot (no pandas)

    if is_store_path(path):
        return read_store(path)
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path} does not exist. Fix: check the path.")
    if path.is_dir():
        return _read_folder(path, col)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".ods"):
        at, tt, kumu = read_xlsx_tables(path, col)
        m = _assemble(at, tt, col, name=path.stem, source=str(path),
                      default_kind="person" if kumu else None)
        from .formats import xlsx_as_at

        m.as_at = xlsx_as_at(path)
        return m
    if suffix in (".graphml", ".gexf", ".json"):
        data = load_json(path) if suffix == ".json" else None
        if is_kumu_json(data):  # Kumu's own JSON, read like its workbook
            return _assemble(*kumu_json_tables(data, path.name), col, name=path.stem,
                             source=str(path), default_kind="person")
        G = read_graph_file(path, col, data)
        return _from_nx(G, col, name=G.graph.get("name") or path.stem, source=str(path),
                        file=path.name)
    if suffix == ".csv":
        if path.stem.lower() in ACTOR_SHEETS + TIE_SHEETS:
            return _read_folder(path.parent, col)
        return _assemble(None, _csv_table(path, col=col), col, name=path.stem,
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
    from .actions import read_actions

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
    from .errors import Problem, ValidationError

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


# --- writing -----------------------------------------------------------------------------------
def write(m: InfluenceMap, path, *, force: bool = False, inputs=(), safe_csv: bool = True) -> Path:
    """Write a map; the format comes from the path (see the module docstring).

    ``private_*`` columns are never written. Writes are atomic; an existing file is kept unless
    ``force=True``; the file the map was read from (``m.source``) and ``inputs`` are never
    overwritten. Text is never written as a formula (CSV text starting with ``= + - @``, tab or
    CR gets a ``'`` in front, which :func:`read` removes; ``safe_csv=False`` writes it as it is).

    Examples
    --------
    >>> import influence, tempfile, pathlib
    >>> m = influence.build(actors=[{"id": "a", "kind": "resident", "private_phone": "0"}])
    >>> out = influence.write(m, pathlib.Path(tempfile.mkdtemp()) / "map.graphml")
    >>> influence.read(out).equals(m.public())
    True
    """
    from .output import atomic_write, check_output, write_csv

    path = Path(path)
    inputs = [Path(p) for p in tuple(inputs) + ((m.source,) if m.source else ()) if p]
    inputs += [f for p in inputs if p.is_dir() for f in p.iterdir()]  # a CSV folder's files
    pub = m.public()
    name = path.name.lower()
    if name.endswith(".db"):  # a store keeps private_* columns: the partnership's working copy
        from .store import write_store

        return write_store(m, path, force=force, inputs=inputs)
    if name.endswith((".xlsx", ".xlsm", ".ods")):
        with atomic_write(path, force=force, inputs=inputs, mode=None) as tmp:
            _write_xlsx(pub, tmp, kumu=name.endswith(".kumu.xlsx"), name=path)
    elif name.endswith((".graphml", ".gexf", ".json")):
        with atomic_write(path, force=force, inputs=inputs, mode="wb") as fh:
            write_graph(pub, fh, name.rsplit(".", 1)[1])
    elif path.suffix == "" or path.is_dir():
        files = {"actors.csv": _flat(pub.actors), "ties.csv": _flat(pub.ties)}
        if getattr(pub, "actions", None) is not None:
            files["actions.csv"] = _flat(pub.actions)
        for f in files:
            check_output(path / f, force=force, inputs=inputs)
        for f, frame in files.items():
            with atomic_write(path / f, force=force, inputs=inputs, encoding="utf-8-sig") as fh:
                write_csv(frame, fh, safe=safe_csv, index=f == "actors.csv",
                          lineterminator="\r\n")
    else:
        raise OutputError(f"Unknown output format {path.name!r}. Fix: use .xlsx, .kumu.xlsx, .ods, "
                          ".graphml, .gexf, .json, or a folder name (for actors.csv + ties.csv).")
    return path



# --- comparing ---------------------------------------------------------------------------------
def frames_equal(a: InfluenceMap, b: InfluenceMap) -> bool:
    """True when two maps hold the same actors (by id) and ties (as a multiset), dtypes included.

    An undirected tie is the same tie whichever of its ends is the ``source``.

    Examples
    --------
    >>> import influence
    >>> from influence.io import frames_equal
    >>> t = [{"source": "a", "target": "b"}, {"source": "b", "target": "c"}]
    >>> frames_equal(influence.build(ties=t), influence.build(ties=t[::-1]))
    True
    """
    import pandas as pd

    def ties_sorted(frame):
        if len(frame) and {"source", "target", "directed"} <= set(frame.columns):
            swap = ~frame["directed"].astype(bool) & (frame["source"] > frame["target"]).fillna(
                False).astype(bool)
            frame = frame.copy()
            frame.loc[swap, ["source", "target"]] = frame.loc[swap, ["target", "source"]].to_numpy()
        key = ["\x1f".join(map(repr, r)) for r in frame.itertuples(index=False, name=None)]
        return frame.iloc[pd.Series(key, dtype=object).argsort(kind="stable").to_numpy()
                          ].reset_index(drop=True)

    try:
        if sorted(map(str, a.actors.columns)) != sorted(map(str, b.actors.columns)) or \
                sorted(map(str, a.ties.columns)) != sorted(map(str, b.ties.columns)):
            return False
        pd.testing.assert_frame_equal(a.actors.sort_index(), b.actors.sort_index(),
                                      check_like=True)
        ta, tb = ties_sorted(a.ties), ties_sorted(b.ties[list(a.ties.columns)])
        pd.testing.assert_frame_equal(ta, tb)
    except AssertionError:
        return False
    return True
