"""An invite list: people beyond the partnership and its civic core, one introduction away.

So the next event is not "Big Local talking to Big Local": :func:`invite` lists residents who
care about a theme (it is one of their themes, or of a group they belong to) and/or live in a
sub-area, who are neither partnership members nor in the civic core, and whom a partnership
member knows, or knows someone who knows, with the person who can introduce them.
"""

from __future__ import annotations

from .errors import InputError
from .schema import PERSON_KINDS

__all__ = ["invite"]

#: The kinds of people an invite list is for (office-holders and staff are reached otherwise).
INVITE_KINDS = ("resident", "person")
_GROUP_TIES = ("member_of", "chairs", "volunteers_at")


def _themes_of(m):
    """actor id -> set of themes: their own and those of the groups they belong to."""
    a, t = m.actors, m.ties
    own = {i: set(v) if isinstance(v, tuple) else set() for i, v in a["themes"].items()}
    out = {i: set(v) for i, v in own.items()}
    groups = t[t["kind"].isin(_GROUP_TIES)]
    for p, g in zip(groups["source"], groups["target"], strict=True):
        out.setdefault(p, set()).update(own.get(g, ()))
    return out


def _check(m, theme, sub_area):
    from . import uk

    if theme is None and sub_area is None:
        raise InputError("Say who to invite: give a theme (--theme), a sub-area (--sub-area) "
                         "or both. Fix: e.g. --theme youth or --sub-area \"Copley Green\".")
    if theme is not None:
        known = set(uk.themes().index) | {x for v in m.actors["themes"] if isinstance(v, tuple)
                                          for x in v}
        if theme not in known:
            raise InputError(f"Unknown theme {theme!r}. Fix: use one of "
                             f"{', '.join(sorted(known))} (see influence catalogue themes).")
    if sub_area is not None:
        areas = sorted(set(m.actors["sub_area"].dropna()))
        match = [s for s in areas if str(s).casefold() == str(sub_area).casefold()]
        if not match:
            raise InputError(f"Unknown sub-area {sub_area!r}: nobody on the map lives there. "
                             f"Fix: use one of {', '.join(map(repr, areas)) or 'none'}.")
        sub_area = match[0]
    return theme, sub_area


def invite(m, *, theme=None, sub_area=None, focus=None):
    """Who to invite: people outside the partnership and the civic core, one introduction away.

    Parameters
    ----------
    m : InfluenceMap
    theme : str, optional
        A theme id (``youth``, ``health`` ...): people who care about it.
    sub_area : str, optional
        A sub-area on the map (``Copley Green``): people who live there. With ``theme`` too,
        people who do both.
    focus : str or list, optional
        The partnership (default: the ``big_local_partnership`` and its members).

    Returns
    -------
    pandas.DataFrame
        Indexed by id, nearest first: ``name``, ``sub_area``, ``cares_about`` (their themes,
        "; "-joined), ``introducer`` (the id of who can introduce them: a partnership member
        who knows them, or someone a member knows), ``introducer_name``, ``how`` (in words)
        and ``steps`` (1: a member knows them; 2: one introduction).

    Raises
    ------
    InputError
        Neither a theme nor a sub-area, or one that the map does not have.

    Examples
    --------
    >>> import influence
    >>> from influence.invite import invite
    >>> inv = invite(influence.datasets.load("hollinford"), theme="youth")
    >>> inv.loc["res140", ["introducer", "how"]].tolist()
    ['amira_hassan', 'Amira Hassan can ask them at Young People working group']

    References
    ----------
    .. [1] Local Trust (2024). *Spheres of community influence*: influence spreads when the
       partnership reaches beyond its own members and the civic core.
    .. [2] Mohan, J., & Bulloch, S. L. (2012). The idea of a "civic core". TSRC Working Paper 73.
    """
    import pandas as pd

    from .civic import civic_core
    from .spheres import spheres

    theme, sub_area = _check(m, theme, sub_area)
    sph = spheres(m, focus=focus)
    dist = sph["sphere"]
    ours = set(sph.index[dist.fillna(-1) == 0])
    try:
        cp = civic_core(m).people
        core = set(cp.index[cp["civic_core"].astype(bool)])
    except InputError:
        core = set()
    a, t = m.actors, m.ties
    cares = _themes_of(m)
    names, kinds = a["name"], a["kind"]
    nb = {}
    for s, d, w in zip(t["source"], t["target"], t["strength"].fillna(1), strict=True):
        nb.setdefault(s, []).append((d, w))
        nb.setdefault(d, []).append((s, w))
    rows = []
    for i in a.index[a["kind"].isin(INVITE_KINDS)]:
        if i in ours or i in core or pd.isna(dist.get(i)) or not 1 <= int(dist[i]) <= 2:
            continue
        if theme is not None and theme not in cares.get(i, ()):
            continue
        if sub_area is not None and a.at[i, "sub_area"] != sub_area:
            continue
        step = int(dist[i])
        prev = [(u, w) for u, w in nb.get(i, []) if dist.get(u) is not pd.NA
                and not pd.isna(dist.get(u)) and int(dist[u]) == step - 1]
        people = [(u, w) for u, w in prev if kinds.get(u) in PERSON_KINDS]
        u, w = sorted(people or prev, key=lambda x: (-x[1], str(x[0])))[0]
        if kinds.get(u) not in PERSON_KINDS:  # a group they belong to: who can ask there
            link = sph.at[u, "via"] if step == 2 else None
            if isinstance(link, str) and kinds.get(link) in PERSON_KINDS:
                how = f"{names.get(link, link)} can ask them at {names.get(u, u)}"
                u = link
            else:
                how = f"through {names.get(u, u)}, which works with the partnership"
        elif step == 1:
            how = f"{names.get(u, u)} knows them"
        else:
            link = sph.at[u, "via"]
            link = names.get(link, link) if isinstance(link, str) else "the partnership"
            how = f"{link} can ask {names.get(u, u)}, who knows them"
        rows.append(dict(id=i, name=names.get(i, i), sub_area=a.at[i, "sub_area"],
                         cares_about="; ".join(sorted(cares.get(i, ()))) or None,
                         introducer=u, introducer_name=names.get(u, u), how=how, steps=step,
                         _w=-float(w)))
    cols = ["name", "sub_area", "cares_about", "introducer", "introducer_name", "how", "steps"]
    frame = pd.DataFrame(rows, columns=["id"] + cols + ["_w"])
    frame = frame.sort_values(["steps", "_w", "id"], kind="stable").set_index("id")
    frame = frame.drop(columns=["_w"])
    frame.attrs.update(theme=theme, sub_area=sub_area)
    return frame


def sentence(frame):
    """One line saying who the list is and how many are on it."""
    theme, sub_area = frame.attrs.get("theme"), frame.attrs.get("sub_area")
    def what(s=""):
        return " and ".join(x for x in (f"care{s} about {theme.replace('_', ' ')}" if theme
                                        else "", f"live{s} in {sub_area}" if sub_area else "")
                            if x)

    n = len(frame)
    if not n:
        return (f"Nobody outside the partnership and its civic core who {what('s')} is within one "
                "introduction of us yet: ask the groups there to pass the invitation on.")
    direct = int((frame["steps"] == 1).sum())
    return (f"{n} {'person' if n == 1 else 'people'} outside the partnership and its civic core "
            f"who {what()} can be invited: {direct} know a partnership member already, "
            f"{n - direct} are one introduction away.")
