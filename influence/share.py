"""The shareable review: what ``share.html`` shows, with the privacy rules applied to it all.

:func:`share_review` applies the rules of :func:`influence.privacy.shareable` to every table
and sentence of a :class:`influence.review.Review`: office-holders by their role, anyone
marked ``ok_to_name = no`` by a pseudonym, no individual's judgement, routes described rather
than blamed. :meth:`influence.review.Review.write` writes it as ``share.html``.
"""

from __future__ import annotations

import re

from .engagement import engagement_sentences
from .privacy import PSEUDONYM, office_holders, renamed_map, share_names
from .schema import PERSON_KINDS

__all__ = ["share_review"]


def share_review(r, *, salt=None):
    """The shareable form of a review: what ``share.html`` shows.

    The same review with the rules of :func:`shareable` applied to every table and sentence:
    office-holders shown by their role and anyone marked ``ok_to_name = no`` by a pseudonym;
    no individual's stance, influence, interest, giving or hours (the engagement grid keeps
    bodies only, the civic core keeps its totals, the burn-out list is a count); routes are
    described, not blamed ("we have only one route into Westshire County Council", never who
    that route runs through); stale ties keep the partnership's ties with organisations, not
    residents' friendships.

    Parameters
    ----------
    r : influence.review.Review
    salt : str, optional
        Keys the pseudonyms (the review's own salt by default).

    Returns
    -------
    influence.review.Review
        With ``meta["share"] = True``; its map is :func:`shareable`.

    Examples
    --------
    >>> import influence
    >>> r = influence.review(influence.datasets.load("hollinford"), priorities=["health"])
    >>> s = share_review(r)
    >>> s.meta["share"], "stance" in s.engagement, s.gatekeepers.columns.tolist()[:2]
    (True, True, ['institution', 'institution_name'])
    >>> bool(s.engagement["kind"].isin(["resident", "worker", "county_councillor"]).any())
    False

    References
    ----------
    .. [1] Information Commissioner's Office (2023). *UK GDPR guidance: data minimisation*
       (Article 5(1)(c)) and *Data sharing code of practice*.
    """
    import pandas as pd

    salt = getattr(r, "salt", None) if salt is None else salt
    m = r.map
    kinds = m.actors["kind"] if "kind" in m.actors else pd.Series(dtype=object)
    people = {i for i, k in kinds.items() if k in PERSON_KINDS}
    names = {} if r.meta.get("anonymised") else share_names(m, salt=salt)
    old = m.actors["name"] if "name" in m.actors else pd.Series(dtype=object)
    text_swap = {str(old[i]): v for i, v in names.items()
                 if isinstance(old.get(i), str) and old[i] != v}
    prev = getattr(r, "previous", None)
    if prev is not None and not r.meta.get("anonymised"):
        # the change sections name people from the last review too: same rule for them
        was = prev.actors["name"] if "name" in prev.actors else pd.Series(dtype=object)
        for i, v in share_names(prev, salt=salt).items():
            if isinstance(was.get(i), str) and was[i] != v:
                text_swap.setdefault(str(was[i]), names.get(i, v))
    relabel = _text_relabeller(text_swap)

    def ids(frame):
        """Ids and names of the people in an id-indexed table renamed (by id, not by text)."""
        if "name" in frame:
            frame["name"] = [names.get(i, n) for i, n in zip(frame.index, frame["name"],
                                                              strict=True)]
        return frame.rename(index=lambda i: names.get(i, i))

    t = {k: v.copy() for k, v in r.tables.items()}
    out = {}
    g = t["missing"]
    person_row = g["actor"].isin(list(people))
    g.loc[person_row, "stance"] = pd.NA
    g["actor_name"] = [names.get(a, n) if isinstance(a, str) else n
                       for a, n in zip(g["actor"], g["actor_name"], strict=True)]
    g["actor"] = g["actor"].map(lambda x: names.get(x, x) if isinstance(x, str) else x)
    g["path"] = ["We have one route in: build a second" if s == "gatekeeper" else relabel(p)
                 for s, p in zip(g["status"], g["path"], strict=True)]
    g["gatekeeper"] = None
    if "notes" in g:  # free text about a tie often names or judges a person: working copy only
        g["notes"] = pd.NA
    if "introducers" in g:
        g["introducers"] = g["introducers"].map(lambda x: relabel(x) if isinstance(x, str)
                                                else x)
    out["missing"] = g
    intro = ids(t["introducers"])
    if "bodies" in intro:
        intro["bodies"] = intro["bodies"].map(relabel)
    out["introducers"] = intro
    sph = ids(t["spheres"])
    if "via" in sph:
        sph["via"] = sph["via"].map(lambda x: names.get(x, x) if isinstance(x, str) else x)
    out["spheres"] = sph
    eng = t["engagement"]
    eng = eng[~eng.index.isin(list(people))].copy()
    if "notes" in eng:  # the notes appended to the evidence stay in the working copy
        has = eng["notes"].notna()
        eng.loc[has, "evidence"] = [e.removesuffix(f"; note: {n}") for e, n in
                                    zip(eng.loc[has, "evidence"], eng.loc[has, "notes"],
                                        strict=True)]
        eng["notes"] = pd.NA
    out["engagement"] = eng
    if "civic_dimensions" in t:
        out["civic_dimensions"] = t["civic_dimensions"]
    out["gatekeepers"] = _routes_table(t.get("gatekeepers"))
    if "brokers" in t and len(t["brokers"]):
        b = ids(t["brokers"])
        if "explanation" in b:
            b["explanation"] = b["explanation"].map(lambda x: relabel(x) if isinstance(x, str)
                                                    else x)
        out["brokers"] = b
    for key in ("representation", "leadership", "area"):
        if key in t:
            out[key] = t[key]
    st = t["stale_ties"]
    if r.meta.get("anonymised"):  # ids are already names: pseudonyms have one fixed form
        private = {i for i in people if PSEUDONYM.fullmatch(str(i))}
    else:
        private = people - office_holders(m)  # those with a role label
    st = st[~st["source"].isin(list(private)) & ~st["target"].isin(list(private))].copy()
    for end in ("source", "target"):
        st[f"{end}_name"] = [names.get(i, n) for i, n in zip(st[end], st[f"{end}_name"],
                                                              strict=True)]
        st[end] = st[end].map(lambda x: names.get(x, x))
    if "notes" in st:
        st["notes"] = pd.NA
    out["stale_ties"] = st.reset_index(drop=True)

    sentences = {}
    sentences["engagement"] = engagement_sentences(out["engagement"])
    civic = r.sentences.get("civic_core", [])
    if civic:
        n_many = len(t.get("many_roles", []))
        sentences["civic_core"] = [relabel(civic[0])] + (
            [f"{n_many} people carry three or more roles in local groups: share the load, and "
             "ask who else could take a role on."] if n_many else [])
    sentences["gatekeepers"] = _route_sentences(out["gatekeepers"])
    for key in ("brokers", "representation", "leadership", "changes"):
        if key in r.sentences and r.sentences[key] is not None:
            sentences[key] = [relabel(x) for x in r.sentences[key]]
    # sections written with a name-free version of their sentences for circulation
    for key in ("bonding", "actions", "legacy"):
        if r.sentences.get(f"{key}_share"):
            sentences[key] = [relabel(x) for x in r.sentences[f"{key}_share"]]
    months = r.meta.get("stale_months", 12)
    sentences["stale_ties"] = [
        f"{len(out['stale_ties'])} of our ties with organisations and office-holders were "
        f"last confirmed more than {months:g} months before {r.meta['date']}: check them "
        "before the next meeting." if len(out["stale_ties"]) else
        "Every dated tie with an organisation or office-holder was confirmed in the last "
        f"{months:g} months."]
    meta = dict(r.meta, share=True, highlights={})
    meta["notes"] = [relabel(n) for n in r.meta.get("notes", [])]
    return type(r)(tables=out, sentences=sentences, map=renamed_map(m.public(), names,
                                                                    people=people),
                   previous=None, area=r.area, priorities=r.priorities, meta=meta)


