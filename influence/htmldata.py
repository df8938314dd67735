"""The data behind an interactive map: nodes, edges, layouts, views (see :mod:`influence.html`).

Everything user-supplied is turned into plain strings here; the page only ever shows it with
``textContent``. ``private_*`` columns are dropped before anything is read.
"""

from __future__ import annotations

import math
from contextlib import contextmanager

import numpy as np

from .drawing import (OTHER_COLOUR, PALETTE, RING_LABELS, communities, forget_communities, layout,
                      size_values, sphere_layout, text)
from .errors import InfluenceError, InputError
from .privacy import pseudonyms
from .schema import PARTNERSHIP_KIND, PRIVATE_PREFIX, STANCE_LABELS, catalogue_labels

__all__ = ["payload", "VIEWS"]

#: The views, in presentation order: (id, title, caption).
VIEWS = (
    ("map", "Whole map", "Everyone on the map and how they are connected."),
    ("spheres", "Spheres of influence",
     "Rings around the partnership: direct ties, one introduction away, further, not reached."),
    ("civic", "Civic core",
     "The few people who do most of the volunteering, giving and taking part."),
    ("gatekeepers", "Gatekeepers",
     "Every route from the partnership to power passes through them."),
    ("brokers", "Brokers", "People who connect groups that are otherwise apart."),
    ("missing", "Who is missing",
     "Power-holders for our priorities who are absent or hard to reach."),
)
#: What a view's caption says when it highlights no one.
EMPTY = {"civic": "No civic core found on this map.",
         "gatekeepers": "None: the partnership reaches power by more than one route.",
         "brokers": "No brokers found on this map.",
         "missing": "No power-holder for our priorities is missing."}
#: Words after a group's count of highlighted members, by view.
HL_WORDS = {"civic": ("in the civic core", "in the civic core"),
            "gatekeepers": ("gatekeeper", "gatekeepers"), "brokers": ("broker", "brokers"),
            "missing": ("flagged", "flagged")}
_FILTERS = ("kind", "sector", "sub_area", "themes")
_BROKERS_MAX = 2000
#: What a pseudonymised person's pop-up still shows.
_PSEUDONYMOUS = ("kind", "sector", "sub_area", "influence", "stance", "interest", "themes",
                 "age_band")


