"""Slots and reach for :mod:`influence.missing`: who should hold power, and how far away they are.

* **Slots**: the power matrix rows for the chosen themes become the slots a neighbourhood
  should fill, resolved to an area's real bodies when one is given (councils by structure,
  parishes or, where unparished, ward councillors; strategic authority only where there is
  one), with the same body in the same role merged.
* **Reach** from the focus: hop distance, the strongest shortest path (its parent), every
  parent on a shortest path (the introducers) and the dominator tree (Lengauer & Tarjan 1979)
  that finds the gatekeeper every route passes through.
* **Matching** a slot to an actor of the map: by ``org_code``, then by kind and name, nearest
  to the focus first.
* **Members** of a board that is not on the map (a health and wellbeing board, an integrated
  care partnership, a community safety partnership): the catalogue's ``board_members.csv``
  names its statutory members; the people on the map who work for or sit on a member body,
  of a kind and with a theme that fits the member's role, are routes to the board.
"""

from __future__ import annotations

import re

import numpy as np

from .graph import hop_distances


_COUNCILS = ("county_council", "district_council", "unitary_council")
_STOP = {"the", "of", "and", "council", "borough", "district", "county", "city", "nhs",
         "integrated", "care", "board", "icb", "ltd", "limited", "plc", "metropolitan"}


# --- slots -----------------------------------------------------------------------------------
def _short(label):
    return str(label).split(" (")[0]


def gap_slots(pm, themes, area, map_kinds):
    """Expected slots: dicts with theme, function, role, holder, tier, body, code, flags."""
    if area is not None:
        structure = area.structure
    else:
        unitary = "unitary_council" in map_kinds and not (
            map_kinds & {"county_council", "district_council"})
        structure = "unitary" if unitary else "two-tier"
    out = {}
    for r in pm.itertuples():
        tier, holder = r.tier_class, r.holder_type_id
        if tier == "unitary" and structure == "two-tier":
            continue
        if structure == "unitary" and holder in _COUNCILS:
            holder = "unitary_council"
        base = dict(theme=r.theme_id, function=r.function, role=r.role, weight=r.role_weight,
                    holder=holder, tier=tier, label=_short(r.holder_label or holder),
                    statute=r.statutory_basis, sources=r.source_ids, verify=bool(r.verify),
                    basis="catalogue", vintage="", code=None, body=None)
        for slot in _resolve(base, area, map_kinds):
            key = (slot["theme"], slot["role"], slot["holder"], slot["body"])
            if key not in out:
                out[key] = slot
                continue
            old = out[key]  # the same body in the same role: merge the functions
            if slot["function"] not in old["function"]:
                old["function"] += "; " + slot["function"]
            for f in ("statute", "sources"):
                parts = [x for x in (old[f] + ";" + slot[f]).replace("; ", ";").split(";") if x]
                old[f] = "; ".join(dict.fromkeys(parts))
    return list(out.values())


def _resolve(base, area, map_kinds):
    holder, tier, label = base["holder"], base["tier"], base["label"]
    if area is None:
        if tier == "strategic_authority" and not map_kinds & {"mayor", "strategic_authority"}:
            return []  # only where there is one
        return [dict(base, body=label)]
    b = area.bodies
    if tier == "parish":
        rows = b[b.tier_class == "parish"]
        if not len(rows):  # unparished: ward councillors take the slot
            n = int((b.tier_class == "ward").sum())
            return [dict(base, holder="ward_councillor", body=f"Ward councillors ({n} wards; "
                         "unparished area)", basis="ons_lookup", vintage=_first(b, "ward"))]
        n = len(rows)
        return [dict(base, body=f"{label}s ({n} parish{'es' if n != 1 else ''} in {area.name})",
                     basis="ons_lookup", vintage=_first(b, "parish"))]
    if tier == "ward":
        n = int((b.tier_class == "ward").sum())
        return [dict(base, body=f"{label}s ({n} wards in {area.name})", basis="ons_lookup",
                     vintage=_first(b, "ward"))]
    if tier == "non_territorial_or_user_entered":
        return [dict(base, body=label)]
    rows = b[b.tier_class == tier]
    typed = rows[rows.type_id == holder]
    if holder in _COUNCILS:
        typed = rows[rows.type_id.isin(_COUNCILS)]
    if len(typed):
        return [dict(base, holder=r.type_id, body=r.name, code=r.code, basis=r.basis,
                     verify=base["verify"] or bool(r.verify), vintage=r.vintage)
                for r in typed.itertuples()]
    if len(rows):
        where = rows.iloc[0]
        return [dict(base, body=f"{label} ({where['name']})", basis=where["basis"],
                     verify=base["verify"] or bool(where["verify"]), vintage=where["vintage"])]
    return []  # not applicable here (e.g. no strategic authority)


def _first(b, tier):
    rows = b[b.tier_class == tier]
    return str(rows.iloc[0]["vintage"]) if len(rows) else ""


