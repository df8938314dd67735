"""Access gatekeepers: who stands between a community and an institution.

An actor is an *access gatekeeper* from a community X (say, the partnership and its members) to
an institution Y (say, the county council with its councillors and officers) when every route
from X to Y passes through them (docs/algorithms.md §5.2). One dominator tree answers this for
every actor at once: add a super-sink t with an arc from every member of Y and take the
post-dominator tree of t (the dominator tree of the reversed graph, rooted at t). The actors on
every route from member x to Y are exactly x's ancestors in that tree, so the *exposure* of an
actor (the share of members whose every route passes through it) is a subtree count. The
*resilience* (how many actors must be removed to cut X off from Y) is a maximum flow on the
node-split graph (Menger's theorem). Both run in igraph's C core.

This is a global notion of gatekeeping, different from the local Gould-Fernandez *gatekeeper*
role (:func:`influence.brokerage`), where a broker passes an outsider's message into its own
group.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass

import numpy as np

from .errors import InputError, UnknownActorError, either
from .parsing import resolve_kind
from .result import Result
from .schema import PARTNERSHIP_KIND, PERSON_KINDS, POWER_BODY_KINDS, STANCE_LABELS

__all__ = ["gatekeepers", "GatekeeperResult", "AFFILIATION_TIE_KINDS", "power_body",
           "highlighted"]

#: Ties that make a person part of a body when a community or institution is given by kind:
#: ``person -[kind]-> body`` (the body is the target).
AFFILIATION_TIE_KINDS = ("member_of", "chairs", "works_for", "represents")


@dataclass(eq=False)
class GatekeeperResult(Result):
    """What :func:`gatekeepers` finds (a :class:`~influence.result.Result`). Every table is
    indexed by actor id.

    Attributes
    ----------
    table : pandas.DataFrame
        Every actor (the main table): ``kind``, ``name``, ``side`` (``community``,
        ``institution``, ``both`` or ``other``), ``members`` (how many members with access have
        every route through it), ``exposure`` (that number as a share of the members with
        access), ``strict`` (True for an actor outside both sides that every route passes
        through), ``stance`` (-2..2) and ``stance_label``; sorted by exposure, highest first.
    strict : list
        Ids of the strict gatekeepers, nearest the community first.
    excluded : pandas.DataFrame
        Community members with no route to the institution at all (``kind``, ``name``).
    front_doors : pandas.DataFrame
        Institution members that some community members can only enter through (rows of
        ``table``); one with ``exposure`` 1 is the only way in for everyone. Empty when the
        institution is a single actor (it is then trivially the only way in).
    internal : pandas.DataFrame
        Community members that other members' access depends on (rows of ``table``).
    resilience : float
        Access resilience: the fewest actors outside both sides whose removal cuts every route
        (0 if no member has access, ``inf`` if a member is tied straight to the institution or
        belongs to both). 1 exactly when there are strict gatekeepers.
    cut : list
        One smallest such set of actor ids (not unique in general).
    community, institution : list
        The actor ids each side was resolved to.
    sentences : list of str
        The findings in plain English: one per strict gatekeeper first (in ``strict`` order),
        and, when some members have no route, the sentence saying so last.
    """

    table: object
    strict: list
    excluded: object
    front_doors: object
    internal: object
    resilience: float
    cut: list
    community: list
    institution: list
    sentences: list

    def __repr__(self):
        return (f"<GatekeeperResult: {len(self.strict)} strict gatekeeper(s), resilience "
                f"{self.resilience:g}, {len(self.excluded)} member(s) without access>")


def gatekeepers(m, *, community=None, institution, min_strength=None):
    """Access gatekeepers from a community to an institution.

    Ties are followed in their direction (a directed tie ``a -> b``: ``a`` can reach ``b``);
    undirected ties both ways. Tie strength is otherwise ignored; ``min_strength`` first drops
    weaker ties (as Allesina et al. 2006 threshold weak links). Multi-ties collapse and
    self-loops are ignored.

    Each side is an actor id, a kind, or a list of them:

    * an **id** is that actor only;
    * a **kind** is every actor of that kind and, for a kind of body (not a person), everyone
      tied to one of them by ``member_of``, ``chairs``, ``works_for`` or ``represents``
      (person -> body). So ``county_council`` is the county council with its councillors and
      officers, and ``big_local_partnership`` (or the word ``partnership``, or no community at
      all) is the partnership with its members.

    Parameters
    ----------
    m : InfluenceMap or networkx.Graph
    community : str or list, optional
        Where requests start. Default: the partnership and its members.
    institution : str or list
        Where they need to get to.
    min_strength : float, optional
        Ignore ties weaker than this.

    Returns
    -------
    GatekeeperResult
        ``.table``, ``.strict``, ``.excluded``, ``.front_doors``, ``.internal``,
        ``.resilience``, ``.cut``, ``.sentences``.

    Raises
    ------
    UnknownActorError
        A name is neither an actor id nor a kind in the map.
    InputError
        No institution is given, or a side resolves to no actors.

    References
    ----------
    .. [1] Allesina, S. & Bodini, A. (2004). Who dominates whom in the ecosystem? Energy flow
       bottlenecks and cascading extinctions. *Journal of Theoretical Biology* 230, 351-358.
    .. [2] Cooper, K. D., Harvey, T. J. & Kennedy, K. (2001). A simple, fast dominance algorithm.
       *Software Practice & Experience* 4, 1-10; Lengauer, T. & Tarjan, R. E. (1979). A fast
       algorithm for finding dominators in a flowgraph. *ACM TOPLAS* 1(1), 121-141.
    .. [3] Menger, K. (1927). Zur allgemeinen Kurventheorie. *Fundamenta Mathematicae* 10,
       96-115 (minimum vertex cut = maximum number of vertex-disjoint paths).

    Examples
    --------
    Padgett's Florentine marriages: every route from the Pazzi to the Strozzi passes through
    the Salviati and then the Medici.

    >>> import networkx as nx
    >>> from influence.gatekeepers import gatekeepers
    >>> G = nx.florentine_families_graph()
    >>> r = gatekeepers(G, community="Pazzi", institution="Strozzi")
    >>> r.strict, r.resilience
    (['Salviati', 'Medici'], 1.0)
    >>> print(r.sentences[0])
    Every route from Pazzi to Strozzi passes through Salviati (stance not recorded).
    """

    from .graph import network

    net = network(m, weight=None, min_strength=min_strength)
    n = net.n
    if n == 0:  # nothing to analyse
        return _result(net, np.zeros(0, bool), np.zeros(0, bool), np.zeros(0, int), 0, [],
                       [], "the community", "the institution", 0.0, [])
    x, y, src, dst, below, n_acc, strict_chain, reach, c_label, i_label = _dominance(
        net, community, institution)
    acc = x & reach
    resilience, cut = _resilience(n, src, dst, x, y, acc)
    direct = np.flatnonzero(x & y)
    if len(direct):
        direct = (int(direct[0]), int(direct[0]))
    else:
        hit = np.flatnonzero(x[src] & y[dst])
        direct = (int(src[hit[0]]), int(dst[hit[0]])) if len(hit) else None
    return _result(net, x, y, below, n_acc, strict_chain, np.flatnonzero(x & ~reach), c_label,
                   i_label, resilience, cut, direct)


def strict_gatekeepers(m, *, community=None, institution):
    """Ids of the strict gatekeepers from a community to an institution, as
    ``highlighted(gatekeepers(m, ...).table)`` lists them, without the rest of
    :func:`gatekeepers` (no maximum flow, no tables): what the interactive map highlights.

    Examples
    --------
    >>> import networkx as nx
    >>> strict_gatekeepers(nx.florentine_families_graph(), community="Pazzi",
    ...                    institution="Strozzi")
    ['Medici', 'Salviati']
    """
    from .graph import network

    net = network(m, weight=None)
    if net.n == 0:
        return []
    strict_chain = _dominance(net, community, institution)[6]
    # every strict gatekeeper has exposure 1: the table lists them in position order
    return [net.index[i] for i in sorted(strict_chain)]


def _dominance(net, community, institution):
    """The two sides and the post-dominator tree behind :func:`gatekeepers`: the sides (masks),
    the arcs, each actor's count of members with access whose every route passes through it,
    the members with access, the strict gatekeepers (nearest the community first), who reaches
    the institution (mask) and the sides' labels."""
    n = net.n
    if institution is None:
        raise InputError("No institution given. Fix: name the institution to reach "
                         f"({either('institution=', '--institution')}): an actor id or a kind "
                         "such as county_council.")
    X, c_label = _resolve(net, community, "community")
    Y, i_label = _resolve(net, institution, "institution")
    in_x = np.zeros(n, bool)
    in_x[X] = True
    in_y = np.zeros(n, bool)
    in_y[Y] = True
    src, dst = net.src, net.dst
    if not net.directed:
        src, dst = np.concatenate([src, dst]), np.concatenate([dst, src])
    from ._igraph import from_arcs

    t = n
    arcs = np.concatenate([np.column_stack([src, dst]),
                           np.column_stack([Y, np.full(len(Y), t)])]).astype(np.int64)
    g = from_arcs(n + 1, arcs)
    parent = np.array(g.dominator(t, mode="in"), dtype=float)
    reach = ~np.isnan(parent)
    parent = np.where(reach, parent, -2).astype(np.int64)
    acc = in_x & reach[:n]
    n_acc = int(acc.sum())
    counts, depth = _subtree_counts(parent, np.append(acc, False), t)
    below = counts[:n] - acc
    strict_chain = []
    if n_acc:
        # post-dominators common to all members with access, nearest the community first
        hit = np.flatnonzero((below == n_acc) & ~in_x & ~in_y)
        strict_chain = hit[np.argsort(-depth[hit], kind="stable")].tolist()
    return (in_x, in_y, src, dst, below, n_acc, strict_chain, reach[:n], c_label, i_label)


