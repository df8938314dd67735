"""Change between two snapshots of the same area (e.g. before and after leadership training)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import InputError
from .result import Result, alias

__all__ = ["compare", "Comparison"]


@dataclass(eq=False)
class Comparison(Result):
    """What changed between two maps of the same area (a :class:`~influence.result.Result`).

    Attributes
    ----------
    table : pandas.DataFrame
        The main table: actors who joined, left or changed kind, indexed by id: ``change``
        ("joined", "left", "changed"), ``name``, ``kind_old``, ``kind_new``.
    actors : pandas.DataFrame
        The same table as ``table`` (its name before the result convention).
    ties : pandas.DataFrame
        Ties gained, lost, strengthened or weakened: ``change``, ``source``, ``target``,
        ``kind``, ``strength_old``, ``strength_new``.
    spheres : pandas.DataFrame
        Actors whose sphere changed, indexed by id: ``name``, ``sphere_old``, ``sphere_new``,
        ``movement`` ("closer", "further", "now reached", "no longer reached", "joined",
        "left", or "into the community": a partnership member who left it for a role in a
        community group, voluntary organisation or parish council), ``role`` (that role, e.g.
        "chairs Brookside Tenants' Association"; <NA> otherwise).
    gaps : pandas.DataFrame
        The "who is missing" slots of both snapshots: ``theme``, ``role``, ``holder_type``,
        ``body``, ``status_old``, ``status_new``, ``change`` ("closed", "opened", "better",
        "worse", "same").
    leadership : pandas.DataFrame
        The leadership indicators of both snapshots (:func:`influence.leadership`), indexed
        by indicator id: ``model``, ``indicator``, ``value_old``, ``value_new``.
    model_old, model_new : int
        The leadership model each snapshot best supports (1, 2 or 3).
    centrality : pandas.DataFrame
        Degree and betweenness in both snapshots for actors in both, biggest change first:
        ``name``, ``degree_old``, ``degree_new``, ``betweenness_old``, ``betweenness_new``,
        ``betweenness_change``.
    sentences : list of str
        The main changes in words.
    """

    table: object
    ties: object
    spheres: object
    gaps: object
    leadership: object
    model_old: int
    model_new: int
    centrality: object
    sentences: list = field(default_factory=list)

    actors = alias("table")

    def __repr__(self):
        return (f"<Comparison: {int((self.actors.change == 'joined').sum())} joined, "
                f"{int((self.actors.change == 'left').sum())} left, "
                f"{int((self.ties.change == 'gained').sum())} ties gained, "
                f"{int((self.ties.change == 'lost').sum())} lost>")


def compare(old, new, *, focus=None, priorities=None, area=None, as_at=None):
    """Compare two snapshots of an area: who joined and left, ties, spheres, gaps, centrality.

    Parameters
    ----------
    old, new : InfluenceMap or networkx.Graph
        The earlier and the later map (actor ids must be the same for the same actor).
    focus : str or list, optional
        The centre of the spheres (default: the partnership and its members, in each map).
    priorities, area, as_at
        Passed to :func:`influence.missing` for the gaps (default priorities: the
        partnership's themes in the new map).

    Returns
    -------
    Comparison

    Examples
    --------
    >>> import networkx as nx
    >>> from influence.compare import compare
    >>> old = nx.Graph([("us", "ann"), ("ann", "cllr")])
    >>> new = nx.Graph([("us", "ann"), ("us", "cllr"), ("cllr", "mp")])
    >>> c = compare(old, new, focus="us")
    >>> c.actors[["change"]]
          change
    id
    mp    joined
    >>> c.spheres.loc["cllr", "movement"]
    'closer'
    >>> c.model_old, c.model_new
    (1, 1)

    References
    ----------
    .. [1] Local Trust (2023). *Our Bigger Story* (sphere-of-influence reviews over time).
    .. [2] Snijders, T. A. B. (2005). Models for longitudinal network data. In Carrington,
       Scott & Wasserman (eds.), *Models and Methods in Social Network Analysis*, 215-247.
    """
    return compare_reusing(old, new, focus=focus, priorities=priorities, area=area, as_at=as_at)


def compare_reusing(old, new, *, focus=None, priorities=None, area=None, as_at=None,
                    new_spheres=None, new_gaps=None):
    """:func:`compare`, reusing the new map's spheres and gaps when the caller already has them
    (computed with the same focus, priorities, area and date; the review passes its own)."""
    import pandas as pd

    from .centrality import centrality
    from .graph import network
    from .missing import STATUSES, missing, parse_priorities
    from .spheres import spheres

    a, b = network(old), network(new)
    A, B = _actors(a), _actors(b)
    # actors -------------------------------------------------------------------------------
    rows = []
    for i in B.index.difference(A.index, sort=False):
        rows.append((i, "joined", B.at[i, "name"], pd.NA, B.at[i, "kind"]))
    for i in A.index.difference(B.index, sort=False):
        rows.append((i, "left", A.at[i, "name"], A.at[i, "kind"], pd.NA))
    both = A.index.intersection(B.index, sort=False)
    for i in both:
        if str(A.at[i, "kind"]) != str(B.at[i, "kind"]):
            rows.append((i, "changed", B.at[i, "name"], A.at[i, "kind"], B.at[i, "kind"]))
    actors = pd.DataFrame(rows, columns=["id", "change", "name", "kind_old", "kind_new"])
    actors = actors.set_index("id").astype("string")
    # ties ---------------------------------------------------------------------------------
    ta, tb = _ties(a), _ties(b)
    rows = []
    for key in list(tb) + [k for k in ta if k not in tb]:
        s_old, s_new = ta.get(key), tb.get(key)
        if s_old is None:
            change = "gained"
        elif s_new is None:
            change = "lost"
        elif s_new > s_old:
            change = "strengthened"
        elif s_new < s_old:
            change = "weakened"
        else:
            continue
        rows.append((change, *key, s_old, s_new))
    ties = pd.DataFrame(rows, columns=["change", "source", "target", "kind", "strength_old",
                                       "strength_new"])
    for col in ("change", "source", "target", "kind"):
        ties[col] = ties[col].astype("string")
    for col in ("strength_old", "strength_new"):
        ties[col] = pd.to_numeric(ties[col], errors="coerce").astype(float)
    # spheres ------------------------------------------------------------------------------
    themes = parse_priorities(priorities, new)
    try:
        sa = spheres(old, focus=focus)
        sb = spheres(new, focus=focus) if new_spheres is None else new_spheres
    except InputError as exc:
        raise InputError(f"Cannot compare spheres: {exc.marked()}") from None
    ids = list(B.index) + [i for i in A.index if i not in B.index]
    roles = _community_roles(a, b, sa, sb)
    rows = []
    for i in ids:
        o = sa.at[i, "sphere"] if i in sa.index else None
        n = sb.at[i, "sphere"] if i in sb.index else None
        o = None if o is None or pd.isna(o) else int(o)
        n = None if n is None or pd.isna(n) else int(n)
        if i not in sa.index:
            move = "joined"
        elif i not in sb.index:
            move = "left"
        elif o == n:
            continue
        elif o is None:
            move = "now reached"
        elif n is None:
            move = "no longer reached"
        elif i in roles:
            move = "into the community"
        else:
            move = "closer" if n < o else "further"
        name = B.at[i, "name"] if i in B.index else A.at[i, "name"]
        rows.append((i, name, o, n, move, roles.get(i, pd.NA)))
    sph = pd.DataFrame(rows, columns=["id", "name", "sphere_old", "sphere_new", "movement",
                                      "role"])
    sph = sph.set_index("id")
    sph["sphere_old"] = sph["sphere_old"].astype("Int64")
    sph["sphere_new"] = sph["sphere_new"].astype("Int64")
    for col in ("name", "movement", "role"):
        sph[col] = sph[col].astype("string")
    # gaps ---------------------------------------------------------------------------------
    key = ["theme", "role", "holder_type", "body"]
    ga = missing(old, priorities=themes, area=area, focus=focus, as_at=as_at)
    gb = (missing(new, priorities=themes, area=area, focus=focus, as_at=as_at)
          if new_gaps is None else new_gaps)
    gaps = gb[key + ["actor", "status"]].merge(
        ga[key + ["status"]], on=key, how="outer", suffixes=("_new", "_old"))
    gaps = gaps[key + ["actor", "status_old", "status_new"]]
    order = {s: k for k, s in enumerate(STATUSES)}

    def change(r):
        o, n = r.status_old, r.status_new
        if pd.isna(o) or pd.isna(n) or o == n:
            return "same"
        if n == "connected":
            return "closed"
        if o == "connected":
            return "opened"
        return "better" if order[n] > order[o] else "worse"

    gaps["change"] = pd.array([change(r) for r in gaps.itertuples()], dtype="string")
    # centrality ---------------------------------------------------------------------------
    ca = centrality(old, measures=["degree", "betweenness"])
    cb = centrality(new, measures=["degree", "betweenness"])
    cen = pd.DataFrame({"name": B.loc[both, "name"].astype("string")}, index=both)
    for col in ("degree", "betweenness"):
        cen[f"{col}_old"] = ca.loc[both, col].to_numpy()
        cen[f"{col}_new"] = cb.loc[both, col].to_numpy()
    cen["betweenness_change"] = cen["betweenness_new"] - cen["betweenness_old"]
    cen = cen.iloc[cen["betweenness_change"].abs().to_numpy().argsort(kind="stable")[::-1]]
    cen.index.name = "id"
    # leadership ---------------------------------------------------------------------------
    from .leadership import leadership

    la, lb = leadership(old, focus=focus), leadership(new, focus=focus)
    lead = pd.DataFrame({"model": lb["model"], "indicator": lb["indicator"],
                         "value_old": la["value"].reindex(lb.index),
                         "value_new": lb["value"]})
    lead.index.name = "id"
    comp = Comparison(table=actors, ties=ties, spheres=sph, gaps=gaps, centrality=cen,
                      leadership=lead, model_old=la.model, model_new=lb.model)
    comp.sentences = _sentences(comp, A, B)
    return comp


#: Kinds whose roles are community roles (a member moving into one takes influence with them).
_COMMUNITY_ROLE_KINDS = frozenset({"community_group", "vcse_org", "social_enterprise",
                                   "faith_group", "youth_org", "vcs_infrastructure",
                                   "locally_trusted_org", "parish_council"})
_ROLE_VERBS = {"chairs": "chairs", "member_of": "is a member of",
               "volunteers_at": "volunteers at", "works_for": "works for"}


def _community_roles(a, b, sa, sb):
    """{id: "chairs X"} for members of the old focus, outside the new one, who took up a
    community role (a tie to a community group, voluntary body or parish council they did not
    have before)."""
    import pandas as pd

    left = [i for i in sa.index[sa["sphere"].fillna(-1) == 0]
            if i in sb.index and not (pd.notna(sb.at[i, "sphere"]) and sb.at[i, "sphere"] == 0)]
    if not left or not len(b.ties):
        return {}
    old = set(_ties(a))
    kinds = b.actors["kind"] if "kind" in b.actors else pd.Series(dtype=object)
    names = b.actors["name"] if "name" in b.actors else pd.Series(dtype=object)
    rank = list(_ROLE_VERBS)
    out = {}
    t = b.ties
    tkinds = t["kind"] if "kind" in t else ["knows"] * len(t)
    for s_, d_, k in zip(t["source"], t["target"], tkinds, strict=True):
        if (s_ not in left or k not in _ROLE_VERBS
                or kinds.get(d_) not in _COMMUNITY_ROLE_KINDS):
            continue
        if (str(s_), str(d_), str(k)) in old:
            continue
        name = names.get(d_)
        text = f"{_ROLE_VERBS[k]} {d_ if name is None or pd.isna(name) else name}"
        prev = out.get(s_)
        if prev is None or rank.index(k) < prev[0]:
            out[s_] = (rank.index(k), text)
    return {i: text for i, (_, text) in out.items()}


def _actors(net):
    import pandas as pd

    idx = pd.Index(list(net.ids), name="id", dtype=object)
    a = net.actors
    name = [str(v) if v is not None and not pd.isna(v) else str(i)
            for v, i in zip(a["name"] if "name" in a else net.ids, net.ids, strict=False)]
    kind = [str(v) if v is not None and not pd.isna(v) else pd.NA
            for v in (a["kind"] if "kind" in a else [None] * net.n)]
    return pd.DataFrame({"name": name, "kind": kind}, index=idx)


def _ties(net):
    """{(source, target, kind): strongest strength}; undirected pairs in sorted order."""
    import pandas as pd

    t = net.ties
    out = {}
    if not len(t):
        return out
    kinds = t["kind"] if "kind" in t else pd.Series("knows", index=t.index)
    strength = (pd.to_numeric(t["strength"], errors="coerce").fillna(1.0) if "strength" in t
                else pd.Series(1.0, index=t.index))
    directed = t["directed"] if "directed" in t else pd.Series(net.directed, index=t.index)
    for s, d, k, w, dr in zip(t["source"], t["target"], kinds, strength, directed, strict=False):
        s, d = str(s), str(d)
        if not bool(dr) and d < s:
            s, d = d, s
        key = (s, d, str(k) if k is not None and not pd.isna(k) else "knows")
        out[key] = max(out.get(key, 0.0), float(w))
    return out


def _sentences(c, A, B):
    def names(ids, frame):
        ids = list(ids)
        shown = [str(frame.at[i, "name"]) for i in ids[:6]]
        return ", ".join(shown) + (f" and {len(ids) - 6} more" if len(ids) > 6 else "")

    out = []
    joined = c.actors.index[c.actors.change == "joined"]
    left = c.actors.index[c.actors.change == "left"]
    out.append(f"{len(joined)} actors joined the map ({names(joined, B)})." if len(joined)
               else "Nobody joined the map.")
    if len(left):
        out.append(f"{len(left)} left ({names(left, A)}).")
    for _i, r in c.actors[c.actors.change == "changed"].iterrows():
        out.append(f"{r['name']} changed from {r.kind_old.replace('_', ' ')} to "
                   f"{r.kind_new.replace('_', ' ')}.")
    n = c.ties.change.value_counts()
    out.append(f"Ties: {int(n.get('gained', 0))} gained, {int(n.get('lost', 0))} lost, "
               f"{int(n.get('strengthened', 0))} strengthened, {int(n.get('weakened', 0))} "
               "weakened.")
    closer = c.spheres.index[c.spheres.movement.isin(["closer", "now reached"])]
    further = c.spheres.index[c.spheres.movement.isin(["further", "no longer reached"])]
    spread = c.spheres[c.spheres.movement == "into the community"]
    if len(closer):
        out.append(f"{len(closer)} actors moved closer to the partnership "
                   f"({names(closer, B)}).")
    for _, r in spread.iterrows():
        out.append(f"{r['name']} left the partnership and now {r['role']}: influence "
                   "spreading into the community, not a loss.")
    if len(further):
        out.append(f"{len(further)} moved further away ({names(further, B)}).")
    out.append(_leadership_sentence(c))
    for word, label in (("closed", "Gaps closed"), ("better", "Gaps narrowed"),
                        ("opened", "Gaps opened"), ("worse", "Gaps widened")):
        g = c.gaps[c.gaps.change == word]
        if len(g):
            from .schema import display_label

            items = "; ".join(dict.fromkeys(
                f"{r.body} for {display_label('themes', r.theme).lower()} ({r.status_old} → "
                f"{r.status_new})" for r in g.itertuples()))
            out.append(f"{label}: {items}.")
    return out


#: Indicators quoted as the evidence for a change of leadership model.
_LEAD_EVIDENCE = {2: (("working_groups", "working groups"),
                      ("wg_outsiders", "non-members on working groups"),
                      ("wg_outside_ties", "working groups' own ties to outside bodies")),
                  3: (("enabled", "community groups the partnership supports"),
                      ("depend", "pairs in our sphere that depend on the partnership")),
                  1: (("hub_only", "contacts tied only to the partnership body"),
                      ("depend", "pairs in our sphere that depend on the partnership"))}


def _leadership_sentence(c):
    """"From Model 1 towards Model 2", with the indicators that moved."""
    from .leadership import SHORT

    lead, old, new = c.leadership, c.model_old, c.model_new

    def fmt(key, v):
        return f"{v:.0%}" if key in ("depend", "hub_only", "reach") else f"{v:g}"

    ev = []
    for key, label in dict.fromkeys(_LEAD_EVIDENCE[new] + _LEAD_EVIDENCE[2]):
        if key in lead.index:
            o, n = lead.at[key, "value_old"], lead.at[key, "value_new"]
            if o == o and n == n and o != n and key not in [k for k, _ in ev]:
                ev.append((key, f"{label} {fmt(key, o)} → {fmt(key, n)}"))
    evidence = "; ".join(text for _, text in ev)
    if old == new:
        return (f"Leadership: still most like Model {new} ({SHORT[new]})"
                + (f" ({evidence})." if evidence else "."))
    return (f"Leadership: from Model {old} ({SHORT[old]}) towards Model {new} ({SHORT[new]})"
            + (f": {evidence}." if evidence else "."))
