"""One person's sphere over time: their own ties, their place in the partnership, and the
power-holders and community bodies they reach, snapshot by snapshot.

For a Community Leadership Academy participant, say, :func:`sphere_history` answers "what has
changed for Margaret?" in words about the person: "Margaret Hale now knows Claire Moss MP
directly; in 2019 Margaret was four introductions away."
"""

from __future__ import annotations

import re
from functools import lru_cache

from .errors import InputError, UnknownActorError
from .result import frame_result
from .schema import PARTNERSHIP_KIND

__all__ = ["sphere_history"]

#: Kinds of community body whose reach is counted.
COMMUNITY_KINDS = ("community_group", "vcse_org", "social_enterprise", "faith_group",
                   "tenants_association", "transport_operator", "working_group")
_AWAY = {1: "directly", 2: "one introduction away", 3: "two introductions away",
         4: "three introductions away", 5: "four introductions away"}
_TITLES = {"cllr", "dr", "rev", "pcso", "mr", "mrs", "ms", "miss", "prof", "sir", "dame"}


def _label(m, i):
    """The year in the map's name, else the year of its latest tie date, else its name."""
    name = m.name or f"snapshot {i + 1}"
    found = re.search(r"(19|20)\d\d", str(name))
    if found:
        return found.group(0)
    dates = [m.ties[c].max() for c in ("confirmed", "since") if c in m.ties]
    dates = [d for d in dates if d == d and d is not None]
    return str(max(dates).year) if dates else str(name)


def _away(d):
    return "out of reach" if d is None else _AWAY.get(d, f"{d - 1} introductions away")


def _first(name):
    from .actions import short_name

    short = short_name(name)
    words = short.split()
    return short if not words or words[0].casefold().rstrip(".") in _TITLES else words[0]


