"""The whole review: the demo's findings, the folder, privacy, escaping, the CLI."""

from __future__ import annotations

import re
import zipfile

import pandas as pd
import pytest
from click.testing import CliRunner

import influence
from influence.cli import main
from influence.model import InfluenceMap
from influence.review import read_profile, representation
from test_html import HOSTILE, data_of, unitary_area

PHONE = "07700 900123"


def hostile(m):
    """A copy with private columns, a hostile group name and hostile tie notes."""
    a, t = m.actors.copy(), m.ties.copy()
    a["private_phone"] = PHONE
    a.loc["food_bank", "name"] = f"Food bank {HOSTILE}"
    t["private_note"] = "PRIVATE NOTE"
    t["notes"] = t["notes"].astype(object).where(t["notes"].notna(), HOSTILE)
    return InfluenceMap(a, t, name=m.name)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "review"
    res = CliRunner().invoke(main, ["demo", "-o", str(out)])
    assert res.exit_code == 0, res.output
    return out


@pytest.fixture(scope="module")
def private_dir(tmp_path_factory):
    m23 = hostile(influence.datasets.load("hollinford"))
    m19 = hostile(influence.datasets.load("hollinford", year=2019))
    r = influence.review(m23, previous=m19, anonymise=True, salt="s", as_at="2023-09-01")
    out = tmp_path_factory.mktemp("private") / "review"
    r.write(out)
    # private if private in the newer map (janet_okafor is a councillor by 2023: public)
    people = pd.concat([m23.actors, m19.actors[~m19.actors.index.isin(m23.actors.index)]])
    people = people[people["kind"].isin(["resident", "person", "worker", "big_local_rep"])]
    return out, r, people


def _texts(folder):
    """Every output file as text (xlsx: the XML inside)."""
    for path in sorted(folder.iterdir()):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                yield path.name, "\n".join(z.read(n).decode("utf-8", "replace")
                                           for n in z.namelist() if n.endswith(".xml"))
        else:
            yield path.name, path.read_text(encoding="utf-8")


def test_demo_writes_the_folder(demo_dir):
    names = {p.name for p in demo_dir.iterdir()}
    assert {"report.html", "map.html", "review.xlsx", "missing.csv", "introducers.csv",
            "engagement.csv", "civic_core.csv", "gatekeepers.csv", "brokers.csv",
            "representation.csv", "leadership.csv", "stale_ties.csv", "changes_actors.csv",
            "changes_gaps.csv"} <= names
    sheets = pd.ExcelFile(demo_dir / "review.xlsx").sheet_names
    assert sheets[0] == "README" and "missing" in sheets and "changes_ties" in sheets
    # no temp files left, in the folder or beside it; the marker says an earlier review wrote it
    assert [p.name for p in demo_dir.iterdir() if p.name.startswith(".")] == [".influence-review"]
    assert [p.name for p in demo_dir.parent.iterdir()] == [demo_dir.name]


def test_demo_findings_match_the_data_card(demo_dir):
    gaps = pd.read_csv(demo_dir / "missing.csv")
    assert set(gaps.loc[gaps.status == "absent", "holder_type"]) == {
        "environment_agency", "water_company", "youth_org", "probation_yot",
        "health_wellbeing_board", "integrated_care_partnership", "healthwatch", "jobcentre_dwp"}
    gk = pd.read_csv(demo_dir / "gatekeepers.csv", index_col=0)
    strict = gk[gk.strict]
    assert set(strict.index) == {"cllr_derek_whitlow"}
    assert set(strict.institution) >= {"westshire_cc"}
    assert (strict.stance == -1).all()
    brokers = pd.read_csv(demo_dir / "brokers.csv", index_col=0)
    sub = brokers[brokers.by == "sub_area"]
    assert sub.index[0] == "ruth_ellis" and "bev_norris" in sub.index[:5]
    core = pd.read_csv(demo_dir / "civic_core.csv", index_col=0)
    assert len(core) == 74
    for member in ("margaret_hale", "david_osei", "amira_hassan", "ruth_ellis"):
        assert member in core.index
    ch = pd.read_csv(demo_dir / "changes_actors.csv", index_col=0)
    assert ch.loc["amira_hassan", "change"] == "joined"
    assert ch.loc["janet_okafor", "kind_new"] == "parish_councillor"
    lead = pd.read_csv(demo_dir / "leadership.csv", index_col=0)
    assert lead.loc["working_groups", "value"] == 5
    report = (demo_dir / "report.html").read_text()
    for text in ("Every route from the partnership to Westshire County Council passes through "
                 "Cllr Derek Whitlow", "29% of the 251 people on our map, not of the area&#39;s "
                 "residents, provide 92% of volunteering hours",
                 "Environment Agency", "Nether Wyke (sub area) is under-represented",
                 "What has changed since", "Amira Hassan", 'href="map.html"',
                 "Only one route in", "Ties to check before the next meeting"):
        assert text in report, text


