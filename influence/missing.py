"""Who is missing from our sphere of influence, for each of our priorities.

For each priority theme, the power matrix of the UK catalogue (:func:`influence.uk.power_matrix`)
names the bodies that hold power over it (statutory duty holder, decision-maker, commissioner,
funder, provider, regulator, scrutiny, consultee, influencer). With an area they are resolved to
the real bodies for that local authority (:func:`influence.uk.area`); without one they are typed
slots ("a county council"). Each slot is matched to an actor of the map (by ``org_code``, then by
kind and name) and given a status against the partnership's sphere, a warm-introduction path,
the reason (function, statutory basis, sources) and a rank. Building the slots, the reach from
the focus and the matching are in :mod:`influence._slots`.
"""

from __future__ import annotations

import re

import numpy as np

from ._slots import (
    actor_column,
    board_members,
    column,
    gap_slots,
    match_slot,
    only_route,
    path_notes,
    reach_from,
)
from .errors import InputError
from .graph import network

__all__ = ["missing", "introductions", "STATUSES", "STATUS_LABELS", "ROLE_LABELS",
           "parse_priorities"]

#: The statuses of a slot, from the widest gap to none.
STATUSES = ("absent", "unconnected", "gatekeeper", "opposed", "weak", "connected")
#: Plain-English labels of the statuses (for reports).
STATUS_LABELS = {
    "absent": "missing from our map",
    "unconnected": "on the map but outside our sphere",
    "gatekeeper": "reachable only through one person",
    "opposed": "opposed to our aims",
    "weak": "weakly tied",
    "connected": "connected",
}
ROLE_LABELS = {
    "statutory_duty_holder": "statutory duty", "decision_maker": "decision-maker",
    "commissioner": "commissioner", "funder": "funder", "provider": "provider",
    "regulator": "regulator", "scrutiny_voice": "scrutiny / voice", "consultee": "consultee",
    "influencer": "influencer",
}
#: The route to Local Trust when the map has neither our rep nor our LTO.
LOCAL_TRUST_ROUTE = ("through our Big Local rep and our locally trusted organisation (every Big "
                     "Local works with Local Trust through them): add them to our map")
#: The flag on an introducer who is also the only route in.
GATEKEEPER_NOTE = "also the only route in — ask another"
#: How close we already are, by status (the third factor of the score; connected: no gap).
_CLOSENESS = {"weak": 1.0, "opposed": 0.8, "gatekeeper": 0.7, "unconnected": 0.4,
              "absent": 0.3, "connected": 0.0}
COLUMNS = ["theme", "function", "role", "holder_type", "tier_class", "body", "code", "status",
           "actor", "actor_name", "stance", "sphere", "gatekeeper", "introducers", "path",
           "members", "notes", "reason", "basis", "verify", "vintage", "score", "rank"]


def parse_priorities(priorities, m=None):
    """Theme ids from ``"health, youth"`` or a list; default: the partnership's own themes."""
    if priorities is None:
        themes = []
        if m is not None:
            actors = network(m).actors
            if "kind" in actors and "themes" in actors:
                part = actors[actors["kind"] == "big_local_partnership"]
                for value in part["themes"]:
                    if isinstance(value, (tuple, list)):
                        themes += [t for t in value if t not in themes]
        if not themes:
            from . import uk

            themes = list(uk.themes().index)
        priorities = themes
    if isinstance(priorities, str):
        priorities = priorities.split(",")
    out = []
    for p in priorities:
        p = re.sub(r"[\s\-]+", "_", str(p).strip().lower())
        if p and p not in out:
            out.append(p)
    if not out:
        from .errors import either

        raise InputError("No priorities given. Fix: name at least one theme, e.g. "
                         + either("priorities=['health', 'youth']", "--priorities health,youth")
                         + ".")
    return out


