"""The sphere-of-influence review: every section as a table, and a folder for the meeting.

:func:`review` runs who is missing, engagement, civic core, gatekeepers and brokers,
representation, leadership model, change since the last review and stale ties on one map;
:meth:`Review.write` writes ``report.html`` (plain English, printable), ``map.html`` (the
interactive map with the findings highlighted), ``review.xlsx`` (one sheet per table and a
README sheet) and the same tables as CSV files, all atomically and never with ``private_*``
columns. The representation section is computed by :mod:`influence.representation`.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from . import _progress
from .errors import InfluenceError
from .representation import read_profile, representation  # noqa: F401
from .representation import review_section as _representation
from .schema import PERSON_KINDS, PRIVATE_PREFIX

__all__ = ["review", "Review", "representation", "read_profile"]

#: The file that marks a folder as written by :meth:`Review.write` (``force`` replaces only such).
REVIEW_MARKER = ".influence-review"

#: Table name -> what it holds (the README sheet of review.xlsx).
TABLES = {
    "missing": "Who is missing: each power-holder slot for our priorities, its status and the "
               "warm introduction path",
    "introducers": "The shortest list of people who between them can introduce us to most gaps",
    "spheres": "Every actor's sphere (0 = the partnership, 1 = direct ties, 2 = one "
               "introduction away ...)",
    "engagement": "Engagement grid: influence x stance, our tie, suggested action",
    "civic_core": "The civic core (Mohan & Bulloch): who provides most hours, giving, "
                  "participation",
    "civic_dimensions": "The civic core by dimension (thresholds and shares)",
    "many_roles": "People carrying many roles (burn-out risk)",
    "gatekeepers": "Access gatekeepers between the partnership and each institution",
    "brokers": "Brokers between sub-areas and sectors (Gould-Fernandez, betweenness)",
    "representation": "The partnership and its sphere against the area, by sub-area and age",
    "leadership": "Evidence for leadership Models 1, 2 and 3, and the model it best supports",
    "bonding": "Bonding and bridging: each partnership member's ties inside and outside (E-I)",
    "stale_ties": "Ties not confirmed recently: check before the next meeting",
    "changes_actors": "Since the last review: actors who joined, left or changed",
    "changes_ties": "Since the last review: ties gained, lost, strengthened, weakened",
    "changes_spheres": "Since the last review: actors who moved sphere",
    "changes_gaps": "Since the last review: gaps closed and opened",
    "changes_centrality": "Since the last review: centrality changes",
    "changes_leadership": "Since the last review: the leadership indicators then and now",
    "area": "The bodies that hold power in the area (UK reference data, with vintage)",
    "actions": "What we said we'd do: each action, and whether the map shows it done",
    "suggested_actions": "Next steps from the gaps, to accept into the actions sheet",
    "legacy": "Relationships with power-holders that hang on one person, the worker, or no one",
}


class Review:
    """The result of :func:`review`: each section as a DataFrame, plus sentences.

    Attributes
    ----------
    tables : dict of str -> pandas.DataFrame
        Every table (see :data:`TABLES`); also reachable as attributes (``r.missing`` ...).
    sentences : dict of str -> list of str
        The findings of each section in plain English.
    map : InfluenceMap
        The map reviewed (pseudonymised if ``anonymise=True``; never ``private_*``).
    previous : InfluenceMap or None
    area : influence.uk.Area or None
    priorities : list of str
    meta : dict
        Title, date, options, notes (analyses that could not run and why).
    """

    def __init__(self, **kw):
        self.__dict__.update(kw)

    def __getattr__(self, name):
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    def __repr__(self):
        return (f"<Review {self.meta['title']}: {len(self.tables)} tables, "
                f"{int((self.tables['missing'].status != 'connected').sum())} gaps>")

    def write(self, folder, *, force=False, inputs=(), safe_csv=True):
        """Write report.html, map.html, review.xlsx and one CSV per table into ``folder``.

        The folder is all old or all new: the files are written into a temporary folder beside
        it, which replaces ``folder`` only when every file is written
        (:func:`influence.output.atomic_folder`). An existing non-empty folder is refused unless
        ``force=True``, and even then only an earlier review's folder (it holds a
        ``.influence-review`` file) is replaced, as a whole; an input file is never
        overwritten. CSV text that a spreadsheet would run as a formula is prefixed with ``'``
        unless ``safe_csv=False``. Returns the list of paths written.
        """
        from .output import atomic_folder

        final = Path(folder)
        known = {"report.html", "map.html", "review.xlsx"} | {f"{t}.csv" for t in TABLES}
        with atomic_folder(final, force=force, inputs=inputs, marker=REVIEW_MARKER,
                           what="review", known=known) as tmp:
            written = self._write_files(tmp, inputs=inputs, safe_csv=safe_csv)
        return [final / p.name for p in written]

    def _write_files(self, folder, *, inputs, safe_csv):
        """Write every file of the review into the (new, empty) ``folder``."""
        from .html import to_html
        from .output import atomic_write, write_csv, write_sheets
        from .report import render

        written = []
        g = self.tables["missing"]
        highlights = {k: v for k, v in self.meta.get("highlights", {}).items() if v}
        page = to_html(self.map, spheres=self.tables["spheres"], missing=g,
                       highlights=highlights or None, title=self.meta["title"])
        from .share import share_review

        for name, text in (("map.html", page), ("report.html", render(self)),
                           ("share.html", render(share_review(self)))):
            with atomic_write(folder / name, force=True, inputs=inputs) as fh:
                fh.write(text)
            written.append(folder / name)
        tables = {k: _public(v) for k, v in self.tables.items()}
        with atomic_write(folder / "review.xlsx", force=True, inputs=inputs, mode=None) as tmp:
            write_sheets(tmp, _xlsx(tables, self.meta), index={k[:31] for k in tables},
                         name="review.xlsx")
        written.append(folder / "review.xlsx")
        for name, frame in tables.items():
            with atomic_write(folder / f"{name}.csv", force=True, inputs=inputs) as fh:
                write_csv(frame, fh, safe=safe_csv)
            written.append(folder / f"{name}.csv")
        return written


def review(m, *, area=None, priorities=None, previous=None, profile=None, anonymise=False,
           as_at=None, stale_months=12, focus=None, salt=None, title=None):
    """Run the whole sphere-of-influence review on a map.

    Parameters
    ----------
    m : InfluenceMap or networkx.Graph
        The map (this review's snapshot).
    area : str or influence.uk.Area, optional
        Local authority GSS code or name: "who is missing" is resolved to its real bodies.
    priorities : str or list of str, optional
        Priority themes, most important first (default: the partnership's themes).
    previous : InfluenceMap, optional
        The map of the last review: adds "change since the last review".
    profile : str, Path or pandas.DataFrame, optional
        The area's make-up (columns ``attribute``, ``value``, ``share``) for representation;
        default: all residents in the map.
    anonymise : bool
        Replace residents' names and ids by stable pseudonyms in every table, the report and
        the map (office-holders are shown by their role; bodies keep their names).
    as_at : date or str, optional
        The review date (default: the map's own date ``m.as_at`` if it has one, else today):
        resolves the area and dates stale ties.
    stale_months : float
        Ties last confirmed more than this many months before ``as_at`` are listed.
    focus : str or list, optional
        The centre of the spheres (default the partnership and its members).
    salt : str, optional
        Secret that keys the pseudonyms.
    title : str, optional

    Returns
    -------
    Review

    Examples
    --------
    >>> import influence
    >>> r = influence.review(influence.datasets.load("hollinford"),
    ...                      priorities=["health", "youth"])
    >>> r.missing.loc[r.missing.holder_type == "county_council", "gatekeeper"].iloc[0]
    'cllr_derek_whitlow'

    References
    ----------
    .. [1] Local Trust (2023). *Our Bigger Story*; Local Trust (2024). *Spheres of community
       influence* (the sphere-of-influence review and who is missing).
    .. [2] Mohan, J., & Bulloch, S. L. (2012). The idea of a "civic core". TSRC Working Paper 73.
    .. [3] Mendelow, A. (1991). Stakeholder mapping (the engagement grid).
    """
    from . import uk
    from .io import from_networkx
    from .model import InfluenceMap
    from .privacy import anonymise as _anon

    maps = []
    for x in (m, previous):
        if x is not None and not isinstance(x, InfluenceMap):
            x = from_networkx(x)
        maps.append(None if x is None else x.public())
    m, previous = maps
    had_actions = any(getattr(x, "actions", None) is not None for x in maps)
    if anonymise:
        m, previous = _anon(m, salt=salt), _anonymise_previous(previous, m, salt)
    as_at = getattr(m, "as_at", None) if as_at is None else as_at  # the snapshot's own date
    today = _dt.date.today() if as_at is None else uk.as_at_date(as_at)
    if area is not None and not isinstance(area, uk.Area):
        area = uk.area(area, as_at=today)
    from .missing import parse_priorities

    themes = parse_priorities(priorities, m)
    if profile is not None:  # a profile the user gave must be readable: an error, not a note
        profile = read_profile(profile)
    notes, tables, sentences = [], _progress.Tables("Review"), {}  # a bar on a terminal
    if anonymise and had_actions:
        notes.append("The actions sheet is left out of an anonymised review: its actions name "
                     "the people they concern.")
    _sections(m, tables, sentences, notes, area=area, themes=themes, focus=focus,
              profile=profile, today=today, stale_months=stale_months, previous=previous)
    tables = tables.done()
    name = m.name or "our area"
    meta = dict(title=title or f"Sphere-of-influence review: {name}", date=str(today),
                area=area.describe() if area is not None else None,
                anonymised=bool(anonymise), stale_months=stale_months, notes=notes,
                priorities=themes, map_name=name,
                previous_name=(previous.name or "the last review") if previous is not None
                else None)
    meta["highlights"] = _highlights(tables)
    return Review(tables=tables, sentences=sentences, map=m, previous=previous, area=area,
                  priorities=themes, meta=meta, salt=salt)


def _anonymise_previous(previous, new, salt):
    """Pseudonymise the earlier map with the same pseudonyms as the newer one.

    Whether an actor is a private person follows the newer map (a resident who has become a
    councillor keeps the name, a former councillor who is now a resident is pseudonymised in
    both), so no name is revealed through the comparison and each actor keeps one id.
    """
    if previous is None:
        return None
    from .model import InfluenceMap
    from .privacy import anonymise, pseudonyms
    from .privacy import pseudonym_code as _digest

    actors = previous.actors.copy()
    kinds = actors["kind"].copy()
    both = actors.index.intersection(new.actors.index)
    actors.loc[both, "kind"] = new.actors.loc[both, "kind"].to_numpy()
    proxy = InfluenceMap(actors, previous.ties, name=previous.name, source=previous.source)
    names, newer = pseudonyms(proxy, salt=salt), pseudonyms(new, salt=salt)
    names.update({i: newer[i] for i in both if i in newer})  # one person, one name
    used = set(newer.values())  # a name of the newer map is never reused for someone else
    names.update({i: f"{v} ({_digest(i, salt, 6)})" for i, v in names.items()
                  if i not in both and v in used})
    out = anonymise(proxy, salt=salt, names=names)
    kinds.index = [names.get(i, i) for i in kinds.index]
    out.actors = out.actors.assign(kind=kinds.reindex(out.actors.index).to_numpy())  # not in
    return out  # place: assigning the frame drops any network built from the old one


def _sections(m, tables, sentences, notes, *, area, themes, focus, profile, today,
              stale_months, previous):
    from .engagement import engagement
    from .engagement import engagement_sentences as _engagement_sentences
    from .leadership import leadership
    from .missing import introductions, missing
    from .spheres import spheres

    sph = spheres(m, focus=focus)
    tables["spheres"] = sph
    gaps = missing(m, priorities=themes, area=area, focus=focus, as_at=today)
    tables["missing"] = gaps
    tables["introducers"] = introductions(m, gaps)
    eng = _engagement_notes(m, engagement(m, focus=focus), sph)
    tables["engagement"] = eng
    sentences["engagement"] = _engagement_sentences(eng)
    _try(notes, "civic core", lambda: _civic(m, tables, sentences, sph))
    _try(notes, "gatekeepers", lambda: _gatekeepers(m, gaps, focus, tables, sentences))
    _try(notes, "brokers", lambda: _brokers(m, tables, sentences))
    _try(notes, "representation", lambda: _representation(m, sph, profile, tables, sentences))
    lead = leadership(m, focus=focus)
    tables["leadership"] = lead
    sentences["leadership"] = [lead.sentence] + list(lead["evidence"])
    from .bonding import review_section as _bonding
    _try(notes, "bonding and bridging", lambda: _bonding(m, focus, tables, sentences))
    _stale(m, today, stale_months, tables, sentences, sph)
    if previous is not None:
        from .compare import compare_reusing as _compare

        c = _compare(previous, m, focus=focus, priorities=themes, area=area, as_at=today,
                     new_spheres=sph, new_gaps=gaps)
        for key in ("actors", "ties", "spheres", "gaps", "centrality", "leadership"):
            tables[f"changes_{key}"] = getattr(c, key)
        sentences["changes"] = c.sentences
    if area is not None:
        tables["area"] = area.bodies.set_index("tier_class")
    from .actions import review_section as _actions
    from .legacy import review_section as _legacy

    _try(notes, "actions", lambda: _actions(m, tables, sentences, previous=previous,
                                            as_at=today, focus=focus, gaps=gaps))
    _try(notes, "legacy", lambda: _legacy(m, tables, sentences, focus=focus))


def _try(notes, label, fn):
    try:
        fn()
    except InfluenceError as exc:
        notes.append(f"The {label} section could not be computed: {exc}")


def _civic(m, tables, sentences, sph=None):
    from .civic import civic_core

    c = civic_core(m)
    tables["civic_core"] = c.people[c.people["civic_core"]]
    tables["civic_dimensions"] = c.dimensions
    tables["many_roles"] = c.many_roles
    out = [c.sentence]
    outside = c.people.index[~c.people["civic_core"].astype(bool)
                             & c.people["kind"].isin(_PRIVATE_KINDS)]
    if len(outside) and c.people["civic_core"].any():
        focus = set(sph.index[sph["sphere"].fillna(-1) == 0]) if sph is not None else set()
        t = m.ties
        linked = set(t.loc[t["source"].isin(focus), "target"]) | set(
            t.loc[t["target"].isin(focus), "source"])
        near = [i for i in outside if i in linked and i not in focus]
        text = (f"Outside the core are {len(outside)} residents on our map who give little "
                "time, money or participation yet: they are the people to invite in")
        where = _by_place(m, outside)
        text += f" ({where})." if where else "."
        if near:
            text += (f" {len(near)} of them already know a partnership member, who could ask "
                     "them along.")
        out.append(text)
    if len(c.many_roles):
        out.append(f"{len(c.many_roles)} people carry three or more roles: sharing the load "
                   "with people from outside the core guards them against burn-out.")
    sentences["civic_core"] = out


def _by_place(m, ids):
    """ "120 in Hollinford, 40 in Nether Wyke ..." for people with a sub-area."""
    if "sub_area" not in m.actors:
        return ""
    counts = m.actors.loc[list(ids), "sub_area"].dropna().value_counts()
    return ", ".join(f"{int(n)} in {place}" for place, n in counts.items())


def _gatekeepers(m, gaps, focus, tables, sentences):
    import pandas as pd

    from .gatekeepers import gatekeepers

    kinds = m.actors["kind"]
    weight = gaps["role"].map({"statutory_duty_holder": 5, "decision_maker": 5,
                               "commissioner": 4, "funder": 4}).fillna(0)
    inst = [a for a in dict.fromkeys(gaps.loc[(weight >= 4) & gaps["actor"].notna(), "actor"])
            if kinds.get(a) not in PERSON_KINDS]
    rows, out = [], []
    for a in inst:
        g = gatekeepers(m, community=focus, institution=a)
        t = g.table
        keep = t[(t["side"] == "other") & (t["exposure"] > 0)].head(5)
        for gid, r in keep.iterrows():
            rows.append(dict(institution=a, institution_name=m.actors.at[a, "name"],
                             gatekeeper=gid, name=r["name"], kind=r["kind"],
                             exposure=r["exposure"], strict=bool(r["strict"]),
                             stance=r["stance"], stance_label=r["stance_label"],
                             resilience=g.resilience))
        # the strict gatekeepers' sentences come first, the no-route one last (or alone)
        if g.resilience == 0:
            out += g.sentences[:1]
        else:
            out += g.sentences[:len(g.strict)] + (g.sentences[-1:] if len(g.excluded) else [])
    frame = pd.DataFrame(rows, columns=["institution", "institution_name", "gatekeeper", "name",
                                        "kind", "exposure", "strict", "stance", "stance_label",
                                        "resilience"])
    tables["gatekeepers"] = frame.set_index("gatekeeper")
    from .gatekeepers import highlighted

    index = _note_index(m)
    for gid in highlighted(frame.set_index("gatekeeper")):
        notes = [f"{m.actors.at[o, 'name']}: {n}" for o, n in _notes_of(index, gid)]
        if notes:
            out.append(f"What our notes say about {m.actors.at[gid, 'name']}: "
                       + "; ".join(notes) + ".")
    sentences["gatekeepers"] = out or ["No institution that holds power over our priorities "
                                       "depends on a single gatekeeper."]


def _note_index(m):
    """{actor id: [(other id, note)]}: the notes on each actor's ties, in tie order (built
    once, so looking up every actor's notes is not a scan of the ties each time)."""
    t = m.ties
    out = {}
    if "notes" not in t:
        return out
    noted = t[t["notes"].notna()]
    for s_, d_, note in zip(noted["source"], noted["target"], noted["notes"], strict=True):
        note = str(note).strip()
        if not note:
            continue
        out.setdefault(s_, []).append((d_, note))
        if d_ != s_:
            out.setdefault(d_, []).append((s_, note))
    return out


def _notes_of(index, a, others=None):
    """[(other id, note)] for the ties of actor ``a`` that carry a note (to ``others`` only,
    when given), from the map's :func:`_note_index`."""
    out = []
    for other, note in index.get(a, []):
        if (others is None or other in others) and (other, note) not in out:
            out.append((other, note))
    return out


def _engagement_notes(m, eng, sph):
    """The engagement grid with ``notes``: the notes on our ties to each actor (and, for a
    body, on our ties to the people who work for it), added to the evidence."""
    import pandas as pd

    focus = set(sph.index[sph["sphere"].fillna(-1) == 0])
    t = m.ties
    staff = {}
    if "kind" in t:
        for p, body in t.loc[t["kind"] == "works_for", ["source", "target"]].itertuples(
                index=False):
            staff.setdefault(body, []).append(p)
    notes, index = [], _note_index(m)
    for a in eng.index:
        found = [n for _, n in _notes_of(index, a, focus)]
        for p in staff.get(a, []):
            found += [n for _, n in _notes_of(index, p, focus) if n not in found]
        notes.append("; ".join(dict.fromkeys(found)) or None)
    eng = eng.assign(notes=pd.array(notes, dtype="string"))
    has = eng["notes"].notna()
    eng.loc[has, "evidence"] = eng.loc[has, "evidence"] + "; note: " + eng.loc[has, "notes"]
    return eng


#: Above this many actors the review estimates betweenness from a sample of sources (exact
#: betweenness costs one shortest-path search per actor: ~10 s of CPU at 10k, ~40 min at 100k).
EXACT_BETWEENNESS_LIMIT = 5_000
#: The sample: 500 sources recover 87-94% of the exact top 20 brokers on 10k-actor test
#: networks (docs/performance.md §7), at a cost that grows with the ties, not the actors squared.
BETWEENNESS_SAMPLE = 500


def _betweenness_sample(n):
    """(k, sentence): the sources to sample for a map of ``n`` actors (None: exact), and the
    sentence that says so in the report."""
    if n <= max(EXACT_BETWEENNESS_LIMIT, BETWEENNESS_SAMPLE):
        return None, None
    return BETWEENNESS_SAMPLE, (
        f"With {n:,} actors on the map, how often each person lies on the shortest routes "
        f"between others (betweenness) is estimated from {BETWEENNESS_SAMPLE} starting points "
        "picked at random (seed 0), not worked out from all of them: on test networks of "
        "10,000 actors an estimate like this finds 87-94% of the true top 20 brokers, so treat "
        "brokers with close scores as equal. The brokerage roles themselves are exact.")


def _brokers(m, tables, sentences):
    import pandas as pd

    from .brokerage import brokers

    frames, out, sampled = [], [], None
    for by in ("sub_area", "sector"):
        if by not in m.actors or m.actors[by].isna().all():
            continue
        known = m.actors[by].notna()
        sub = m if known.all() else m.subset(m.actors.index[known])  # same map: same network
        k, said = _betweenness_sample(len(sub.actors))
        sampled = sampled or said
        b = brokers(sub, by=by, k=k, seed=0 if k else None)
        people = b[b["kind"].isin(PERSON_KINDS)].head(10)
        frames.append(people.assign(by=by))
        if len(people):
            top = people.iloc[0]
            out.append(f"Between {by.replace('_', '-')}s, the strongest broker is {top['name']}: "
                       f"{top['explanation']}")
    tables["brokers"] = pd.concat(frames) if frames else pd.DataFrame()
    sentences["brokers"] = out + ([sampled] if sampled else [])


#: Who a stale tie concerns, in the order to check them (the partnership's own first).
STALE_GROUPS = ("the partnership", "a partnership member", "organisations and office-holders",
                "a resident and an organisation", "residents")
_PRIVATE_KINDS = frozenset({"resident", "person"})


def _stale(m, today, months, tables, sentences, sph=None):
    import pandas as pd

    from .schema import PARTNERSHIP_KIND
    from .summary import stale_ties

    st = stale_ties(m, months=months, today=today)
    names, kinds = m.actors["name"], m.actors["kind"]
    focus = set(sph.index[sph["sphere"].fillna(-1) == 0]) if sph is not None else set()

    def group(s, t):
        ks = (kinds.get(s), kinds.get(t))
        if PARTNERSHIP_KIND in ks:
            return 0
        if s in focus or t in focus:
            return 1
        private = sum(k in _PRIVATE_KINDS for k in ks)
        return 2 + private

    grp = [group(s, t) for s, t in zip(st["source"], st["target"], strict=True)]
    st = st.assign(source_name=st["source"].map(names), target_name=st["target"].map(names),
                   order=grp, concerns=pd.array([STALE_GROUPS[g] for g in grp],
                                                dtype="string"))
    st = st.sort_values(["order", "confirmed"], kind="stable")
    cols = ["source", "source_name", "target", "target_name", "kind", "strength", "confirmed",
            "months_since", "concerns", "notes"]
    tables["stale_ties"] = st[cols].reset_index(drop=True)
    out = [f"{len(st)} ties were last confirmed more than {months:g} months before {today}: "
           "check them before the next meeting." if len(st) else
           f"Every dated tie was confirmed in the last {months:g} months."]
    own = st[st["order"] == 0]
    if len(own):
        items = []
        for r in own.itertuples():
            other = r.target_name if kinds.get(r.source) == PARTNERSHIP_KIND else r.source_name
            note = f"; {r.notes}" if isinstance(r.notes, str) and r.notes else ""
            items.append(f"{other} (last confirmed {r.confirmed:%Y-%m-%d}{note})")
        out.append(f"Start with the partnership's own ({len(own)}): " + "; ".join(items) + ".")
    n_res = int((st["order"] == 4).sum())
    if n_res:
        out.append(f"Residents' friendships with each other ({n_res}) come last.")
    sentences["stale_ties"] = out


def _highlights(tables):
    hl = {}
    if "civic_core" in tables:
        hl["civic core"] = list(tables["civic_core"].index)
    if "gatekeepers" in tables and len(tables["gatekeepers"]):
        from .gatekeepers import highlighted

        hl["gatekeepers"] = highlighted(tables["gatekeepers"])
    if "brokers" in tables and len(tables["brokers"]):
        from .brokerage import highlighted as strongest

        hl["brokers"] = strongest(tables["brokers"], top=5)
    return hl


# --- writing ---------------------------------------------------------------------------------
def _public(frame):
    from .output import join_lists as _plain

    frame = frame.drop(columns=[c for c in frame.columns if str(c).startswith(PRIVATE_PREFIX)])
    frame = _plain(frame)
    for col in frame.columns:
        if str(frame[col].dtype).startswith("datetime64") and getattr(frame[col].dt, "tz", None):
            frame[col] = frame[col].dt.tz_localize(None)
    return frame


def _xlsx(tables, meta):
    """The sheets of review.xlsx: a README, then the tables."""
    import pandas as pd

    readme = [("title", meta["title"]), ("date", meta["date"]),
              ("priorities", ", ".join(meta["priorities"])),
              ("anonymised", "yes" if meta["anonymised"] else "no")]
    readme += [(f"sheet: {k}", TABLES.get(k, "")) for k in tables]
    readme += [("note", n) for n in meta["notes"]]
    sheets = {"README": pd.DataFrame(readme, columns=["item", "description"])}
    sheets.update((name[:31], frame) for name, frame in tables.items())
    return sheets