def payload(net, m, *, color_by, size_by, focus, spheres, highlights, missing, anonymise, salt,
            label_top, title, group_above=50, detail_limit=1500):
    """The JSON-able dict the page draws."""
    import pandas as pd

    notes: list[str] = []
    actors = net.actors
    display = actors[public_columns(actors)]
    if anonymise:
        names = pseudonyms(m, salt=salt)
    else:
        names = {}
    n = net.n
    ids = net.ids.tolist()
    shown_id = [names.get(i, str(i)) for i in ids]
    named = [i in names for i in ids] if names else [False] * n
    # each column's display text, worked out once per column (not cell by cell)
    texts = {col: column_text(display[col]) for col in display.columns}
    name_text = texts.get("name", [None] * n)
    labels = [names[i] if hit else (v or str(i))
              for i, v, hit in zip(ids, name_text, named, strict=True)]

    # colour
    if color_by not in display:
        raise InputError(f"Cannot colour by {color_by!r}: there is no such actor column. Fix: use "
                         f"one of {', '.join(map(str, display.columns)) or 'kind'}.")
    grouped = {c: _group_texts(display[c], texts[c]) for c in {color_by, "kind", "sector",
                                                                 "sub_area"} if c in display}
    raw = grouped[color_by]
    counts = pd.Series(raw).value_counts(sort=True)
    keep = list(counts.index[: len(PALETTE) - 1] if len(counts) > len(PALETTE) else counts.index)
    groups = [{"name": display_label("kind", g, g) if color_by == "kind" else g,
               "color": PALETTE[k], "count": int(counts[g])} for k, g in enumerate(keep)]
    if len(keep) < len(counts):
        groups.append({"name": "other", "color": OTHER_COLOUR,
                       "count": int(counts[~counts.index.isin(keep)].sum())})
    gindex = {g: k for k, g in enumerate(keep)}
    group_of = [gindex.get(g, len(keep)) for g in raw]

    # size
    sized = size_values(net, m, size_by, notes)
    finite = np.where(np.isfinite(sized), sized, np.nan)
    lo, hi = (np.nanmin(finite), np.nanmax(finite)) if np.isfinite(finite).any() else (0.0, 0.0)
    scaled = np.where(np.isfinite(finite), (finite - lo) / (hi - lo) if hi > lo else 0.5, 0.0)
    sizes = (8 + 22 * np.sqrt(scaled)) if n <= 300 else (5 + 15 * np.sqrt(scaled))
    order = np.lexsort((np.arange(n), -np.nan_to_num(finite, nan=-np.inf)))
    top = np.zeros(n, dtype=bool)
    top[order[: max(int(label_top), 0)]] = True
    rank = np.empty(n, dtype=int)
    rank[order] = np.arange(n)

    xy = layout(net)

    # spheres
    sph = spheres
    if sph is None:
        import influence

        if focus is not None:  # a focus the user chose must exist: say so, don't hide it
            sph = influence.spheres(m, focus=focus)
        else:
            sph = safe_call("spheres", lambda: influence.spheres(m, focus=focus), notes)
    sphere_of, via_of = [None] * n, [None] * n
    ring_labels = list(RING_LABELS)
    if sph is not None:
        sph = sph.reindex(net.ids)
        sphere_of = _values(sph["sphere"], int)
        if "via" in sph:
            via_of = _values(sph["via"])
        if "ring" in sph:
            zero = next((k for k, s in enumerate(sphere_of) if s == 0), None)
            if zero is not None:
                ring_labels[0] = str(sph["ring"].iloc[zero])
    # groups: residents per sub-area above a threshold, communities on very large maps
    kinds = texts.get("kind", [None] * n)
    subs = texts.get("sub_area", [None] * n)
    member_of, bundles = _bundles(net, kinds, subs, sphere_of, rank, labels,
                                  group_above=group_above, detail_limit=detail_limit)
    units = [k for k in range(n) if member_of[k] < 0]
    unit_sphere = [sphere_of[k] for k in units] + [b["ring"] for b in bundles]
    unit_ids = [ids[k] for k in units] + [("\0group", j) for j in range(len(bundles))]
    pos = {i: k for k, i in enumerate(ids)}
    unit_via = [via_of[k] for k in units] + [_common_via(b["members"], via_of, member_of, pos)
                                             for b in bundles]
    uxy, radii = sphere_layout(unit_sphere, unit_via, ids=unit_ids)
    sxy = np.zeros((n, 2))
    sxy[units] = uxy[: len(units)]
    span = float(np.abs(xy).max()) if n else 1.0
    biggest = max((len(b["members"]) for b in bundles), default=1)
    for j, b in enumerate(bundles):
        mem = np.asarray(b["members"])
        cx, cy = uxy[len(units) + j]
        b["x"], b["y"] = (round(float(v), 1) for v in xy[mem].mean(axis=0))
        b["sx"], b["sy"] = round(float(cx), 1), round(float(cy), 1)
        b["size"] = round(max(14.0, 0.06 * max(span, 300.0) * math.sqrt(len(mem) / biggest)), 1)
        b["ssize"] = round(min(14.0 + 3 * math.sqrt(len(mem)), 48.0), 1)
        # members open around the group in the sphere layout (a sunflower, best first)
        j_ = np.arange(len(mem))
        rad = 16.0 * np.sqrt(j_ + 0.5)
        ang = j_ * math.pi * (3 - math.sqrt(5))
        sxy[mem, 0] = cx + rad * np.cos(ang)
        sxy[mem, 1] = cy + rad * np.sin(ang)
        b["g"] = int(np.bincount([group_of[k] for k in mem]).argmax())

    # highlights
    hl = _highlights(net, m, highlights or {}, focus, sph, notes)
    miss = _missing(net, m, missing, notes, radii)

    # tens of thousands of small lists and dicts, none of them cyclic: the garbage collector
    # would only scan the whole heap again and again while they are made
    with _gc_paused():
        ties, tie_kinds = _tie_table(net, named)
        nodes = []
        shown = [(str(col), _shown(col, display[col], texts[col]), col in _PSEUDONYMOUS)
                 for col in display.columns if col != "name"]
        f_cols = [(c, grouped[c]) for c in ("kind", "sector", "sub_area") if c in grouped]
        themes_of = (display["themes"].to_numpy(dtype=object).tolist() if "themes" in display
                     else [None] * n)
        status = miss["status"]
        marks_of = [[] for _ in range(n)]
        for v, members in hl.items():
            for k in members:
                marks_of[k].append(v)
        size_l, rank_l, top_l = sizes.tolist(), rank.tolist(), top.tolist()
        x_l, y_l = xy[:, 0].tolist(), xy[:, 1].tolist()
        sx_l, sy_l = sxy[:, 0].tolist(), sxy[:, 1].tolist()
        theme_values = set()
        for k in range(n):
            anon = named[k]
            fields = [["id", shown_id[k]]]
            for col, vals, always in shown:
                v = vals[k]
                if v is not None and (always or not anon):
                    fields.append([col, v])
            f = {c: vals[k] for c, vals in f_cols}
            themes = themes_of[k]
            if isinstance(themes, (tuple, list)) and themes:
                f["themes"] = [str(t) for t in themes]
                theme_values.update(f["themes"])
            node = {"id": k, "label": labels[k], "g": group_of[k], "size": round(size_l[k], 2),
                    "x": round(x_l[k], 1), "y": round(y_l[k], 1),
                    "sx": round(sx_l[k], 1), "sy": round(sy_l[k], 1),
                    "sphere": sphere_of[k], "fields": fields, "f": f}
            # left out when false or empty: every byte counts 50,000 times on a large map
            if top_l[k]:
                node["top"] = True
            if marks_of[k]:
                node["hl"] = marks_of[k]
            if k in status:
                node["status"] = status[k]
            node["rank"] = rank_l[k]
            if member_of[k] >= 0:
                node["c"] = member_of[k]
            nodes.append(node)
        for b in bundles:
            b["hl"] = {v: sum(map(hl[v].__contains__, b["members"])) for v in hl}
            b["hl"]["missing"] = sum(map(status.__contains__, b["members"]))
        edges = [[a, b, w] for a, b, w in zip(net.src.tolist(), net.dst.tolist(),
                                              net.strength.astype(float).tolist(), strict=False)]
        filters = {c: sorted({v for v in grouped[c] if v}) if c in grouped else []
                   for c in _FILTERS if c != "themes"}
        filters["themes"] = sorted(v for v in theme_values if v)
    available = {"map": True, "spheres": sph is not None, "civic": "civic" in hl,
                 "gatekeepers": "gatekeepers" in hl, "brokers": "brokers" in hl,
                 "missing": bool(miss["ghosts"] or miss["status"])}
    views = [{"id": v, "title": t, "caption": c, "available": available[v],
              "count": len(hl[v]) if v in hl else None, "empty": EMPTY.get(v, ""),
              "words": HL_WORDS.get(v, ("", ""))} for v, t, c in VIEWS]
    forget_communities()  # the communities are not kept once the page is built
    title = title or (getattr(m, "name", None) or "Influence map")
    return {"title": str(title), "colorBy": str(color_by),
            "sizeBy": size_by if isinstance(size_by, str) else "custom",
            "directed": bool(net.directed), "groups": groups, "nodes": nodes, "edges": edges,
            "rings": [{"label": lab, "r": round(float(r), 1)}
                      for lab, r in zip(ring_labels, radii, strict=False)],
            "ghosts": miss["ghosts"], "views": views, "filters": filters, "notes": notes,
            "anonymised": bool(anonymise), "bundles": bundles, "ties": ties,
            "tieKinds": tie_kinds}


