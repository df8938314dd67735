"""The action loop: what the partnership said it would do, and whether the map shows it done.

A workbook may carry an ``actions`` sheet (a CSV folder an ``actions.csv``) with the columns
``action`` (required: what we said we'd do), ``about`` (the actor id, or an actor kind such as
``environment_agency``, it concerns), ``owner`` (who will do it: an actor id or a name),
``due`` (a date), ``status`` (``open``, ``done`` or ``dropped``; default ``open``),
``notes`` and ``added`` (the date it was agreed). :func:`influence.read` puts it on
``m.actions``; :func:`influence.write` writes it back (workbooks and CSV folders).

:func:`follow_up` checks each action against the map: an open action whose ``about`` we now
have a direct tie with (or with someone who works for or sits on it) is "done (the map shows
it)" when that tie is new: not on the previous map, or (without one) begun on or after the
date the action was ``added`` (an action without that date takes any tie). An open action
past its due date is "overdue". :func:`suggest_actions` turns the gaps of
:func:`influence.missing` into actions, and :func:`save_actions` adds them to a copy of the
workbook (never over the input unless asked, always atomically). Reading and writing the
sheet is in :mod:`influence._actions_io`.
"""

from __future__ import annotations

import datetime as _dt

from ._actions_io import (ACTION_COLUMNS, ACTION_HELP, STATUSES, actions_frame,  # noqa: F401
                          add_actions_sheet, check_target, read_actions, save_actions)
from .schema import PARTNERSHIP_KIND, PERSON_KINDS

__all__ = ["follow_up", "suggest_actions", "save_actions", "actions_frame", "read_actions",
           "ACTION_COLUMNS", "STATUSES"]

#: Tie kinds that attach a person to a body ("Sam Reid works for the ICB").
ATTACH_KINDS = ("works_for", "member_of", "chairs", "represents")
_VERBS = {"knows": ("know", "knows"), "works_with": ("work with", "works with"),
          "member_of": ("sit on", "sits on"), "chairs": ("chair", "chairs"),
          "works_for": ("work for", "works for"), "volunteers_at": ("volunteer at",
                                                                    "volunteers at"),
          "advises": ("advise", "advises"), "funds": ("fund", "funds")}
_AWAY = {2: "one introduction away", 3: "two introductions away"}


def short_name(name) -> str:
    """A display name without its trailing bracket: "Sam Reid (ICB lead)" -> "Sam Reid"."""
    text = str(name)
    cut = text.find(" (")
    return text[:cut] if cut > 0 and text.endswith(")") else text


def _date_text(ts) -> str:
    return f"{ts.day} {ts:%b %Y}"


def _people_of(m, body):
    t = m.ties
    hit = t[(t["target"] == body) & t["kind"].isin(ATTACH_KINDS)]
    return list(dict.fromkeys(hit["source"]))


def targets_of(m, about):
    """The actor ids an action ``about`` points at: the actor (a body with its people), or
    every actor of a kind; an empty list when it is not on the map."""
    if about is None or about != about:
        return []
    about = str(about)
    actors = m.actors
    if about in actors.index:
        ids = [about]
    else:
        ids = list(actors.index[actors["kind"] == about])
        if not ids:
            names = actors["name"].astype(object).map(lambda v: str(v).casefold())
            ids = list(actors.index[names == about.casefold()])
    out = list(ids)
    for a in ids:
        if actors.at[a, "kind"] not in PERSON_KINDS:
            out += [p for p in _people_of(m, a) if p not in out]
    return out


def _pairs(ties):
    return {(min(s, d), max(s, d)) for s, d in zip(ties["source"], ties["target"],
                                                   strict=True)}


