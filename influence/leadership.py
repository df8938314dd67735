"""Evidence for the three models of community leadership in *Our Bigger Story*.

Model 1, "it is all about the partnership": everything goes through it. Model 2: dispersed
working groups with devolved decisions. Model 3: the partnership is an enabler of a wider
network. The structure of a map is evidence for or against each; it is not a verdict (a map
records who knows whom, not who decides), so :func:`leadership` states figures and says what
each one would suggest.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .graph import network
from .result import frame_result

__all__ = ["leadership", "MODELS", "SHORT"]

MODELS = {1: "Model 1: it is all about the partnership",
          2: "Model 2: dispersed working groups with devolved decisions",
          3: "Model 3: the partnership enables a wider network"}
#: The models in a few words (for sentences).
SHORT = {1: "it is all about the partnership",
         2: "working groups with devolved decisions",
         3: "the partnership enables a wider network"}
_GROUP_TIES = ("member_of", "chairs", "volunteers_at", "reports_to")
#: Kinds of the community groups and organisations a Model 3 partnership enables.
COMMUNITY_KINDS = frozenset({"community_group", "vcse_org", "social_enterprise", "faith_group",
                             "youth_org", "vcs_infrastructure"})
#: Ties from the partnership that enable a group (funding, advice, support, joint work).
_ENABLING_TIES = ("funds", "advises", "works_with", "supports", "influences")
#: Thresholds of the decision rule (see :func:`leadership`).
HIGH_HUB_ONLY, HIGH_DEPEND, MODEL_3_GROUPS = 0.5, 0.25, 3


def leadership(m, *, focus=None):
    """Structural evidence for leadership Models 1, 2 and 3, and the model it best supports.

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
        (what is measured), ``value`` and ``evidence`` (a sentence with the figure and what
        this value suggests). Two attributes: ``.model`` (1, 2 or 3, the model the evidence
        best supports) and ``.sentence`` (that conclusion and its reasons, in plain English).
        Indicators:

        - ``hub_only`` (Model 1): share of our direct contacts tied only to the partnership
          body itself, not to any member;
        - ``depend`` (Model 1): share of the connected pairs in our sphere (two steps) that
          are connected only through the partnership (they fall apart without it);
        - ``working_groups``, ``wg_outsiders``, ``wg_outside_ties`` (Model 2): working groups,
          their members from outside the partnership, and their own ties to outside bodies;
        - ``wg_devolved`` (Model 2): working groups with members from outside the partnership
          or ties of their own to outside bodies (work and decisions devolved to them);
        - ``reach``, ``partners`` (Model 3): share of the map within two steps of us, and the
          groups and organisations we work with, fund or support directly;
        - ``enabled`` (Model 3): community groups and voluntary organisations the partnership
          itself funds, advises, supports or works with (its own LTO, rep and worker apart).

    Notes
    -----
    The decision rule follows the models' definitions in *Our Bigger Story*. **Model 3** when
    the partnership enables at least 3 community groups, more than it has devolved working
    groups, and fewer than a quarter of the pairs in its sphere depend on it (the wider network
    holds together without it). Otherwise **Model 2** when at least one working group is
    devolved (residents who may not be on the partnership, or work in its own right). Otherwise
    **Model 1**: nothing is devolved or enabled, so decisions go through the partnership. A
    share of contacts tied only to the partnership body of a half or more, or of dependent
    pairs of a quarter or more, is reported as pointing to Model 1 whatever the model.

    Examples
    --------
    >>> import networkx as nx
    >>> from influence.leadership import leadership
    >>> G = nx.Graph([("us", "a"), ("us", "b"), ("us", "c"), ("a", "b")])
    >>> lead = leadership(G, focus="us")
    >>> float(lead.loc["depend", "value"]), lead.model
    (0.667, 1)

    References
    ----------
    .. [1] Local Trust (2023). *Our Bigger Story: the Big Local story* (Models 1, 2 and 3 of
       community leadership).
    .. [2] Freeman, L. C. (1979). Centrality in social networks: conceptual clarification.
       *Social Networks* 1(3), 215-239 (dependence of pairs on a point).
    """
    net = network(m)
    rows = []
    if net.n == 0:
        return _result(_table([]), 1, "The map is empty, so it gives no evidence for any "
                       "model.")
    seeds, _ = net.focus(focus)
    seed_set = set(seeds.tolist())
    kinds = (net.actors["kind"].astype(object).tolist() if "kind" in net.actors
             else [None] * net.n)
    hubs = {s for s in seed_set if kinds[s] == "big_local_partnership"} or set(seed_set)
    dist, _ = net.hops(seeds)
    src, dst, _w = net.arcs(programme=True)
    # Model 1 -----------------------------------------------------------------------------
    contacts = {}
    for u, v in zip(src.tolist(), dst.tolist(), strict=False):
        if u in seed_set and v not in seed_set:
            contacts.setdefault(v, set()).add(u)
    hub_only = sum(1 for v, by in contacts.items() if by <= hubs)
    n_c = len(contacts)
    share = hub_only / n_c if n_c else 0.0
    rows.append(("hub_only", 1, "contacts tied only to the partnership body", share,
                 f"{hub_only} of our {n_c} direct contacts ({share:.0%}) are tied only to the "
                 "partnership as a body, not to any member in person: "
                 + ("a high share, as in Model 1 (everything goes through the partnership)."
                    if share >= HIGH_HUB_ONLY else "most know a member in person, so this "
                    "does not point to Model 1.")))
    near_mask = (dist > 0) & (dist <= 2)
    near = np.flatnonzero(near_mask).tolist()

    def pairs(keep):
        """Pairs of near actors that are connected within the actors ``keep`` (a mask)."""
        from scipy import sparse
        from scipy.sparse.csgraph import connected_components

        e = keep[src] & keep[dst]
        A = sparse.coo_matrix((np.ones(int(e.sum())), (src[e], dst[e])), shape=(net.n, net.n))
        _, label = connected_components(A, directed=False)
        k = np.bincount(label[near_mask]).astype(np.int64)
        return int((k * (k - 1) // 2).sum())

    with_us = near_mask.copy()
    with_us[seeds] = True
    before = pairs(with_us)
    after = pairs(near_mask)
    depend = round(1 - after / before, 3) if before else 0.0
    rows.append(("depend", 1, "connections in our sphere that depend on the partnership", depend,
                 f"{depend:.0%} of the pairs of people and bodies within two steps of us are "
                 "connected only through the partnership and its members: "
                 + ("a high share, as in Model 1." if depend >= HIGH_DEPEND else
                    "the wider network mostly holds together without us.")))
    # Model 2 -----------------------------------------------------------------------------
    t = net.ties
    tk = (t["kind"].astype(object).to_numpy() if len(t) and "kind" in t
          else np.array(["knows"] * len(t), dtype=object))
    ts = net.ids.get_indexer(t["source"]) if len(t) else np.array([], int)
    tt = net.ids.get_indexer(t["target"]) if len(t) else np.array([], int)
    wgs = sorted(i for i, k in enumerate(kinds) if k == "working_group")
    is_wg = set(wgs)
    outsiders, outside_ties, devolved = set(), set(), set()
    for u, v, k in zip(ts.tolist(), tt.tolist(), tk.tolist(), strict=False):
        for g, other in ((v, u), (u, v)):
            if g in is_wg and other not in seed_set and kinds[other] != "working_group":
                if k in ("member_of", "chairs", "volunteers_at") and other == u:
                    outsiders.add(other)
                    devolved.add(g)
                elif k not in ("member_of", "chairs", "volunteers_at", "reports_to"):
                    outside_ties.add((g, other))
                    devolved.add(g)
    names = _names(net)
    rows.append(("working_groups", 2, "working groups", float(len(wgs)),
                 f"{len(wgs)} working group{'s' if len(wgs) != 1 else ''}"
                 + (f" ({', '.join(names[g] for g in wgs)})" if wgs else "") + "."))
    rows.append(("wg_outsiders", 2, "working-group members from outside the partnership",
                 float(len(outsiders)),
                 f"{len(outsiders)} {'people sit' if len(outsiders) != 1 else 'person sits'} "
                 "on working groups without being partnership members: work and decisions are "
                 "shared beyond the partnership (Model 2)."
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
    dev = sorted(devolved)
    rows.append(("wg_devolved", 2, "working groups with outside members or their own ties",
                 float(len(dev)),
                 (f"{len(dev)} of the {len(wgs)} working groups ("
                  + ", ".join(names[g] for g in dev) + ") take in people from outside the "
                  "partnership or work with outside bodies in their own right (Model 2).")
                 if dev else "No working group takes in people from outside the partnership "
                 "or works with outside bodies in its own right, so nothing is devolved."))
    # Model 3 -----------------------------------------------------------------------------
    reach = round(len(near) / max(net.n - len(seed_set), 1), 3)
    rows.append(("reach", 3, "share of the map within two steps of us", reach,
                 f"{len(near)} of the {net.n - len(seed_set)} other people and bodies on our "
                 f"map ({reach:.0%}) are within two steps of the partnership."))
    from .schema import PERSON_KINDS

    partners = sorted(v for v, by in contacts.items() if by & hubs
                      and kinds[v] not in PERSON_KINDS and kinds[v] != "working_group")
    rows.append(("partners", 3, "groups and organisations tied to the partnership",
                 float(len(partners)),
                 f"The partnership works directly with {len(partners)} groups and "
                 "organisations" + (f" ({', '.join(names[p] for p in partners[:8])}"
                                    + (", ..." if len(partners) > 8 else "") + ")"
                                    if partners else "") + "."))
    enabled = sorted({v for u, v, k in _hub_ties(ts, tt, tk, hubs)
                      if kinds[v] in COMMUNITY_KINDS and k in _ENABLING_TIES})
    rows.append(("enabled", 3, "community groups the partnership enables", float(len(enabled)),
                 (f"The partnership funds, supports or works with {len(enabled)} community "
                  f"group{'s' if len(enabled) != 1 else ''} (" + ", ".join(
                      names[g] for g in enabled[:8]) + (", ..." if len(enabled) > 8 else "")
                  + "): enabling others, as in Model 3.") if enabled else
                 "The partnership funds or supports no community group directly."))
    frame = _table(rows)
    model, why = _decide(len(wgs), len(outsiders), dev, enabled, depend, share)
    return _result(frame, model, why)


def _hub_ties(ts, tt, tk, hubs):
    """(partnership, other, kind) for every tie between the partnership body and another."""
    for u, v, k in zip(ts.tolist(), tt.tolist(), tk.tolist(), strict=True):
        if u in hubs and v >= 0 and v not in hubs:
            yield u, v, k
        elif v in hubs and u >= 0 and u not in hubs:
            yield v, u, k


def _decide(n_wg, n_out, devolved, enabled, depend, hub_share):
    """The model the evidence best supports, and the sentence that says why."""
    if (len(enabled) >= MODEL_3_GROUPS and len(enabled) > len(devolved)
            and depend < HIGH_DEPEND):
        model = 3
        why = (f"the partnership funds, supports or works with {len(enabled)} community "
               "groups, and the wider network holds together without it")
    elif devolved:
        model = 2
        why = (f"{len(devolved)} of its {n_wg} working groups take in people from outside the "
               "partnership or work with outside bodies in their own right" if n_wg != 1 else
               "its working group takes in people from outside the partnership or works with "
               "outside bodies in its own right")
        if n_out:
            why += (f" ({n_out} people on working groups are not partnership members)"
                    if n_out != 1 else " (1 person on a working group is not a partnership "
                    "member)")
    else:
        model = 1
        parts = ["no working group takes in people from outside the partnership or works in "
                 "its own right" if n_wg else "there are no working groups"]
        parts.append("the partnership funds or supports "
                     + (f"only {len(enabled)} community group{'s' if len(enabled) != 1 else ''}"
                        if enabled else "no community group") + " directly")
        why = " and ".join(parts)
    sentence = f"The map looks most like Model {model} ({SHORT[model]}): {why}."
    if model != 1 and (hub_share >= HIGH_HUB_ONLY or depend >= HIGH_DEPEND):
        sentence += " But much still goes through the partnership itself, as in Model 1."
    return model, sentence


def _result(frame, model, sentence):
    out = _frame_class()(frame)
    out.model = int(model)
    out.sentence = sentence
    return out


def _table(rows):
    """The indicator table, with the same dtypes whatever the map (empty included)."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=["id", "model", "indicator", "value", "evidence"])
    frame = frame.set_index("id")
    frame["model"] = frame["model"].astype(np.int64)
    frame["value"] = frame["value"].astype(float).round(3)
    for col in ("indicator", "evidence"):
        frame[col] = frame[col].astype("string")
    return frame


@lru_cache(maxsize=None)
def _frame_class():
    cls = frame_result(
        "Leadership", __name__,
        """The indicator table, with ``.model`` and ``.sentence``: a DataFrame that is also a
        :class:`~influence.result.Result` (its own ``.table``; ``.sentences`` is
        ``[sentence]``).""",
        sentences=property(lambda self: [self.sentence],
                           doc="The conclusion in plain English: ``[sentence]``."))
    cls._metadata = ["model", "sentence"]
    return cls


def __getattr__(name):
    # The result class is built on first use (pandas is imported lazily); pickle finds it here.
    if name == "Leadership":
        return _frame_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _names(net):
    """Display names in position order, by the one name rule (:attr:`Network.names
    <influence.graph.Network.names>`)."""
    return [str(x) for x in net.names]