def test_demo_review_is_right_where_it_was_wrong(demo_dir):
    """The data card's corrections: each sentence as the report shows it."""
    import html

    text = html.unescape(re.sub(r"<[^>]+>", " ", (demo_dir / "report.html").read_text()))
    text = re.sub(r"\s+", " ", text)
    # leadership: one model, and the move since 2019
    assert "The map looks most like Model 2 (working groups with devolved decisions)" in text
    assert "A high share suggests Model 1" not in text and "suggests Model 3" not in text
    assert ("Leadership: from Model 1 (it is all about the partnership) towards Model 2 "
            "(working groups with devolved decisions): working groups 2 → 5; non-members on "
            "working groups 0 → 6") in text
    # Local Trust is reached through our LTO, not "no route from us"
    assert "Hollinford Big Local partnership → Hollinford Community Trust (LTO) → Local Trust" \
        in text
    assert "Local Trust (influence 4/5, champion (+2), interest 3/5, no route from us)" \
        not in text
    # a member who now chairs the tenants' association
    assert ("Gary Brook left the partnership and now chairs Brookside Tenants' Association: "
            "influence spreading into the community, not a loss.") in text
    assert not re.search(r"moved further away \(Gary Brook", text)
    # introducers: people only; the gatekeeper flagged and last
    intro = pd.read_csv(demo_dir / "introducers.csv", index_col=0)
    assert "westshire_icb" not in intro.index and intro.index[-1] == "cllr_derek_whitlow"
    assert ("Cllr Derek Whitlow (Hollinford and Wykes division) — Westshire County Council "
            "(also the only route in — ask another)") in text
    # the health and wellbeing board through its members
    assert ("reachable through its members: Sam Reid (ICB community engagement lead) at NHS "
            "Westshire and Vale Integrated Care Board and Dr Helen Achebe (public health "
            "consultant) at Westshire County Council") in text
    # stale ties: the partnership's own first, residents' friendships last
    stale = pd.read_csv(demo_dir / "stale_ties.csv")
    assert stale.loc[0, "source"] == "westshire_police" and stale.loc[0, "target"] == "hbl"
    assert (stale["concerns"].iloc[:6] == "the partnership").all()
    assert (stale["concerns"].iloc[-1] == "residents")
    assert "Start with the partnership's own (6): Westshire Police" in text
    # tie notes where the tie is discussed
    assert "the PCSO has not been to a meeting since 2019" in text
    assert "Note: ICB asked the partnership to co-host health listening events" in text
    # the civic core: a share of the map, and who is outside it
    assert "Outside the core are 159 residents on our map" in text
    assert "a burn-out risk: Ruth Ellis" not in text


def test_private_columns_never_exported(private_dir):
    out, r, _ = private_dir
    for name, text in _texts(out):
        assert "private_" not in text, name
        assert PHONE not in text and "PRIVATE NOTE" not in text, name
    assert not any(str(c).startswith("private_") for c in r.map.actors.columns)


