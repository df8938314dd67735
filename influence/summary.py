"""A one-page summary of a map: who is in it, how it hangs together, which ties are stale."""

from __future__ import annotations

__all__ = ["summary", "stale_ties", "overview", "snapshot_date"]


def _as_map(obj):
    from .model import InfluenceMap

    if isinstance(obj, InfluenceMap):
        return obj
    from .io import from_networkx

    return from_networkx(obj)


def _cutoff(months: float, today):
    import pandas as pd

    from .errors import InputError

    if months is None or months < 0:
        raise InputError(f"stale_months must be a number of months >= 0, got {months!r}. "
                         "Fix: pass e.g. 12.")
    today = pd.Timestamp("today").normalize() if today is None else pd.Timestamp(today)
    whole = int(months)
    return today - pd.DateOffset(months=whole) - pd.Timedelta(days=round((months - whole) * 30.44))


def snapshot_date(obj, today=None):
    """The date a map is judged on: ``today`` if given, else the map's own date (its
    ``as_at``, e.g. a dataset's snapshot), else today's date.

    Examples
    --------
    >>> import influence
    >>> snapshot_date(influence.datasets.load("hollinford", year=2019)).date().isoformat()
    '2019-09-01'
    """
    import pandas as pd

    if today is None:
        today = getattr(obj, "as_at", None)
    if today is None:
        return pd.Timestamp("today").normalize()
    try:
        return pd.Timestamp(today)
    except (ValueError, TypeError):
        from .errors import InputError

        raise InputError(f"{today!r} is not a date. Fix: write the date as YYYY-MM-DD "
                         "(e.g. 2024-03-31).") from None


def stale_ties(obj, *, months: float = 12, today=None):
    """Ties last confirmed more than ``months`` months before ``today``.

    Ties with no ``confirmed`` date are not listed here (:func:`summary` counts them).

    Parameters
    ----------
    obj : InfluenceMap or networkx.Graph
    months : float, default 12
    today : date-like, optional
        Defaults to the map's own date (:func:`snapshot_date`), else today's date.

    Returns
    -------
    pandas.DataFrame
        The stale ties (their original columns), oldest first, with ``months_since``.

    Examples
    --------
    >>> import influence
    >>> m = influence.build(ties=[
    ...     {"source": "a", "target": "b", "confirmed": "2020-01-31"},
    ...     {"source": "b", "target": "c", "confirmed": "2024-06-01"}])
    >>> stale_ties(m, months=12, today="2024-12-31")[["source", "target", "months_since"]]
      source target  months_since
    0      a      b          59.0

    References
    ----------
    .. [1] Marsden, P. V. (1990). Network data and measurement. Annual Review of Sociology 16,
       435-463 (on the decay of reported ties over time).
    """
    m = _as_map(obj)
    now = snapshot_date(m, today)
    cutoff = _cutoff(months, now)
    ties = m.ties
    stale = ties[ties["confirmed"].notna() & (ties["confirmed"] < cutoff)].copy()
    stale["months_since"] = ((now - stale["confirmed"]).dt.days / 30.44).round(0)
    return stale.sort_values("confirmed", kind="stable")


def summary(obj, *, stale_months: float = 12, today=None):
    """Actors by kind and sector, ties by kind, components, density, isolates and stale ties.

    Parameters
    ----------
    obj : InfluenceMap or networkx.Graph
    stale_months : float, default 12
        A tie whose ``confirmed`` date is older than this is listed as stale.
    today : date-like, optional
        The date stale ties are measured from (default: the map's own date, else today).

    Returns
    -------
    pandas.DataFrame
        Long format with columns ``section``, ``item`` and ``value``. Components are weakly
        connected components; density is that of the simple combined network
        (:func:`influence.graph.network`: self-loops dropped, multi-ties combined), i.e.
        ``m / (n (n - 1) / 2)``, or ``m / (n (n - 1))`` when directed.

    Examples
    --------
    >>> import influence
    >>> m = influence.build(
    ...     actors=[{"id": "ann", "kind": "resident"}, {"id": "bo", "kind": "resident"},
    ...             {"id": "pc", "kind": "parish_council", "sector": "public"}],
    ...     ties=[{"source": "ann", "target": "bo", "confirmed": "2020-01-01"}])
    >>> s = summary(m, today="2024-01-01")
    >>> print(s[s.section == "network"].to_string(index=False))
    section              item value
    network        components     2
    network largest component     2
    network           density 0.333
    network          isolates     1

    References
    ----------
    .. [1] Wasserman, S. and Faust, K. (1994). Social Network Analysis: Methods and
       Applications. Cambridge University Press, ch. 4 (density, components, isolates).
    """
    import pandas as pd

    from .graph import network

    m = _as_map(obj)
    rows = []
    add = rows.append
    add(("actors", "total", len(m.actors)))
    for k, v in m.actors["kind"].fillna("(no kind)").value_counts().items():
        add(("actors by kind", k, int(v)))
    for k, v in m.actors["sector"].fillna("(no sector)").value_counts().items():
        add(("actors by sector", k, int(v)))
    add(("ties", "total", len(m.ties)))
    add(("ties", "directed", int(m.ties["directed"].sum())))
    add(("ties", "never confirmed", int(m.ties["confirmed"].isna().sum())))
    for k, v in m.ties["kind"].value_counts().items():
        add(("ties by kind", k, int(v)))
    net = network(m, weight=None)
    g = net.igraph
    comps = g.connected_components(mode="weak") if net.n else []
    n = net.n
    pairs = n * (n - 1) / (1 if net.directed else 2)
    degree = g.degree() if n else []
    isolates = [net.ids[i] for i, d in enumerate(degree) if d == 0]
    add(("network", "components", len(comps)))
    add(("network", "largest component", max((len(c) for c in comps), default=0)))
    add(("network", "density", round(net.m / pairs, 3) if pairs else 0.0))
    add(("network", "isolates", len(isolates)))
    for i in isolates:
        add(("isolates", i, m.actors.at[i, "name"]))
    stale = stale_ties(m, months=stale_months, today=today)
    add(("stale ties", f"confirmed over {stale_months:g} months before "
         f"{snapshot_date(m, today).date().isoformat()}", len(stale)))
    name = _namer(m)
    for t in stale.itertuples(index=False):
        add(("stale ties", f"{name(t.source)} - {name(t.target)} ({_words(t.kind)})",
             f"last confirmed {t.confirmed.date().isoformat()}"))
    frame = pd.DataFrame(rows, columns=["section", "item", "value"], dtype=object)  # 2, not 2.0
    frame["section"] = frame["section"].astype("string")
    frame["item"] = frame["item"].astype("string")
    frame["value"] = frame["value"].astype(object)
    return frame