def missing(m, *, priorities=None, area=None, focus=None, as_at=None):
    """Who holds power over our priorities, and how far each of them is from us.

    Parameters
    ----------
    m : InfluenceMap or networkx.Graph
    priorities : str or list of str, optional
        Theme ids in priority order (first = most important), e.g. ``["health", "youth"]`` or
        ``"health,youth"`` (see ``influence catalogue themes``). Default: the themes of the
        partnership actor, else every theme.
    area : str or influence.uk.Area, optional
        A local authority GSS code or name: slots are resolved to its real bodies. Without it
        the slots are typed ("County council"), and the tier structure is read from the map
        (unitary if it has a ``unitary_council`` and no county or district council).
    focus : str or list, optional
        The centre of the sphere (see :func:`influence.spheres`); default the partnership and
        its members.
    as_at : date or str, optional
        Review date for resolving the area (ICBs change on 2026-04-01).

    Returns
    -------
    pandas.DataFrame
        One row per slot (theme x role x body), best gap first: ``theme``, ``function``,
        ``role``, ``holder_type``, ``tier_class``, ``body`` (resolved name or typed label),
        ``code`` (GSS/ONS), ``status`` (one of :data:`STATUSES`), ``actor`` (matched id or
        <NA>), ``actor_name``, ``stance``, ``sphere``, ``gatekeeper`` (the actor every route
        passes through), ``introducers`` (tuple of ids who know the actor and are one step
        nearer to us, strongest tie first), ``path`` (the warm-introduction path, strongest ties
        among the shortest; for a board that is not on the map, "reachable through its
        members: ..." naming the people on the map who work for or sit on its statutory
        member bodies), ``members`` (tuple of those people's ids), ``notes`` (the notes on the
        ties of the path and on our own ties to its first step and to the actor, "; "-joined,
        or <NA>), ``reason``, ``basis``,
        ``verify``, ``vintage``, ``score`` (theme priority x role weight x closeness) and
        ``rank`` (1 = first gap to close; connected slots have score 0 and rank last).

    Notes
    -----
    Statuses, in order of precedence: **absent** (no actor matches the slot); **unconnected**
    (on the map but no route from us); **gatekeeper** (every route from us passes through one
    actor outside the partnership: a dominator on the super-source graph, as in
    :func:`influence.gatekeepers`); **unconnected** again if more than one introduction away;
    **opposed** (stance < 0);
    **weak** (one introduction away, or a direct tie weaker than 2); **connected** (a direct
    tie of strength 2 or more, or part of the focus). Local Trust is reached through the
    partnership's rep and LTO (:func:`influence.spheres.programme_ties`); on a map with neither,
    it is **weak**, not unconnected, and ``path`` says to add them to the map. Theme priority
    is ``(n - i) / n`` for the
    i-th of n priorities; role weights are :data:`influence.uk.ROLE_WEIGHTS`; closeness is
    1 (weak), 0.8 (opposed), 0.7 (gatekeeper), 0.4 (unconnected), 0.3 (absent), 0 (connected).

    Examples
    --------
    >>> import networkx as nx
    >>> from influence.missing import missing
    >>> G = nx.Graph([("us", "ann"), ("ann", "cllr"), ("cllr", "cc")])
    >>> nx.set_node_attributes(G, {"us": "big_local_partnership", "ann": "resident",
    ...     "cllr": "county_councillor", "cc": "county_council"}, "kind")
    >>> gaps = missing(G, priorities="youth", focus=["us", "ann"])
    >>> row = gaps[gaps.holder_type == "county_council"].iloc[0]
    >>> row.status, row.gatekeeper, row.path
    ('gatekeeper', 'cllr', 'ann → cllr → cc')
    >>> "school" in set(gaps.loc[gaps.status == "absent", "holder_type"])
    True

    References
    ----------
    .. [1] Local Trust (2023). *Our Bigger Story*: partnerships "review who is in their sphere
       of influence (and who is missing)".
    .. [2] Lengauer, T., & Tarjan, R. E. (1979). A fast algorithm for finding dominators in a
       flowgraph. *ACM TOPLAS* 1(1), 121-141 (the gatekeeper test).
    .. [3] The power matrix's sources (``influence catalogue sources``): e.g. Health and Social
       Care Act 2012 s12; Education Act 1996 s507B; Flood and Water Management Act 2010.
    """
    import pandas as pd

    from . import uk

    net = network(m)
    themes = parse_priorities(priorities, m)
    if as_at is not None:
        uk.as_at_date(as_at)  # a bad date is an error even when no area needs it
    pm = uk.power_matrix(themes)
    if area is not None and not isinstance(area, uk.Area):
        area = uk.area(area, as_at=as_at)
    kinds = actor_column(net, "kind")
    slots = gap_slots(pm, themes, area, set(k for k in kinds if isinstance(k, str)))
    if net.n:
        seeds, _ = net.focus(focus)
    else:
        seeds = np.zeros(0, dtype=np.int64)
    info = reach_from(net, seeds)
    rows = []
    for slot in slots:
        pos = match_slot(net, slot, info, area is not None)
        rows.append(_status(net, slot, pos, info, themes))
    frame = pd.DataFrame(rows, columns=COLUMNS[:-1])
    frame["sphere"] = frame["sphere"].astype("Int64")
    frame["stance"] = frame["stance"].astype("Int64")
    order = np.lexsort((frame.index.to_numpy(), -frame["score"].to_numpy()))
    frame = frame.iloc[order].reset_index(drop=True)
    frame["rank"] = np.arange(1, len(frame) + 1)
    frame.index.name = "slot"
    for col in ("theme", "function", "role", "holder_type", "tier_class", "body", "code",
                "status", "actor", "actor_name", "gatekeeper", "path", "notes", "reason",
                "basis", "vintage"):
        frame[col] = frame[col].astype("string")
    frame["verify"] = frame["verify"].astype(bool)
    return frame