# --- the graph work ----------------------------------------------------------------------------
def _subtree_counts(parent, weight, root):
    """For a tree given by ``parent`` (root -1, unreached -2): the sum of ``weight`` in each
    subtree, and each node's depth (-1 when unreached)."""
    n = len(parent)
    counts = weight.astype(np.int64).copy()
    inside = parent >= 0
    order = np.argsort(parent, kind="stable")
    order = order[inside[order]]
    starts = np.searchsorted(parent[order], np.arange(n))
    ends = np.searchsorted(parent[order], np.arange(n), side="right")
    levels, frontier = [], np.array([root])
    while len(frontier):
        levels.append(frontier)
        kids = [order[starts[u]:ends[u]] for u in frontier.tolist() if ends[u] > starts[u]]
        frontier = np.concatenate(kids) if kids else np.zeros(0, np.int64)
    depth = np.full(n, -1, dtype=np.int64)
    for d, level in enumerate(levels):
        depth[level] = d
    for level in reversed(levels[1:]):
        np.add.at(counts, parent[level], counts[level])
    return counts, depth


def _resilience(n, src, dst, in_x, in_y, acc):
    """Minimum number of actors outside X and Y cutting every X -> Y route; one such set."""
    if not acc.any():
        return 0.0, []
    if (in_x & in_y).any() or (in_x[src] & in_y[dst]).any():
        return math.inf, []
    from ._igraph import from_arcs

    big = float(n + 1)
    S, T = 2 * n, 2 * n + 1
    nodes = np.arange(n)
    X, Y = np.flatnonzero(in_x), np.flatnonzero(in_y)
    edges = np.concatenate([
        np.column_stack([nodes, nodes + n]),  # v_in -> v_out
        np.column_stack([src + n, dst]),  # u_out -> v_in
        np.column_stack([np.full(len(X), S), X]),
        np.column_stack([Y + n, np.full(len(Y), T)]),
    ]).astype(np.int64)
    cap = np.concatenate([np.where(in_x | in_y, big, 1.0), np.full(len(src), big),
                          np.full(len(X) + len(Y), big)])
    g = from_arcs(2 * n + 2, edges)
    flow = g.maxflow(S, T, capacity=cap.tolist())
    cut = sorted(int(e) for e in flow.cut if e < n)
    return float(flow.value), cut