def test_anonymise_pseudonymises_residents_everywhere(private_dir):
    out, r, people = private_dir
    names = set(people["name"].dropna()) | {"Margaret Hale", "Ruth Ellis", "Bev Norris"}
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(names)) + r")\b")
    for name, text in _texts(out):
        hits = set(pattern.findall(text))
        assert not hits, (name, sorted(hits)[:5])
        assert not re.search(r"\bres\d{3}\b", text), name
        assert "margaret_hale" not in text, name
    # a councillor by 2023: shown by her role, in both reviews
    changes = (out / "changes_actors.csv").read_text()
    assert "Parish councillor, Hollinford Town Council (" in changes
    # office-holders are shown by role; pseudonyms are stable and shared by every output
    report = (out / "report.html").read_text()
    assert "Cllr Derek Whitlow" not in report
    assert "County councillor, Westshire County Council (Hollinford and Wykes division)" in report
    pseudo = r.map.actors.loc[r.map.actors.kind == "resident", "name"]
    assert pseudo.str.startswith("Resident ").all()
    some = pseudo.iloc[0]
    assert all(some in text for name, text in _texts(out) if name in ("spheres.csv",
                                                                       "map.html"))


def test_hostile_text_is_escaped_in_the_report(private_dir):
    out, _, _ = private_dir
    report = (out / "report.html").read_text()
    assert HOSTILE not in report
    assert "<script" not in report.lower()
    assert "onerror=" not in report.replace("onerror=&#34;", "")
    assert "Food bank &lt;img src=x onerror=" in report
    assert 'http-equiv="Content-Security-Policy"' in report
    assert "default-src &#39;none&#39;" in report or "default-src 'none'" in report


def test_representation_against_a_profile(tmp_path):
    m = influence.datasets.load("hollinford")
    from influence.spheres import spheres

    sph = spheres(m)
    prof = tmp_path / "profile.csv"
    prof.write_text("Attribute,Value,Share\nsub_area,Hollinford,50%\nsub_area,Nether Wyke,30%\n"
                    "sub_area,Copley Green,20%\n")
    rep = representation(m, sph, profile=prof)
    nw = rep[(rep.attribute == "sub_area") & (rep.value == "Nether Wyke")].iloc[0]
    assert nw.area_share == 0.3 and nw.partnership == 1 and nw.partnership_share == 0.1
    bad = tmp_path / "bad.csv"
    bad.write_text("attribute,value,share\nsub_area,X,lots\n")
    with pytest.raises(influence.InputError, match="row 2: share 'lots'"):
        read_profile(bad)


# --- CLI ------------------------------------------------------------------------------------
@pytest.fixture
def small(tmp_path):
    m = influence.build(
        actors=[{"id": "us", "kind": "big_local_partnership", "name": "Ore Big Local"},
                {"id": "ann", "kind": "resident", "sub_area": "Ore", "age_band": "65-74"},
                {"id": "escc", "kind": "county_council", "name": "East Sussex County Council"},
                {"id": "cllr", "kind": "county_councillor", "stance": -1}],
        ties=[{"source": "ann", "target": "us", "kind": "member_of"},
              {"source": "ann", "target": "cllr"},
              {"source": "cllr", "target": "escc", "kind": "member_of"}])
    path = tmp_path / "ore.xlsx"
    influence.write(m, path)
    return path


def test_cli_review_with_area(small, tmp_path):
    out = tmp_path / "rv"
    res = CliRunner().invoke(main, ["review", str(small), "--area", "Hastings", "--priorities",
                                    "health,youth", "--as-at", "2025-06-01", "-o", str(out)])
    assert res.exit_code == 0, res.output
    gaps = pd.read_csv(out / "missing.csv")
    assert "East Sussex County Council" in set(gaps.body)
    assert "Hastings Borough Council" in set(gaps.body)
    row = gaps[gaps.body == "East Sussex County Council"].iloc[0]
    assert row.actor == "escc" and row.status == "gatekeeper"
    report = (out / "report.html").read_text()
    assert "Hastings" in report and "July 2025" in report  # the data's vintage
    res = CliRunner().invoke(main, ["review", str(small), "-o", str(out)])
    assert res.exit_code == 1 and "already has files in it" in res.output
    assert "Traceback" not in res.output