def sphere_history(maps, *, person, min_influence=3.0):
    """How one person's sphere changed across snapshots of the map.

    Parameters
    ----------
    maps : list of InfluenceMap
        The snapshots, oldest first, labelled by the year in each map's name (else the year
        of its latest ``confirmed`` or ``since`` date, else its name).
    person : str
        The person's actor id (they need not be on every snapshot).
    min_influence : float
        Power-holders are actors with at least this influence (0-5), outside the partnership.

    Returns
    -------
    pandas.DataFrame
        One row per power-holder or community body the person reaches in some snapshot,
        indexed by id: ``name``, ``kind``, ``what`` ("power-holder" or "community body"), one
        column per snapshot with the number of ties between the person and it (1 = they know
        them directly; <NA> out of reach), and ``change`` ("closer", "further", "same", "new",
        "lost"). ``.attrs["sentences"]`` holds the story in words about the person, and
        ``.attrs["summary"]`` a table per snapshot (own ties, partnership role, power-holders
        and community bodies known directly).

    Examples
    --------
    >>> import influence
    >>> from influence.history import sphere_history
    >>> h = sphere_history([influence.datasets.load("hollinford", year=2019),
    ...                     influence.datasets.load("hollinford")], person="margaret_hale")
    >>> h.loc["mp_claire_moss", ["2019", "2023", "change"]].astype(str).tolist()
    ['5', '1', 'closer']
    >>> print(h.attrs["sentences"][2])
    Margaret Hale now knows Claire Moss MP directly; in 2019 Margaret was four introductions away.

    References
    ----------
    .. [1] Local Trust (2024). *Spheres of community influence*: influence travels from the
       individual, to the partnership, to the wider community and the bodies with power.
    """
    import pandas as pd

    from .spheres import spheres

    maps = list(maps)
    if len(maps) < 2:
        raise InputError("sphere history needs at least two snapshots of the map, oldest "
                         "first. Fix: give two or more files, e.g. area-2019.xlsx "
                         "area-2023.xlsx.")
    if not any(person in m.actors.index for m in maps):
        raise UnknownActorError(f"Unknown person {person!r}: not an actor id in any snapshot. "
                                "Fix: use an id from the actors sheet, e.g. margaret_hale.")
    labels = [_label(m, i) for i, m in enumerate(maps)]
    if len(set(labels)) < len(labels):
        labels = [f"{lab} ({i + 1})" for i, lab in enumerate(labels)]
    dist, info, summary = {}, {}, []
    for lab, m in zip(labels, maps, strict=True):
        a = m.actors
        if person not in a.index:
            summary.append(dict(snapshot=lab, on_map=False))
            dist[lab] = {}
            continue
        sph = spheres(m, focus=person)
        part = spheres(m)
        ours = set(part.index[part["sphere"].fillna(-1) == 0])
        infl = a["influence"].fillna(0)
        power = (infl >= min_influence) & ~a.index.isin(list(ours)) & \
            (a["kind"] != PARTNERSHIP_KIND)
        community = a["kind"].isin(COMMUNITY_KINDS)
        keep = a.index[(power | community) & (a.index != person)]
        d = sph["sphere"].reindex(keep)
        dist[lab] = {i: int(v) for i, v in d.items() if not pd.isna(v)}
        for i in keep:
            info.setdefault(i, (a.at[i, "name"], a.at[i, "kind"],
                                "power-holder" if power[i] else "community body"))
        t = m.ties
        own = int(((t["source"] == person) | (t["target"] == person)).sum())
        summary.append(dict(
            snapshot=lab, on_map=True, own_ties=own, member=person in ours,
            chairs=tuple(t.loc[(t["source"] == person) & (t["kind"] == "chairs"), "target"]),
            power_direct=sum(1 for i, v in dist[lab].items() if v == 1
                             and info[i][2] == "power-holder"),
            community_direct=sum(1 for i, v in dist[lab].items() if v == 1
                                 and info[i][2] == "community body"),
            community_reach=sum(1 for i, v in dist[lab].items() if v <= 2
                                and info[i][2] == "community body")))
    rows = []
    for i, (name, kind, what) in info.items():
        vals = [dist[lab].get(i) for lab in labels]
        if all(v is None for v in vals):
            continue
        first, last = vals[0], vals[-1]
        change = ("new" if first is None else "lost" if last is None else
                  "closer" if last < first else "further" if last > first else "same")
        rows.append(dict(id=i, name=name, kind=kind, what=what,
                         **{lab: v for lab, v in zip(labels, vals, strict=True)},
                         change=change))
    frame = pd.DataFrame(rows, columns=["id", "name", "kind", "what", *labels, "change"])
    for lab in labels:
        frame[lab] = frame[lab].astype("Int64")
    for col in ("name", "kind", "what", "change"):
        frame[col] = frame[col].astype("string")  # the same dtypes on every map
    frame = frame.set_index("id")
    rank = frame["change"].map({"closer": 0, "new": 1, "lost": 2, "further": 3, "same": 4})
    frame = frame.assign(_r=rank, _d=frame[labels[-1]].fillna(99)).sort_values(
        ["_r", "_d", "what"], kind="stable").drop(columns=["_r", "_d"])
    last = next(m for m in reversed(maps) if person in m.actors.index)
    frame.attrs["summary"] = _summary_table(summary)
    frame.attrs["sentences"] = _story(last.actors.at[person, "name"], frame, labels, summary,
                                      maps)
    out = _history_class()(frame)
    out.attrs = frame.attrs
    return out


def _summary_table(summary):
    """One row per snapshot, the same dtypes whether or not the person is on every map
    (counts and membership <NA> where they are not)."""
    import pandas as pd

    frame = pd.DataFrame(summary, columns=["snapshot", "on_map", "own_ties", "member", "chairs",
                                           "power_direct", "community_direct",
                                           "community_reach"]).set_index("snapshot")
    frame["on_map"] = frame["on_map"].astype(bool)
    frame["member"] = frame["member"].astype("boolean")
    for col in ("own_ties", "power_direct", "community_direct", "community_reach"):
        frame[col] = frame[col].astype("Int64")
    return frame


