"""One result convention for every analysis.

**A measure returns its table; an analysis with several parts or findings returns a Result.**

* A *measure* (:func:`influence.centrality`, :func:`influence.spheres`,
  :func:`influence.brokerage`, :func:`influence.structural_holes`,
  :func:`influence.assortativity`, :func:`influence.missing`, :func:`influence.engagement` ...)
  returns one :class:`pandas.DataFrame`, indexed by actor id where its rows are actors.
* An *analysis with several parts or findings* (:func:`influence.civic_core`,
  :func:`influence.gatekeepers`, :func:`influence.communities`, :func:`influence.compare`,
  :func:`influence.brief` ...) returns a :class:`Result`:

  - ``.table``: its main table, the one to look at first (a DataFrame, indexed by actor id
    where its rows are actors);
  - its other tables as named attributes (``.groups``, ``.excluded`` ...), all listed, with
    ``table`` first, by ``.tables`` (name -> DataFrame);
  - ``.sentences``: its findings in plain English (a list of str; ``[]`` when it has none);
  - any figures of its own (``.modularity``, ``.resilience`` ...), and in a notebook it shows
    its main table.

  Where a result had other names before this convention (``civic_core(m).people``,
  ``compare(a, b).actors``, ``.sentence``), they still work: the old name is an alias of
  ``.table`` and ``.sentences`` is ``[sentence]``.
* :func:`influence.leadership` and :func:`influence.sphere_history` return a table with
  findings: a DataFrame that is also a Result (its own ``.table``), so code that used it as a
  DataFrame keeps working.

Every result class derives from :class:`Result`, and ``tests/test_contract.py`` checks the
convention on every analysis. :func:`influence.review` is a report of many analyses rather than
one: its ``tables`` and ``sentences`` are dicts by section.

The main table of each result:

- ``civic_core``: the people (also ``.people``); also ``dimensions``, ``groups``,
  ``many_roles``.
- ``gatekeepers``: every actor, by exposure; also ``excluded``, ``front_doors``, ``internal``.
- ``communities``: every actor's community; also ``groups``.
- ``core_periphery``: every actor, in the core or not (or its coreness).
- ``ego``: one row per ego; also ``composition``, ``alters``.
- ``ei_index``: every actor's E-I (also ``.actors``); also ``groups``.
- ``bonding_bridging``: the partnership and its members (also ``.members``).
- ``compare``: the actors who joined, left or changed (also ``.actors``); also ``ties``,
  ``spheres``, ``gaps``, ``leadership``, ``centrality``.
- ``brief``: what the body is responsible for (also ``.duties``); also ``ties``, ``actions``,
  ``attendees``.
- ``leadership``: the indicators (the result itself).
- ``sphere_history``: the bodies the person reaches (the result itself); also ``summary``.

Examples
--------
>>> import influence
>>> cc = influence.civic_core(influence.datasets.load("southern_women"))
>>> isinstance(cc, influence.Result), cc.table is cc.people
(True, True)
>>> list(cc.tables)
['table', 'dimensions', 'groups', 'many_roles']
>>> cc.sentences == [cc.sentence]
True
"""

from __future__ import annotations

import dataclasses
import html

__all__ = ["Result", "alias", "frame_result"]


class Result:
    """The base of every analysis result with several parts or findings.

    A subclass (a dataclass) provides ``table``, the main :class:`pandas.DataFrame`, and
    ``sentences``, its findings in plain English (a list of str, ``[]`` when it has none;
    a field or a property); its other DataFrame fields are its extra tables, listed by
    :attr:`tables`. An old name of the main table stays readable as ``old = alias("table")``.
    A subclass keeps the short ``repr`` below with ``@dataclass(repr=False)``, or defines its
    own.

    Examples
    --------
    >>> import influence
    >>> r = influence.gatekeepers(influence.datasets.load("hollinford"),
    ...                           institution="westshire_cc")
    >>> isinstance(r, influence.Result)
    True
    >>> list(r.tables)
    ['table', 'excluded', 'front_doors', 'internal']
    >>> r.table.index.name, type(r.sentences).__name__
    ('id', 'list')
    """

    @property
    def tables(self) -> dict:
        """Every table of the result by name: ``table`` (the main one) first, then the
        other DataFrame attributes in the order the class declares them."""
        import pandas as pd

        out = {"table": self.table}
        if dataclasses.is_dataclass(self):
            for f in dataclasses.fields(self):
                value = getattr(self, f.name)
                if f.name != "table" and isinstance(value, pd.DataFrame):
                    out[f.name] = value
        return out

    def __repr__(self) -> str:
        extra = [name for name in self.tables if name != "table"]
        return (f"<{type(self).__name__}: {len(self.table)} rows"
                + (f"; also {', '.join(extra)}" if extra else "")
                + f"; {len(self.sentences)} sentence(s)>")

    def _repr_html_(self) -> str:
        """In a notebook: the result's summary line, its findings and its main table."""
        line = repr(self)
        head = f"<p><code>{html.escape(line)}</code></p>"
        said = "".join(f"<li>{html.escape(str(s))}</li>" for s in self.sentences
                       if str(s) not in line)
        table = self.table._repr_html_() or f"<pre>{html.escape(repr(self.table))}</pre>"
        return head + (f"<ul>{said}</ul>" if said else "") + table


def alias(name: str, doc: str | None = None) -> property:
    """A property that reads and writes the attribute ``name`` (an old name kept working).

    Examples
    --------
    >>> class R:
    ...     table = 1
    ...     people = alias("table")
    >>> R().people
    1
    """
    def get(self):
        return getattr(self, name)

    def set_(self, value):
        setattr(self, name, value)

    return property(get, set_, doc=doc or f"The same as ``{name}`` (its name before the "
                                          "result convention).")


def frame_result(name: str, module: str, doc: str, **members) -> type:
    """A DataFrame subclass that is also a :class:`Result` (its own ``.table``): for a table
    with findings, so code that used it as a DataFrame keeps working. Slicing or computing on
    it gives plain DataFrames. ``members`` are its other attributes (e.g. a ``sentences``
    property). Build it once (pandas is imported here) and expose it as the module attribute
    ``name`` so that pickle finds it.

    Examples
    --------
    >>> import pandas as pd
    >>> Story = frame_result("Story", __name__, "A table with one finding.",
    ...                      sentences=property(lambda self: ["It is short."]))
    >>> s = Story(pd.DataFrame({"x": [1, 2]}))
    >>> s.table is s, s.sentences, type(s.head(1)).__name__
    (True, ['It is short.'], 'DataFrame')
    """
    import pandas as pd

    members = {"__doc__": doc, "__module__": module, "__qualname__": name,
               "_constructor": property(lambda self: pd.DataFrame),
               "table": property(lambda self: self, doc="The main table: the result itself."),
               **members}
    return type(name, (pd.DataFrame, Result), members)

