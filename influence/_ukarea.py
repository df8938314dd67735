"""Resolving an area: a local authority to the real bodies that hold power there, as at a date.

The resolver behind :func:`influence.uk.area` (import it from :mod:`influence.uk`): finds the
council by GSS code or forgiving name match, then follows the bundled ONS and other lookups
(read by :mod:`influence._catalogue`) to its county, strategic authority and mayor, ICB (the
2024 or April 2026 set by date), police force and governance, community safety partnership,
fire authority, constituencies and MPs, parishes and wards. Derived or curated rows carry
``verify``.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
from functools import lru_cache

from ._catalogue import as_at_date, keyed, local_authorities, rows_for, vintage
from .errors import InputError, UnknownActorError, either

__all__ = ["Area", "area", "ICB_2026_DATE", "BODY_COLUMNS"]

#: The day the April 2026 ICB set took over from the 2024 set (NHS ODS successions).
ICB_2026_DATE = _dt.date(2026, 4, 1)
BODY_COLUMNS = ["tier_class", "type_id", "code", "name", "place", "share", "basis", "verify",
                "note", "vintage", "source"]


class Area:
    """A local authority area resolved to the bodies that hold power there, as at a date.

    Attributes
    ----------
    code, name, official_name : str
        The council's GSS code (the one valid at ``as_at``), short and official name.
    structure : str
        ``"two-tier"`` (district + county) or ``"unitary"``.
    as_at : datetime.date
    region : str
    bodies : pandas.DataFrame
        One row per body or slot: ``tier_class`` (as in :func:`power_matrix`), ``type_id``
        (stakeholder type), ``code`` (GSS/ODS), ``name``, ``place`` (the territory), ``share``
        (share of the area's population, where known), ``basis`` (``ons_lookup``: an ONS lookup or
        code list; ``published``: another published lookup (mySociety constituency overlaps);
        ``statute``; ``derived``; ``curated``), ``verify`` (derived, curated or marked "verify"
        in the data), ``note``, ``vintage``, ``source`` (file, ";"-separated).
    """

    def __init__(self, record, bodies, as_at):
        self.code = record["gss_code_2025"] if as_at >= _dt.date(2025, 4, 1) else record["gss_code"]
        self.codes = tuple(dict.fromkeys([record["gss_code"], record["gss_code_2025"]]))
        self.name, self.official_name = record["nice_name"], record["official_name"]
        self.structure = "two-tier" if record["la_type"] == "NMD" else "unitary"
        self.region, self.as_at, self.bodies = record["region"], as_at, bodies

    @property
    def parished(self):
        """True if any civil parish lies in the area (part of it may still be unparished)."""
        return bool((self.bodies.tier_class == "parish").any())

    def slots(self, tier_class):
        """The rows for one ``tier_class``; in an unparished area ``"parish"`` gives the wards.

        Examples
        --------
        >>> from influence import uk
        >>> uk.area("E07000062", as_at="2025-06-01").slots("upper_tier").name.tolist()
        ['East Sussex County Council']
        """
        if tier_class == "parish" and not self.parished:
            rows = self.bodies[self.bodies.tier_class == "ward"]
            return rows.assign(note="unparished: ward councillors take the parish slot")
        return self.bodies[self.bodies.tier_class == tier_class]

    def __repr__(self):
        return f"<Area {self.name} ({self.code}), {self.structure}, as at {self.as_at}>"

    def __str__(self):
        return self.describe()

    def describe(self):
        """A plain-English summary of who holds power in the area (``verify`` rows marked)."""
        b = self.bodies

        def names(tier, type_id=None, share=False):
            rows = b[(b.tier_class == tier) & ((b.type_id == type_id) if type_id else True)]
            out = []
            for r in rows.itertuples():
                text = r.name + (f" ({r.place})" if tier == "constituency" else "")
                if share and r.share == r.share and r.share < 0.995:
                    text += f" ({r.share:.0%} of the area)"
                out.append(text + (" [verify]" if r.verify else ""))
            return "; ".join(out) or "none"

        lines = [f"{self.official_name} ({self.code}), {self.region}: a {self.structure} area, "
                 f"as at {self.as_at}."]
        if self.structure == "two-tier":
            lines.append(f"  Councils: {names('lower_tier')} (district) and "
                         f"{names('upper_tier')} (county). Two-tier areas are being reorganised "
                         "into unitary councils (2026-28).")
        else:
            lines.append(f"  Council: {names('unitary')} (unitary: all council functions).")
        sa = names("strategic_authority")
        lines.append(f"  Strategic authority: {'none yet' if sa == 'none' else sa}.")
        n_wards = int((b.tier_class == "ward").sum())
        if self.parished:
            n = int((b.tier_class == "parish").sum())
            lines.append(f"  Parishes: {n} (not every parish has a council; parts of the area "
                         f"may be unparished). Wards: {n_wards}.")
        else:
            lines.append(f"  Unparished: its {n_wards} wards' councillors take the parish slot.")
        lines.append(f"  MPs: {names('constituency', share=True)}.")
        lines.append(f"  NHS: {names('icb', share=True)}.")
        lines.append(f"  Policing: {names('police_force_area', 'police_force')}; governance "
                     f"{names('police_force_area', 'pcc')}; community safety partnership "
                     f"{names('csp_area')}.")
        lines.append(f"  Fire: {names('fire_authority_area')}.")
        if self.as_at < _dt.date(2025, 7, 1):
            lines.append("  Note: only ICBs are resolved as at the date; councils, strategic "
                         "authorities, wards and MPs are the 2024-26 sets.")
        if b.verify.any():
            lines.append("  [verify] = derived or curated: check before relying on it "
                         "(see `influence catalogue manifest`).")
        return "\n".join(lines)


def _norm(text):
    text = str(text).casefold().replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    text = re.sub(r"^(the |london borough of |royal borough of )", "", text.strip())
    text = re.sub(r" (metropolitan )?((borough|city|district|county) )?council$", "", text)
    return text.strip()


@lru_cache(maxsize=None)
def _name_keys():
    keys = {}
    for code, rec in local_authorities().iterrows():
        for value in (rec["nice_name"], rec["official_name"]):
            keys.setdefault(_norm(value), set()).add(code)
    return keys


def _resolve(query):
    las = local_authorities()
    q = str(query).strip()
    if re.fullmatch(r"[A-Za-z]\d{8}", q):
        q = q.upper()
        hit = las.index[(las.index == q) | (las.gss_code_2025 == q)]
        if len(hit):
            return hit[0]
        raise UnknownActorError(f"No English local authority has GSS code {q}. Fix: give a "
                                "district, unitary, metropolitan or London borough code "
                                "(E06/E07/E08/E09, 2024 or 2025 set), e.g. E07000062 (Hastings).")
    keys, nq = _name_keys(), _norm(q)
    if not nq:
        raise InputError("No area given. Fix: give a GSS code such as E07000062 or a name.")
    hits = keys.get(nq) or set()
    if not hits:
        hits = {c for k, cs in keys.items() if re.search(rf"\b{re.escape(nq)}\b", k) for c in cs}
    if not hits:
        close = difflib.get_close_matches(nq, list(keys), n=5, cutoff=0.75)
        scores = [difflib.SequenceMatcher(None, nq, k).ratio() for k in close]
        hits = set(keys[close[0]]) if close and (len(close) == 1 or scores[0] - scores[1] >= 0.08
                                                  or keys[close[0]] == keys[close[1]]) else set()
        if not hits:
            cand = [c for k in close for c in sorted(keys[k])]
            listing = ", ".join(dict.fromkeys(f"{las.at[c, 'nice_name']} ({c})" for c in cand))
            raise UnknownActorError(
                f"No local authority matches {q!r}." + (f" Close matches: {listing}." if listing
                                                        else "") +
                " Fix: give the council's GSS code or its name as listed by "
                + either("influence.uk.local_authorities()", "`influence catalogue authorities`")
                + ".")
    if len(hits) > 1:
        listing = ", ".join(f"{las.at[c, 'nice_name']} ({c})" for c in sorted(hits))
        raise InputError(f"{q!r} matches more than one local authority: {listing}. "
                         "Fix: give the GSS code or the full name of the one you mean.")
    return next(iter(hits))


def area(code_or_name, *, as_at=None):
    """Resolve a local authority to the bodies that hold power there, as at a date.

    Parameters
    ----------
    code_or_name : str
        A district, unitary, metropolitan or London borough: GSS code (2024 or 2025 set) or
        name (case, "&", "Borough Council" and small typos are forgiven).
    as_at : date or str, optional
        The review date (default today). ICBs before 2026-04-01 are the 2024 set (ONS lookup);
        from then the April 2026 set (derived from NHS ODS successions: ``verify``).

    Returns
    -------
    Area
        With ``.bodies`` (one row per body) and ``.describe()``.

    Raises
    ------
    UnknownActorError
        No council matches (the message lists close matches).
    InputError
        The name is ambiguous, names a county council (give one of its districts), or the date
        cannot be read.

    References
    ----------
    ONS Open Geography lookups (LSOA21-SICBL24-ICB24-LAD24; LAD23-CAUTH23; LAD24-CSP24-PFA24;
    LAD24-FRA24), NHS ODS successions of 1 April 2026, mySociety local authority and
    2025-constituency data, UK Parliament Members API. See :func:`manifest` and :func:`notice`.

    Examples
    --------
    >>> from influence import uk
    >>> a = uk.area("Hastings", as_at="2025-06-01")
    >>> a.structure, a.slots("icb").name.tolist()
    ('two-tier', ['NHS Sussex Integrated Care Board'])
    >>> uk.area("E07000062", as_at="2026-04-01").slots("icb")[["name", "verify"]].values.tolist()
    [['NHS Surrey and Sussex Integrated Care Board', True]]
    """
    import pandas as pd

    day = as_at_date(as_at)
    code = _resolve(code_or_name)
    las = local_authorities()
    rec = las.loc[code]
    if rec["la_type"] == "CTY":
        districts = las[las.county_gss_code == code].nice_name.tolist()
        raise InputError(f"{rec['official_name']} ({code}) is a county council; an area is a "
                         f"district within it. Fix: give one of {', '.join(districts)}.")
    codes = [code, rec["gss_code_2025"]]
    rows = []

    def add(tier, type_id, code_, name, place, source, basis="ons_lookup", share=float("nan"),
            note=""):
        verify = basis in ("derived", "curated") or "verify" in note.lower()
        rows.append(dict(tier_class=tier, type_id=type_id, code=code_, name=name, place=place,
                         share=share, basis=basis, verify=verify, note=note,
                         vintage="; ".join(map(vintage, source.split(";"))), source=source))

    la_file = "local_authorities_england.csv"
    if rec["la_type"] == "NMD":
        add("lower_tier", "district_council", code, rec["official_name"], rec["nice_name"], la_file)
        county = las.loc[rec["county_gss_code"]]
        add("upper_tier", "county_council", rec["county_gss_code"], county["official_name"],
            county["nice_name"], la_file, note="county parent cross-checked with ONS LTLA23-UTLA23")
    else:
        for tier in ("unitary", "upper_tier", "lower_tier"):
            add(tier, "unitary_council", code, rec["official_name"], rec["nice_name"], la_file,
                note=rec["la_type_name"])

    sa_file = "lad_strategic_authority_2025.csv"
    for link in rows_for(sa_file, "lad_code", codes):
        basis = ("ons_lookup" if link["basis"].startswith("ONS") else
                 "curated" if "curated" in link["basis"] else "statute")
        sa = keyed("strategic_authorities_2025.csv", "cauth_code")[link["cauth_code"]]
        kind = "Combined County Authority" if "county" in sa["type"] else "Combined Authority"
        add("strategic_authority", "strategic_authority", sa["cauth_code"],
            sa["official_name"] or f"{sa['name']} {kind}", sa["name"], sa_file, basis, 1.0,
            note=f"{sa['type']}; {link['basis']}")
        if sa["mayoral"] == "yes":
            title = {"E61000001": "Mayor of London", "E47000014": "Mayor of the North East"}.get(
                sa["cauth_code"], f"Mayor of {sa['name']}")
            gla = sa["cauth_code"] == "E61000001"  # Greater London Authority Act 1999
            add("strategic_authority", "mayor", sa["cauth_code"], title, sa["name"],
                "strategic_authorities_2025.csv", "statute" if gla else "curated", 1.0,
                note="Greater London Authority Act 1999" if gla else "mayoral flag curated")

    icb_file, new = "lad_sicbl_icb.csv", day >= ICB_2026_DATE
    groups = {}
    for link in rows_for(icb_file, "lad24_code", codes):
        key = link["icb26_ods_code_derived" if new else "icb24_ods_code"]
        groups.setdefault(key, []).append(link)
    for ods, grp in groups.items():
        share, first = sum(float(g["share_of_lad_lsoas"]) for g in grp), grp[0]
        if new:
            how = "; ".join(dict.fromkeys(g["icb26_derivation"] for g in grp))
            add("icb", "icb", first["icb26_ons_code_derived"], first["icb26_name_derived"],
                keyed("icb_2026.csv", "icb_ods_code")[ods]["nhs_region_name"], icb_file,
                "derived", share, note=f"April 2026 ICB: {how}; ONS code verify")
        else:
            subs = ", ".join(g["sicbl24_ods_code"] for g in grp)
            add("icb", "icb", first["icb24_ons_code"], first["icb24_name"],
                keyed("icb_2024.csv", "icb_ods_code")[ods]["nhs_region_name"], icb_file,
                "ons_lookup", share, note=f"sub-ICB {subs}; share = share of LSOAs")

    pol_file = "lad_police_csp_fire.csv"
    pol = rows_for(pol_file, "lad24_code", codes)
    if pol:
        p, gov = pol[0], pol[0]["police_governance"]
        force = p["pfa24_name"] if "Police" in p["pfa24_name"] else f"{p['pfa24_name']} Police"
        add("police_force_area", "police_force", p["pfa24_code"], force, p["pfa24_name"], pol_file)
        holder = (f"{p['pfa24_name']} Police and Crime Commissioner" if gov.startswith("Police")
                  else gov.split(" (")[0])
        add("police_force_area", "pcc", p["pfa24_code"], holder, p["pfa24_name"], pol_file,
            "curated", note=f"{gov}; governance curated")
        for c in {c["csp24_code"]: c for c in pol}.values():
            add("csp_area", "community_safety_partnership", c["csp24_code"],
                f"{c['csp24_name']} Community Safety Partnership", c["csp24_name"], pol_file)
        fra = p["fra24_name"]
        add("fire_authority_area", "fire_rescue", p["fra24_code"],
            fra if "Authority" in fra else f"{fra} Fire and Rescue Authority", fra, pol_file)

    pcon_file, mps = "constituency_lad_overlap.csv", keyed("mps_england.csv", "pcon24_code")
    for c in sorted(rows_for(pcon_file, "lad23_code", codes),
                    key=lambda c: -float(c["share_of_lad_pop_in_pcon"])):
        mp = mps.get(c["pcon24_code"])
        note = (f"MP for {c['pcon24_name']} ({mp['party']}, since {mp['mp_since']}); "
                f"{float(c['share_of_pcon_pop_in_lad']):.0%} of the constituency is in this area"
                if mp else "no MP listed")
        add("constituency", "mp", c["pcon24_code"], mp["mp_name"] if mp else "(vacant)",
            c["pcon24_name"], f"{pcon_file};mps_england.csv", "published",
            float(c["share_of_lad_pop_in_pcon"]), note=note)

    for file, col, type_id, suffix in (
            ("parishes_england.csv", "parish", "parish_council", " parish/town council or meeting"),
            ("wards_england.csv", "ward", "ward_councillor", " ward councillors")):
        for g in rows_for(file, "lad_code", codes):
            add(col, type_id, g[f"{col}_code"], g[f"{col}_name"] + suffix, g[f"{col}_name"], file)

    bodies = pd.DataFrame(rows, columns=BODY_COLUMNS)
    bodies["share"] = bodies["share"].astype(float)
    bodies["verify"] = bodies["verify"].astype(bool)
    return Area(rec.to_dict() | {"gss_code": code}, bodies, day)