# --- resolving the two sides -------------------------------------------------------------------
def _resolve(net, spec, side):
    """Positions of the actors a side names, and a label for sentences."""
    kinds = (net.actors["kind"].astype(object).to_numpy() if "kind" in net.actors
             else np.full(net.n, None, dtype=object))
    if spec is None:
        if side != "community":
            raise InputError(f"No {side} given. Fix: name it by actor id or kind.")
        spec = PARTNERSHIP_KIND
    items = [spec] if isinstance(spec, str) or not np.iterable(spec) else list(spec)
    found, unknown, labels = set(), [], []
    kind_set = set(k for k in kinds.tolist() if isinstance(k, str))
    for item in items:
        try:
            pos = int(net.ids.get_indexer([item])[0])
        except TypeError:
            pos = -1
        kind = PARTNERSHIP_KIND if item == "partnership" and pos < 0 else item
        if pos < 0 and isinstance(kind, str) and kind not in kind_set:
            kind = resolve_kind(kind)[0]  # the workbook's kind words: "County Council" ...
        if pos >= 0:
            found.add(pos)
            labels.append(_name(net, pos))
        elif isinstance(kind, str) and kind in kind_set:
            bodies = np.flatnonzero(kinds == kind)
            found |= set(bodies.tolist())
            if kind not in PERSON_KINDS:
                found |= _affiliates(net, bodies)
            if kind == PARTNERSHIP_KIND:
                labels.append("the partnership")
            elif len(bodies) == 1:
                labels.append(_name(net, int(bodies[0])))
            else:
                labels.append(f"the {kind.replace('_', ' ')}s")
        else:
            unknown.append(item)
    if unknown:
        hint = ("" if side == "institution" or kind_set & {PARTNERSHIP_KIND} else
                f" (there is no {PARTNERSHIP_KIND} actor to default to)")
        near = difflib.get_close_matches(resolve_kind(unknown[0])[0], sorted(kind_set) + [
            str(i) for i in net.ids], n=3, cutoff=0.75)  # good matches only: no misleading guess
        hint += f" (nearest: {', '.join(near)})" if near else ""
        raise UnknownActorError(
            f"Unknown {side}: {', '.join(map(str, unknown))} is neither an actor id nor a kind "
            f"in the map{hint}. Fix: use ids from the actors sheet or kinds such as "
            f"{PARTNERSHIP_KIND} or county_council.")
    if not found:
        raise InputError(f"The {side} is empty. Fix: name at least one actor id or kind.")
    label = labels[0] if len(labels) == 1 else " and ".join([", ".join(labels[:-1]), labels[-1]])
    return np.array(sorted(found), dtype=np.int64), label