def _evidence(m, about, ours, owner, previous, added=None):
    """The sentence saying the map shows the action done, or None."""
    targets = targets_of(m, about)
    if not targets:
        return None
    t = m.ties
    tset, old = set(targets), _pairs(previous.ties) if previous is not None else set()
    hit = t[(t["source"].isin(ours) & t["target"].isin(tset))
            | (t["target"].isin(ours) & t["source"].isin(tset))]
    kinds, names = m.actors["kind"], m.actors["name"]
    best = None
    for s, d, kind, strength, since, directed in zip(
            hit["source"], hit["target"], hit["kind"], hit["strength"], hit["since"],
            hit["directed"], strict=True):
        if (min(s, d), max(s, d)) in old or (previous is None and added is not None and not (
                since == since and since >= added)):
            continue
        us, other = (s, d) if s in ours else (d, s)
        key = (kinds.get(us) != PARTNERSHIP_KIND, us != owner, other != targets[0],
               -float(strength if strength == strength else 1))
        if best is None or key < best[0]:
            best = (key, us, other, kind, bool(directed) and d == us)
    if best is None:
        return None
    _, us, other, kind, inward = best
    verb = _VERBS.get(kind, ("have a tie with", "has a tie with"))
    we = kinds.get(us) == PARTNERSHIP_KIND
    there = " there" if other != targets[0] and other not in set(
        m.actors.index[m.actors["kind"] == about]) else ""
    them = short_name(names.get(other, other))
    if inward:  # "the foundation now funds us"
        return f"{them}{there} now {verb[1]} {'us' if we else short_name(names.get(us, us))}"
    who, verb = ("we", verb[0]) if we else (short_name(names.get(us, us)), verb[1])
    return f"{who} now {verb} {them}{there}"


def _where(m, about, sph, asked=False):
    """Where the action's subject stands now, in words (for an action not done)."""
    import pandas as pd

    targets = targets_of(m, about)
    label = about if isinstance(about, str) else "it"
    if not targets:
        from .schema import stakeholder_types

        label = stakeholder_types().get(label, {}).get("label") or label.replace("_", " ")
        return f"nobody from the {label} is on our map yet"
    names = m.actors["name"]
    a = targets[0]
    s = sph.at[a, "sphere"] if a in sph.index else None
    name = short_name(names.get(a, a))
    if s is None or pd.isna(s):
        return f"we have no route to {name} yet"
    if int(s) <= 1:
        return (f"we have no new tie with {name}" if asked else
                f"we already have a tie with {name}")
    via = sph.at[a, "via"]
    away = _AWAY.get(int(s), f"{int(s) - 1} introductions away")
    through = (f", through {short_name(names.get(via, via))}"
               if int(s) == 2 and isinstance(via, str) else "")
    return f"{name} is {away}{through}"