# --- reach: spheres, strongest shortest paths, dominators -----------------------------------
def actor_column(net, name):
    """An actor attribute as a list in position order (None where missing); ``name`` follows
    the one name rule (:attr:`Network.names <influence.graph.Network.names>`)."""
    if name == "name":
        return [str(x) for x in net.names]
    if name in net.actors:
        col = net.actors[name]
        return [None if na else v for v, na in zip(col.tolist(), col.isna().tolist(), strict=False)]
    return [None] * net.n


def _once(info, key, make):
    """``make()``, worked out once per :func:`reach_from` (kept in its ``info``; shared: never
    change it)."""
    cache = info["cache"]
    if key not in cache:
        cache[key] = make()
    return cache[key]


def _grouped(values):
    """{value: its positions in order}."""
    out = {}
    for i, v in enumerate(values):
        out.setdefault(v, []).append(i)
    return out


def column(net, info, name):
    """:func:`actor_column`, made once per :func:`reach_from`."""
    return _once(info, name, lambda: actor_column(net, name))


def _by_value(net, info, name):
    """{value: positions in order} of an actor attribute, once per :func:`reach_from`."""
    return _once(info, ("by_value", name), lambda: _grouped(column(net, info, name)))


def reach_from(net, seeds):
    """Hop distance, best parent (strongest shortest path), parents and dominators."""
    n = net.n
    info = {"seeds": set(seeds.tolist()), "cache": {}}
    info["names"] = column(net, info, "name")
    if not n:
        info.update(dist=np.zeros(0, int), best=np.zeros(0), parent=np.zeros(0, int),
                    parents={}, idom={})
        return info
    src, dst, w = net.arcs(programme=True)
    dist = hop_distances(n, src, dst, seeds)
    ok = (dist[src] >= 0) & (dist[dst] == dist[src] + 1)
    s, d, ww = src[ok], dst[ok], w[ok]
    best = np.full(n, -np.inf)
    best[seeds] = 0.0
    parent = np.full(n, -1, dtype=np.int64)
    # ids in string order (equal strings share a rank): the tie-break between equal strengths
    _, key = np.unique(np.array([str(i) for i in net.ids.tolist()], dtype=object),
                       return_inverse=True)
    key = key.ravel()
    level_of = dist[d]
    for level in range(1, int(dist.max()) + 1 if len(dist) else 1):
        sel = np.flatnonzero(level_of == level)
        if not len(sel):
            continue
        # strongest path first (then the smaller id): the first arc into v is its parent
        gain = best[s[sel]] + ww[sel]
        order = np.lexsort((key[s[sel]], -gain))
        to = d[sel][order]
        _, first = np.unique(to, return_index=True)
        best[to[first]] = gain[order][first]
        parent[to[first]] = s[sel][order][first]
    # every parent on a shortest path, strongest tie first (then the smaller id)
    order = np.lexsort((np.arange(len(s)), -(best[s] + ww), key[s], -ww, d))
    parents = _Parents(d[order], ww[order], s[order])
    trust, links = net.local_trust()
    info["notes"] = _tie_notes(net)
    info.update(dist=dist, best=best, parent=parent, parents=parents,
                idom=_dominators(n, src, dst, seeds), src=src, dst=dst, w=w,
                local_trust=set(trust), programme_links=bool(links))
    return info


class _Parents:
    """{actor: [(strength, parent), ...]}, every parent on a shortest path to the actor,
    strongest tie first (then the smaller id); each list is made when it is asked for."""

    def __init__(self, to, strength, parent):
        self._to, self._strength, self._parent = to, strength, parent

    def get(self, v, default=None):
        a, b = np.searchsorted(self._to, [v, v + 1])
        if a == b:
            return default
        return list(zip(self._strength[a:b].tolist(), self._parent[a:b].tolist(), strict=True))


def _dominators(n, src, dst, seeds):
    """{actor: its immediate dominator} from the focus (every route from the focus to the
    actor passes through its dominator; -1 stands for the focus itself), for the actors the
    focus reaches: igraph's Lengauer-Tarjan dominator tree from a root tied to every seed."""
    from ._igraph import from_arcs

    root = n
    edges = np.column_stack([np.concatenate([src, np.full(len(seeds), root)]),
                             np.concatenate([dst, seeds])]).astype(np.int64)
    g = from_arcs(n + 1, edges)
    dom = np.asarray(g.dominator(root, mode="out"), dtype=float)[:n]
    reached = np.flatnonzero(~np.isnan(dom))
    idom = dom[reached].astype(np.int64)
    idom[idom == root] = -1
    return dict(zip(reached.tolist(), idom.tolist(), strict=True))


def only_route(info, v):
    """The actor nearest to v (other than v) that every route from the focus passes through."""
    idom, seeds = info["idom"], info["seeds"]
    u = idom.get(v)
    while u is not None and u != -1:
        if u not in seeds:
            return u
        nxt = idom.get(u)
        u = None if nxt == u else nxt
    return None


def _norm_name(text):
    text = str(text).casefold().replace("&", " and ")
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return frozenset(w for w in words if w not in _STOP)