def _affiliates(net, bodies):
    t = net.ties
    if not len(t) or "kind" not in t:
        return set()
    tk = t["kind"].astype(object).to_numpy()
    srcp = net.ids.get_indexer(t["source"])
    tgt = net.ids.get_indexer(t["target"])
    hit = np.isin(tk, AFFILIATION_TIE_KINDS) & np.isin(tgt, bodies) & (srcp >= 0)
    return set(srcp[hit].tolist())


def _name(net, pos):
    """An actor's display name, by the one name rule (:attr:`Network.names
    <influence.graph.Network.names>`)."""
    return str(net.names[pos])


# --- the result --------------------------------------------------------------------------------
def _result(net, in_x, in_y, below, n_acc, strict_chain, excluded, c_label, i_label,
            resilience, cut, direct=None):
    import pandas as pd

    n = net.n
    index = net.index
    side = np.where(in_x & in_y, "both", np.where(in_x, "community",
                                                  np.where(in_y, "institution", "other")))
    exposure = below / n_acc if n_acc else np.zeros(n)
    strict = np.zeros(n, bool)
    strict[strict_chain] = True
    if "stance" in net.actors:
        stance = pd.array(pd.to_numeric(net.actors["stance"], errors="coerce")
                          .to_numpy(dtype=float, na_value=np.nan), dtype="Int64")
    else:
        stance = pd.array([pd.NA] * n, dtype="Int64")
    missing = stance.isna().tolist()
    words = pd.array([None if na else STANCE_LABELS.get(s) for s, na in
                      zip(stance.to_numpy(dtype=np.int64, na_value=0).tolist(), missing,
                          strict=True)], dtype="string")
    table = pd.DataFrame({
        "kind": net.text("kind"), "name": net.text("name"),
        "side": pd.array(side.tolist(), dtype="string"),
        "members": np.asarray(below, dtype=np.int64), "exposure": exposure.astype(float),
        "strict": strict, "stance": stance, "stance_label": words}, index=index)
    order = np.lexsort((np.arange(n), -table["exposure"].to_numpy()))
    table = table.iloc[order]
    excl = table.loc[index[excluded], ["kind", "name"]] if len(excluded) else \
        table.iloc[:0][["kind", "name"]]
    # a lone institution actor is trivially every member's way in: not informative
    # (docs/algorithms.md §5.2)
    doors = table[table["side"].isin(["institution"]) & (table["members"] > 0)
                  & (int(in_y.sum()) > 1)]
    internal = table[table["side"].isin(["community", "both"]) & (table["members"] > 0)]
    strict_ids = [index[i] for i in strict_chain]
    sentences = _sentences(table, strict_ids, excl, doors, internal, n_acc, c_label, i_label,
                           resilience, [index[i] for i in cut], int(in_y.sum()),
                           None if direct is None else (index[direct[0]], index[direct[1]]))
    return GatekeeperResult(table=table, strict=strict_ids, excluded=excl, front_doors=doors,
                            internal=internal, resilience=float(resilience),
                            cut=[index[i] for i in cut],
                            community=[index[i] for i in np.flatnonzero(in_x)],
                            institution=[index[i] for i in np.flatnonzero(in_y)],
                            sentences=sentences)