@lru_cache(maxsize=None)
def _history_class():
    import pandas as pd

    def tables(self) -> dict:
        """``table`` (the result itself) and ``summary``."""
        out = {"table": self}
        if isinstance(self.summary, pd.DataFrame):
            out["summary"] = self.summary
        return out

    return frame_result(
        "SphereHistory", __name__,
        """The table of :func:`sphere_history`: a DataFrame that is also a
        :class:`~influence.result.Result` (its own ``.table``), with ``.sentences`` (the story,
        ``.attrs["sentences"]``) and ``.summary`` (the table per snapshot,
        ``.attrs["summary"]``).""",
        sentences=property(lambda self: self.attrs.get("sentences", []),
                           doc='The story in words about the person (``.attrs["sentences"]``).'),
        summary=property(lambda self: self.attrs.get("summary"),
                         doc='One row per snapshot (``.attrs["summary"]``; None once ``attrs`` '
                             "is cleared)."),
        tables=property(tables))


def __getattr__(name):
    # The result class is built on first use (pandas is imported lazily); pickle finds it here.
    if name == "SphereHistory":
        return _history_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _story(name, frame, labels, summary, maps):
    from .actions import short_name

    first, last = labels[0], labels[-1]
    me, who = short_name(name), _first(name)
    out = []
    s0, s1 = summary[0], summary[-1]
    if s0.get("on_map") and s1.get("on_map"):
        if s0["member"] and s1["member"]:
            role = f"{me} has been on the partnership throughout ({first} to {last})."
        elif s1["member"]:
            role = f"{me} joined the partnership after {first}."
        elif s0["member"]:
            role = f"{me} left the partnership after {first}"
            chairs = [c for c in s1["chairs"]]
            if chairs:
                names = maps[-1].actors["name"]
                role += (" and now chairs " + ", ".join(str(names.get(c, c)) for c in chairs)
                         + ": influence carried into the community")
            role += "."
        else:
            role = f"{me} is not on the partnership in {first} or {last}."
        out.append(role + f" Own ties: {s0['own_ties']} in {first}, {s1['own_ties']} in {last}.")
    elif not s0.get("on_map"):
        out.append(f"{me} is not on the {first} map; this is what {who} reaches in {last}.")
    power = frame[frame["what"] == "power-holder"]
    for _i, r in power[power["change"] == "closer"].head(6).iterrows():
        now, then = r[last], r[first]
        text = (f"{me} now knows {short_name(r['name'])} directly" if now == 1 else
                f"{short_name(r['name'])} is now {_away(int(now))} from {me}")
        out.append(f"{text}; in {first} {who} was {_away(int(then))}.")
    for _i, r in power[power["change"] == "new"].head(4).iterrows():
        now = int(r[last])
        text = (f"{me} now knows {short_name(r['name'])} directly" if now == 1 else
                f"{short_name(r['name'])} is now {_away(now)} from {me}")
        out.append(text + (f"; in {first} {who} had no route there." if s0.get("on_map")
                           else "."))
    for _i, r in power[power["change"].isin(["further", "lost"])].head(4).iterrows():
        now = None if pd_na(r[last]) else int(r[last])
        out.append(f"{short_name(r['name'])} is further from {me} than in {first}: "
                   f"{_away(now)} (was {_away(int(r[first]))}).")
    if s0.get("on_map") and s1.get("on_map"):
        c0, c1 = s0["community_direct"], s1["community_direct"]
        new = frame[(frame["what"] == "community body") & (frame[last] == 1)
                    & ((frame[first].isna()) | (frame[first] > 1))]
        text = (f"{who} belongs to or works with {c1} community "
                f"{'body' if c1 == 1 else 'bodies'} in {last} ({c0} in "
                f"{first}) and reaches {s1['community_reach']} within one introduction "
                f"({s0['community_reach']} in {first})")
        if len(new):
            text += "; new: " + ", ".join(str(x) for x in new["name"].head(5))
        out.append(text + ".")
    return out


def pd_na(v):
    import pandas as pd

    return v is None or pd.isna(v)
