"""The plain-English review report: one self-contained, printable HTML page.

Rendered with Jinja2 with autoescaping on, so every name, note and label from the user's
spreadsheet is escaped; the page carries a Content Security Policy that allows no script and no
external request, and its figures are embedded as base64 PNG.
"""

from __future__ import annotations

import base64
import io
from functools import lru_cache

from .brokerage import PLAIN_ROLES
from .schema import catalogue_labels

__all__ = ["render", "figures", "plain"]

STATUS_WORDS = {
    "absent": "Missing from our map",
    "unconnected": "On the map, but we have no way in",
    "gatekeeper": "Only one route in",
    "opposed": "Opposed to our aims",
    "weak": "Weak link",
    "connected": "Connected",
}
ACTION_WORDS = {"keep close": "Keep close", "win over": "Win over",
                "keep informed": "Keep informed",
                "watch": "Check their position again before the next review"}
#: The first line of each report: who may see it.
WORKING_BANNER = ("Working copy for the partnership \u2014 contains judgements about named people; "
                  "do not circulate")
SHARE_BANNER = ("Safe to share \u2014 no judgements about named people: office-holders are shown "
                "by their role, and nobody's stance, influence, giving or hours appear")
CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; "
       "form-action 'none'")


#: zlib level of the figures' PNG: these flat-coloured pictures come out smaller at 2 than at
#: Pillow's default 6, in half the time (the same pixels).
PNG_COMPRESSION = 2


def figures(r, *, dpi=110):
    """The report's figures as ``{"spheres": data-URI, "engagement": data-URI}``."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from .figures import plot_engagement, plot_spheres

    out = {}
    for key, draw in (("spheres", lambda ax: plot_spheres(r.map, ax=ax,
                                                          spheres=r.tables["spheres"])),
                      ("engagement", lambda ax: plot_engagement(r.map, ax=ax))):
        fig, ax = plt.subplots(figsize=(8, 8) if key == "spheres" else (9, 6.5))
        try:
            draw(ax)
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight",
                        pil_kwargs={"compress_level": PNG_COMPRESSION})
            out[key] = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
        except Exception as exc:  # a figure must never stop the report  # noqa: BLE001
            r.meta["notes"].append(f"The {key} figure could not be drawn: {exc}")
        finally:
            plt.close(fig)
    return out


def render(r):
    """The report of a :class:`influence.review.Review` as an HTML string."""
    t = r.tables
    gaps = t["missing"]
    share = bool(r.meta.get("share"))
    joinups = _joinups(t)
    todo = [plain(x) for x in _todo(r)] + joinups[:2]
    sentences = {k: (None if v is None else [plain(x) for x in v])
                 for k, v in r.sentences.items()}
    meta = dict(r.meta, priorities=[_theme_name(x) for x in r.meta["priorities"]],
                map_name=_readable(r.meta.get("map_name")),
                previous_name=_readable(r.meta.get("previous_name")))
    themes = []
    for theme in list(r.priorities) + ["all"]:
        rows = gaps[gaps["theme"] == theme]
        if len(rows):
            themes.append(dict(theme=_theme_name(theme), rows=[_gap(x) for x in
                                                               rows.itertuples()]))
    sph = t["spheres"]
    rings = sph["ring"].value_counts()
    return _environment().get_template("report.html").render(
        csp=CSP, meta=meta, share=share, plain_roles=PLAIN_ROLES, joinups=joinups,
        banner=SHARE_BANNER if share else WORKING_BANNER, todo=todo, themes=themes,
        figures=figures(r),
        rings=[(k, int(rings.get(k, 0))) for k in ("partnership", "focus", "direct ties",
                                                   "one introduction away", "further",
                                                   "not reached") if rings.get(k, 0)],
        introducers=_records(t["introducers"].head(8)),
        sentences=sentences,
        engagement=_records(t["engagement"][t["engagement"]["action"].isin(
            ["keep close", "win over"])].head(14)),
        many_roles=_records(t.get("many_roles", _empty()).head(12)),
        gatekeepers=_records(t.get("gatekeepers", _empty())),
        brokers=_records(t.get("brokers", _empty())),
        representation=_records(t.get("representation", _empty()), index=False),
        leadership=_records(t["leadership"]),
        bonding=_records(t.get("bonding", _empty()).head(15)),
        changes=sentences.get("changes"),
        stale=_records(t["stale_ties"].head(25), index=False),
        n_stale=len(t["stale_ties"]),
        status_words=STATUS_WORDS, action_words=ACTION_WORDS)


@lru_cache(maxsize=1)
def _environment():
    """The Jinja2 environment of the report (one per process: its template compiled once)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("influence", "templates"),
        autoescape=True, trim_blocks=True, lstrip_blocks=True,
        undefined=jinja2.StrictUndefined)
    env.filters["pct"] = lambda x: "" if x != x else f"{x:.0%}"
    return env


