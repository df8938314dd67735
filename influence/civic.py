"""The civic core (Mohan & Bulloch 2012): the few people who provide most of the effort.

On the people x groups affiliation network made by membership ties (member_of, chairs,
volunteers_at, works_for), each person has three contributions: **participation** (number of
distinct groups), **hours** (the ``hours`` of their membership ties) and **giving** (the actors'
``giving`` column). Per dimension, the core is everyone at or above the threshold at which people
collectively provide ``share`` (two thirds) of the total; the civic core is their union.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from .errors import InputError
from .graph import network
from .result import Result, alias
from .schema import MEMBERSHIP_TIE_KINDS, PERSON_KINDS

__all__ = ["civic_core", "CivicCore", "DIMENSIONS"]

#: The three dimensions, in report order, with the words the sentence uses.
DIMENSIONS = {"hours": "volunteering hours", "giving": "giving",
              "participation": "participation in groups"}
_ORDER = ("participation", "hours", "giving")


@dataclass
class CivicCore(Result):
    """The result of :func:`civic_core` (a :class:`~influence.result.Result`).

    Attributes
    ----------
    table : pandas.DataFrame
        The main table: one row per person (the whole population, people with no group
        included), indexed by id: ``kind``, ``name``, ``participation``, ``hours``, ``giving``,
        ``core_participation``, ``core_hours``, ``core_giving``, ``n_cores``, ``civic_core``.
    people : pandas.DataFrame
        The same table as ``table`` (its name before the result convention).
    dimensions : pandas.DataFrame
        One row per dimension: ``total``, ``threshold``, ``core_size``, ``core_share_people``
        (core size / all people), ``core_share_total`` (the core's share of the total) and
        ``civic_core_share_total`` (the share the whole civic core provides).
    groups : pandas.DataFrame
        One row per group: ``members``, ``core_members``, ``core_share`` (share of members in
        the civic core), ``hours``, ``core_hours``, ``core_hours_share``: how dependent each
        group is on the civic core.
    many_roles : pandas.DataFrame
        People in at least ``many`` groups (burn-out risk), most roles first, with their groups.
    overlap : pandas.Series
        How many people are in 0, 1, 2 and 3 dimension cores.
    sentence : str
        "X% of people provide Y% of volunteering hours, ..." in plain English.
    sentences : list of str
        ``[sentence]``.
    """

    table: object
    dimensions: object
    groups: object
    many_roles: object
    overlap: object
    sentence: str
    share: Fraction = field(default=Fraction(2, 3))

    people = alias("table")

    def __repr__(self) -> str:
        return f"<CivicCore: {self.sentence}>"

    @property
    def sentences(self) -> list:
        """The finding in plain English: ``[sentence]``."""
        return [self.sentence]

    @property
    def zero_all(self):
        """The people who contribute nothing on any dimension (docs/algorithms.md §4.2 asks to
        report them).

        Examples
        --------
        >>> import influence
        >>> cc = influence.civic_core(influence.datasets.load("southern_women"))
        >>> len(cc.zero_all)
        0
        """
        dims = [d for d in _ORDER if d in self.people.columns]
        return self.people[(self.people[dims].fillna(0) == 0).all(axis=1)]


def civic_core(m, *, share=2 / 3, people=None, many=3, weight_hours="hours",
               giving="giving"):
    """Find the civic core: who provides most of the participation, hours and giving.

    Faithful to Mohan & Bulloch (2012), docs/algorithms.md §4.2. For each dimension with values x
    (missing = 0): T = sum(x); sort descending; k = the smallest count whose cumulative sum reaches
    ``share`` x T (exact rational arithmetic, so 2/3 means exactly two thirds); the threshold is
    the k-th largest value and the core is **every** person with x >= threshold and x > 0
    (tie-inclusive, so it does not depend on sort order and can hold more than ``share``).
    A dimension with total 0 has an empty core. The civic core is the union of the dimension
    cores. The population is every person in the map, including people with no group.

    Parameters
    ----------
    m : InfluenceMap or networkx.Graph
        People are actors whose ``kind`` is a person kind (:data:`influence.schema.PERSON_KINDS`);
        for a networkx graph without kinds, the nodes with ``bipartite == 0`` (networkx's
        two-mode convention, e.g. the women of Davis's Southern Women).
    share : float or Fraction
        Share of each total the dimension core provides (default 2/3, read as exactly 2/3).
    people : list, optional
        The people's ids, overriding the rule above (the other end of each tie is the group).
    many : int
        People in at least this many groups are listed in ``many_roles`` (default 3).
    weight_hours, giving : str
        Tie attribute holding hours, actor attribute holding the amount given.

    Returns
    -------
    CivicCore

    Examples
    --------
    >>> import networkx as nx
    >>> from influence.civic import civic_core
    >>> core = civic_core(nx.davis_southern_women_graph())
    >>> print(core.sentence)  # doctest: +NORMALIZE_WHITESPACE
    78% of the 18 people on our map, not of the area's residents, provide 90% of
    participation in groups (the civic core: 14 people).
    >>> d = core.dimensions.loc["participation"]
    >>> float(d["total"]), float(d["threshold"]), int(d["core_size"])
    (89.0, 4.0, 14)

    References
    ----------
    .. [1] Mohan, J. & Bulloch, S. L. (2012). The idea of a "civic core": what are the overlaps
       between charitable giving, volunteering, and civic participation in England and Wales?
       Third Sector Research Centre Working Paper 73.
    .. [2] Reed, P. B. & Selbee, L. K. (2001). The civic core in Canada. *Nonprofit and
       Voluntary Sector Quarterly* 30(4), 761-780.
    .. [3] Breiger, R. L. (1974). The duality of persons and groups. *Social Forces* 53(2).
    """
    import pandas as pd

    frac = _share(share)
    if not isinstance(many, (int, np.integer)) or many < 1:
        raise InputError(f"many={many!r} must be a whole number of groups >= 1. Fix: e.g. many=3.")
    net = network(m, weight=None)
    ids = net.index
    kinds, names = net.column("kind"), net.column("name")
    is_person = _people(net, people, kinds)
    # membership edges person -> group, from the original ties (hours live there)
    t = net.ties
    if len(t):
        u = net.ids.get_indexer(t["source"])
        v = net.ids.get_indexer(t["target"])
        ok = (u >= 0) & (v >= 0) & (u != v)
        if "kind" in t and net.map is not None:
            ok &= t["kind"].astype(object).isin(MEMBERSHIP_TIE_KINDS).to_numpy()
        pu, pv = is_person[np.maximum(u, 0)], is_person[np.maximum(v, 0)]
        ok &= pu != pv  # exactly one end is a person
        person = np.where(pu, u, v)[ok]
        group = np.where(pu, v, u)[ok]
        hours = _nonneg(t[weight_hours] if weight_hours in t else None, len(t), "hours")[ok]
    else:
        person = group = np.zeros(0, dtype=np.int64)
        hours = np.zeros(0)
    n = net.n
    pairs = np.unique(np.column_stack([person, group]), axis=0) if len(person) else \
        np.zeros((0, 2), dtype=np.int64)
    values = {
        "participation": np.bincount(pairs[:, 0], minlength=n).astype(float),
        "hours": np.bincount(person, weights=hours, minlength=n) if len(person) else np.zeros(n),
        "giving": _nonneg(net.actors[giving] if giving in net.actors else None, n, "giving"),
    }
    pmask = is_person
    N = int(pmask.sum())
    people_frame = pd.DataFrame({"kind": kinds.array, "name": names.array}, index=ids)[pmask]
    people_frame["participation"] = values["participation"][pmask].astype(np.int64)
    people_frame["hours"] = values["hours"][pmask]
    people_frame["giving"] = values["giving"][pmask]
    rows = {}
    for dim in _ORDER:
        x = values[dim][pmask]
        core, tau = _core(x, frac)
        people_frame[f"core_{dim}"] = core
        total = float(x.sum())
        rows[dim] = {"total": total, "threshold": tau, "core_size": int(core.sum()),
                     "core_share_people": core.sum() / N if N else np.nan,
                     "core_share_total": float(x[core].sum()) / total if total else np.nan}
    flags = people_frame[[f"core_{d}" for d in _ORDER]].to_numpy()
    people_frame["n_cores"] = flags.sum(axis=1).astype(np.int64)
    people_frame["civic_core"] = people_frame["n_cores"] > 0
    union = people_frame["civic_core"].to_numpy()
    for dim in _ORDER:
        x = people_frame[dim].to_numpy(dtype=float)
        tot = x.sum()
        rows[dim]["civic_core_share_total"] = float(x[union].sum()) / tot if tot else np.nan
    dims = pd.DataFrame.from_dict(rows, orient="index")
    dims.index.name = "dimension"
    dims["core_size"] = dims["core_size"].astype(np.int64)
    overlap = people_frame["n_cores"].value_counts().reindex(range(4), fill_value=0)
    overlap.index.name = "n_cores"
    overlap.name = "people"
    groups = _groups(ids, kinds, names, pairs, person, group, hours, is_person, union_full=(
        np.isin(np.arange(n), np.flatnonzero(pmask)[union])))
    memberships = {}
    for p, gpos in pairs.tolist():
        memberships.setdefault(p, []).append(ids[gpos])
    roles = people_frame[people_frame["participation"] >= many].sort_values(
        ["participation", "hours"], ascending=False, kind="stable")
    roles = roles[["kind", "name", "participation", "hours", "civic_core"]].copy()
    pos = net.ids.get_indexer(roles.index)
    roles["groups"] = pd.Series([tuple(sorted(memberships.get(p, []), key=str)) for p in pos],
                                index=roles.index, dtype=object)
    sentence = _sentence(N, int(union.sum()), dims)
    return CivicCore(people_frame, dims, groups, roles, overlap, sentence, frac)


# --- helpers ---------------------------------------------------------------------------------
def _share(share):
    try:
        frac = Fraction(share).limit_denominator(1000) if isinstance(share, float) \
            else Fraction(share)
    except (TypeError, ValueError):
        frac = None
    if frac is None or not 0 < frac <= 1:
        raise InputError(f"share={share!r} must be a fraction in (0, 1]. Fix: e.g. share=2/3.")
    return frac


def _nonneg(column, n, label):
    import pandas as pd

    if column is None:
        return np.zeros(n)
    x = pd.to_numeric(pd.Series(column), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    x = np.where(np.isnan(x), 0.0, x)
    if (x < 0).any():
        raise InputError(f"Negative {label} ({x[x < 0][0]!r}) cannot be counted in the civic "
                         f"core. Fix: give {label} as 0 or more, or leave it blank.")
    return x


def _people(net, people, kinds):
    """Boolean mask (by position) of the people."""
    n = net.n
    if people is not None:
        items = [people] if isinstance(people, str) else list(people)
        pos = net.positions(items)
        mask = np.zeros(n, dtype=bool)
        mask[pos] = True
        return mask
    k = kinds.astype(object).to_numpy()
    mask = np.array([isinstance(x, str) and x in PERSON_KINDS for x in k], dtype=bool)
    if not mask.any() and "bipartite" in net.actors:
        mask = (net.actors["bipartite"].astype(object) == 0).to_numpy(dtype=bool)
    if n and not mask.any() and net.map is None:
        raise InputError("Cannot tell the people from the groups in this graph. Fix: give the "
                         "nodes a person kind or bipartite=0 attribute, or pass people=[ids].")
    return mask


def _core(x, frac):
    """Tie-inclusive dimension core (boolean mask) and its threshold, in exact arithmetic."""
    total_f = float(x.sum())
    if not len(x) or total_f <= 0:
        return np.zeros(len(x), dtype=bool), np.nan
    desc = np.sort(x)[::-1]
    p, q = frac.numerator, frac.denominator
    if np.all(desc == np.round(desc)) and desc.sum() < 2 ** 52:
        ints = [int(v) for v in desc.tolist()]
    else:
        ints = None
    if ints is not None:
        cum = np.cumsum(np.asarray(ints, dtype=object))
        target = p * sum(ints)
        k = next(i for i, c in enumerate(cum) if q * c >= target)
    else:
        vals = [Fraction(v) for v in desc.tolist()]
        target = frac * sum(vals)
        run, k = Fraction(0), 0
        for k, v in enumerate(vals):  # noqa: B007 - k is read after the loop
            run += v
            if run >= target:
                break
    tau = float(desc[k])
    return (x >= tau) & (x > 0), tau


def _groups(ids, kinds, names, pairs, person, group, hours, is_person, union_full):
    import pandas as pd

    n = len(ids)
    gpos = np.unique(pairs[:, 1]) if len(pairs) else np.zeros(0, dtype=np.int64)
    members = np.bincount(pairs[:, 1], minlength=n) if len(pairs) else np.zeros(n, int)
    core_members = (np.bincount(pairs[:, 1], weights=union_full[pairs[:, 0]].astype(float),
                                minlength=n) if len(pairs) else np.zeros(n))
    gh = np.bincount(group, weights=hours, minlength=n) if len(group) else np.zeros(n)
    ch = (np.bincount(group, weights=hours * union_full[person], minlength=n)
          if len(group) else np.zeros(n))
    with np.errstate(invalid="ignore", divide="ignore"):
        frame = pd.DataFrame({
            "kind": kinds.array[gpos], "name": names.array[gpos],
            "members": members[gpos].astype(np.int64),
            "core_members": core_members[gpos].astype(np.int64),
            "core_share": core_members[gpos] / members[gpos],
            "hours": gh[gpos], "core_hours": ch[gpos],
            "core_hours_share": np.where(gh[gpos] > 0, ch[gpos] / np.where(gh[gpos] > 0,
                                                                            gh[gpos], 1), np.nan),
        }, index=ids[gpos])
    return frame.sort_values(["core_share", "members"], ascending=False, kind="stable")


def _pct(x):
    return f"{round(100 * x)}%"


def _sentence(N, k, dims):
    if N == 0:
        return "There are no people in the map, so the civic core cannot be measured."
    parts = [f"{_pct(dims.loc[d, 'civic_core_share_total'])} of {DIMENSIONS[d]}"
             for d in ("hours", "giving", "participation") if dims.loc[d, "total"] > 0]
    if not parts:
        return (f"None of the {N} people has any recorded participation, hours or giving, so "
                "there is no civic core.")
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return (f"{_pct(k / N)} of the {N} people on our map, not of the area's residents, "
            f"provide {listed} (the civic core: {k} people).")