def introductions(m, gaps):
    """The shortest list of people who between them can introduce us to the most gaps.

    Greedy set cover over the gaps' ``introducers`` (Johnson 1974): repeatedly take the
    person who knows the most gap actors not yet covered (equal counts: the larger total score,
    then the stronger ties, then the smaller id). Introducers are people: groups and
    organisations (actors of a known kind that is not a person kind) are left out. A
    gatekeeper (the only route in to a gap they would introduce) is kept, since nobody else
    can introduce us there, but flagged and listed after the others: the advice is to build
    another route, not to lean on the one we have.

    Parameters
    ----------
    m : InfluenceMap or networkx.Graph
        The map the gaps came from (for names).
    gaps : pandas.DataFrame
        A result of :func:`missing`.

    Returns
    -------
    pandas.DataFrame
        Indexed by introducer id, in order: ``name``, ``rank``, ``covers`` (how many gap
        actors), ``bodies`` (their names, "; "-separated), ``themes``, ``gatekeeper`` (True
        when they are the only route in to a gap they cover) and ``note`` ("also the only
        route in — ask another" for gatekeepers, else <NA>).

    Examples
    --------
    >>> import networkx as nx
    >>> from influence.missing import missing, introductions
    >>> G = nx.Graph([("us", "ann"), ("ann", "cllr"), ("cllr", "cc"), ("ann", "head"),
    ...               ("head", "school"), ("ann", "gov"), ("gov", "school")])
    >>> nx.set_node_attributes(G, {"us": "big_local_partnership", "ann": "resident",
    ...     "cllr": "county_councillor", "cc": "county_council", "head": "worker",
    ...     "gov": "resident", "school": "school"}, "kind")
    >>> gaps = missing(G, priorities="youth", focus=["us", "ann"])
    >>> introductions(G, gaps)[["rank", "covers", "gatekeeper"]]
          rank  covers  gatekeeper
    id
    gov      1       1       False
    cllr     2       1        True

    References
    ----------
    .. [1] Johnson, D. S. (1974). Approximation algorithms for combinatorial problems.
       *Journal of Computer and System Sciences* 9(3), 256-278.
    """
    import pandas as pd

    from .schema import PERSON_KINDS

    net = network(m)
    names = dict(zip(net.ids, actor_column(net, "name"), strict=True))
    kinds = dict(zip(net.ids, actor_column(net, "kind"), strict=True))
    gaps = gaps[(gaps["status"] != "connected") & gaps["actor"].notna()]
    covers, score, body, theme, order, keeper = {}, {}, {}, {}, {}, set()
    for row in gaps.itertuples():
        body.setdefault(row.actor, row.actor_name or row.body)
        score[row.actor] = score.get(row.actor, 0.0) + float(row.score)
        theme.setdefault(row.actor, set()).add(row.theme)
        for j, who in enumerate(row.introducers or ()):
            if kinds.get(who) is not None and kinds.get(who) not in PERSON_KINDS:
                continue  # a group or organisation: introducers are people
            covers.setdefault(who, set()).add(row.actor)
            order[(who, row.actor)] = j
            if isinstance(row.gatekeeper, str) and row.gatekeeper == str(who):
                keeper.add(who)
    chosen, covered = [], set()
    while True:
        best = None
        for who, acts in covers.items():
            new = acts - covered
            if not new:
                continue
            key = (len(new), round(sum(score[a] for a in new), 9),
                   -sum(order[(who, a)] for a in new), _neg(str(who)))
            if best is None or key > best[0]:
                best = (key, who, new)
        if best is None:
            break
        _, who, new = best
        covered |= new
        chosen.append((who, sorted(new, key=lambda a: -score[a])))
    chosen.sort(key=lambda c: c[0] in keeper)  # stable: gatekeepers after the others
    flag = [w in keeper for w, _ in chosen]
    frame = pd.DataFrame({
        "name": pd.array([_text(names.get(w, w)) for w, _ in chosen], dtype="string"),
        "rank": np.arange(1, len(chosen) + 1, dtype=np.int64),
        "covers": np.array([len(a) for _, a in chosen], dtype=np.int64),
        "bodies": pd.array(["; ".join(str(body[x]) for x in a) for _, a in chosen],
                           dtype="string"),
        "themes": pd.array([", ".join(sorted(set().union(*(theme[x] for x in a))))
                            for _, a in chosen], dtype="string"),
        "gatekeeper": np.array(flag, dtype=bool),
        "note": pd.array([GATEKEEPER_NOTE if f else None for f in flag], dtype="string"),
    }, index=pd.Index([w for w, _ in chosen], name="id", dtype=object))
    return frame