def plain(text):
    """Text for volunteers: no internal codes (status codes, theme ids, source keys).

    Examples
    --------
    >>> print(plain("Gaps widened: NHS trust for health (gatekeeper → unconnected)."))
    ... # doctest: +NORMALIZE_WHITESPACE
    Gaps widened: NHS trust for Health and wellbeing (only one route in → on the map, but we
    have no way in).
    """
    import re

    if not isinstance(text, str):
        return text
    words = {k: v[:1].lower() + v[1:] for k, v in STATUS_WORDS.items()}
    codes = "|".join(words)
    text = re.sub(rf"\(({codes}) → ({codes})\)",
                  lambda mo: f"({words[mo.group(1)]} → {words[mo.group(2)]})", text)
    names = catalogue_labels("themes")
    if names:
        keys = "|".join(re.escape(k) for k in sorted(names, key=len, reverse=True))
        text = re.sub(rf"\bfor ({keys})\b(?![ -]\w)", lambda mo: f"for {names[mo.group(1)]}",
                      text)
        text = text.replace(" for all (", " for every theme (")
    return re.sub(r"sources: ([A-Z0-9_]+(?:, [A-Z0-9_]+)*)\)", _sources, text)


def _sources(mo):
    titles = _source_titles()
    keys = [k.strip() for k in mo.group(1).split(",")]
    return "sources: " + "; ".join(titles.get(k, k.replace("_", " ")) for k in keys) + ")"


@lru_cache(maxsize=1)
def _source_titles():
    import csv
    import re
    from importlib import resources

    try:
        f = resources.files("influence") / "data" / "uk" / "sources_register.csv"
        with f.open(encoding="utf-8") as fh:
            return {r["source_id"]: re.split(r" \(|: ", r["title"])[0]
                    for r in csv.DictReader(fh)}
    except (OSError, KeyError):  # pragma: no cover - reference data missing
        return {}


def _readable(name):
    """A map's name for a reader: "hollinford-2019" -> "Hollinford 2019"."""
    if not isinstance(name, str) or " " in name or not name:
        return name
    name = name.replace("-", " ").replace("_", " ")
    return name[:1].upper() + name[1:]


def _joinups(t):
    """ "X isn't on the partnership but is our link to Y - consider inviting them." """
    b = t.get("brokers")
    if b is None or not len(b) or "by" not in b:
        return []
    ring = t["spheres"]["ring"] if "ring" in t.get("spheres", {}) else None
    out, seen = [], set()
    rows = b[(b["by"] == "sub_area") & b["main_role"].isin(["representative", "gatekeeper"])]
    for i, x in rows.iterrows():
        if i in seen or (ring is not None and ring.get(i) == "partnership"):
            continue
        seen.add(i)
        out.append(f"{x['name']} isn't on the partnership but is our link to {x['group']} "
                   "\u2014 consider inviting them.")
    return out[:3]


def _empty():
    import pandas as pd

    return pd.DataFrame()


def _records(frame, index=True):
    import pandas as pd

    if frame is None or not len(frame):
        return []
    out = []
    for idx, row in frame.iterrows():
        rec = {k: (None if not isinstance(v, (tuple, list)) and pd.isna(v) else v)
               for k, v in row.items()}
        if index:
            rec["id"] = idx
        out.append(rec)
    return out


def _theme_name(theme):
    if theme == "all":
        return "Every theme"
    return catalogue_labels("themes").get(theme, theme.replace("_", " ").capitalize())


def _gap(x):
    import pandas as pd

    def v(val):
        return None if val is None or (not isinstance(val, tuple) and pd.isna(val)) else val

    from .missing import ROLE_LABELS

    return dict(body=v(x.actor_name) or x.body, slot=x.body,
                role=ROLE_LABELS.get(x.role, x.role.replace("_", " ")),
                status=x.status, status_word=STATUS_WORDS.get(x.status, x.status),
                path=v(x.path), gatekeeper=v(x.gatekeeper), reason=plain(x.reason),
                notes=v(getattr(x, "notes", None)),
                verify=bool(x.verify), vintage=v(x.vintage), basis=v(x.basis), rank=x.rank)


def _todo(r):
    """Up to six next steps, in words, from the ranked gaps and the introducers."""
    from .missing import ROLE_LABELS

    t = r.tables
    gaps = t["missing"]
    names = r.map.actors["name"]
    out, seen = [], set()
    for x in gaps[gaps["status"] != "connected"].itertuples():
        key = x.actor if isinstance(x.actor, str) else x.body
        if key in seen:
            continue
        seen.add(key)
        theme = _theme_name(x.theme).lower()
        who = x.actor_name if isinstance(x.actor_name, str) else x.body
        if x.status == "absent":
            role = ROLE_LABELS.get(x.role, x.role.replace("_", " "))
            out.append(f"{who} ({role} for {theme}) is missing from our "
                       "map. Ask around: who knows someone there? Then add them.")
        elif x.status == "gatekeeper" and not isinstance(x.gatekeeper, str):
            out.append(f"We have only one route into {who} ({theme}). Build a second route: "
                       "ask who else knows someone there.")
        elif x.status == "gatekeeper":
            gk = names.get(x.gatekeeper, x.gatekeeper)
            out.append(f"Every route to {who} ({theme}) goes through {gk}. Build a second "
                       f"route: ask who else knows someone there.")
        elif x.status == "unconnected":
            out.append(f"{who} ({theme}) is on the map but out of reach: look for an "
                       "introduction.")
        elif x.status == "opposed":
            out.append(f"{who} ({theme}) opposes our aims: plan how to win them over.")
        else:
            path = f" (introduction: {x.path})" if isinstance(x.path, str) else ""
            out.append(f"Strengthen our link with {who} ({theme}){path}.")
        if len(out) >= 6:
            break
    return out
