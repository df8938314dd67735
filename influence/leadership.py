"""Evidence for the three models of community leadership in *Our Bigger Story*.

Model 1, "it is all about the partnership": everything goes through it. Model 2: dispersed
working groups with devolved decisions. Model 3: the partnership is an enabler of a wider
network. The structure of a map is evidence for or against each; it is not a verdict (a map
records who knows whom, not who decides), so :func:`leadership` states figures and says what
each one would suggest.
"""

from __future__ import annotations

import numpy as np

from .graph import network
from .spheres import _arcs, _bfs, _focus

__all__ = ["leadership", "MODELS"]

MODELS = {1: "Model 1: it is all about the partnership",
          2: "Model 2: dispersed working groups with devolved decisions",
          3: "Model 3: the partnership enables a wider network"}
_GROUP_TIES = ("member_of", "chairs", "volunteers_at", "reports_to")


def leadership(m, *, focus=None):
    """Structural evidence for leadership Models 1, 2 and 3 (evidence, not a verdict).

    Parameters
    ----------
    m : InfluenceMap or networkx.Graph
    focus : str or list, optional
        The partnership (see :func:`influence.spheres`; default the ``big_local_partnership``
        actor and its members).

    Returns
    -------
    pandas.DataFrame
        One row per indicator (indexed by a short id): ``model`` (1, 2 or 3), ``indicator``
        (what is measured), ``value`` and ``evidence`` (a sentence with the figures and what a
        high or low value would suggest). Indicators:

        - ``hub_only`` (Model 1): share of our direct contacts tied only to the partnership
          body itself, not to any member;
        - ``depend`` (Model 1): share of the connected pairs in our sphere (two steps) that
          are connected only through the partnership (they fall apart without it);
        - ``working_groups``, ``wg_outsiders``, ``wg_outside_ties`` (Model 2): working groups,
          their members from outside the partnership, and their own ties to outside bodies;
        - ``reach``, ``partners`` (Model 3): share of the map within two steps of us, and the
          groups and organisations we work with, fund or support directly.

    Examples
    --------
    >>> import networkx as nx
    >>> from influence.leadership import leadership
    >>> G = nx.Graph([("us", "a"), ("us", "b"), ("us", "c"), ("a", "b")])
    >>> float(leadership(G, focus="us").loc["depend", "value"])
    0.667

    References
    ----------
    .. [1] Local Trust (2023). *Our Bigger Story: the Big Local story* (Models 1, 2 and 3 of
       community leadership).
    .. [2] Freeman, L. C. (1979). Centrality in social networks: conceptual clarification.
       *Social Networks* 1(3), 215-239 (dependence of pairs on a point).
    """
    import networkx as nx
    import pandas as pd

    net = network(m)
    rows = []
    if net.n == 0:
        return pd.DataFrame(columns=["model", "indicator", "value", "evidence"])
    seeds, _ = _focus(net, focus)
    seed_set = set(seeds.tolist())
    kinds = (net.actors["kind"].astype(object).tolist() if "kind" in net.actors
             else [None] * net.n)
    hubs = {s for s in seed_set if kinds[s] == "big_local_partnership"} or set(seed_set)
    dist, _ = _bfs(net, seeds)
    src, dst, _w = _arcs(net)
    # Model 1 -----------------------------------------------------------------------------
    contacts = {}
    for u, v in zip(src.tolist(), dst.tolist()):
        if u in seed_set and v not in seed_set:
            contacts.setdefault(v, set()).add(u)
    hub_only = sum(1 for v, by in contacts.items() if by <= hubs)
    n_c = len(contacts)
    share = hub_only / n_c if n_c else 0.0
    rows.append(("hub_only", 1, "contacts tied only to the partnership body", share,
                 f"{hub_only} of our {n_c} direct contacts ({share:.0%}) are tied only to the "
                 "partnership as a body, not to any member in person. A high share suggests "
                 "Model 1 (everything goes through the partnership)."))
    near = [i for i in range(net.n) if 0 < dist[i] <= 2]
    G = nx.Graph()
    G.add_nodes_from(range(net.n))
    G.add_edges_from(zip(src.tolist(), dst.tolist()))
    near_set = set(near)

    def pairs(H):
        total = 0
        for comp in nx.connected_components(H):
            k = len(comp & near_set)
            total += k * (k - 1) // 2
        return total

    before = pairs(G.subgraph(set(near) | seed_set))
    after = pairs(G.subgraph(near))
    depend = round(1 - after / before, 3) if before else 0.0
    rows.append(("depend", 1, "connections in our sphere that depend on the partnership", depend,
                 f"{depend:.0%} of the pairs of people and bodies within two steps of us are "
                 "connected only through the partnership and its members. A high share suggests "
                 "Model 1; a low one that the wider network holds together without us "
                 "(Model 3)."))
    # Model 2 -----------------------------------------------------------------------------
    t = net.ties
    tk = t["kind"].astype(object).to_numpy() if len(t) and "kind" in t else np.array([])
    ts = net.ids.get_indexer(t["source"]) if len(t) else np.array([], int)
    tt = net.ids.get_indexer(t["target"]) if len(t) else np.array([], int)
    wgs = sorted(i for i, k in enumerate(kinds) if k == "working_group")
    outsiders, outside_ties = set(), set()
    for u, v, k in zip(ts.tolist(), tt.tolist(), tk.tolist()):
        for g, other in ((v, u), (u, v)):
            if g in wgs and other not in seed_set and kinds[other] != "working_group":
                if k in ("member_of", "chairs", "volunteers_at") and other == u:
                    outsiders.add(other)
                elif k not in ("member_of", "chairs", "volunteers_at", "reports_to"):
                    outside_ties.add((g, other))
    names = _names(net)
    rows.append(("working_groups", 2, "working groups", float(len(wgs)),
                 f"{len(wgs)} working group{'s' if len(wgs) != 1 else ''}"
                 + (f" ({', '.join(names[g] for g in wgs)})" if wgs else "")
                 + ". Working groups with their own members and contacts suggest Model 2."))
    rows.append(("wg_outsiders", 2, "working-group members from outside the partnership",
                 float(len(outsiders)),
                 f"{len(outsiders)} people sit on working groups without being partnership "
                 "members: decisions and work are shared beyond the partnership (Model 2)."
                 if outsiders else "No working group has members from outside the "
                 "partnership."))
    rows.append(("wg_outside_ties", 2, "working groups' own ties to outside bodies",
                 float(len(outside_ties)),
                 (f"{len(outside_ties)} tie{'s' if len(outside_ties) != 1 else ''} from "
                  "working groups straight to outside bodies ("
                  + "; ".join(f"{names[g]} with {names[o]}"
                              for g, o in sorted(outside_ties)[:5])
                  + "): working groups act in their own right (Model 2).") if outside_ties else
                 "Working groups have no ties of their own to outside bodies."))
    # Model 3 -----------------------------------------------------------------------------
    reach = round(len(near) / max(net.n - len(seed_set), 1), 3)
    rows.append(("reach", 3, "share of the map within two steps of us", reach,
                 f"{len(near)} of the {net.n - len(seed_set)} other actors ({reach:.0%}) are "
                 "within two steps of the partnership: a wide reach suggests Model 3."))
    from .schema import PERSON_KINDS

    partners = sorted(v for v, by in contacts.items() if by & hubs
                      and kinds[v] not in PERSON_KINDS and kinds[v] != "working_group")
    rows.append(("partners", 3, "groups and organisations tied to the partnership",
                 float(len(partners)),
                 f"The partnership works directly with {len(partners)} groups and "
                 "organisations" + (f" ({', '.join(names[p] for p in partners[:8])}"
                                    + (", ..." if len(partners) > 8 else "") + ")"
                                    if partners else "")
                 + ": enabling others suggests Model 3."))
    frame = pd.DataFrame(rows, columns=["id", "model", "indicator", "value", "evidence"])
    frame = frame.set_index("id")
    frame["value"] = frame["value"].astype(float).round(3)
    for col in ("indicator", "evidence"):
        frame[col] = frame[col].astype("string")
    return frame


def _names(net):
    if "name" in net.actors:
        return [str(v) if v is not None and v == v else str(i)
                for v, i in zip(net.actors["name"].tolist(), net.ids)]
    return [str(i) for i in net.ids]