def _text_relabeller(swap):
    """A function replacing every old name in a text by its new label (longest first)."""
    if not swap:
        return lambda x: x
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(
        re.escape(k) for k in sorted(swap, key=len, reverse=True)) + r")(?!\w)")
    return lambda x: pattern.sub(lambda mo: swap[mo.group(0)], x) if isinstance(x, str) else x


def _routes_table(g):
    """The gatekeeper table as routes: per institution, whether we have one route or several."""
    import pandas as pd

    cols = ["institution", "institution_name", "routes"]
    if g is None or not len(g):
        return pd.DataFrame(columns=cols)
    rows = []
    for inst, sub in g.groupby("institution", sort=False):
        strict = bool(sub["strict"].any())
        top = float(sub["exposure"].max())
        rows.append(dict(institution=inst, institution_name=sub["institution_name"].iloc[0],
                         routes="one route only" if strict else
                         f"{top:.0%} of our routes go through one contact"))
    return pd.DataFrame(rows, columns=cols)


def _route_sentences(routes):
    out = []
    for x in routes.itertuples():
        if x.routes == "one route only":
            out.append(f"We have only one route into {x.institution_name}: build a second, so "
                       "that our link does not depend on one person.")
        else:
            out.append(f"Most of our routes into {x.institution_name} go through one contact: "
                       "widen them.")
    return out or ["No institution that holds power over our priorities depends on a single "
                   "route from us."]
