"""A large-network generator: many Big Local-like areas that share regional bodies.

Every frame is built with numpy/pandas in one pass (no per-actor Python loop), and the map is
constructed directly in the canonical dtypes of :mod:`influence.schema` (the data is valid by
construction, so the validating reader is skipped): 1M actors take seconds.
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError
from ..schema import DIRECTED_TIE_KINDS, TIE_KINDS

__all__ = ["synthetic"]

#: actors per area besides residents: partnership, LTO, worker, town council, 3 town
#: councillors, county councillor, 2 ward councillors, GP, school, faith group, local media,
#: 18 groups, 3 working groups
_GROUP_KINDS = (["community_group"] * 14 + ["vcse_org", "social_enterprise", "youth_org",
                                             "faith_group"])
_PER_AREA = 1 + 1 + 1 + 1 + 3 + 1 + 2 + 1 + 1 + 1 + len(_GROUP_KINDS) + 3
# areas per shared body
TIE_KIND_LIST = list(TIE_KINDS)
TIE_CODES = {k: i for i, k in enumerate(TIE_KIND_LIST)}
_PER = {"district": 3, "county": 12, "icb": 24, "mp": 2, "rep": 5}


def synthetic(areas: int | None = 10, *, seed: int = 0, residents: int = 220,
              actors: int | None = None, name: str | None = None):
    """Generate many areas shaped like the Hollinford demo, sharing regional bodies.

    Each area has a partnership of 10 residents (with many roles and most of the hours: a
    civic core), an LTO and a worker, a town council with three councillors, 18 community
    groups and 3 working groups, a GP practice, school, faith group and local media, and
    ``residents`` residents in three sub-areas (a town and two villages) who know a few
    neighbours and belong to 0-3 groups. Areas share regional bodies: a district council (one
    per 3 areas, with officers, a developer and a housing association), a county council (one
    per 12 areas, with officers and a police force; each area has its own county councillor),
    an ICB and NHS trust (one per 24 areas), an MP (one per 2 areas), a Big Local rep (one per
    5 areas) and two national funders.

    Parameters
    ----------
    areas : int
        Number of areas (default 10, about 2,600 actors).
    seed : int
        Random seed: the same seed gives the same map.
    residents : int
        Residents per area (default 220).
    actors : int, optional
        Instead of ``areas``: about how many actors to generate (areas = actors / area size,
        at least 1).
    name : str, optional
        Map name (default ``"synthetic-<areas>"``).

    Returns
    -------
    InfluenceMap

    Examples
    --------
    >>> from influence.datasets import synthetic
    >>> m = synthetic(areas=2, seed=1)
    >>> m
    <InfluenceMap synthetic-2: 527 actors, 1577 ties>
    >>> synthetic(areas=2, seed=1).equals(m)
    True

    References
    ----------
    .. [1] Watts, D. J. and Strogatz, S. H. (1998). Collective dynamics of 'small-world'
       networks. Nature 393, 440-442 (the neighbour ties).
    .. [2] Mohan, J. and Bulloch, S. L. (2012). The idea of a 'civic core'. Third Sector
       Research Centre Working Paper 73 (the skewed hours and memberships).
    """
    import pandas as pd

    from ..model import InfluenceMap

    if actors is not None:
        if not isinstance(actors, (int, np.integer)) or actors < 1:
            raise InputError(f"actors must be a positive whole number, got {actors!r}. "
                             "Fix: e.g. actors=100_000.")
        areas = max(1, int(round(actors / (_PER_AREA + residents))))
    if not isinstance(areas, (int, np.integer)) or isinstance(areas, bool) or areas < 1:
        raise InputError(f"areas must be a positive whole number, got {areas!r}. "
                         "Fix: e.g. areas=100.")
    if not isinstance(residents, (int, np.integer)) or residents < 12:
        raise InputError(f"residents must be a whole number of at least 12, got "
                         f"{residents!r}. Fix: e.g. residents=220.")
    A, R = int(areas), int(residents)
    rng = np.random.default_rng(seed)
    blocks = []  # (prefix, kind, area-of-each, local index, sector)

    def block(prefix, kind, owner, sector, n_each=1):
        owner = np.repeat(np.asarray(owner), n_each)
        local = np.tile(np.arange(n_each), len(owner) // n_each) if n_each > 1 else \
            np.zeros(len(owner), dtype=np.int64)
        start = sum(len(b[2]) for b in blocks)
        blocks.append((prefix, kind, owner, local, sector))
        return start + np.arange(len(owner))

    def shared(key):
        return (A + _PER[key] - 1) // _PER[key]

    area = np.arange(A)
    nd, nc, ni, nm, nr = (shared(k) for k in ("district", "county", "icb", "mp", "rep"))
    # --- regional and national bodies ---------------------------------------------------
    funders = block("funder", "funder", np.arange(2), "funder")
    district = block("district", "district_council", np.arange(nd), "local_government")
    d_off = block("district_officer", "council_officer", np.arange(nd), "local_government", 3)
    developer = block("developer", "developer", np.arange(nd), "private")
    housing = block("housing_assoc", "housing_association", np.arange(nd), "housing")
    county = block("county", "county_council", np.arange(nc), "local_government")
    c_off = block("county_officer", "council_officer", np.arange(nc), "local_government", 3)
    police = block("police", "police_force", np.arange(nc), "policing")
    icb = block("icb", "icb", np.arange(ni), "nhs")
    trust = block("nhs_trust", "nhs_trust", np.arange(ni), "nhs")
    mp = block("mp", "mp", np.arange(nm), "parliament")
    rep = block("rep", "big_local_rep", np.arange(nr), "community")
    # --- each area ------------------------------------------------------------------------
    part = block("partnership", "big_local_partnership", area, "community")
    lto = block("lto", "locally_trusted_org", area, "voluntary")
    worker = block("worker", "worker", area, "voluntary")
    tc = block("town_council", "parish_council", area, "local_government")
    tcl = block("town_cllr", "parish_councillor", area, "local_government", 3)
    ccl = block("county_cllr", "county_councillor", area, "local_government")
    wcl = block("ward_cllr", "ward_councillor", area, "local_government", 2)
    gp = block("gp", "gp_pcn", area, "nhs")
    school = block("school", "school", area, "education")
    faith = block("faith", "faith_group", area, "faith")
    media = block("media", "local_media", area, "media")
    G = len(_GROUP_KINDS)
    groups = block("group", "community_group", area, "community", G)
    wgs = block("wg", "working_group", area, "community", 3)
    res = block("res", "resident", area, "community", R)
    n = res[-1] + 1

    # ids, kinds, owners (kinds, sectors and sub-areas as integer codes into small lists)
    sizes = [len(b[2]) for b in blocks]
    bcode = np.repeat(np.arange(len(blocks)), sizes)
    kinds_list = sorted({b[1] for b in blocks} | set(_GROUP_KINDS))
    sectors_list = sorted({b[4] for b in blocks})
    kind = np.array([kinds_list.index(b[1]) for b in blocks])[bcode]
    kind[groups] = np.tile([kinds_list.index(k) for k in _GROUP_KINDS], A)
    sector = np.array([sectors_list.index(b[4]) for b in blocks])[bcode]
    owner = np.concatenate([b[2] for b in blocks])
    local = np.concatenate([b[3] for b in blocks])
    ids = np.concatenate([np.strings.add(np.strings.add(np.strings.add(
        b[0], b[2].astype("U")), "_"), b[3].astype("U")) for b in blocks]).astype(object)
    id_arr = pd.array(ids, dtype="string")
    home = np.full(n, -1, dtype=np.int64)  # the area an actor belongs to (-1: shared)
    home[part[0]:] = owner[part[0]:]

    # sub-areas: a town and two villages (uneven: 62% / 22% / 16% of residents)
    sub = rng.choice(3, size=len(res), p=[0.62, 0.22, 0.16])
    sub_list = ["outside", "area-wide"] + [f"area{a}_{p}" for a in range(A)
                                          for p in ("town", "village_a", "village_b")]
    sub_area = np.where(home >= 0, 1, 0)
    sub_area[res] = 2 + 3 * owner[res] + sub

    src, dst, tkind, hours = [], [], [], []

    def tie(a, b, k, h=None):
        a, b = np.broadcast_arrays(np.asarray(a), np.asarray(b))
        src.append(a.ravel())
        dst.append(b.ravel())
        tkind.append(np.full(a.size, TIE_CODES[k]))
        hours.append(np.full(a.size, np.nan) if h is None else np.broadcast_to(h, a.shape).ravel())

    d_of, c_of, i_of = area // _PER["district"], area // _PER["county"], area // _PER["icb"]
    # regional structure
    tie(d_off, np.repeat(district, 3), "works_for")
    tie(c_off, np.repeat(county, 3), "works_for")
    tie(developer, district, "works_with")
    tie(housing, district, "works_with")
    tie(trust, icb, "works_with")
    tie(police, county, "works_with")
    # each area's bodies and people
    tie(lto, part, "works_with")
    tie(worker, lto, "works_for")
    tie(worker, part, "works_with")
    tie(rep[area // _PER["rep"]], part, "advises")
    tie(funders[0], lto, "funds")
    tie(funders[1], part, "funds")
    tie(tcl, np.repeat(tc, 3), "member_of")
    tie(tc, part, "works_with")
    tie(ccl, county[c_of], "member_of")  # the only route to the county
    tie(ccl, tc, "member_of")
    tie(ccl, c_off[3 * c_of], "knows")
    tie(wcl, np.repeat(district[d_of], 2), "member_of")
    tie(d_off[3 * d_of], part, "works_with")
    tie(gp, icb[i_of], "works_with")
    tie(gp, trust[i_of], "works_with")
    tie(mp[area // _PER["mp"]], wcl[0::2], "knows")
    tie(school, groups[G * area + 8], "works_with")
    tie(faith, groups[G * area + 9], "works_with")
    tie(media, part, "knows")
    tie(housing[d_of], groups[G * area], "works_with")
    tie(wgs, np.repeat(part, 3), "reports_to")
    # residents: the first 10 of each area are the partnership (the civic core)
    r_area = owner[res]
    first = res[(local[res] < 10)]
    tie(first, part[owner[first]], "member_of", rng.integers(90, 330, len(first)).astype(float))
    for _j in range(3):
        g = groups[G * owner[first] + rng.integers(0, G, len(first))]
        tie(first, g, "member_of", rng.integers(60, 160, len(first)).astype(float))
    tie(first[::3], wgs[3 * owner[first[::3]] + rng.integers(0, 3, len(first[::3]))],
        "member_of", 60.0)
    tie(first[::2], tcl[3 * owner[first[::2]]], "knows")
    # residents know neighbours in their sub-area (local ring + random shortcuts)
    order = np.lexsort((res, sub, r_area))
    ring = res[order]
    same = (r_area[order][1:] == r_area[order][:-1]) & (sub[order][1:] == sub[order][:-1])
    tie(ring[:-1][same], ring[1:][same], "knows")
    same2 = (r_area[order][2:] == r_area[order][:-2]) & (sub[order][2:] == sub[order][:-2])
    tie(ring[:-2][same2], ring[2:][same2], "knows")
    other = res[R * r_area + rng.integers(0, R, len(res))]
    keep = (other != res) & (rng.random(len(res)) < 0.5)
    tie(res[keep], other[keep], "knows")
    # memberships: most residents in no group or one, a few in several
    ng = rng.choice(4, size=len(res), p=[0.55, 0.17, 0.18, 0.10])
    who = np.repeat(res, ng)
    g = groups[G * owner[who] + rng.integers(0, G, len(who))]
    tie(who, g, "member_of", rng.choice([0.0, 4, 6, 10, 12, 20], size=len(who)))

    s, t = np.concatenate(src), np.concatenate(dst)
    k, h = np.concatenate(tkind), np.concatenate(hours)
    key = (np.minimum(s, t).astype(np.int64) * n + np.maximum(s, t)) * len(TIE_CODES) + k
    first_seen = np.sort(np.unique(key, return_index=True)[1])  # keep the first of repeats
    s, t, k, h = s[first_seen], t[first_seen], k[first_seen], h[first_seen]

    # --- canonical frames -----------------------------------------------------------------
    theme_of = {"big_local_partnership": ("health", "youth", "environment",
                                          "community_spaces", "cost_of_living"),
                "county_council": ("health", "social_care", "youth", "transport"),
                "district_council": ("housing", "planning", "environment"),
                "icb": ("health", "social_care"), "developer": ("planning", "housing")}
    theme_list = np.empty(len(kinds_list), dtype=object)
    theme_list[:] = [theme_of.get(kd, ()) for kd in kinds_list]
    themes = theme_list[kind]
    people = np.isin(kind, [kinds_list.index(kd) for kd in
                            ("resident", "worker", "parish_councillor", "county_councillor",
                             "ward_councillor", "council_officer", "mp", "big_local_rep")])
    influence = np.where(people, np.round(rng.uniform(0.3, 1.5, n), 1),
                         np.round(rng.uniform(2.0, 5.0, n), 1))
    stance = pd.array(rng.choice([-2, -1, 0, 1, 2], size=n, p=[.05, .15, .4, .3, .1]),
                      dtype="Int64")
    giving = np.where(people & (rng.random(n) < 0.3), np.round(rng.gamma(1.5, 40.0, n)),
                      np.nan)
    ages = ["16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"]
    age = np.where(people, rng.integers(0, 7, n), -1)
    actors = pd.DataFrame({
        "name": id_arr, "kind": _strings(kind, kinds_list),
        "sector": _strings(sector, sectors_list),
        "sub_area": _strings(sub_area, sub_list), "influence": influence,
        "stance": stance, "interest": np.round(rng.uniform(0.5, 5.0, n), 1),
        "giving": giving, "themes": themes,
        "age_band": _strings(age, ages), "org_code": _strings(np.full(n, -1), []),
    })
    actors.index = pd.Index(id_arr, name="id")
    m = len(s)
    strength = np.where(np.isin(k, [TIE_CODES[x] for x in ("member_of", "works_for",
                                                           "reports_to")]), 2.0,
                        rng.choice([1.0, 2.0, 3.0], size=m, p=[.5, .35, .15]))
    nat = np.full(m, np.datetime64("NaT"), dtype="datetime64[ns]")
    ties = pd.DataFrame({
        "source": id_arr.take(s), "target": id_arr.take(t),
        "kind": _strings(k, TIE_KIND_LIST),
        "directed": np.isin(k, [TIE_CODES[x] for x in DIRECTED_TIE_KINDS]),
        "strength": strength,
        "sign": _strings(np.full(m, -1), []), "since": nat, "until": nat.copy(),
        "confirmed": nat.copy(), "hours": h.astype(float),
        "notes": _strings(np.full(m, -1), []),
    })
    return InfluenceMap(actors, ties, name=name or f"synthetic-{A}")


def _strings(codes, categories):
    """A string-dtype array from integer codes into ``categories`` (-1 = missing): fast."""
    import pandas as pd

    cats = pd.array(list(categories) + [None], dtype="string")
    return cats.take(np.where(codes < 0, len(categories), codes))