def test_cli_errors_are_clean(small, tmp_path):
    r = CliRunner()
    res = r.invoke(main, ["review", str(small), "--area", "Nowhereshire", "-o",
                          str(tmp_path / "x")])
    assert res.exit_code == 1 and res.output.startswith("Error: ")
    res = r.invoke(main, ["missing", str(small), "--priorities", "helth"])
    assert res.exit_code == 1 and "Did you mean health" in res.output
    res = r.invoke(main, ["missing", str(small), "--priorities", "youth"])
    assert res.exit_code == 0 and res.output.startswith(
        "1. County council: Children and young people, statutory duty: reachable only through "
        "one person\n")
    res = r.invoke(main, ["engagement", str(small), "-f", "csv"])
    assert res.exit_code == 0 and res.output.startswith("id,kind,name")
    res = r.invoke(main, ["compare", str(small), str(small), "--table", "ties"])
    assert res.exit_code == 0 and "Nobody joined the map." in res.output


def _unitary_review():
    return influence.review(unitary_area(), area="Brighton and Hove", priorities=["health"],
                            as_at="2025-06-01")


def test_review_and_map_highlight_the_same_gatekeepers():
    r = _unitary_review()
    assert r.meta["highlights"]["gatekeepers"] == ["cllr"]
    page = data_of(influence.to_html(unitary_area()))
    assert [n["label"] for n in page["nodes"] if "gatekeepers" in n.get("hl", ())] == \
        ["Cllr Jo Green"]
    # brokers: one rule (at least one brokered path, strongest first) on each one's table. Ann
    # is the only actor with a sub-area, so the review's table has her brokering nothing; the
    # map groups by kind, where she brokers between the partnership and the councillor.
    assert r.tables["brokers"].loc["ann", "total"] == 0
    assert r.meta["highlights"]["brokers"] == []
    assert [n["label"] for n in page["nodes"] if "brokers" in n.get("hl", ())] == ["ann"]


def test_gatekeeper_sentences_kept_by_data_not_wording(monkeypatch):
    import sys

    mod = sys.modules["influence.gatekeepers"]
    plain = mod._sentences
    monkeypatch.setattr(mod, "_sentences", lambda *a: [
        s.replace("passes through", "goes by way of").replace("no route", "no way")
        for s in plain(*a)])
    said = _unitary_review().sentences["gatekeepers"]
    assert said == ["Every route from the partnership to Brighton and Hove City Council goes by "
                    "way of Cllr Jo Green (supportive)."]


def test_a_big_map_samples_betweenness_and_says_so(monkeypatch):
    """Above the size limit the brokers' betweenness is estimated from a seeded sample of
    sources, once for both groupings, and the report states the sample and its accuracy."""
    import importlib

    import influence

    review_module = importlib.import_module("influence.review")
    monkeypatch.setattr(review_module, "EXACT_BETWEENNESS_LIMIT", 100)
    monkeypatch.setattr(review_module, "BETWEENNESS_SAMPLE", 50)
    m = influence.datasets.load("hollinford")
    r = influence.review(m)
    said = [s for s in r.sentences["brokers"] if "starting points picked at random" in s]
    assert said == [f"With {len(m.actors)} actors on the map, how often each person lies on "
                    "the shortest routes between others (betweenness) is estimated from 50 "
                    "starting points picked at random (seed 0), not worked out from all of "
                    "them: on test networks of 10,000 actors an estimate like this finds "
                    "87-94% of the true top 20 brokers, so treat brokers with close scores as "
                    "equal. The brokerage roles themselves are exact."]
    sampled = influence.brokers(m, by="sub_area", k=50, seed=0)
    brokers = r.tables["brokers"]
    mine = brokers[brokers["by"] == "sub_area"]
    assert mine["betweenness"].to_dict() == sampled.loc[mine.index, "betweenness"].to_dict()
    monkeypatch.undo()
    exact = influence.review(influence.datasets.load("hollinford"))
    assert not [s for s in exact.sentences["brokers"] if "picked at random" in s]
