"""The UK reference catalogue: who holds power over a neighbourhood in England.

Stakeholder types, priority themes and the power matrix (which type of body, at which tier,
holds which function for each theme), plus open data on councils and their tiers, strategic
authorities, Integrated Care Boards (the 2024 set and the April 2026 set), police / community
safety / fire areas, parishes, wards, constituencies and MPs. :func:`area` resolves a local
authority to the real bodies that hold power there, "as at" a review date.

Every file's source, licence, vintage, row count and hash is in :func:`manifest`; the
attribution text is :func:`notice`. Derived or curated facts (the April 2026 ICBs, curated
strategic-authority membership, police governance, mayoral flags) carry ``verify=True``
wherever they are shown. Data is read lazily from ``influence/data/uk`` and cached.

The area resolver (:class:`Area`, :func:`area`) is in :mod:`influence._ukarea` and the file
readers (and :func:`local_authorities`) in :mod:`influence._catalogue`; use them from here.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import re

from ._catalogue import as_at_date, data_path, local_authorities, read_table
from ._ukarea import BODY_COLUMNS, ICB_2026_DATE, Area, area  # noqa: F401 (re-exported)
from .errors import InputError

__all__ = ["Area", "area", "local_authorities", "power_matrix", "themes", "stakeholder_types",
           "sources", "manifest", "notice", "ROLE_WEIGHTS", "ICB_2026_DATE", "as_at_date"]

#: Role weights for ranking gaps (README 6.2 step 7: duty holder / decision maker > commissioner /
#: funder > provider / regulator > scrutiny / consultee > influencer).
ROLE_WEIGHTS = {"statutory_duty_holder": 5, "decision_maker": 5, "commissioner": 4, "funder": 4,
                "provider": 3, "regulator": 3, "scrutiny_voice": 2, "consultee": 2,
                "influencer": 1}
_VERIFY_WORDS = re.compile(r"derived|curated|verify|unverified|inference|no source retrieved", re.I)


# --- catalogue tables ------------------------------------------------------------------------
def themes():
    """The priority themes a partnership can choose (``theme_id`` -> name, examples).

    Examples
    --------
    >>> from influence import uk
    >>> uk.themes().loc["youth", "theme_name"]
    'Children and young people'
    """
    return read_table("themes.csv").set_index("theme_id")


def stakeholder_types():
    """The stakeholder taxonomy: the catalogue's types plus the project's extra person kinds.

    ``origin`` is ``catalogue`` (stakeholder_types.csv) or ``project``
    (:data:`influence.schema.EXTRA_KINDS`).

    Examples
    --------
    >>> from influence import uk
    >>> uk.stakeholder_types().loc["icb", ["category", "statutory"]].tolist()
    ['nhs', 'yes']
    """
    import pandas as pd

    from .schema import EXTRA_KINDS

    cat = read_table("stakeholder_types.csv").assign(origin="catalogue")
    extra = pd.DataFrame([{"type_id": k, "label": label, "category": category, "statutory": "no",
                           "identify_via": "user-entered", "origin": "project"}
                          for k, (label, category) in EXTRA_KINDS.items()
                          if k not in set(cat.type_id)])
    return pd.concat([cat, extra], ignore_index=True).fillna("").set_index("type_id")


def sources():
    """The citation register behind the power matrix (``source_id`` -> title, url, licence).

    ``verify`` is True where the cited text was not re-read (``text_checked`` is not "yes").

    Examples
    --------
    >>> from influence import uk
    >>> uk.sources().loc["HSCA2012", "publisher"]
    'legislation.gov.uk'
    """
    frame = read_table("sources_register.csv").set_index("source_id")
    return frame.assign(verify=frame["text_checked"].str.lower() != "yes")


def power_matrix(themes=None):
    """Who holds which power for each theme: the power matrix rows for ``themes`` plus ``all``.

    Parameters
    ----------
    themes : str or list of str, optional
        Theme ids (see :func:`themes`); None gives every row.

    Returns
    -------
    pandas.DataFrame
        One row per (theme, function, holder type): ``theme_id``, ``function``,
        ``holder_type_id``, ``tier_class``, ``role``, ``geography_rule``, ``statutory_basis``,
        ``source_ids``, ``confidence``, ``notes``, plus ``holder_label``, ``role_weight``
        (:data:`ROLE_WEIGHTS`) and ``verify`` (no source retrieved, or not high confidence).

    References
    ----------
    The rows cite :func:`sources`, e.g. Health and Social Care Act 2012; Care Act 2014;
    Town and Country Planning Act 1990 Sch. 1; GOV.UK "Understand how your council works".

    Examples
    --------
    >>> from influence import uk
    >>> pm = uk.power_matrix("youth")
    >>> sorted(pm.theme_id.unique())
    ['all', 'youth']
    >>> pm.loc[pm.holder_type_id == "county_council", ["role", "role_weight"]].values.tolist()[0]
    ['statutory_duty_holder', 5]
    """
    frame = read_table("power_matrix.csv")
    if themes is not None:
        wanted = [themes] if isinstance(themes, str) else list(themes)
        known = list(read_table("themes.csv").theme_id)
        for t in wanted:
            if t not in known and t != "all":
                close = difflib.get_close_matches(str(t), known, n=3, cutoff=0.5)
                hint = f" Did you mean {', '.join(close)}?" if close else ""
                raise InputError(f"Unknown theme {t!r}.{hint} Fix: use one of {', '.join(known)}.")
        frame = frame[frame.theme_id.isin(set(wanted) | {"all"})]
    labels = stakeholder_types()["label"]
    return frame.reset_index(drop=True).assign(
        holder_label=frame.holder_type_id.map(labels).to_numpy(),
        role_weight=frame.role.map(ROLE_WEIGHTS).fillna(0).astype(int).to_numpy(),
        verify=((frame.source_ids == "") | (frame.confidence != "high")).to_numpy())


def manifest():
    """Every bundled data file with its source, licence, vintage, row count and SHA-256.

    ``verify`` is True for files that are derived or hold curated rows.

    Examples
    --------
    >>> from influence import uk
    >>> m = uk.manifest()
    >>> int(m.at["icb_2026.csv", "rows"]), bool(m.at["icb_2026.csv", "verify"])
    (36, True)
    """
    import pandas as pd

    rows = []
    for rec in read_table("SOURCES.csv").to_dict("records"):
        data = data_path(rec["file"]).read_bytes()
        n = sum(1 for _ in csv.reader(data.decode("utf-8").splitlines())) - 1
        text = " ".join([rec["source"], rec["licence"], rec["notes"]])
        rows.append({"file": rec["file"], "rows": n, "source": rec["source"],
                     "licence": rec["licence"], "vintage": rec["vintage"],
                     "verify": bool(_VERIFY_WORDS.search(text)), "bytes": len(data),
                     "sha256": hashlib.sha256(data).hexdigest(), "notes": rec["notes"]})
    return pd.DataFrame(rows).set_index("file")


def notice():
    """The attribution text (OGL, ONS/OS, Open Parliament Licence, mySociety, NHS ODS, geographr).

    Examples
    --------
    >>> from influence import uk
    >>> "Open Parliament Licence v3.0" in uk.notice()
    True
    """
    return data_path("NOTICE").read_text(encoding="utf-8")
