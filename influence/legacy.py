"""Legacy: the relationships with power-holders that would be lost when Big Local ends.

A relationship with a power-holder (a body, with the people who work for or sit on it, or a
person of influence) is *at risk* when the partnership reaches it through one person only, only
through the paid worker or the Big Local rep (whose posts end with the programme), or only as
a body (the partnership or its locally trusted organisation) with no member holding a personal
tie. For each, :func:`legacy` names who else on the map already has a tie there and could take
it on.
"""

from __future__ import annotations

from .schema import PARTNERSHIP_KIND, PERSON_KINDS

__all__ = ["legacy", "RISKS"]

RISKS = ("one person", "only the paid worker", "only as a body")
_ATTACH = ("works_for", "member_of", "chairs", "represents")
_LTO, _REP, _WG = "locally_trusted_org", "big_local_rep", "working_group"


def partnership_sides(m, focus):
    """(personal holders, paid holders, collective holders) on the partnership's side."""
    from .spheres import spheres

    sph = spheres(m, focus=focus)
    kinds, t = m.actors["kind"], m.ties
    core = set(sph.index[sph["sphere"].fillna(-1) == 0])
    bodies = {a for a in core if kinds.get(a) not in PERSON_KINDS}
    bodies |= set(m.actors.index[kinds.isin([_LTO])])
    bodies |= set(t.loc[(t["kind"] == "reports_to") & t["target"].isin(bodies)
                        & t["source"].map(kinds).eq(_WG), "source"])
    staff = set(t.loc[(t["kind"] == "works_for") & t["target"].isin(bodies), "source"])
    paid = {p for p in staff if kinds.get(p) in PERSON_KINDS}
    paid |= {r for r in m.actors.index[kinds == _REP]
             if ((t["source"] == r) | (t["target"] == r)).any()}
    people = {a for a in core if kinds.get(a) in PERSON_KINDS} | paid
    return people, paid, bodies, sph


def _groups(m, ours, min_influence):
    """Power-holders as groups: a body with its people, or a person of influence on their own."""
    from .schema import LOCAL_TRUST_NAME

    a, t = m.actors, m.ties
    infl = a["influence"].fillna(0)
    lt = {i for i, name in zip(a.index, a["name"], strict=True)
          if str(i).casefold() == "local_trust" or str(name).strip().casefold() == LOCAL_TRUST_NAME}
    kind = dict(zip(a.index, a["kind"], strict=True))
    power = [i for i in a.index[infl >= min_influence] if i not in ours and i not in lt
             and kind[i] != PARTNERSHIP_KIND]
    attach = t[t["kind"].isin(_ATTACH)]
    attached = {}  # body -> the people attached to it, in tie order
    for s, d in zip(attach["source"], attach["target"], strict=True):
        attached.setdefault(d, []).append(s)
    groups, folded = {}, set()
    for b in power:
        if kind[b] in PERSON_KINDS:
            continue
        people = [p for p in dict.fromkeys(attached.get(b, ()))
                  if kind[p] in PERSON_KINDS and p not in ours]
        groups[b] = [b] + people
        folded |= set(people)
    for p in power:
        if kind[p] in PERSON_KINDS and p not in folded:
            groups[p] = [p]
    return groups