def _namer(m):
    """``id -> name`` (the id where the actor has no name)."""
    names = m.actors["name"] if "name" in m.actors else None

    def name(i):
        v = names.get(i) if names is not None else None
        return str(v) if isinstance(v, str) and v.strip() else str(i)

    return name


def overview(obj, frame=None, *, stale_months: float = 12, today=None, shown: int = 10,
             more: str = "use stale_ties() for every one") -> str:
    """The summary as a few lines a person can read: title, counts, the first stale ties.

    Kinds and themes are shown in words; ties are named by their actors' names.

    Parameters
    ----------
    obj : InfluenceMap or networkx.Graph
    frame : pandas.DataFrame, optional
        The :func:`summary` of ``obj`` (computed if not given).
    stale_months, today
        As for :func:`summary`.
    shown : int, default 10
        How many stale ties to list.
    more : str
        What the "N more" line tells the reader to do.

    Examples
    --------
    >>> import influence
    >>> m = influence.build(
    ...     actors=[{"id": "ann", "name": "Ann Lee", "kind": "resident"},
    ...             {"id": "pc", "name": "Wyke Parish Council", "kind": "parish_council"}],
    ...     ties=[{"source": "ann", "target": "pc", "confirmed": "2020-01-01",
    ...            "kind": "member_of"}], name="wyke")
    >>> print(overview(m, today="2024-01-01"))
    wyke: 2 actors, 1 tie (as at 2024-01-01)
      actors by kind: 1 Resident / individual, 1 Parish / town council
      actors by sector: 2 (no sector)
      ties by kind: 1 member of
      network: 1 component (largest: 2 actors), density 1.0, 0 isolates
    Stale ties: 1 confirmed over 12 months before 2024-01-01
      Ann Lee - Wyke Parish Council (member of), last confirmed 2020-01-01
    """
    import textwrap

    from .schema import display_label

    m = _as_map(obj)
    if frame is None:
        frame = summary(m, stale_months=stale_months, today=today)
    val = {(r.section, r.item): r.value for r in frame.itertuples()}

    def counts(section, column):
        part = frame[frame.section == section]
        return ", ".join(f"{v} {display_label(column, k) if column else k.replace('_', ' ')}"
                         for k, v in zip(part.item, part.value, strict=True))

    n, t = val[("actors", "total")], val[("ties", "total")]
    day = snapshot_date(m, today).date().isoformat()
    from pathlib import Path

    label = Path(m.source).name if getattr(m, "source", None) else (m.name or "map")
    lines = [f"{label}: {n} actor{'s' if n != 1 else ''}, {t} tie{'s' if t != 1 else ''} "
             f"(as at {day})"]
    wrap = textwrap.TextWrapper(100, initial_indent="  ", subsequent_indent="    ")
    lines += wrap.wrap(f"actors by kind: {counts('actors by kind', 'kind')}")
    lines += wrap.wrap(f"actors by sector: {counts('actors by sector', 'sector')}")
    extra = [f"{val[('ties', 'directed')]} directed"] if val[("ties", "directed")] else []
    if val[("ties", "never confirmed")]:
        extra.append(f"{val[('ties', 'never confirmed')]} never confirmed")
    if t:
        lines += wrap.wrap(f"ties by kind: {counts('ties by kind', None)}"
                           + (f" ({', '.join(extra)})" if extra else ""))
    c, iso = val[("network", "components")], val[("network", "isolates")]
    lines.append(f"  network: {c} component{'s' if c != 1 else ''} (largest: "
                 f"{val[('network', 'largest component')]} actors), density "
                 f"{val[('network', 'density')]}, {iso} isolate{'s' if iso != 1 else ''}")
    if iso:
        names = frame[frame.section == "isolates"]
        lines += wrap.wrap("isolates: " + ", ".join(
            str(v) if isinstance(v, str) and v else str(k)
            for k, v in zip(names.item, names.value, strict=True)))
    stale = frame[frame.section == "stale ties"]
    head, rows = stale.iloc[0], stale.iloc[1:]
    lines.append(f"Stale ties: {head['value'] or 'none'} {head['item']}")
    for r in rows.iloc[:shown].itertuples():
        lines.append(f"  {r.item}, {r.value}")
    if len(rows) > shown:
        lines.append(f"  {len(rows) - shown} more: {more}")
    return "\n".join(lines)


def _words(value) -> str:
    return str(value).replace("_", " ") if isinstance(value, str) else "tie"