def power_body(m):
    """The kind of public body whose access a map's gatekeepers view measures.

    The first of :data:`influence.schema.POWER_BODY_KINDS` (county, unitary or district
    council, ICB, strategic authority) that the map holds.

    Parameters
    ----------
    m : InfluenceMap or networkx.Graph

    Returns
    -------
    str

    Raises
    ------
    InputError
        The map has no kinds, or no council, ICB or strategic authority.

    Examples
    --------
    >>> import influence
    >>> m = influence.build(actors=[{"id": "u", "kind": "unitary_council"}], ties=[])
    >>> power_body(m)
    'unitary_council'

    References
    ----------
    The catalogue of kinds: :func:`influence.schema.stakeholder_types`.
    """
    from .graph import network

    actors = network(m, weight=None).actors
    if "kind" not in actors:
        raise InputError("the map has no kinds")
    found = [k for k in POWER_BODY_KINDS if (actors["kind"] == k).any()]
    if not found:
        raise InputError("no council, ICB or strategic authority on the map to measure access to")
    return found[0]


def highlighted(table):
    """Ids of the gatekeepers to highlight: the strict ones, once each, in table order.

    The one rule the interactive map and the review share.

    Parameters
    ----------
    table : pandas.DataFrame
        Indexed by actor id, with a boolean ``strict`` column (``GatekeeperResult.table`` or
        the review's gatekeepers table).

    Returns
    -------
    list

    Examples
    --------
    >>> import pandas as pd
    >>> highlighted(pd.DataFrame({"strict": [True, False, True]}, index=["a", "b", "a"]))
    ['a']

    References
    ----------
    Allesina, S. & Bodini, A. (2004): a strict gatekeeper dominates every route (see
    :func:`gatekeepers`).
    """
    strict = table["strict"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    return list(dict.fromkeys(table.index[strict]))


def _who(table, i):
    row = table.loc[i]
    stance = row["stance_label"]
    return f"{row['name'] if not _na(row['name']) else i} " \
           f"({stance if not _na(stance) else 'stance not recorded'})"


def _na(v):
    import pandas as pd

    return v is None or bool(pd.isna(v))


def _sentences(table, strict, excluded, doors, internal, n_acc, c, i, kappa, cut, n_inst,
               direct):
    out = []
    if not len(table):
        return out
    if n_acc == 0:
        out.append(f"No one in {c} has any route to {i}.")
        return out
    for g in strict:
        out.append(f"Every route from {c} to {i} passes through {_who(table, g)}.")
    if not strict:
        if math.isinf(kappa) and direct is not None:
            a, b = (table.loc[v, "name"] for v in direct)
            if direct[0] == direct[1]:
                out.append(f"{a} belongs to both {c} and {i}: no one stands between them.")
            else:
                out.append(f"{a} (in {c}) is tied directly to {b} (in {i}): no one stands "
                           "between them.")
        else:
            names = ", ".join(_who(table, v) for v in cut)
            out.append(f"No single person controls access from {c} to {i}: it would take "
                       f"removing {int(kappa)} actors to cut every route (for example {names}).")
    others = table[(table["side"] == "other") & ~table["strict"] & (table["exposure"] >= 0.5)]
    for v, row in others.iterrows():
        out.append(f"{_who(table, v)} is on every route to {i} for {row['members']} of the "
                   f"{n_acc} members with access.")
    if n_inst > 1:
        for v, row in doors.iterrows():
            if row["exposure"] >= 1:
                out.append(f"{_who(table, v)} is the only way into {i}.")
    for v, row in internal.iterrows():
        out.append(f"{row['members']} other member(s) reach {i} only through "
                   f"{_who(table, v)}.")
    if len(excluded):
        names = ", ".join(str(x if _na(nm) else nm) for x, nm in excluded["name"].items())
        out.append(f"{len(excluded)} member(s) of {c} have no route to {i} at all: {names}.")
    return out