def match_slot(net, slot, info, resolved):
    """Position of the actor that fills the slot, or -1."""
    cand = list(_by_value(net, info, "kind").get(slot["holder"], ()))
    if slot.get("code"):
        hit = _by_code(net, info).get(str(slot["code"]).upper(), [])
        if hit:
            return _closest(hit, info)
    if resolved and slot.get("code"):
        want = _norm_name(slot["body"])
        names = info["names"]
        named = [i for i in cand if want and (_norm_name(names[i]) <= want
                                              or want <= _norm_name(names[i]))
                 and _norm_name(names[i])]
        if named:
            return _closest(named, info)
        return cand[0] if len(cand) == 1 else -1
    return _closest(cand, info) if cand else -1


def _by_code(net, info):
    """{org_code as matched (stripped, upper case): positions in order}, once per
    :func:`reach_from` (an actor without a code is under None, which no code matches)."""
    return _once(info, "by_code", lambda: _grouped(
        None if c is None else str(c).strip().upper() for c in column(net, info, "org_code")))


def _closest(cands, info):
    dist = info["dist"]
    return min(cands, key=lambda i: (dist[i] < 0, dist[i], -info["best"][i],
                                     str(info["names"][i])))


# --- members of boards -----------------------------------------------------------------------
_MEMBER_TIES = ("works_for", "member_of", "chairs")


def _board_rows(holder):
    from ._catalogue import read_table

    rows = read_table("board_members.csv")
    return rows[rows["body_type_id"] == holder]


def board_members(net, info, holder):
    """(person, member body) positions through whom a board is reached (person -1: the body).

    A person counts when they work for, sit on or chair an actor of a member body's kind, are
    of one of the kinds that can represent it, and care about one of its themes (any theme when
    the row names none); reachable ones only, nearest to the focus first.
    """
    rows = _board_rows(holder)
    if not len(rows) or not net.n:
        return []
    kinds, themes = column(net, info, "kind"), column(net, info, "themes")
    by_kind = _by_value(net, info, "kind")
    dist = info["dist"]
    people, bodies = {}, set()
    for r in rows.itertuples():
        member_bodies = set(by_kind.get(r.member_type_id, ()))
        if not member_bodies:
            continue
        who = set(str(r.person_kinds).split(";")) - {""}
        want = set(str(r.themes).split(";")) - {""}
        found = False
        for a, b in _member_ties(net, info):
            u, v = (a, b) if b in member_bodies else (b, a)  # either order (undirected maps)
            if v not in member_bodies or u < 0 or kinds[u] not in who:
                continue
            mine = set(themes[u]) if isinstance(themes[u], (tuple, list, set)) else set()
            if (not want or mine & want) and dist[u] >= 0:
                people.setdefault(u, v)
                found = True
        if not found:
            bodies |= {b for b in member_bodies if dist[b] >= 0}
    out = sorted(people, key=lambda i: (dist[i], -info["best"][i], str(info["names"][i])))
    if out:
        return [(i, people[i]) for i in out]
    return [(-1, b) for b in sorted(bodies, key=lambda i: (dist[i], -info["best"][i]))]


def _member_ties(net, info):
    """(source, target) positions of the ties that make a person part of a body
    (``works_for``, ``member_of``, ``chairs``), in tie order; once per :func:`reach_from`."""
    def make():
        t = net.ties
        tk = (t["kind"].astype(object).tolist() if "kind" in t else ["knows"] * len(t))
        ts, tt = net.ids.get_indexer(t["source"]), net.ids.get_indexer(t["target"])
        return [(a, b) for a, b, k in zip(ts.tolist(), tt.tolist(), tk, strict=True)
                if k in _MEMBER_TIES]

    return _once(info, "member_ties", make)


def _tie_notes(net):
    """{frozenset({u, v}): [note, ...]} for ties with a note (positions)."""
    t = net.ties
    out = {}
    if not len(t) or "notes" not in t:
        return out
    ts, tt = net.ids.get_indexer(t["source"]), net.ids.get_indexer(t["target"])
    some = np.flatnonzero(t["notes"].notna().to_numpy() & (ts >= 0) & (tt >= 0))
    notes = t["notes"].to_numpy(dtype=object)[some].tolist()
    for u, v, note in zip(ts[some].tolist(), tt[some].tolist(), notes, strict=True):
        if isinstance(note, str) and note.strip():
            lst = out.setdefault(frozenset((u, v)), [])
            if note.strip() not in lst:
                lst.append(note.strip())
    return out


def path_notes(info, path, pos):
    """The notes on the ties of a path (focus first) and on our own ties to its first step
    and to the actor itself: what we know about the route."""
    notes, seeds = info.get("notes", {}), info["seeds"]
    if not notes:
        return []
    pairs = list(zip(path[:-1], path[1:], strict=True))
    for target in ([path[1]] if len(path) > 1 else []) + [pos]:
        pairs += [(s, target) for s in sorted(seeds)]
    out = []
    for u, v in pairs:
        for note in notes.get(frozenset((u, v)), ()):
            if note not in out:
                out.append(note)
    return out
