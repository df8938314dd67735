"""Engagement: the Net-Map / Mendelow grid of influence against stance, with our tie strength.

Each actor outside the focus is placed by its ``influence`` (0-5, the Net-Map "influence
tower") and its ``stance`` (-2 opposes ... +2 champion: alignment with our goals), with its
``interest`` (0-5) and how strongly we are already tied to it, and given a suggested action:

=====================  ===================  ==========================================
influence              stance / interest    action
=====================  ===================  ==========================================
high (>= threshold)    supportive (> 0)     **keep close**: they can make things happen
high                   neutral or against   **win over**: powerful but not yet with us
low                    supportive, or       **keep informed**: allies and
                       interested           interested people
low                    neither              **watch**
=====================  ===================  ==========================================
"""

from __future__ import annotations

import numpy as np

from .errors import InputError
from .graph import network
from .schema import STANCE_LABELS

__all__ = ["engagement", "engagement_sentences", "ACTIONS", "QUADRANT_WORDS"]

ACTIONS = ("keep close", "win over", "keep informed", "watch")
#: Each action's quadrant of the grid in words (the ``quadrant`` column; the printed grid too).
QUADRANT_WORDS = {"keep close": "high influence, supportive",
                  "win over": "high influence, not yet supportive",
                  "keep informed": "low influence, supportive or interested",
                  "watch": "low influence, not engaged: check again next review"}


def check_thresholds(threshold, interest_threshold):
    """Reject grid thresholds that are not scores from 0 to 5 (shared with the figure)."""
    for name, value in (("threshold", threshold), ("interest_threshold", interest_threshold)):
        if not isinstance(value, (int, float)) or not 0 <= value <= 5:
            raise InputError(f"{name}={value!r} is not a score between 0 and 5. Fix: pass a "
                             "number from 0 to 5 (default 2.5).")


