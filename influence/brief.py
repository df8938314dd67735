"""A meeting brief: one printable page for a meeting with a council, the ICB, the police or a
developer.

:func:`brief` gathers what the body is responsible for on our priorities (the catalogue's power
matrix, with its sources named), who we know there, how well and since when, what our notes
say (what they have asked of us and we of them), the open actions about them, and who from the
partnership should go (the strongest ties). :meth:`Brief.to_html` renders it as one
self-contained HTML page: every piece of user text escaped, no script, no external resource,
print styles for A4.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from dataclasses import dataclass

from .errors import InputError, UnknownActorError
from .result import Result, alias
from .schema import PERSON_KINDS

__all__ = ["brief", "Brief"]

_STANCE_WORDS = {-2: "opposed", -1: "sceptical", 0: "neutral", 1: "supportive", 2: "a champion"}
_STRENGTH = {1: "weak", 2: "medium", 3: "strong"}
_TIE_WORDS = {"knows": "knows", "works_with": "works with", "member_of": "is a member of",
              "chairs": "chairs", "works_for": "works for", "volunteers_at": "volunteers at",
              "represents": "represents", "funds": "funds", "advises": "advises",
              "influences": "influences", "reports_to": "reports to"}


@dataclass(eq=False)
class Brief(Result):
    """The result of :func:`brief` (a :class:`~influence.result.Result`).

    Attributes
    ----------
    body : str
        The body's id.
    name : str
    kind : str
        The body's kind.
    table : pandas.DataFrame
        The main table (the page's first): what the body is responsible for on our
        priorities: ``theme``, ``function``, ``role``, ``basis`` (the law or contract),
        ``sources`` (readable titles and publishers).
    duties : pandas.DataFrame
        The same table as ``table`` (its name before the result convention).
    ties : pandas.DataFrame
        Who we know there: ``ours``, ``ours_name``, ``theirs``, ``theirs_name``, ``tie``,
        ``strength`` (words), ``since``, ``confirmed``, ``notes``.
    actions : pandas.DataFrame
        Open actions about the body or its people (see :func:`influence.actions.follow_up`).
    attendees : pandas.DataFrame
        Who from the partnership should go, strongest ties first: ``name``, ``ties``, ``why``.
    sentences : list of str
        The brief's findings in plain English.
    meta : dict
    """

    body: str
    name: str
    kind: str
    table: object
    ties: object
    actions: object
    attendees: object
    sentences: list
    meta: dict

    duties = alias("table")

    def __repr__(self):
        return f"<Brief for {self.name}: {len(self.ties)} ties, {len(self.actions)} actions>"

    def to_html(self) -> str:
        """The brief as one printable, self-contained HTML page."""
        import jinja2

        from .report import CSP

        env = jinja2.Environment(loader=jinja2.PackageLoader("influence", "templates"),
                                 autoescape=True, trim_blocks=True, lstrip_blocks=True,
                                 undefined=jinja2.StrictUndefined)
        return env.get_template("brief.html").render(
            csp=CSP, b=self, duties=_records(self.duties), ties=_records(self.ties),
            actions=_records(self.actions), attendees=_records(self.attendees))

    def write(self, path, *, force=False, inputs=()):
        """Write the page atomically (an existing file only with ``force``)."""
        from .output import atomic_write

        with atomic_write(Path(path), force=force, inputs=inputs) as fh:
            fh.write(self.to_html())
        return Path(path)


def _records(frame):
    import pandas as pd

    out = []
    for rec in frame.to_dict("records"):
        out.append({k: (None if not isinstance(v, (tuple, list)) and pd.isna(v) else v)
                    for k, v in rec.items()})
    return out


def _people_of(m, body):
    from .actions import ATTACH_KINDS

    t, kinds = m.ties, m.actors["kind"]
    hit = t[(t["target"] == body) & t["kind"].isin(ATTACH_KINDS)]
    return [p for p in dict.fromkeys(hit["source"]) if kinds.get(p) in PERSON_KINDS]


def _duties(kind, themes):
    import pandas as pd

    from . import uk

    pm = uk.power_matrix(list(themes))
    pm = pm[pm["holder_type_id"] == kind]
    src = uk.sources()
    rows = []
    for r in pm.itertuples():
        names = []
        for key in str(r.source_ids or "").split(";"):
            key = key.strip()
            if key in src.index:
                names.append(f"{src.at[key, 'title']} ({src.at[key, 'publisher']})")
        theme = r.theme_id
        rows.append(dict(theme="every theme" if theme == "all" else
                         str(uk.themes()["theme_name"].get(theme, theme)),
                         function=r.function, role=str(r.role).replace("_", " "),
                         basis=r.statutory_basis or None, sources="; ".join(names) or None))
    return pd.DataFrame(rows, columns=["theme", "function", "role", "basis", "sources"])


def brief(m, body, *, priorities=None, focus=None, as_at=None, previous=None):
    """Everything the partnership should know before a meeting with one body.

    Parameters
    ----------
    m : InfluenceMap
    body : str
        The id of the body (a council, the ICB, the police, a developer ...). The id of a
        person gives the brief for the body they work for or sit on.
    priorities : str or list of str, optional
        Our priority themes (default: the partnership's themes).
    focus : str or list, optional
        Who "we" are (default: the partnership and its members).
    as_at : date or str, optional
        The meeting date (default today): dates the open actions.
    previous : InfluenceMap, optional
        The last review's map, whose actions are followed up too.

    Returns
    -------
    Brief

    Examples
    --------
    >>> import influence
    >>> from influence.brief import brief
    >>> b = brief(influence.datasets.load("hollinford"), "westshire_icb", as_at="2023-09-01")
    >>> b.attendees.index[0], b.sentences[1]
    ('amira_hassan', 'We know 1 person there: Sam Reid.')

    References
    ----------
    .. [1] Local Trust (2024). *Spheres of community influence*: strategic matches between a
       partnership's plan and a body's duties open the door to influence.
    """
    import pandas as pd

    from . import uk
    from .actions import follow_up, short_name
    from .legacy import partnership_sides
    from .missing import parse_priorities

    a = m.actors
    if body not in a.index:
        raise UnknownActorError(f"Unknown body {body!r}: it is not an id in the actors sheet. "
                                "Fix: use the id of the council, ICB or other body, e.g. "
                                f"{_example(m)}.")
    if a.at[body, "kind"] in PERSON_KINDS:
        from .actions import ATTACH_KINDS

        t = m.ties
        up = t.loc[(t["source"] == body) & t["kind"].isin(ATTACH_KINDS), "target"]
        from .history import COMMUNITY_KINDS

        up = [b for b in up if a.at[b, "kind"] not in PERSON_KINDS | set(COMMUNITY_KINDS)
              and a.at[b, "kind"] not in ("big_local_partnership", "locally_trusted_org")]
        if not up:
            raise InputError(f"{a.at[body, 'name']} is a person, not a body, and works for no "
                             "public body or firm on the map. Fix: give the id of the body to "
                             "meet.")
        body = up[0]
    if a.at[body, "kind"] == "big_local_partnership":
        raise InputError(f"{a.at[body, 'name']} is the partnership itself. Fix: give the id of "
                         "the body to meet (a council, the ICB, the police ...).")
    themes = parse_priorities(priorities, m)
    today = pd.Timestamp(_dt.date.today() if as_at is None else uk.as_at_date(as_at))
    kind, names = a.at[body, "kind"], a["name"]
    contact = [body] + _people_of(m, body)
    people, paid, bodies, sph = partnership_sides(m, focus)
    ours = people | bodies
    t = m.ties
    hit = t[(t["source"].isin(ours) & t["target"].isin(contact))
            | (t["target"].isin(ours) & t["source"].isin(contact))]
    rows = []
    for r in hit.itertuples():
        us, them = (r.source, r.target) if r.source in ours else (r.target, r.source)
        s = r.strength if r.strength == r.strength else 1
        rows.append(dict(ours=us, ours_name=names.get(us, us), theirs=them,
                         theirs_name=names.get(them, them),
                         tie=_TIE_WORDS.get(r.kind, str(r.kind).replace("_", " ")),
                         strength=_STRENGTH.get(int(round(s)), "weak"), weight=float(s),
                         since=r.since, confirmed=r.confirmed,
                         notes=r.notes if isinstance(r.notes, str) else None))
    ties = pd.DataFrame(rows, columns=["ours", "ours_name", "theirs", "theirs_name", "tie",
                                       "strength", "weight", "since", "confirmed", "notes"])
    for col in ("ours", "ours_name", "theirs", "theirs_name", "tie", "strength", "notes"):
        ties[col] = ties[col].astype("string")  # the same dtypes with or without ties
    ties["weight"] = ties["weight"].astype(float)
    for col in ("since", "confirmed"):
        ties[col] = pd.to_datetime(ties[col]).astype("datetime64[s]")
    ties = ties.sort_values(["weight", "confirmed"], ascending=False, kind="stable")
    acts = follow_up(m, previous=previous, as_at=today, focus=focus)
    if len(acts):
        about = acts["about"].fillna("")
        acts = acts[(about.isin(contact) | (about == kind))
                    & acts["state"].isin(["open", "overdue"])]
    go = ties[ties["ours"].isin(people)].groupby("ours", sort=False).agg(
        weight=("weight", "sum"), n=("theirs", "size"),
        who=("theirs_name", lambda s: ", ".join(dict.fromkeys(short_name(x) for x in s))))
    go = go.sort_values(["weight", "n"], ascending=False, kind="stable").head(3)
    attendees = pd.DataFrame({
        "name": [names.get(p, p) for p in go.index],
        "ties": go["n"].to_numpy(),
        "why": [f"{'paid worker: ' if p in paid else ''}knows {w}" for p, w in
                zip(go.index, go["who"], strict=True)]}, index=pd.Index(go.index, name="id"))
    duties = _duties(kind, themes)
    out = [_duty_sentence(names[body], duties)]
    known = list(dict.fromkeys(x for x in ties["theirs"] if x != body))
    if known:
        out.append(f"We know {len(known)} {'person' if len(known) == 1 else 'people'} there: "
                   + ", ".join(short_name(names.get(x, x)) for x in known) + ".")
    elif len(ties):
        out.append(f"We have a tie with {short_name(names[body])} as a body, but know nobody "
                   "there by name.")
    else:
        route = _route(sph, body, names)
        out.append("Nobody in the partnership knows anyone there yet"
                   + (f"; the nearest route: {route}." if route else "."))
    stance = a.at[body, "stance"]
    if not pd.isna(stance) and int(stance) in _STANCE_WORDS:
        out.append(f"Where they stand on our aims, as we judge it: {_STANCE_WORDS[int(stance)]}.")
    if len(attendees):
        out.append("Who should go: " + ", ".join(short_name(n) for n in attendees["name"])
                   + " (the strongest ties there).")
    meta = dict(title=f"Meeting brief: {names[body]}", date=str(today.date()),
                priorities=[str(uk.themes()["theme_name"].get(x, x)) for x in themes],
                map_name=m.name or "our map")
    return Brief(body=body, name=names[body], kind=kind, table=duties,
                 ties=ties.drop(columns=["weight"]).reset_index(drop=True),
                 actions=acts.reset_index(drop=True), attendees=attendees, sentences=out,
                 meta=meta)


def _duty_sentence(name, duties):
    if not len(duties):
        return (f"The catalogue lists no duty or power of {name} on our priorities: ask them "
                "what they can do for the area.")
    themes = list(dict.fromkeys(duties["theme"]))
    n = len(duties)
    return (f"{name} holds {n} {'duty or power' if n == 1 else 'duties or powers'} on our "
            f"priorities ({', '.join(themes)}).")


def _route(sph, a, names):
    """"Peter Lang → Holling Valley Development Corporation → Castlegate Homes Ltd"."""
    chain = [a]
    while chain[-1] in sph.index and isinstance(sph.at[chain[-1], "via"], str) and \
            len(chain) < 12:
        chain.append(sph.at[chain[-1], "via"])
    if len(chain) < 2:
        return None
    return " → ".join(str(names.get(x, x)) for x in reversed(chain))


def _example(m):
    a = m.actors
    bodies = a.index[~a["kind"].isin(PERSON_KINDS)]
    return bodies[0] if len(bodies) else "county_council"