# --- status of a slot ------------------------------------------------------------------------
def _status(net, slot, pos, info, themes):
    n_t = len(themes)
    prio = 1.0 if slot["theme"] == "all" else (n_t - themes.index(slot["theme"])) / n_t
    row = dict(theme=slot["theme"], function=slot["function"], role=slot["role"],
               holder_type=slot["holder"], tier_class=slot["tier"], body=slot["body"],
               code=slot["code"], actor=None, actor_name=None, stance=None, sphere=None,
               gatekeeper=None, introducers=(), path=None, basis=slot["basis"],
               verify=slot["verify"], vintage=slot["vintage"])
    role = ROLE_LABELS.get(slot["role"], slot["role"])
    basis = slot["statute"] if slot["statute"] not in ("", "n/a") else "no statutory basis"
    reason = f"{slot['function']} ({role}; {basis}"
    sources = ", ".join(x.strip() for x in slot["sources"].split(";") if x.strip())
    reason += f"; sources: {sources})" if sources else ")"
    names, ids = info["names"], net.ids
    row["members"], row["notes"] = (), None
    if pos < 0:
        status = "absent"
        via = board_members(net, info, slot["holder"])
        if via:
            row["members"] = tuple(ids[p if p >= 0 else b] for p, b in via)
            row["path"] = "reachable through its members: " + _and(
                [f"{names[p] or ids[p]} at {names[b] or ids[b]}" if p >= 0
                 else str(names[b] or ids[b]) for p, b in via])
    else:
        d = int(info["dist"][pos])
        stance = _stance(column(net, info, "stance")[pos])
        gk = only_route(info, pos) if d > 0 else None
        direct = max((w for w, u in info["parents"].get(pos, []) if d == 1), default=0.0)
        unmapped = (d < 0 and pos in info.get("local_trust", ())
                    and not info.get("programme_links"))
        if unmapped:  # every Big Local works with Local Trust: the rep and LTO are not mapped
            status = "weak"
        elif d < 0:
            status = "unconnected"
        elif gk is not None:
            status = "gatekeeper"
        elif d > 2:
            status = "unconnected"
        elif stance is not None and stance < 0:
            status = "opposed"
        elif d == 2 or (d == 1 and direct < 2):
            status = "weak"
        else:
            status = "connected"
        path = []
        v = pos
        while d >= 0 and v >= 0:
            path.append(v)
            v = int(info["parent"][v]) if v not in info["seeds"] else -1
        route = list(reversed(path)) if d > 0 else [pos]
        row["notes"] = "; ".join(path_notes(info, route, pos)) or None
        row.update(actor=ids[pos], actor_name=_text(names[pos] or ids[pos]),
                   stance=None if stance is None else int(stance),
                   sphere=d if d >= 0 else None,
                   gatekeeper=None if gk is None else ids[gk],
                   introducers=tuple(ids[u] for _, u in info["parents"].get(pos, [])),
                   path=" → ".join(str(names[p] or ids[p]) for p in reversed(path))
                   if d > 0 else LOCAL_TRUST_ROUTE if unmapped else None)
    row["status"] = status
    row["reason"] = reason
    row["score"] = round(prio * slot["weight"] * _CLOSENESS[status], 3)
    return row


def _stance(value):
    """A stance as an int -2..2, or None; a networkx graph may hold words ("opposes") or text."""
    from .schema import STANCE_WORDS

    if isinstance(value, str):
        word = value.strip().lower()
        if word in STANCE_WORDS:
            return STANCE_WORDS[word]
        try:
            value = float(word)
        except ValueError:
            return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return int(round(value)) if np.isfinite(value) else None


def _and(items):
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _text(v):
    return None if v is None else str(v)


def _neg(s):
    return tuple(-ord(c) for c in s)