def engagement(m, *, focus=None, threshold=2.5, interest_threshold=2.5):
    """The engagement grid: quadrant, suggested action and the evidence, per actor.

    Parameters
    ----------
    m : InfluenceMap or networkx.Graph
    focus : str or list, optional
        Who "we" are (see :func:`influence.spheres`; default the partnership and its members).
        The focus itself is left out of the grid.
    threshold : float
        Influence (0-5) at and above which an actor counts as highly influential.
    interest_threshold : float
        Interest (0-5) at and above which a not-supportive, low-influence actor is still kept
        informed.

    Returns
    -------
    pandas.DataFrame
        Indexed by actor id, most urgent first (action order, then influence, then weakest tie):
        ``kind``, ``name``, ``influence``, ``stance``, ``interest``, ``our_tie`` (strongest
        direct tie with the focus, 0 if none), ``sphere`` (steps from the focus), ``quadrant``,
        ``action`` (one of :data:`ACTIONS`, or <NA> when influence or stance is not scored) and
        ``evidence`` (the figures, in words).

    Examples
    --------
    >>> import networkx as nx
    >>> from influence.engagement import engagement
    >>> G = nx.Graph([("us", "cc"), ("us", "ann"), ("ann", "dev")])
    >>> nx.set_node_attributes(G, {"cc": 4.5, "ann": 1.0, "dev": 4.0}, "influence")
    >>> nx.set_node_attributes(G, {"cc": 1, "ann": 2, "dev": -2}, "stance")
    >>> engagement(G, focus="us")[["action", "our_tie"]]
                action  our_tie
    id
    cc      keep close      1.0
    dev       win over      0.0
    ann  keep informed      1.0

    References
    ----------
    .. [1] Mendelow, A. (1991). Stakeholder mapping. *Proceedings of the 2nd International
       Conference on Information Systems*, Cambridge, MA (the power/interest grid).
    .. [2] Schiffer, E., & Hauck, J. (2010). Net-Map: collecting social network data and
       facilitating network learning through participatory influence network mapping.
       *Field Methods* 22(3), 231-249 (influence towers and goal alignment).
    """
    import pandas as pd

    check_thresholds(threshold, interest_threshold)
    net = network(m)
    index = pd.Index(list(net.ids), name="id", dtype=object)
    if net.n == 0:
        seeds = np.zeros(0, dtype=np.int64)
        dist = np.zeros(0, dtype=np.int64)
        tie = np.zeros(0)
    else:
        seeds, _ = net.focus(focus)
        dist, _ = net.hops(seeds)
        src, dst, w = net.arcs(programme=True)
        tie = np.zeros(net.n)
        hit = np.isin(src, seeds)
        np.maximum.at(tie, dst[hit], w[hit])
    a = net.actors

    def num(col):
        if col in a:
            return pd.to_numeric(pd.Series(a[col].to_numpy(), index=index), errors="coerce")
        return pd.Series(np.nan, index=index)

    infl, stance, interest = num("influence"), num("stance"), num("interest")
    kind = pd.array([_str(v) for v in (a["kind"] if "kind" in a else [None] * net.n)],
                    dtype="string")
    name = pd.array([_str(v) for v in (a["name"] if "name" in a else net.ids)], dtype="string")
    action = []
    for i, s, t in zip(infl.tolist(), stance.tolist(), interest.tolist(), strict=False):
        if np.isnan(i) or np.isnan(s):
            action.append(None)
        elif i >= threshold:
            action.append("keep close" if s > 0 else "win over")
        elif s > 0 or (not np.isnan(t) and t >= interest_threshold):
            action.append("keep informed")
        else:
            action.append("watch")
    sphere = pd.array([int(d) if d >= 0 else None for d in dist.tolist()], dtype="Int64")
    frame = pd.DataFrame({
        "kind": kind, "name": name, "influence": infl.to_numpy(),
        "stance": pd.array([None if np.isnan(s) else int(s) for s in stance.tolist()],
                           dtype="Int64"),
        "interest": interest.to_numpy(), "our_tie": tie, "sphere": sphere,
        "quadrant": pd.array([QUADRANT_WORDS.get(x, "not scored") if x else "not scored"
                              for x in action], dtype="string"),
        "action": pd.array(action, dtype="string"),
    }, index=index)
    frame["evidence"] = pd.array([_evidence(r) for r in frame.itertuples()], dtype="string")
    frame = frame.drop(index=[net.ids[s] for s in seeds.tolist()])
    rank = frame["action"].map({a: k for k, a in enumerate(ACTIONS)}).fillna(len(ACTIONS))
    order = np.lexsort((frame.index.astype(str).to_numpy(), frame["our_tie"].to_numpy(),
                        -frame["influence"].fillna(-1).to_numpy(), rank.to_numpy(float)))
    return frame.iloc[order]


def _str(v):
    try:
        import pandas as pd

        return None if v is None or pd.isna(v) else str(v)
    except (TypeError, ValueError):
        return str(v)


def _evidence(r):
    import pandas as pd

    parts = []
    parts.append("influence not scored" if pd.isna(r.influence) else
                 f"influence {r.influence:g} out of 5")
    if pd.isna(r.stance):
        parts.append("stance not scored")
    else:
        parts.append(STANCE_LABELS.get(int(r.stance), "stance not scored"))
    if not pd.isna(r.interest):
        parts.append(f"interest {r.interest:g} out of 5")
    if r.our_tie > 0:
        word = {1: "weak", 2: "medium", 3: "strong"}.get(int(round(min(r.our_tie, 3))), "")
        parts.append(f"a {word} direct tie with us")
    elif pd.isna(r.sphere):
        parts.append("no route from us")
    else:
        parts.append(f"no direct tie ({int(r.sphere)} steps away)")
    return ", ".join(parts)


def engagement_sentences(eng):
    """The review's engagement findings: the powerful not yet with us (win over), then the
    powerful allies (keep close), up to five bodies or people each (residents left out), from
    an engagement table (:func:`engagement`, with its ``evidence``)."""
    out = []
    for action, text in (("win over", "Powerful but not yet with us (win over)"),
                         ("keep close", "Powerful allies (keep close)")):
        rows = eng[(eng["action"] == action) & ~eng["kind"].isin(["resident"])].head(5)
        if len(rows):
            out.append(f"{text}: " + "; ".join(f"{r.name} ({r.evidence})"
                                               for r in rows.itertuples()) + ".")
    return out
