"""Build the Hollinford demo area (two snapshots, 2019 and 2023) and write it as workbooks.

Hollinford is a **fictional** Big Local area: a market town (Hollinford) and two villages
(Nether Wyke and Copley Green) in the invented two-tier county of Westshire. The named actors
(the partnership, its members, councils, councillors, officers, NHS bodies, developer, ...) are
written out by hand below, from the situations the Local Trust / Big Local research reports
describe; the ordinary residents, their friendships and their group memberships are drawn at
random from a fixed seed, so the files are reproducible::

    python datasets/make_demo.py            # writes datasets/hollinford/2019.xlsx, 2023.xlsx
    python datasets/make_demo.py --check    # build, check the designed findings, write nothing

The designed findings (see ``datasets/hollinford/README.md``) are checked by ``check()`` before
anything is written, and again by ``tests/test_datasets.py`` on the shipped files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

SEED = 2019
HERE = Path(__file__).resolve().parent
OUT = HERE / "hollinford"
YEARS = (2019, 2023)
SUB_AREAS = ("Hollinford", "Nether Wyke", "Copley Green")
AREA_WIDE, OUTSIDE = "Area-wide", "Outside the area"
BOTH = (2019, 2023)
ONLY_2023 = (2023,)
ONLY_2019 = (2019,)

# --- named actors --------------------------------------------------------------------------
# id, name, kind, sector, sub_area, influence, stance, interest, themes, age_band, giving, years
_A = [
    # the partnership and its support
    ("hbl", "Hollinford Big Local partnership", "big_local_partnership", "community", None,
     3.0, 2, 5.0, "health;youth;environment;community_spaces;cost_of_living", None, None, BOTH),
    ("hollinford_ct", "Hollinford Community Trust (LTO)", "locally_trusted_org", "voluntary",
     "Hollinford", 2.5, 2, 4.0, "community_spaces;cost_of_living", None, None, BOTH),
    ("rep_john_adey", "John Adey (Big Local rep)", "big_local_rep", "community", None, 2.0, 2,
     4.0, "community_spaces", "55-64", None, BOTH),
    ("worker_kim_patel", "Kim Patel (Big Local worker)", "worker", "voluntary", "Hollinford",
     2.0, 2, 5.0, "youth;cost_of_living", "35-44", None, BOTH),
    ("local_trust", "Local Trust", "funder", "funder", None, 4.0, 2, 3.0, "community_spaces",
     None, None, BOTH),
    ("westshire_cf", "Westshire Community Foundation", "funder", "funder", None, 3.0, 1, 3.0,
     "community_spaces;cost_of_living", None, None, BOTH),
    # partnership members (and people who were)
    ("margaret_hale", "Margaret Hale", "resident", "community", "Hollinford", 3.0, 2, 5.0,
     "health;community_spaces", "65-74", 1200.0, BOTH),
    ("david_osei", "David Osei", "resident", "community", "Hollinford", 2.5, 2, 5.0,
     "cost_of_living;housing", "55-64", 900.0, BOTH),
    ("susan_pike", "Susan Pike", "resident", "community", "Hollinford", 2.0, 1, 4.0,
     "health", "65-74", 600.0, BOTH),
    ("janet_okafor", "Janet Okafor", "resident", "community", "Hollinford", 2.5, 2, 5.0,
     "planning;environment", "45-54", 400.0, BOTH),
    ("peter_lang", "Peter Lang", "resident", "community", "Hollinford", 2.0, 1, 4.0,
     "planning;housing", "65-74", 750.0, BOTH),
    ("linda_marsh", "Linda Marsh", "resident", "community", "Hollinford", 2.0, 2, 4.0,
     "community_spaces", "55-64", 300.0, BOTH),
    ("alan_reeve", "Alan Reeve", "resident", "community", "Hollinford", 1.5, 1, 3.0,
     "environment", "75+", 500.0, BOTH),
    ("ruth_ellis", "Ruth Ellis", "resident", "community", "Nether Wyke", 2.0, 2, 5.0,
     "environment;health", "55-64", 350.0, BOTH),
    ("tom_baines", "Tom Baines", "resident", "community", "Copley Green", 1.5, 1, 4.0,
     "transport;community_spaces", "65-74", 250.0, BOTH),
    ("gary_brook", "Gary Brook", "resident", "community", "Hollinford", 1.0, -1, 3.0,
     "housing;youth", "45-54", None, BOTH),
    ("amira_hassan", "Amira Hassan", "resident", "community", "Copley Green", 1.5, 2, 5.0,
     "youth;health", "25-34", 120.0, ONLY_2023),
    ("bev_norris", "Bev Norris (Wykes Community Bus)", "resident", "community", "Copley Green",
     1.5, 1, 3.0, "transport", "55-64", 150.0, BOTH),
    # town and parish councils
    ("hollinford_tc", "Hollinford Town Council", "parish_council", "local_government",
     "Hollinford", 3.0, 0, 3.0, "community_spaces;environment;planning", None, None, BOTH),
    ("cllr_ian_frost", "Cllr Ian Frost (Town Council chair)", "parish_councillor",
     "local_government", "Hollinford", 3.0, 0, 2.0, "planning", "65-74", None, BOTH),
    ("cllr_helen_burke", "Cllr Helen Burke", "parish_councillor", "local_government",
     "Hollinford", 2.0, 1, 3.0, "community_spaces", "55-64", None, BOTH),
    ("tc_clerk_pat_wood", "Pat Wood (Town Clerk)", "council_officer", "local_government",
     "Hollinford", 2.5, 0, 3.0, "community_spaces", "55-64", None, BOTH),
    ("wykes_pc", "Wykes and Copley Green Parish Council", "parish_council",
     "local_government", "Nether Wyke", 2.0, 0, 2.0, "environment;community_spaces", None,
     None, BOTH),
    ("cllr_roger_dean", "Cllr Roger Dean (parish council chair)", "parish_councillor",
     "local_government", "Nether Wyke", 2.0, -1, 2.0, "environment", "75+", None, BOTH),
    # district council (lower tier)
    ("vale_dc", "Vale of Holling District Council", "district_council", "local_government",
     None, 4.5, 0, 3.0, "housing;planning;environment;community_safety;cost_of_living", None,
     None, BOTH),
    ("cllr_sarah_quinn", "Cllr Sarah Quinn (Hollinford ward)", "ward_councillor",
     "local_government", "Hollinford", 3.0, 1, 4.0, "housing;cost_of_living", "45-54", None,
     BOTH),
    ("cllr_mike_dunn", "Cllr Mike Dunn (Wykes ward)", "ward_councillor", "local_government",
     "Nether Wyke", 3.0, 0, 2.0, "planning", "65-74", None, BOTH),
    ("dc_priya_nair", "Priya Nair (community development officer)", "council_officer",
     "local_government", None, 2.5, 2, 4.0, "community_spaces;cost_of_living", "35-44", None,
     BOTH),
    ("dc_housing_officer", "Gareth Lyle (housing officer)", "council_officer",
     "local_government", None, 2.5, 0, 2.0, "housing", "45-54", None, BOTH),
    ("dc_planning_officer", "Fiona Grant (planning officer)", "council_officer",
     "local_government", None, 3.0, 0, 2.0, "planning", "35-44", None, BOTH),
    # county council (upper tier): reachable only through Cllr Whitlow
    ("westshire_cc", "Westshire County Council", "county_council", "local_government", None,
     5.0, 0, 2.0, "health;social_care;youth;transport;environment;community_spaces", None,
     None, BOTH),
    ("cllr_derek_whitlow", "Cllr Derek Whitlow (Hollinford and Wykes division)",
     "county_councillor", "local_government", "Hollinford", 4.5, -1, 2.0,
     "transport;social_care", "65-74", None, BOTH),
    ("cc_public_health", "Dr Helen Achebe (public health consultant)", "council_officer",
     "local_government", None, 4.0, 1, 4.0, "health", "45-54", None, BOTH),
    ("cc_highways", "Mark Tull (highways officer)", "council_officer", "local_government",
     None, 3.5, 0, 1.0, "transport", "55-64", None, BOTH),
    # MP
    ("mp_claire_moss", "Claire Moss MP (Vale of Holling)", "mp", "parliament", None, 4.0, 0,
     2.0, "health;housing", "45-54", None, BOTH),
    # NHS
    ("westshire_icb", "NHS Westshire and Vale Integrated Care Board", "icb", "nhs", None, 4.5,
     1, 3.0, "health;social_care", None, None, BOTH),
    ("icb_sam_reid", "Sam Reid (ICB community engagement lead)", "worker", "nhs", None, 2.5, 2,
     4.0, "health", "35-44", None, ONLY_2023),
    ("westshire_hospitals", "Westshire Hospitals NHS Foundation Trust", "nhs_trust", "nhs",
     None, 4.0, 0, 1.0, "health", None, None, BOTH),
    ("market_st_surgery", "Market Street Surgery", "gp_pcn", "nhs", "Hollinford", 3.0, 1, 3.0,
     "health", None, None, BOTH),
    ("gp_link_worker", "Jo Carter (social prescribing link worker)", "worker", "nhs",
     "Hollinford", 2.0, 2, 4.0, "health;cost_of_living", "25-34", None, BOTH),
    # development
    ("castlegate_homes", "Castlegate Homes Ltd", "developer", "private", None, 4.0, -2, 2.0,
     "planning;housing", None, None, BOTH),
    ("hvdc", "Holling Valley Development Corporation", "development_corporation", "public",
     None, 4.0, 0, 2.0, "planning", None, None, BOTH),
    # housing
    ("vale_homes", "Vale Homes (housing association)", "housing_association", "housing", None,
     3.5, 0, 2.0, "housing", None, None, BOTH),
    ("ha_officer", "Dean Marsh (Vale Homes neighbourhood officer)", "worker", "housing",
     "Hollinford", 2.0, 1, 3.0, "housing", "35-44", None, BOTH),
    # police, school, faith, media
    ("westshire_police", "Westshire Police (Hollinford neighbourhood team)", "police_force",
     "policing", None, 3.5, 1, 2.0, "community_safety", None, None, BOTH),
    ("pcso_lee", "PCSO Chris Lee", "worker", "policing", "Hollinford", 1.5, 1, 3.0,
     "community_safety", "25-34", None, BOTH),
    ("hollinford_primary", "Hollinford Primary Academy", "school", "education", "Hollinford",
     2.5, 1, 3.0, "youth", None, None, BOTH),
    ("head_lucy_ford", "Lucy Ford (headteacher)", "worker", "education", "Hollinford", 2.5, 1,
     3.0, "youth", "45-54", None, BOTH),
    ("st_michaels", "St Michael's Church", "faith_group", "faith", "Hollinford", 2.0, 1, 3.0,
     "community_spaces;cost_of_living", None, None, BOTH),
    ("rev_anne_kirk", "Rev Anne Kirk", "worker", "faith", "Hollinford", 2.0, 2, 4.0,
     "cost_of_living", "55-64", 400.0, BOTH),
    ("hollinford_herald", "Hollinford Herald", "local_media", "media", None, 2.5, 0, 2.0,
     None, None, None, BOTH),
    ("nw_noticeboard", "Nether Wyke Noticeboard (Facebook group)", "local_media", "media",
     "Nether Wyke", 1.5, 0, 2.0, None, None, None, BOTH),
]

# community groups, working groups: id, name, kind, sub_area, themes, years
_G = [
    ("hollinford_allotments", "Hollinford Allotment Society", "community_group", "Hollinford",
     "environment", BOTH),
    ("friends_holling_park", "Friends of Holling Park", "community_group", "Hollinford",
     "environment;community_spaces", BOTH),
    ("luncheon_club", "Hollinford Luncheon Club", "community_group", "Hollinford",
     "health;cost_of_living", BOTH),
    ("carnival_committee", "Hollinford Carnival Committee", "community_group", "Hollinford",
     "community_spaces", BOTH),
    ("mens_shed", "Hollinford Men's Shed", "community_group", "Hollinford", "health", BOTH),
    ("heritage_society", "Hollinford Heritage Society", "community_group", "Hollinford",
     "community_spaces", BOTH),
    ("repair_cafe", "Hollinford Repair Cafe", "community_group", "Hollinford",
     "environment;cost_of_living", BOTH),
    ("toddler_group", "Little Steps parent and toddler group", "community_group", "Hollinford",
     "youth", BOTH),
    ("town_fc", "Hollinford Town FC (juniors)", "community_group", "Hollinford", "youth", BOTH),
    ("food_bank", "Hollinford Food Bank", "vcse_org", "Hollinford", "cost_of_living", BOTH),
    ("nw_village_hall", "Nether Wyke Village Hall Committee", "community_group", "Nether Wyke",
     "community_spaces", BOTH),
    ("nw_gardening", "Nether Wyke Gardening Club", "community_group", "Nether Wyke",
     "environment", BOTH),
    ("nw_flood_group", "Nether Wyke Flood Action Group", "community_group", "Nether Wyke",
     "environment", BOTH),
    ("cg_wi", "Copley Green WI", "community_group", "Copley Green", "community_spaces", BOTH),
    ("cg_bowls", "Copley Green Bowls Club", "community_group", "Copley Green", "health", BOTH),
    ("cg_shop", "Copley Green Community Shop", "social_enterprise", "Copley Green",
     "cost_of_living", BOTH),
    ("wykes_bus", "Wykes Community Bus", "transport_operator", "Copley Green", "transport",
     BOTH),
    ("brookside_ta", "Brookside Tenants' Association", "community_group", "Hollinford",
     "housing", ONLY_2023),
    # working groups of the partnership
    ("wg_events", "Events working group", "working_group", None, "community_spaces", BOTH),
    ("wg_green", "Green Spaces working group", "working_group", None, "environment", BOTH),
    ("wg_youth", "Young People working group", "working_group", None, "youth", ONLY_2023),
    ("wg_health", "Health and Wellbeing working group", "working_group", None, "health",
     ONLY_2023),
    ("wg_money", "Money Matters working group", "working_group", None, "cost_of_living",
     ONLY_2023),
]

PARTNERSHIP_2019 = ["margaret_hale", "david_osei", "susan_pike", "janet_okafor", "peter_lang",
                    "linda_marsh", "alan_reeve", "ruth_ellis", "tom_baines", "gary_brook"]
PARTNERSHIP_2023 = [p for p in PARTNERSHIP_2019 if p != "gary_brook"] + ["amira_hassan"]
COUNTY = ["westshire_cc", "cc_public_health", "cc_highways"]
GATEKEEPER = "cllr_derek_whitlow"
#: The actions agreed at the 2019 review (the 2019 workbook's actions sheet): the 2023 map
#: completes the first two, not the next three; the last is marked done on the sheet.
ACTIONS_2019 = [dict(a, added="2019-07-01") for a in [
    dict(action="Contact the ICB about health listening events", about="westshire_icb",
         owner="susan_pike", due="2020-03-31", status="open",
         notes="ask Jo Carter at the surgery who to talk to"),
    dict(action="Get to know Cllr Derek Whitlow", about="cllr_derek_whitlow",
         owner="margaret_hale", due="2019-12-31", status="open",
         notes="the only route into the county council"),
    dict(action="Ask the county's public health consultant to meet the partnership",
         about="cc_public_health", owner="ruth_ellis", due="2020-06-30", status="open",
         notes=None),
    dict(action="Invite the Environment Agency to the flood group", about="environment_agency",
         owner="ruth_ellis", due="2020-03-31", status="open", notes="flooding from the Wyke"),
    dict(action="Invite the PCSO to a partnership meeting every quarter",
         about="westshire_police", owner="tom_baines", due="2019-10-31", status="open",
         notes=None),
    dict(action="Apply to Westshire Community Foundation for the food bank",
         about="westshire_cf", owner="david_osei", due="2019-09-30", status="done",
         notes="granted"),
]]


def _tie(source, target, kind="knows", strength=1, years=BOTH, since=None, confirmed=None,
         hours=None, notes=None):
    return dict(source=source, target=target, kind=kind, strength=float(strength),
                years=years, since=since, confirmed=confirmed, hours=hours, notes=notes)


def _named_ties():
    T = []
    add = T.append
    # partnership membership: hours a year on partnership business
    hours = dict(margaret_hale=320, david_osei=260, susan_pike=180, janet_okafor=220,
                 peter_lang=160, linda_marsh=150, alan_reeve=90, ruth_ellis=170,
                 tom_baines=110, gary_brook=120, amira_hassan=140)
    since = dict(margaret_hale="2014-06-01", david_osei="2014-06-01", susan_pike="2015-01-15",
                 janet_okafor="2016-09-01", peter_lang="2014-06-01", linda_marsh="2017-03-01",
                 alan_reeve="2014-06-01", ruth_ellis="2016-02-01", tom_baines="2018-05-01",
                 gary_brook="2015-09-01", amira_hassan="2022-02-01")
    for p, h in hours.items():
        years = (ONLY_2019 if p == "gary_brook" else ONLY_2023 if p == "amira_hassan" else BOTH)
        add(_tie(p, "hbl", "member_of", 3, years, since[p], hours=h))
    add(_tie("margaret_hale", "hbl", "chairs", 3, BOTH, "2016-06-01"))
    # support around the partnership
    add(_tie("hollinford_ct", "hbl", "works_with", 3, BOTH, "2014-06-01"))
    add(_tie("local_trust", "hollinford_ct", "funds", 3, BOTH, "2014-06-01"))
    add(_tie("westshire_cf", "hbl", "funds", 2, BOTH, "2018-01-01"))
    add(_tie("westshire_cf", "food_bank", "funds", 2, BOTH, "2019-01-01"))
    add(_tie("rep_john_adey", "hbl", "advises", 2, BOTH, "2014-06-01"))
    add(_tie("rep_john_adey", "margaret_hale", "knows", 2))
    add(_tie("worker_kim_patel", "hollinford_ct", "works_for", 3, BOTH, "2017-04-01"))
    add(_tie("worker_kim_patel", "hbl", "works_with", 3, BOTH, "2017-04-01"))
    for p in ("margaret_hale", "david_osei", "linda_marsh"):
        add(_tie("worker_kim_patel", p, "knows", 3))
    add(_tie("david_osei", "hollinford_ct", "member_of", 2, BOTH, "2015-01-01", hours=40))
    # the partnership members know each other
    core = PARTNERSHIP_2019 + ["amira_hassan"]
    for i, a in enumerate(core):
        for b in core[i + 1:]:
            if {a, b} & {"gary_brook"} and {a, b} & {"amira_hassan"}:
                continue
            if (i + core.index(b)) % 3 == 0 or a == "margaret_hale":
                yrs = ONLY_2023 if "amira_hassan" in (a, b) else ONLY_2019 if \
                    "gary_brook" in (a, b) else BOTH
                add(_tie(a, b, "knows", 2 if a == "margaret_hale" else 1, yrs))
    # town council and parish council
    add(_tie("cllr_ian_frost", "hollinford_tc", "chairs", 3, BOTH, "2011-05-01"))
    add(_tie("cllr_helen_burke", "hollinford_tc", "member_of", 2, BOTH, "2019-05-01"))
    add(_tie("tc_clerk_pat_wood", "hollinford_tc", "works_for", 3, BOTH, "2008-01-01"))
    add(_tie("cllr_derek_whitlow", "hollinford_tc", "member_of", 2, BOTH, "2007-05-01",
             notes="also sits on the town council"))
    add(_tie("janet_okafor", "hollinford_tc", "member_of", 2, ONLY_2023, "2022-05-05",
             notes="elected to the town council in May 2022"))
    add(_tie("margaret_hale", "tc_clerk_pat_wood", "knows", 2))
    add(_tie("linda_marsh", "cllr_helen_burke", "knows", 2))
    add(_tie("hollinford_tc", "hbl", "works_with", 1, BOTH, "2016-01-01"))
    add(_tie("hollinford_tc", "friends_holling_park", "funds", 1, BOTH, "2018-04-01"))
    add(_tie("cllr_roger_dean", "wykes_pc", "chairs", 3, BOTH, "2003-05-01"))
    add(_tie("ruth_ellis", "cllr_roger_dean", "knows", 1))
    add(_tie("wykes_pc", "nw_village_hall", "funds", 1, BOTH, "2012-01-01"))
    add(_tie("cllr_ian_frost", "cllr_roger_dean", "knows", 1))
    # district council
    add(_tie("cllr_sarah_quinn", "vale_dc", "member_of", 2, BOTH, "2019-05-01"))
    add(_tie("cllr_mike_dunn", "vale_dc", "member_of", 2, BOTH, "2015-05-01"))
    for o in ("dc_priya_nair", "dc_housing_officer", "dc_planning_officer"):
        add(_tie(o, "vale_dc", "works_for", 3, BOTH, "2016-01-01"))
    add(_tie("dc_priya_nair", "hbl", "works_with", 2, BOTH, "2017-01-01"))
    add(_tie("dc_priya_nair", "worker_kim_patel", "knows", 2))
    add(_tie("cllr_sarah_quinn", "dc_housing_officer", "knows", 2))
    add(_tie("cllr_mike_dunn", "dc_planning_officer", "knows", 2))
    add(_tie("cllr_mike_dunn", "cllr_roger_dean", "knows", 2))
    add(_tie("cllr_sarah_quinn", "cllr_ian_frost", "knows", 1))
    add(_tie("vale_dc", "hollinford_tc", "works_with", 1, BOTH, "2010-01-01"))
    # new ties to councillors in 2023
    add(_tie("david_osei", "cllr_sarah_quinn", "knows", 2, ONLY_2023, "2021-10-01"))
    add(_tie("amira_hassan", "cllr_mike_dunn", "knows", 1, ONLY_2023, "2022-06-01"))
    add(_tie("margaret_hale", "cllr_derek_whitlow", "knows", 1, ONLY_2023, "2022-03-01",
             notes="met at the town council's annual meeting"))
    # county council: every route passes through Cllr Whitlow
    add(_tie("cllr_derek_whitlow", "westshire_cc", "member_of", 3, BOTH, "2009-05-01"))
    add(_tie("cc_public_health", "westshire_cc", "works_for", 3, BOTH, "2018-01-01"))
    add(_tie("cc_highways", "westshire_cc", "works_for", 3, BOTH, "2012-01-01"))
    add(_tie("cllr_derek_whitlow", "cc_highways", "knows", 2))
    add(_tie("cllr_derek_whitlow", "cc_public_health", "knows", 1))
    add(_tie("cllr_derek_whitlow", "cllr_ian_frost", "knows", 3))
    add(_tie("cllr_derek_whitlow", "tc_clerk_pat_wood", "knows", 2))
    # MP
    add(_tie("mp_claire_moss", "cllr_sarah_quinn", "knows", 2))
    add(_tie("mp_claire_moss", "margaret_hale", "knows", 1, ONLY_2023, "2022-09-01"))
    # NHS: in 2019 the ICB is reached only through the surgery
    add(_tie("market_st_surgery", "westshire_icb", "works_with", 2, BOTH, "2019-01-01"))
    add(_tie("westshire_hospitals", "westshire_icb", "works_with", 3, BOTH, "2019-01-01"))
    add(_tie("market_st_surgery", "westshire_hospitals", "works_with", 1, BOTH, "2015-01-01"))
    add(_tie("gp_link_worker", "market_st_surgery", "works_for", 3, BOTH, "2019-09-01"))
    add(_tie("gp_link_worker", "susan_pike", "knows", 2))
    add(_tie("gp_link_worker", "luncheon_club", "works_with", 2, BOTH, "2019-10-01"))
    add(_tie("icb_sam_reid", "westshire_icb", "works_for", 3, ONLY_2023, "2021-01-01"))
    add(_tie("icb_sam_reid", "hbl", "works_with", 2, ONLY_2023, "2022-07-01",
             notes="ICB asked the partnership to co-host health listening events"))
    add(_tie("icb_sam_reid", "amira_hassan", "knows", 2, ONLY_2023, "2022-07-01"))
    add(_tie("icb_sam_reid", "gp_link_worker", "knows", 2, ONLY_2023, "2022-07-01"))
    add(_tie("wg_health", "westshire_icb", "works_with", 1, ONLY_2023, "2022-10-01"))
    # development: the corporation and the developer
    add(_tie("castlegate_homes", "hvdc", "works_with", 3, BOTH, "2017-01-01"))
    add(_tie("hvdc", "vale_dc", "works_with", 2, BOTH, "2017-01-01"))
    add(_tie("dc_planning_officer", "castlegate_homes", "knows", 2))
    add(_tie("peter_lang", "hvdc", "knows", 1, BOTH, "2018-01-01",
             notes="attends the corporation's community panel"))
    add(_tie("castlegate_homes", "hollinford_herald", "influences", 1, BOTH, "2018-01-01"))
    # housing association and the tenants' association
    add(_tie("ha_officer", "vale_homes", "works_for", 3, BOTH, "2016-01-01"))
    add(_tie("vale_homes", "vale_dc", "works_with", 2, BOTH, "2010-01-01"))
    add(_tie("ha_officer", "david_osei", "knows", 1))
    add(_tie("brookside_ta", "vale_homes", "works_with", 2, ONLY_2023, "2022-03-01"))
    add(_tie("brookside_ta", "hbl", "works_with", 2, ONLY_2023, "2022-03-01",
             notes="formed with Big Local support in 2022"))
    add(_tie("gary_brook", "brookside_ta", "chairs", 3, ONLY_2023, "2022-03-01", hours=150,
             notes="left the partnership in 2021 feeling blocked; now chairs the TA"))
    # police, school, faith, media
    add(_tie("pcso_lee", "westshire_police", "works_for", 3, BOTH, "2018-01-01"))
    # a relationship held only by the paid worker (legacy: lost when the post ends)
    add(_tie("worker_kim_patel", "pcso_lee", "knows", 2, BOTH, "2018-09-01", confirmed="stale",
             notes="Kim meets the PCSO at the youth drop-in each month"))
    add(_tie("westshire_police", "hbl", "works_with", 1, BOTH, "2018-01-01",
             confirmed="2019-05-01", notes="the PCSO has not been to a meeting since 2019"))
    add(_tie("head_lucy_ford", "hollinford_primary", "works_for", 3, BOTH, "2015-09-01"))
    add(_tie("hollinford_primary", "toddler_group", "works_with", 1, BOTH, "2016-01-01"))
    add(_tie("linda_marsh", "head_lucy_ford", "knows", 1))
    add(_tie("rev_anne_kirk", "st_michaels", "works_for", 3, BOTH, "2012-01-01"))
    add(_tie("rev_anne_kirk", "food_bank", "chairs", 3, BOTH, "2013-01-01", hours=200))
    add(_tie("st_michaels", "luncheon_club", "works_with", 2, BOTH, "2010-01-01"))
    add(_tie("rev_anne_kirk", "margaret_hale", "knows", 2))
    add(_tie("hollinford_herald", "hbl", "knows", 1, BOTH, "2016-01-01",
             confirmed="2020-02-01"))
    add(_tie("ruth_ellis", "nw_noticeboard", "member_of", 1, BOTH, "2017-01-01", hours=20))
    # the working groups
    wg = {"wg_events": (BOTH, ["linda_marsh", "susan_pike", "gary_brook"]),
          "wg_green": (BOTH, ["alan_reeve", "ruth_ellis", "janet_okafor"]),
          "wg_youth": (ONLY_2023, ["amira_hassan", "worker_kim_patel"]),
          "wg_health": (ONLY_2023, ["susan_pike", "amira_hassan"]),
          "wg_money": (ONLY_2023, ["david_osei"])}
    for g, (yrs, members) in wg.items():
        add(_tie(g, "hbl", "reports_to", 3, yrs, "2016-01-01" if yrs == BOTH else "2022-01-01"))
        for p in members:
            py = tuple(y for y in yrs if not (p == "gary_brook" and y == 2023))
            add(_tie(p, g, "member_of", 2, py, hours=60))
    # many roles: the stalwarts of the civic core run the town's groups
    roles = {"margaret_hale": ["luncheon_club", "heritage_society", "carnival_committee"],
             "david_osei": ["food_bank", "repair_cafe"],
             "susan_pike": ["luncheon_club", "mens_shed"],
             "janet_okafor": ["friends_holling_park", "hollinford_allotments"],
             "peter_lang": ["heritage_society"],
             "linda_marsh": ["carnival_committee", "toddler_group"],
             "alan_reeve": ["hollinford_allotments", "mens_shed"],
             "ruth_ellis": ["nw_village_hall", "nw_flood_group", "cg_wi"],
             "tom_baines": ["cg_bowls", "wykes_bus"],
             "amira_hassan": ["toddler_group"],
             "bev_norris": ["wykes_bus", "nw_village_hall", "cg_shop"]}
    for p, groups in roles.items():
        yrs = ONLY_2023 if p == "amira_hassan" else BOTH
        for j, g in enumerate(groups):
            kind = "chairs" if (j == 0 and p in ("ruth_ellis", "bev_norris", "tom_baines")) \
                else "member_of"
            add(_tie(p, g, kind, 2, yrs, hours=150 if j == 0 else 80))
    # the brokers between the villages
    add(_tie("bev_norris", "tom_baines", "knows", 2))
    add(_tie("bev_norris", "ruth_ellis", "knows", 2))
    add(_tie("bev_norris", "cllr_mike_dunn", "knows", 1))
    return T


def build_records(seed: int = SEED):
    """Actor and tie records with a ``years`` field (the snapshots each belongs to)."""
    rng = np.random.default_rng(seed)
    actors = []
    for (i, name, kind, sector, sub, infl, stance, interest, themes, age, giving,
         years) in _A:
        actors.append(dict(id=i, name=name, kind=kind, sector=sector, sub_area=sub,
                           influence=infl, stance=stance, interest=interest, themes=themes,
                           age_band=age, giving=giving, years=years))
    for (i, name, kind, sub, themes, years) in _G:
        actors.append(dict(id=i, name=name, kind=kind, sector="community" if kind in
                           ("community_group", "working_group") else "voluntary", sub_area=sub,
                           influence=1.0 if kind != "working_group" else 1.5, stance=1,
                           interest=3.0, themes=themes, age_band=None, giving=None,
                           years=years))
    for r in actors:  # a complete partition, so brokerage by sub_area is defined
        if r["sub_area"] is None:
            r["sub_area"] = AREA_WIDE if (r["id"] in ("hbl", "hollinford_herald") or
                                          r["kind"] == "working_group") else OUTSIDE
    ties = _named_ties()

    # --- residents: the town is over-represented, the villages less so ------------------
    sizes = {"Hollinford": 140, "Nether Wyke": 50, "Copley Green": 34}
    groups_by_area = {s: [g[0] for g in _G if g[3] == s and g[2] != "working_group"
                          and g[5] == BOTH] for s in SUB_AREAS}
    ages = np.array(["16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"])
    age_p = np.array([0.10, 0.14, 0.16, 0.17, 0.17, 0.15, 0.11])
    first = ["Alex", "Sam", "Jo", "Chris", "Pat", "Lee", "Robin", "Jamie", "Kerry", "Dana",
             "Nikhil", "Aisha", "Tomasz", "Grace", "Owen", "Maya", "Ravi", "Ellie", "Zara",
             "Ben", "Hannah", "Kofi", "Irene", "Wes", "Priti", "Nora", "Callum", "Bea"]
    last = ["Allen", "Bishop", "Carr", "Dixon", "Evans", "Fox", "Gill", "Hart", "Iqbal",
            "Jones", "Khan", "Lowe", "Moore", "Nash", "Owusu", "Price", "Rowe", "Singh",
            "Tate", "Usher", "Vance", "Webb", "Young", "Zielinski"]
    residents = {s: [] for s in SUB_AREAS}
    k = 0
    for s, n in sizes.items():
        for j in range(n):
            k += 1
            rid = f"res{k:03d}"
            years = BOTH
            if j >= n - 6:            # moved in after 2019
                years = ONLY_2023
            elif j in (3, 17):        # moved away before 2023
                years = ONLY_2019
            n_groups = int(rng.choice([0, 1, 2, 3], p=[0.55, 0.17, 0.18, 0.10]))
            gives = rng.random() < 0.08 + 0.22 * n_groups
            actors.append(dict(
                id=rid, name=f"{first[rng.integers(len(first))]} {last[rng.integers(len(last))]}",
                kind="resident", sector="community", sub_area=s,
                influence=float(np.round(rng.uniform(0.3, 1.5), 1)), stance=int(
                    rng.choice([-1, 0, 1, 2], p=[0.1, 0.45, 0.35, 0.1])),
                interest=float(np.round(rng.uniform(0.5, 3.5), 1)), themes=None,
                age_band=str(rng.choice(ages, p=age_p)),
                giving=float(np.round(rng.gamma(1.5, 25.0 * (1 + n_groups)), 0))
                if gives else None, years=years))
            residents[s].append((rid, years, n_groups))
    # friendships within each sub-area: a small-world lattice
    import networkx as nx

    for s in SUB_AREAS:
        ids = residents[s]
        G = nx.connected_watts_strogatz_graph(len(ids), 4, 0.15, seed=int(rng.integers(1e9)))
        for u, v in G.edges:
            (a, ya, _), (b, yb, _) = ids[u], ids[v]
            yrs = tuple(sorted(set(ya) & set(yb)))
            if yrs:
                ties.append(_tie(a, b, "knows", int(rng.choice([1, 2, 3], p=[.5, .35, .15])),
                                 yrs))
    # a few town-village friendships; none directly between the villages
    for s, n in (("Nether Wyke", 4), ("Copley Green", 3)):
        for _ in range(n):
            a = residents[s][rng.integers(len(residents[s]) - 6)][0]
            b = residents["Hollinford"][rng.integers(len(residents["Hollinford"]) - 6)][0]
            ties.append(_tie(a, b, "knows", 1))
    # the village brokers know people in each village
    for who, s, n in (("ruth_ellis", "Nether Wyke", 5), ("ruth_ellis", "Copley Green", 3),
                      ("bev_norris", "Copley Green", 5), ("bev_norris", "Nether Wyke", 4),
                      ("tom_baines", "Copley Green", 3), ("amira_hassan", "Copley Green", 2)):
        picks = rng.choice(len(residents[s]) - 6, size=n, replace=False)
        for p in picks:
            yrs = ONLY_2023 if who == "amira_hassan" else BOTH
            ties.append(_tie(who, residents[s][p][0], "knows", 2, yrs))
    # partnership members know residents in the town
    for p in PARTNERSHIP_2019:
        s = next(a["sub_area"] for a in actors if a["id"] == p)
        for q in rng.choice(len(residents[s]) - 6, size=3, replace=False):
            ties.append(_tie(p, residents[s][q][0], "knows", 1))
    # group memberships: most people are in no group or one; hours are small
    for s in SUB_AREAS:
        for rid, years, n in residents[s]:
            for g in rng.choice(groups_by_area[s], size=n, replace=False):
                ties.append(_tie(rid, str(g), "member_of", 1, years,
                                 hours=float(rng.choice([0, 4, 6, 10, 12, 20]))))
    # new in 2023: Brookside tenants and the young people's working group
    newcomers = [r for r, y, _ in residents["Hollinford"] if y == ONLY_2023]
    hollinford_both = [r for r, y, _ in residents["Hollinford"] if y == BOTH]
    tenants = list(rng.choice(hollinford_both, size=9, replace=False)) + newcomers[:3]
    for r in tenants:
        ties.append(_tie(str(r), "brookside_ta", "member_of", 1, ONLY_2023, "2022-03-01",
                         hours=float(rng.choice([4, 8, 12]))))
    for r in newcomers[3:] + list(rng.choice(hollinford_both, size=2, replace=False)):
        ties.append(_tie(str(r), "wg_youth", "member_of", 1, ONLY_2023, "2022-09-01",
                         hours=12.0))
    # drop repeated pairs (random picks can repeat a named tie); keep the first
    seen, unique = set(), []
    for t in ties:
        key = (min(t["source"], t["target"]), max(t["source"], t["target"]), t["kind"])
        if key not in seen:
            seen.add(key)
            unique.append(t)
    ties = unique
    # dates: when each tie was last confirmed (some are stale)
    for t in ties:
        if t["confirmed"] is None:
            t["confirmed"] = (f"{2016 + int(rng.integers(0, 3))}-{int(rng.integers(1, 13)):02d}-01"
                              if rng.random() < 0.12 else "stale")
        if t["since"] is None:
            t["since"] = f"{int(rng.integers(2008, 2019))}-{int(rng.integers(1, 13)):02d}-01"
    return actors, ties


def snapshot(year: int, seed: int = SEED):
    """The actors and ties records of one snapshot (``years`` dropped, dates placed)."""
    actors, ties = build_records(seed)
    a = [{k: v for k, v in r.items() if k != "years"} for r in actors if year in r["years"]]
    for r in a:
        if year == 2023 and r["id"] == "janet_okafor":
            r["kind"] = "parish_councillor"
            r["sector"] = "local_government"
        if year == 2023 and r["id"] == "gary_brook":
            r["stance"] = -1
    present = {r["id"] for r in a}
    t = []
    for r in ties:
        if year not in r["years"] or not {r["source"], r["target"]} <= present:
            continue
        r = {k: v for k, v in r.items() if k != "years"}
        if year == 2019 and r["since"] > "2019-06-30":
            r["since"] = "2019-01-01"
        conf = r["confirmed"]
        if conf == "stale":  # confirmed at the time of the survey
            r["confirmed"] = "2023-06-01" if year == 2023 else "2019-05-01"
        elif year == 2019 and conf > "2019-06-30":
            r["confirmed"] = "2019-05-01"
        elif year == 2023 and conf < "2019-01-01":
            r["confirmed"] = f"{int(conf[:4]) + 3}{conf[4:]}"  # stale: 2019-2021
        if r["confirmed"] < r["since"]:  # never confirmed before it began: at its start
            r["confirmed"] = r["since"]
        t.append(r)
    return a, t


def build_map(year: int, seed: int = SEED):
    """The validated InfluenceMap of one snapshot."""
    import influence

    from influence.actions import actions_frame

    a, t = snapshot(year, seed)
    m = influence.build(actors=a, ties=t, name=f"hollinford-{year}")
    if year == 2019:
        m.actions = actions_frame(ACTIONS_2019)
    return m


def check(m, year):
    """Assert the designed findings of the data card on one snapshot."""
    import networkx as nx

    A, T = m.actors, m.ties
    assert 200 <= len(A) <= 400, len(A)
    members = set(T.loc[(T["target"] == "hbl") & (T["kind"] == "member_of"), "source"])
    assert members == set(PARTNERSHIP_2019 if year == 2019 else PARTNERSHIP_2023), members
    assert 9 <= len(members) <= 12
    G = nx.Graph()
    G.add_nodes_from(A.index)
    G.add_edges_from(zip(T["source"], T["target"], strict=False))
    X = members | {"hbl"}
    H = G.copy()
    H.remove_node(GATEKEEPER)
    for c in COUNTY:
        assert any(nx.has_path(G, x, c) for x in X)
        assert not any(nx.has_path(H, x, c) for x in X), c
    assert A.loc[GATEKEEPER, "stance"] == -1
    assert not m.warnings, m.warnings
    assert not (T["confirmed"] < T["since"]).any()
    # what the review must get right (data card section 6)
    from influence.leadership import leadership
    from influence.missing import missing

    assert leadership(m).model == (1 if year == 2019 else 2)
    gaps = missing(m)
    assert (gaps.loc[gaps.actor == "local_trust", "status"] == "weak").all()
    hwb = gaps[gaps.holder_type == "health_wellbeing_board"].iloc[0]
    assert "cc_public_health" in hwb.members and (year == 2019 or "icb_sam_reid" in hwb.members)
    # from review to action (data card section 7): a relationship held only by the worker
    from influence.legacy import legacy

    lg = legacy(m)
    assert lg.loc["westshire_police", "holders"] == ("worker_kim_patel",)
    assert lg.loc["westshire_police", "risk"] == "only the paid worker"
    assert (m.actions is not None) == (year == 2019)
    return True


def check_actions(old, new):
    """The 2019 actions sheet against the 2023 map: two done by the map, three overdue."""
    from influence.actions import follow_up

    f = follow_up(new, previous=old, as_at="2023-09-01").set_index("about")
    assert f["state"].to_dict() == {
        "westshire_icb": "done (the map shows it)", "cllr_derek_whitlow": "done (the map shows it)",
        "cc_public_health": "overdue", "environment_agency": "overdue",
        "westshire_police": "overdue", "westshire_cf": "done"}, f["state"]
    return True


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--check", action="store_true", help="check only; write nothing")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(HERE.parent))
    import influence

    maps = {}
    for year in YEARS:
        m = maps[year] = build_map(year, args.seed)
        check(m, year)
        print(f"{year}: {len(m.actors)} actors, {len(m.ties)} ties - checks pass")
    check_actions(maps[2019], maps[2023])
    for year, m in maps.items():
        if not args.check:
            args.out.mkdir(parents=True, exist_ok=True)
            path = influence.write(m, args.out / f"{year}.xlsx", force=True)
            path.chmod(0o644)
            print(f"wrote {path}")


if __name__ == "__main__":
    main()
