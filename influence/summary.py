"""A one-page summary of a map: who is in it, how it hangs together, which ties are stale."""

from __future__ import annotations

__all__ = ["summary", "stale_ties"]


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


def stale_ties(obj, *, months: float = 12, today=None):
    """Ties last confirmed more than ``months`` months before ``today``.

    Ties with no ``confirmed`` date are not listed here (:func:`summary` counts them).

    Parameters
    ----------
    obj : InfluenceMap or networkx.Graph
    months : float, default 12
    today : date-like, optional
        Defaults to today's date.

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
    import pandas as pd

    m = _as_map(obj)
    cutoff = _cutoff(months, today)
    now = pd.Timestamp("today").normalize() if today is None else pd.Timestamp(today)
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
        The date stale ties are measured from (default: today).

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
    add(("stale ties", f"confirmed over {stale_months:g} months ago", len(stale)))
    for t in stale.itertuples(index=False):
        add(("stale ties", f"{t.source} - {t.target} ({t.kind})",
             f"last confirmed {t.confirmed.date().isoformat()}"))
    frame = pd.DataFrame(rows, columns=["section", "item", "value"], dtype=object)  # 2, not 2.0
    frame["section"] = frame["section"].astype("string")
    frame["item"] = frame["item"].astype("string")
    frame["value"] = frame["value"].astype(object)
    return frame