def follow_up(m, *, actions=None, previous=None, as_at=None, focus=None):
    """Each action on the sheet, checked against the map: done, done by the map, overdue, open.

    Parameters
    ----------
    m : InfluenceMap
        The map now.
    actions : pandas.DataFrame, optional
        The actions (default: ``m.actions``, plus ``previous.actions`` when given; an action on
        both is listed once).
    previous : InfluenceMap, optional
        The map when the actions were agreed: only ties that are new since then count as the
        action done, and each sentence asks "did we?".
    as_at : date or str, optional
        The date overdue is judged against (default today).
    focus : str or list, optional
        Who "we" are (default the partnership and its members).

    Returns
    -------
    pandas.DataFrame
        One row per action: ``action``, ``about``, ``about_name``, ``owner``, ``owner_name``,
        ``due``, ``status`` (as on the sheet), ``state`` ("done", "done (the map shows it)",
        "overdue", "open" or "dropped"), ``evidence`` and ``sentence`` (plain English).

    Examples
    --------
    >>> import influence
    >>> from influence.actions import follow_up
    >>> m = influence.datasets.load("hollinford")
    >>> old = influence.datasets.load("hollinford", year=2019)
    >>> f = follow_up(m, previous=old, as_at="2023-09-01")
    >>> icb = f.loc[f.about == "westshire_icb", "sentence"].iloc[0]
    >>> print(icb)  # doctest: +NORMALIZE_WHITESPACE
    We said we'd contact the ICB about health listening events — did we? Yes: we now work with
    Sam Reid there.

    References
    ----------
    .. [1] Local Trust (2023). *Our Bigger Story*: partnerships review their plan and who is in
       their sphere of influence each year, and act on what they find.
    """
    import pandas as pd

    from . import uk
    from .spheres import spheres

    frames = [f for f in ((previous.actions if previous is not None else None),
                          getattr(m, "actions", None)) if f is not None and len(f)]
    if actions is not None:
        frames = [actions_frame(actions)]
    cols = ["action", "about", "about_name", "owner", "owner_name", "due", "status", "state",
            "evidence", "sentence", "notes"]
    if not frames:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})
    acts = pd.concat(frames, ignore_index=True)
    key = acts["action"].str.casefold() + "\x1f" + acts["about"].fillna("")
    acts = acts[~key.duplicated()].reset_index(drop=True)
    today = pd.Timestamp(_dt.date.today() if as_at is None else uk.as_at_date(as_at))
    sph = spheres(m, focus=focus)
    ours = set(sph.index[sph["sphere"].fillna(-1) == 0])
    names = m.actors["name"]
    asked = previous is not None
    rows = []
    for r in acts.itertuples():
        about = r.about if isinstance(r.about, str) else None
        owner = r.owner if isinstance(r.owner, str) else None
        added = r.added if isinstance(getattr(r, "added", None), pd.Timestamp) else None
        ev = _evidence(m, about, ours, owner, previous, added) if about else None
        due = r.due if isinstance(r.due, pd.Timestamp) else None
        where = _where(m, about, sph, asked) if about and not ev else None
        if r.status == "dropped":
            state = "dropped"
        elif r.status == "done":
            state = "done"
        elif ev:
            state = "done (the map shows it)"
        elif due is not None and due < today:
            state = "overdue"
        else:
            state = "open"
        rows.append(dict(action=r.action, about=about,
                         about_name=names.get(about) if about else None, owner=owner,
                         owner_name=names.get(owner, owner) if owner else None, due=due,
                         status=r.status, state=state,
                         evidence=ev or where,
                         sentence=_sentence(r.action, state, ev, where, due, asked),
                         notes=r.notes if isinstance(r.notes, str) else None))
    out = pd.DataFrame(rows, columns=cols)
    out["due"] = pd.to_datetime(out["due"])
    return out


def _said(action):
    text = str(action).strip().rstrip(".")
    if len(text) > 1 and not text[1].isupper():
        text = text[0].lower() + text[1:]
    return f"We said we'd {text}"


def _sentence(action, state, ev, where, due, asked):
    said = _said(action)
    if state == "dropped":
        return f"{said} — we decided not to."
    if asked:
        if ev:
            return f"{said} — did we? Yes: {ev}."
        if state == "done":
            return f"{said} — did we? Yes, it is marked done."
        tail = f" It was due by {_date_text(due)}." if state == "overdue" else ""
        return f"{said} — did we? Not yet{': ' + where if where else ''}.{tail}"
    if state == "done (the map shows it)":
        return f"{said} — {ev}. It is still marked open: mark it done in the actions sheet."
    if state == "done":
        return f"{said} — done{': ' + ev if ev else ''}."
    if state == "overdue":
        return (f"{said} by {_date_text(due)} — overdue"
                f"{': ' + where if where else ''}.")
    return f"{said}{' by ' + _date_text(due) if due is not None else ''} — still open" \
           f"{': ' + where if where else ''}."


def sentences_of(table):
    """The review's "what we said we'd do" paragraphs from a :func:`follow_up` table."""
    if not len(table):
        return []
    counts = table["state"].value_counts()
    parts = [f"{int(counts[s])} {w}" for s, w in (
        ("done", "done"), ("done (the map shows it)", "done (the map shows it)"),
        ("overdue", "overdue"), ("open", "still open"), ("dropped", "dropped"))
        if counts.get(s, 0)]
    n = len(table)
    head = (f"We said we'd do {n} thing{'s' if n != 1 else ''}: " + ", ".join(parts) + ".")
    return [head] + list(table["sentence"])


