"""Representation: the partnership and its sphere against the area's make-up (sub-area, age).

"Who is missing" asks about power-holders; this asks about the people: which villages,
estates and age bands have no one on the partnership, or too few against their share of the
area (from an area profile, else from the residents in the map). :func:`read_profile` reads
the profile; :func:`representation` compares; :func:`review_section` adds the table and its
plain-English sentences to :func:`influence.review.review`.
"""

from __future__ import annotations

from pathlib import Path

from .errors import InputError
from .schema import PERSON_KINDS

__all__ = ["representation", "read_profile"]


def read_profile(profile):
    """An area profile: a CSV path or DataFrame with ``attribute``, ``value``, ``share``.

    Shares may be fractions or percentages (a column summing to about 100 is divided by 100).
    """
    import pandas as pd

    if isinstance(profile, (str, Path)):
        try:
            frame = pd.read_csv(profile, dtype=str, keep_default_na=False)
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            raise InputError(f"Cannot read the area profile {profile}: {exc}. Fix: give a CSV "
                             "file with columns attribute, value, share.") from None
    else:
        frame = pd.DataFrame(profile).astype(str)
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    need = [c for c in ("attribute", "value", "share") if c not in frame.columns]
    if need:
        where = f" {profile}" if isinstance(profile, (str, Path)) else ""
        raise InputError(f"The area profile{where} has no column {', '.join(need)}. Fix: use the "
                         "columns attribute, value, share (e.g. sub_area,Nether Wyke,0.22).")
    share = pd.to_numeric(frame["share"].str.rstrip("%").str.strip(), errors="coerce")
    bad = frame.index[share.isna() | (share < 0)]
    if len(bad):
        r = int(bad[0])
        where = f" {profile}" if isinstance(profile, (str, Path)) else ""
        raise InputError(f"The area profile{where}, row {r + 2}: share "
                         f"{frame.at[r, 'share']!r} is not a number. Fix: write a share such "
                         "as 0.25 or 25%.")
    out = pd.DataFrame({"attribute": frame["attribute"].str.strip(),
                        "value": frame["value"].str.strip(), "share": share.astype(float)})
    for _attr, grp in out.groupby("attribute"):
        if grp["share"].sum() > 1.5:
            out.loc[grp.index, "share"] = grp["share"] / 100.0
    return out


def representation(m, spheres, *, profile=None, attributes=("sub_area", "age_band")):
    """The partnership and its sphere against the area, by attribute (share of people).

    The area is the profile when given, else every ``resident`` in the map. The partnership is
    the people in sphere 0; the sphere the people within one step (spheres 0 and 1).

    Returns
    -------
    pandas.DataFrame
        ``attribute``, ``value``, ``area_share``, ``partnership``, ``partnership_share``,
        ``sphere_share``, ``ratio`` (partnership share / area share).
    """
    import pandas as pd

    a = m.actors
    people = a[a["kind"].isin(PERSON_KINDS)]
    residents = a[a["kind"] == "resident"]
    sph = spheres["sphere"].reindex(people.index)
    members = people[sph == 0]
    near = people[sph.fillna(99) <= 1]
    prof = read_profile(profile) if profile is not None else None
    rows = []
    for attr in attributes:
        if attr not in a:
            continue
        if prof is not None and attr in set(prof["attribute"]):
            base = prof[prof["attribute"] == attr].set_index("value")["share"]
        else:
            base = residents[attr].dropna().astype(str).value_counts(normalize=True)
        values = list(base.index) + [v for v in members[attr].dropna().astype(str).unique()
                                     if v not in base.index]
        m_n = members[attr].dropna().astype(str).value_counts()
        s_n = near[attr].dropna().astype(str).value_counts()
        for v in sorted(values, key=str):
            ashare = float(base.get(v, 0.0))
            pshare = m_n.get(v, 0) / max(m_n.sum(), 1)
            rows.append(dict(attribute=attr, value=v, area_share=round(ashare, 3),
                             partnership=int(m_n.get(v, 0)), partnership_share=round(pshare, 3),
                             sphere_share=round(s_n.get(v, 0) / max(s_n.sum(), 1), 3),
                             ratio=round(pshare / ashare, 2) if ashare else float("nan")))
    return pd.DataFrame(rows, columns=["attribute", "value", "area_share", "partnership",
                                       "partnership_share", "sphere_share", "ratio"])


def review_section(m, sph, profile, tables, sentences):
    """Add the review's "representation" table and sentences."""
    rep = representation(m, sph, profile=profile)
    tables["representation"] = rep
    out = []
    for attr, grp in rep.groupby("attribute", sort=False):
        empty = grp[(grp["partnership"] == 0) & (grp["area_share"] >= 0.05)]
        if not len(empty):
            continue
        share = empty["area_share"].sum()
        vals = list(empty["value"])
        listed = ", ".join(vals[:-1]) + (" or " if len(vals) > 1 else "") + vals[-1]
        if attr == "sub_area":
            out.append(f"No partnership member lives in {listed} ({share:.0%} of residents).")
        elif attr == "age_band":
            out.append(f"No partnership member is aged {listed} ({share:.0%} of residents).")
        else:
            out.append(f"No partnership member has {attr} {listed} ({share:.0%} of residents).")
    for r in rep[(rep["ratio"] <= 0.6) & (rep["partnership"] >= 1)
                 & (rep["area_share"] >= 0.1)].itertuples():
        out.append(f"{r.value} ({r.attribute.replace('_', ' ')}) is under-represented: "
                   f"{r.partnership} member{'s' if r.partnership != 1 else ''} "
                   f"({r.partnership_share:.0%}) against {r.area_share:.0%} of residents.")
    for r in rep[(rep["ratio"] >= 1.5) & (rep["partnership"] >= 2)].itertuples():
        out.append(f"{r.value} ({r.attribute.replace('_', ' ')}) is over-represented: "
                   f"{r.partnership_share:.0%} of members against {r.area_share:.0%} of "
                   "residents.")
    sentences["representation"] = out