@contextmanager
def _gc_paused():
    """Pause Python's cyclic garbage collector (if it is on) for the duration."""
    import gc

    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _common_via(members, via_of, member_of, pos):
    """The actor most of a group's members were introduced through (drawn individually)."""
    from collections import Counter

    votes = Counter(v for v in (via_of[k] for k in members)
                    if v is not None and v in pos and member_of[pos[v]] < 0)
    return votes.most_common(1)[0][0] if votes else None


def _bundles(net, kinds, subs, sphere_of, rank, labels, *, group_above, detail_limit):
    """Which actors are drawn as one node per group, and the groups.

    Residents (not the partnership's own members) are grouped by sub-area when there are more
    than ``group_above`` of them; the partnership, bodies and named roles stay individual. If
    more than ``detail_limit`` nodes would still be drawn, all but the ``detail_limit // 2``
    most important of the rest are grouped by community (Louvain, from igraph).
    Returns ``member_of`` (group index per actor, -1 when drawn individually) and the groups.
    """
    n = len(kinds)
    member_of = np.full(n, -1, dtype=int)
    bundles: list[dict] = []

    def add(members, label, ring):
        for k in members:
            member_of[k] = len(bundles)
        members = sorted(members, key=lambda k: rank[k])
        bundles.append({"label": label, "members": [int(k) for k in members], "ring": ring})

    def ring_of(members):
        rings = [4 if sphere_of[k] is None else min(int(sphere_of[k]), 3) for k in members]
        r = int(np.bincount(rings).argmax())
        return None if r == 4 else r

    residents = [k for k in range(n) if kinds[k] == "resident" and sphere_of[k] != 0]
    if group_above is not None and len(residents) > group_above:
        by: dict = {}
        for k in residents:
            if subs[k]:
                by.setdefault(subs[k], []).append(k)
        for sub in sorted(by, key=lambda s: (-len(by[s]), str(s))):
            if len(by[sub]) >= 2:
                add(by[sub], f"{len(by[sub]):,} residents, {sub}", ring_of(by[sub]))
    loose = [k for k in range(n) if member_of[k] < 0]
    if detail_limit is not None and len(loose) + len(bundles) > detail_limit:
        keep = max(int(detail_limit) // 2, 1)
        loose.sort(key=lambda k: rank[k])
        rest = [k for k in loose[keep:] if sphere_of[k] != 0 and kinds[k] != PARTNERSHIP_KIND]
        membership = communities(net)
        by = {}
        for k in rest:
            by.setdefault(int(membership[k]), []).append(k)
        small = []
        for c in sorted(by, key=lambda c: (-len(by[c]), c)):
            members = by[c]
            if len(members) < 3:
                small.extend(members)
                continue
            best = min(members, key=lambda k: rank[k])
            add(members, f"{len(members):,} actors around {labels[best]}", ring_of(members))
        if len(small) >= 2:
            add(small, f"{len(small):,} actors in small clusters", ring_of(small))
    return member_of.tolist(), bundles


def _tie_table(net, named) -> tuple[list, list]:
    """The ties the pop-ups list, compactly: ``[source, target, kind, directed, notes]`` rows
    (positions, an index into the kinds, 0/1, text or None) and the kinds in words.

    The page writes one line per tie ("member of -> Riverside Big Local: chair since 2019")
    when an actor is opened. Notes of ties that touch a pseudonymised person (``named``, by
    position) are left out (they often name them).
    """
    import pandas as pd

    ties = net.ties
    if not len(ties):
        return [], []
    u = net.ids.get_indexer(ties["source"])
    v = net.ids.get_indexer(ties["target"])
    keep = np.flatnonzero((u >= 0) & (v >= 0) & (u != v))
    u, v = u[keep], v[keep]
    m = len(keep)
    kinds = column_text(ties["kind"].iloc[keep]) if "kind" in ties else [None] * m
    notes = column_text(ties["notes"].iloc[keep]) if "notes" in ties else [None] * m
    if "directed" not in ties:
        directed = [int(bool(net.directed))] * m
    elif ties["directed"].dtype == bool:
        directed = ties["directed"].to_numpy()[keep].astype(int).tolist()
    else:
        directed = [int(bool(d)) for d in ties["directed"].iloc[keep]]
    # the kinds in words, numbered in order of first appearance
    codes, uniques = pd.factorize(np.array([k or "" for k in kinds], dtype=object))
    words: dict = {}
    number = np.array([words.setdefault((k or "tie").replace("_", " "), len(words))
                       for k in uniques.tolist()], dtype=np.int64)
    named = np.asarray(named, dtype=bool)
    for k in np.flatnonzero(named[u] | named[v]).tolist():
        if notes[k]:
            notes[k] = None  # a note on a tie of a pseudonymised person often names them
    rows = zip(u.tolist(), v.tolist(), number[codes].tolist() if m else [], directed, notes,
               strict=True)
    return [list(row) for row in rows], list(words)


def column_text(column) -> list:
    """A column's cells as display text (:func:`influence.drawing.text` of each cell), worked out
    a column at a time: a list, None where a cell is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> column_text(pd.Series([1.23456, None, 2.0]))
    ['1.235', None, '2']
    >>> column_text(pd.Series(["a", None, ("x", None, "y"), ()], dtype=object))
    ['a', None, 'x; y', None]
    """
    import pandas as pd

    dtype = column.dtype
    if isinstance(dtype, pd.StringDtype):  # strings or <NA>: the text is the string itself
        out = column.to_numpy(dtype=object).tolist()
        for k in np.flatnonzero(column.isna().to_numpy()).tolist():
            out[k] = None
        return out
    if isinstance(dtype, np.dtype) and dtype.kind == "f":  # few distinct numbers: format each once
        bits = column.to_numpy().astype(np.float64).view(np.int64)
        uniq, inverse = np.unique(bits, return_inverse=True)
        words = [None if x != x else f"{x:.4g}" for x in uniq.view(np.float64).tolist()]
        return [words[k] for k in inverse.ravel().tolist()]
    out = []
    for v in column.to_numpy(dtype=object).tolist():
        kind = type(v)
        if kind is str:
            out.append(v)
        elif kind is int:
            out.append(str(v))
        elif kind is tuple:
            parts = [str(x) for x in v if x is not None]
            out.append("; ".join(parts) if parts else None)
        else:
            out.append(text(v))
    return out


def _values(column, convert=None) -> list:
    """A column's cells as a list, None where missing (else ``convert(cell)`` when given)."""
    missing = column.isna().to_numpy().tolist()
    values = column.to_numpy(dtype=object).tolist()
    if convert is None:
        return [None if na else v for v, na in zip(values, missing, strict=True)]
    return [None if na else convert(v) for v, na in zip(values, missing, strict=True)]


def _shown(col, column, texts) -> list:
    """A column's cells as the map shows them (None where nothing is shown), from the column
    and its display text (:func:`column_text`)."""
    if col == "stance":
        words: dict = {}
        out = []
        for v in column.to_numpy(dtype=object).tolist():
            if type(v) is int:
                if v not in words:
                    words[v] = stance_text(v)
                out.append(words[v])
            else:
                out.append(stance_text(v))
        return out
    if col == "kind":
        labels = catalogue_labels("kind")
        return [val if val is None or not isinstance(v, str) else labels.get(v, val)
                for v, val in zip(column.to_numpy(dtype=object).tolist(), texts, strict=True)]
    if col == "themes":
        return [None if val is None else display_label(col, v, val)
                for v, val in zip(column.to_numpy(dtype=object).tolist(), texts, strict=True)]
    return texts


def _group_texts(column, texts) -> list:
    """The group each cell puts an actor in: its text, lists joined, "(none)" when empty."""
    import pandas as pd

    if isinstance(column.dtype, pd.StringDtype):  # no lists
        return [val or "(none)" for val in texts]
    return [("; ".join(map(str, v)) or "(none)") if isinstance(v, (tuple, list))
            else (val or "(none)")
            for v, val in zip(column.to_numpy(dtype=object).tolist(), texts, strict=True)]


def _as_positions(net, value) -> set:
    """Ids (or a boolean Series / dict of bools) -> set of node positions."""
    import pandas as pd

    if value is None:
        return set()
    if isinstance(value, pd.DataFrame):
        value = value.index
    if isinstance(value, pd.Series) and value.dtype == bool or (
            isinstance(value, pd.Series) and str(value.dtype) == "boolean"):
        value = value[value.fillna(False).astype(bool)].index
    elif isinstance(value, dict):
        value = [k for k, v in value.items() if v]
    idx = net.ids.get_indexer(list(value))
    return {int(i) for i in idx if i >= 0}


def _highlights(net, m, given, focus, sph, notes) -> dict:
    import influence

    aliases = {"civic core": "civic", "civic_core": "civic", "civic": "civic",
               "gatekeepers": "gatekeepers", "brokers": "brokers"}
    out = {}
    for key, value in given.items():
        view = aliases.get(str(key).lower())
        if view is None:
            raise InputError(f"Unknown highlight {key!r}. Fix: use civic core, gatekeepers or "
                             "brokers.")
        out[view] = _as_positions(net, value)
    if "civic" not in out:
        res = safe_call("civic core", lambda: influence.civic_core(m).people["civic_core"], notes)
        if res is not None:
            out["civic"] = _as_positions(net, res.astype("boolean"))
    if "gatekeepers" not in out:
        res = safe_call("gatekeepers", lambda: _gatekeepers(net, m, focus, sph), notes)
        if res is not None:
            out["gatekeepers"] = res
    if "brokers" not in out and net.n > _BROKERS_MAX:
        notes.append(f"brokers: not computed above {_BROKERS_MAX:,} actors (betweenness is slow); "
                     "pass highlights={'brokers': ids} to show them")
    elif "brokers" not in out:
        res = safe_call("brokers", lambda: _brokers(net, m), notes)
        if res is not None:
            out["brokers"] = res
    return out


def _gatekeepers(net, m, focus, sph):
    """Strict gatekeepers between the focus and the public bodies with most power in the map."""
    from .gatekeepers import power_body, strict_gatekeepers

    community = focus if focus is not None else PARTNERSHIP_KIND
    # the strict ones only (what highlighted() takes from the full result's table)
    return _as_positions(net, strict_gatekeepers(m, community=community,
                                                 institution=power_body(m)))


def _brokers(net, m):
    import influence

    # brokerage roles need a complete partition: the first of these that every actor has
    complete = [c for c in ("sub_area", "sector", "kind")
                if c in net.actors and net.actors[c].notna().all()]
    if not complete:
        raise InputError("no sub_area, sector or kind for every actor")
    by = complete[0]
    res = influence.brokers(m, by=by)
    from .brokerage import highlighted

    # the strongest brokers: the top tenth by open two-paths brokered (at least one)
    return _as_positions(net, highlighted(getattr(res, "table", res),
                                          top=max(1, math.ceil(0.1 * net.n))))


def _missing(net, m, missing, notes, radii) -> dict:
    import pandas as pd

    import influence

    if missing is None:
        missing = safe_call("who is missing", lambda: influence.missing(m), notes)
    ghosts, status = [], {}
    if missing is None or not len(missing):
        return {"ghosts": ghosts, "status": status}
    absent = []
    for _, row in missing.iterrows():
        st = text(row.get("status")) or "absent"
        actor = row.get("actor")
        role = text(row.get("role")) or text(row.get("holder_type")) or "power-holder"
        body = text(row.get("body")) or text(row.get("holder_type")) or ""
        theme = text(row.get("theme")) or ""
        if actor is not None and not pd.isna(actor) and actor in net.ids:
            k = int(net.ids.get_loc(actor))
            status.setdefault(k, []).append(f"{st}: {role}" + (f" for {theme}" if theme else ""))
        elif st == "absent":
            absent.append((theme, role, body))
    seen = []
    for t in absent:
        if t not in seen:
            seen.append(t)
    r = (radii[4] if radii else 300) + 90
    for k, (theme, role, body) in enumerate(seen):
        a = 2 * math.pi * k / max(len(seen), 1) - math.pi / 2
        ghosts.append({"label": f"Missing: {body or role}", "x": round(r * math.cos(a), 1),
                       "y": round(r * math.sin(a), 1),
                       "fields": [["status", "absent from the map"], ["role", role],
                                  ["body", body], ["theme", theme]]})
    return {"ghosts": ghosts, "status": {k: "; ".join(v) for k, v in status.items()}}


def public_columns(frame) -> list:
    """Columns that may be shown: everything but ``private_*``."""
    return [c for c in frame.columns if not str(c).startswith(PRIVATE_PREFIX)]


def display_label(column, value, shown):
    """What a volunteer reads for a kind or theme id: the catalogue's label, not the code.

    Examples
    --------
    >>> display_label("kind", "council_officer", "council_officer")
    'Council officer'
    >>> display_label("themes", ("health", "parks"), "health; parks")
    'Health and wellbeing; parks'
    """
    if column == "kind":
        return catalogue_labels("kind").get(value, shown) if isinstance(value, str) else shown
    names = catalogue_labels("themes")
    items = value if isinstance(value, (tuple, list)) else [x.strip() for x in shown.split(";")]
    return "; ".join(str(names.get(x, x)) for x in items)


def stance_text(value) -> str | None:
    """A stance score in words (``2`` -> "champion"); None if it is not a number."""
    try:
        v = int(value)
    except (TypeError, ValueError):
        return None
    return str(STANCE_LABELS.get(v, v))


def safe_call(label, fn, notes):
    """Run an optional analysis; when it reports an :class:`InfluenceError` (the map cannot
    support the view), note why the view is unavailable. Any other error is a bug and raised."""
    try:
        return fn()
    except InfluenceError as exc:
        notes.append(f"{label}: not shown ({exc})")
        return None