def legacy(m, *, focus=None, min_influence=3.0):
    """Relationships with power-holders that hang on one person, the worker, or no one.

    Parameters
    ----------
    m : InfluenceMap
    focus : str or list, optional
        The partnership (default: the ``big_local_partnership`` and its members).
    min_influence : float
        Power-holders are the actors with at least this influence (0-5), outside the
        partnership; Local Trust is left out (its tie ends with the programme anyway). A
        body's people (who work for or sit on it) count as the body.

    Returns
    -------
    pandas.DataFrame
        One row per power-holder we reach, at-risk first, indexed by id: ``name``, ``kind``,
        ``holders`` (tuple of our people with a personal tie there), ``bodies`` (our
        partnership, working groups or LTO with a tie there), ``through`` (the people there
        they know), ``risk`` (one of :data:`RISKS`, or <NA> when the tie is shared),
        ``others`` (tuple of people on the map, not ours, who already have a tie there:
        the ones who could take it on), ``sentence`` and ``share_sentence`` (the same without
        naming any resident or member, for a report that is circulated).

    Examples
    --------
    >>> import influence
    >>> from influence.legacy import legacy
    >>> lg = legacy(influence.datasets.load("hollinford"))
    >>> lg.loc["westshire_police", ["holders", "risk"]].tolist()
    [('worker_kim_patel',), 'only the paid worker']

    References
    ----------
    .. [1] Local Trust (2024). *Spheres of community influence*: influence that rests on a few
       individuals, and what happens to relationships when Big Local funding ends.
    .. [2] Mohan, J., & Bulloch, S. L. (2012). The idea of a "civic core". TSRC Working Paper 73.
    """
    import pandas as pd

    people, paid, bodies, sph = partnership_sides(m, focus)
    ours = people | bodies | set(sph.index[sph["sphere"].fillna(-1) == 0])
    sphere = {i: int(v) for i, v in sph["sphere"].dropna().items()}
    names = dict(zip(m.actors.index, m.actors["name"], strict=True))  # dicts: looked up
    kinds = dict(zip(m.actors.index, m.actors["kind"], strict=True))  # once per tie end
    t = m.ties
    # each actor's ties, as (tie number, which end, other end, strength): a group's ties are
    # then read from its members' lists, in tie order, not by scanning every tie per group
    ends = {}
    for i, (s, d, w) in enumerate(zip(t["source"], t["target"], t["strength"].fillna(1),
                                      strict=True)):
        ends.setdefault(d, []).append((i, 0, s, w))
        ends.setdefault(s, []).append((i, 1, d, w))
    rows = []
    for g, contact in _groups(m, ours, min_influence).items():
        cs = set(contact)
        holders, via, coll, others = {}, [], [], {}
        for _, _, u, v, w in sorted(e[:3] + (x, e[3]) for x in cs for e in ends.get(x, ())):
            if u in cs:
                continue
            if u in people:
                holders[u] = max(holders.get(u, 0), w)
                via.append(v)
            elif u in bodies or u in ours:
                coll.append(u)
            elif kinds.get(u) in PERSON_KINDS:
                others[u] = max(others.get(u, 0), w)
        if not holders and not coll:
            continue
        held = tuple(sorted(holders, key=lambda p: (-holders[p], p)))
        risk = (RISKS[2] if not held else RISKS[1] if all(p in paid for p in held)
                else RISKS[0] if len(held) == 1 else None)
        near = {p: sphere.get(p, 99) for p in others}
        other = tuple(sorted(others, key=lambda p: (int(near[p]), -others[p], p))[:4])
        through = tuple(dict.fromkeys(v for v in via if v != g))
        rows.append(dict(id=g, name=names.get(g, g), kind=kinds.get(g), holders=held,
                         bodies=tuple(dict.fromkeys(coll)), through=through, risk=risk,
                         others=other, sentence=_sentence(m, g, held, through, coll, risk,
                                                          other, paid),
                         share_sentence=_share(m, g, risk, other)))
    cols = ["name", "kind", "holders", "bodies", "through", "risk", "others", "sentence",
            "share_sentence"]
    frame = pd.DataFrame(rows, columns=["id"] + cols).set_index("id")
    frame["risk"] = frame["risk"].astype("string")
    order = frame["risk"].map({r: i for i, r in enumerate(RISKS)}).fillna(len(RISKS))
    infl = m.actors["influence"].reindex(frame.index).fillna(0)
    frame = frame.assign(_o=order, _i=-infl).sort_values(["_o", "_i"], kind="stable")
    return frame.drop(columns=["_o", "_i"])


def _names(m, ids):
    from .actions import short_name

    items = [short_name(m.actors["name"].get(i, i)) for i in ids]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _sentence(m, g, held, through, coll, risk, others, paid):
    if risk is None:
        return None
    name = m.actors["name"].get(g, g)
    via = f" (through {_names(m, through)})" if through else ""
    if risk == RISKS[2]:
        who = "the partnership as a body" if any(
            m.actors["kind"].get(c) != "locally_trusted_org" for c in coll) else \
            f"the LTO ({_names(m, [c for c in coll][:1])})"
        text = (f"Our relationship with {name} is held by {who}, and no member knows anyone "
                "there in person: when Big Local ends, nobody carries it on.")
    elif risk == RISKS[1]:
        text = (f"Our relationship with {name} rests on {_names(m, held)}, paid by the "
                f"programme{via}: it would be lost when the post ends.")
    else:
        text = f"Our relationship with {name} hangs on {_names(m, held)} alone{via}."
    if others:
        text += (f" Others on our map who already have a tie there: {_names(m, others)} — "
                 "ask one of them to bring a second partnership member in.")
    elif risk == RISKS[2]:
        text += " Ask a member to get to know someone there by name."
    else:
        text += (" Nobody else on our map has a tie there: introduce a second partnership "
                 "member now.")
    return text


def _share(m, g, risk, others):
    if risk is None:
        return None
    kind = m.actors["kind"].get(g)
    name = "someone of influence" if kind in ("resident", "person") else m.actors["name"].get(g)
    text = {RISKS[0]: f"Our relationship with {name} hangs on one person.",
            RISKS[1]: f"Our relationship with {name} rests on the paid worker alone: it would "
                      "be lost when the post ends.",
            RISKS[2]: f"Our relationship with {name} is held by the partnership as a body, "
                      "with no personal tie."}[risk]
    n = len(others)
    if n:
        text += (f" {n} other {'person' if n == 1 else 'people'} on our map already "
                 f"{'knows' if n == 1 else 'know'} someone there.")
    return text


def review_section(m, tables, sentences, *, focus=None):
    """The review's legacy section: the ``legacy`` table and its sentences."""
    lg = legacy(m, focus=focus)
    risky = lg[lg["risk"].notna()]
    tables["legacy"] = lg
    n = len(risky)
    head = (f"{n} of our {len(lg)} relationships with power-holders would be lost or weakened "
            "when Big Local ends: they hang on one person, on the paid worker, or on the "
            "partnership as a body." if n else
            f"Each of our {len(lg)} relationships with power-holders is held by more than one "
            "partnership member.")
    sentences["legacy"] = [head] + list(risky["sentence"])
    sentences["legacy_share"] = [head] + list(risky["share_sentence"])