def suggest_actions(m, gaps=None, *, as_at=None, months=3, limit=6, focus=None):
    """Next steps from the gaps, as rows for the actions sheet.

    Parameters
    ----------
    m : InfluenceMap
    gaps : pandas.DataFrame, optional
        The table of :func:`influence.missing` (computed when not given).
    as_at : date or str, optional
        Today (default): each action is due ``months`` later.
    months : int
    limit : int
        At most this many actions, best gap first.
    focus : str or list, optional

    Returns
    -------
    pandas.DataFrame
        ``action``, ``about``, ``owner`` (the partnership member whose tie starts the route,
        when there is one), ``due``, ``status`` ("open"), ``notes`` (why) and ``added``.

    Examples
    --------
    >>> import influence
    >>> from influence.actions import suggest_actions
    >>> s = suggest_actions(influence.datasets.load("hollinford"), as_at="2023-09-01")
    >>> s.loc[s.about == "westshire_cc", ["action", "owner"]].values.tolist()
    ... # doctest: +NORMALIZE_WHITESPACE
    [['Build a second route to Westshire County Council, not only through Cllr Derek Whitlow',
      'margaret_hale']]

    References
    ----------
    .. [1] Local Trust (2024). *Spheres of community influence*: who is missing, and the warm
       introduction that reaches them.
    """
    import pandas as pd

    from . import uk
    from .missing import missing
    from .spheres import spheres

    if gaps is None:
        gaps = missing(m, focus=focus, as_at=as_at)
    today = pd.Timestamp(_dt.date.today() if as_at is None else uk.as_at_date(as_at))
    due = today + pd.DateOffset(months=months)
    sph = spheres(m, focus=focus)
    names = m.actors["name"]
    rows, seen = [], set()
    for x in gaps[gaps["status"] != "connected"].itertuples():
        actor = x.actor if isinstance(x.actor, str) else None
        key = actor or x.holder_type
        if key in seen:
            continue
        seen.add(key)
        who = short_name(x.actor_name) if actor else str(x.body)
        if x.status == "absent":
            action, about = f"Find someone who can introduce us to the {who.lower()}", \
                x.holder_type
        elif x.status == "gatekeeper":
            gk = short_name(names.get(x.gatekeeper, x.gatekeeper))
            action, about = f"Build a second route to {who}, not only through {gk}", actor
        elif x.status == "opposed":
            action, about = f"Plan how to win over {who}", actor
        elif x.status == "unconnected":
            action, about = f"Look for an introduction to {who}", actor
        else:
            action, about = f"Strengthen our link with {who}", actor
        rows.append(dict(action=action, about=about, owner=_starter(sph, actor),
                         due=due, status="open", added=today,
                         notes=f"{x.theme.replace('_', ' ')}: {x.role.replace('_', ' ')}; "
                               f"suggested by the review of {today.date()}"))
        if len(rows) >= limit:
            break
    return actions_frame(rows)


def _starter(sph, actor):
    """The person in the focus whose tie starts the route to ``actor`` (or None)."""
    if actor is None or actor not in sph.index:
        return None
    a, hops = actor, 0
    while hops < 20 and isinstance(sph.at[a, "via"], str):
        a, hops = sph.at[a, "via"], hops + 1
    if a == actor or sph.at[a, "kind"] not in PERSON_KINDS:
        # the partnership itself: name the member on the strongest route, if any
        return None
    return a


def review_section(m, tables, sentences, *, previous=None, as_at=None, focus=None, gaps=None):
    """The review's action loop: ``actions`` (each action checked), ``suggested_actions``
    (the gaps as actions to accept with ``review --save-actions``) and their sentences."""
    f = follow_up(m, previous=previous, as_at=as_at, focus=focus)
    if len(f):
        tables["actions"] = f
        sentences["actions"] = sentences_of(f)
        sentences["actions_share"] = sentences_of(f)[:1]  # no names: for a circulated report
        if previous is not None and "changes" in sentences:
            n, st = len(f), f["state"]
            done = int(st.isin(["done", "done (the map shows it)"]).sum())
            shown = int((st == "done (the map shows it)").sum())
            late = int((st == "overdue").sum())
            sentences["changes"].append(
                f"We said we'd do {n} thing{'s' if n != 1 else ''} at the last review — did "
                f"we? {done} done ({shown} of them shown by new ties on the map), {late} "
                "overdue: see \"What we said we'd do\".")
    tables["suggested_actions"] = suggest_actions(m, gaps, as_at=as_at, focus=focus)
