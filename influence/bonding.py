"""Bonding and bridging: the partnership's ties among its members against its ties outside.

The seeds' story of leadership growing from the individual to the partnership to the wider
community is a story of *bonding* ties inside the partnership and *bridging* ties out of it.
:func:`bonding_bridging` measures it with the E-I index (:func:`influence.ei_index`) of the
partnership as a group and of each member, in plain English, and says what it means for the
evidence on leadership Models 1, 2 and 3 (:func:`influence.leadership`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .leadership import SHORT
from .result import Result, alias

__all__ = ["bonding_bridging", "BondingBridging"]


@dataclass
class BondingBridging(Result):
    """The result of :func:`bonding_bridging` (a :class:`~influence.result.Result`).

    Attributes
    ----------
    ei, expected, p_value : float
        The partnership's E-I index as a group, the value random ties would give with its
        size, and the permutation p-value (NaN without permutations).
    internal, external : float
        Ties between two members, and from a member to someone outside.
    table : pandas.DataFrame
        The main table, indexed by actor id (the partnership and its members): ``name``,
        ``kind``, ``internal``, ``external``, ``ei``, sorted with the strongest bridgers first.
    members : pandas.DataFrame
        The same table as ``table`` (its name before the result convention).
    sentences : list of str
        The findings in plain English.
    share_sentences : list of str
        The same without the sentences that name members (for a report that is circulated).
    """

    ei: float
    expected: float
    p_value: float
    internal: float
    external: float
    table: object
    sentences: list = field(default_factory=list)
    share_sentences: list = field(default_factory=list)

    members = alias("table")

    def __repr__(self) -> str:
        return f"<BondingBridging: E-I {self.ei:+.2f} over {len(self.members)} members>"


def bonding_bridging(m, *, focus=None, permutations=0, seed=None, min_strength=None,
                     leadership=None):
    """The partnership's bonding (ties among members) and bridging (ties beyond) ties.

    The partnership (``focus``; default the ``big_local_partnership`` actor and its members,
    as :func:`influence.spheres`) is one group and everyone else the other. Its E-I index
    (Krackhardt & Stern 1988) is ``(E - I) / (E + I)`` with ``I`` the ties between two
    members and ``E`` the ties from a member to anyone outside: -1 when every tie stays among
    ourselves, +1 when every tie reaches outside. Each member's own E-I is computed the same
    way from their ties. ``expected`` is the E-I random ties would give with the
    partnership's size (a small partnership in a large map expects nearly +1), and with
    ``permutations`` a p-value from shuffling who is a member (:func:`influence.ei_index`).

    Parameters
    ----------
    m : InfluenceMap or networkx.Graph
    focus : str or list, optional
        The partnership: actor ids or kinds (default: the partnership and its members).
    permutations : int
        Permutations for the p-value (0: none).
    seed : int, optional
    min_strength : float, optional
        Ignore ties weaker than this.
    leadership : pandas.DataFrame, optional
        The :func:`influence.leadership` table, to relate the finding to its figures.

    Returns
    -------
    BondingBridging
        ``.ei``, ``.members`` and ``.sentences``.

    References
    ----------
    .. [1] Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational crises.
       *Social Psychology Quarterly* 51(2), 123-140.
    .. [2] Putnam, R. D. (2000). *Bowling Alone*. Simon & Schuster (bonding and bridging
       social capital).
    .. [3] Local Trust (2023). *Our Bigger Story* (Models 1, 2 and 3 of community
       leadership).

    Examples
    --------
    Three members tied to each other, one of them also to two outsiders:

    >>> import networkx as nx
    >>> from influence.bonding import bonding_bridging
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "x"), ("c", "y")])
    >>> b = bonding_bridging(G, focus=["a", "b", "c"])
    >>> round(b.ei, 2)
    -0.2
    >>> print(b.sentences[0])
    Our ties are split between ourselves and outside: E-I -0.20 (3 ties between members,
    2 to people and bodies outside).
    """
    import pandas as pd

    from .graph import network
    from .mixing import ei_index

    net = network(m, weight=None, min_strength=min_strength, directed=False).undirected()
    seeds, _ = net.focus(focus) if net.n else (np.zeros(0, dtype=np.int64), False)
    inside = np.zeros(net.n, dtype=bool)
    inside[seeds] = True
    groups = pd.Series(np.where(inside, "partnership", "outside"), index=net.ids, dtype=object)
    r = ei_index(net, by=groups, permutations=permutations, seed=seed)
    nan = pd.Series({"ei": np.nan, "expected": np.nan, "p_value": np.nan, "internal": 0.0,
                     "external": 0.0})
    row = r.groups.loc["partnership"] if "partnership" in r.groups.index else nan
    a = r.actors.iloc[seeds]
    members = pd.DataFrame({"name": net.text("name")[seeds], "kind": net.text("kind")[seeds],
                            "internal": a["internal"].to_numpy(), "external":
                            a["external"].to_numpy(), "ei": a["ei"].to_numpy()}, index=a.index)
    members = members.sort_values("ei", ascending=False, kind="stable", na_position="last")
    b = BondingBridging(ei=float(row["ei"]), expected=float(row["expected"]),
                        p_value=float(row["p_value"]), internal=float(row["internal"]),
                        external=float(row["external"]), table=members)
    b.sentences, named = _sentences(b, len(seeds), net.n, leadership)
    b.share_sentences = [x for x in b.sentences if x not in named]
    return b


def _sentences(b, k, n, leadership):
    if b.ei != b.ei:
        return ["The partnership has no ties on the map yet, so bonding and bridging cannot be "
                "measured."], []
    counts = (f"({b.internal:g} tie{'s' if b.internal != 1 else ''} between members, "
              f"{b.external:g} to people and bodies outside)")
    if b.ei < -0.2:
        out = [f"Most of our ties are among ourselves: E-I {b.ei:+.2f} {counts}."]
    elif b.ei > 0.2:
        out = [f"Most of our ties reach outside the partnership: E-I {b.ei:+.2f} {counts}."]
    else:
        out = [f"Our ties are split between ourselves and outside: E-I {b.ei:+.2f} {counts}."]
    lean = ("more inward-looking than" if b.ei < b.expected - 0.05 else
            "more outward-looking than" if b.ei > b.expected + 0.05 else "about as open as")
    text = (f"With {k} of the {n} actors on the map in the partnership, ties made at random "
            f"would give E-I {b.expected:+.2f}: we are {lean} chance")
    if b.p_value == b.p_value:
        text += f" (permutation p = {b.p_value:.3f})"
    out.append(text + ". E-I runs from -1 (every tie among ourselves, bonding) to +1 (every "
               "tie outside, bridging).")
    m = b.members.dropna(subset=["ei"])
    bridge = m[m["ei"] > 0].head(3)
    inward = m[m["ei"] <= -0.5].sort_values("ei", kind="stable").head(3)
    named = []  # sentences that name members
    if len(bridge):
        named.append("Our strongest bridges outside: " + "; ".join(
            f"{r.name} (E-I {r.ei:+.2f}, {r.external:g} outside ties)"
            for r in bridge.itertuples()) + ".")
    if len(inward):
        named.append("Members whose ties are mostly inside the partnership: " + "; ".join(
            f"{r.name} (E-I {r.ei:+.2f})" for r in inward.itertuples()) + ".")
    out += named
    depend = _value(leadership, "depend")
    dep = (f" {depend:.0%} of the connections in our sphere depend on the partnership (Model 1 "
           "figure above)." if depend == depend else "")
    model = getattr(leadership, "model", None)
    verdict = (" Taken with the rest of the evidence, the map looks most like "
               f"Model {model} ({SHORT[model]})." if model in SHORT else "")
    if b.ei < -0.2:
        out.append("For the leadership models: strong bonding holds a partnership together, "
                   "but with few ties outside it keeps the partnership at the centre of "
                   "everything, as in Model 1." + dep + verdict)
    elif b.ei > 0.2:
        out.append("For the leadership models: bridging ties are what lets a partnership hand "
                   "work to working groups (Model 2) or enable a wider network (Model 3); on "
                   "their own they do not show which." + dep + verdict)
    else:
        out.append("For the leadership models: a mix of bonding and bridging; these ties alone "
                   "point to no one model." + dep + verdict)
    return out, named


def _value(frame, key):
    try:
        return float(frame.loc[key, "value"])
    except (AttributeError, KeyError, TypeError, ValueError):
        return float("nan")


def review_section(m, focus, tables, sentences):
    """Add the review's "bonding and bridging" table and sentences."""
    b = bonding_bridging(m, focus=focus, leadership=tables.get("leadership"))
    tables["bonding"] = b.members
    sentences["bonding"] = b.sentences
    sentences["bonding_share"] = b.share_sentences
