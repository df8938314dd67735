"""The review's two reports: the working copy and share.html, in plain English."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

import influence
from influence.model import InfluenceMap
from influence.report import plain
from test_html import data_of

GF = ("itinerant", "coordinator", "liaison", "representative")


def _text(path):
    page = path.read_text(encoding="utf-8")
    page = re.sub(r"<style>.*?</style>|<img[^>]*>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)).replace("&#39;", "'")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from influence import cli

    out = tmp_path_factory.mktemp("demo") / "review"
    res = CliRunner().invoke(cli.main, ["demo", "-o", str(out)])
    assert res.exit_code == 0, res.output
    return _text(out / "report.html"), _text(out / "share.html")


def test_both_reports_say_who_may_see_them(demo):
    report, share = demo
    assert ("Working copy for the partnership — contains judgements about named people; do not "
            "circulate") in report
    assert "share.html" in report
    assert "Safe to share — no judgements about named people" in share
    assert "Working copy" not in share


def test_share_names_nobody_it_judges(demo):
    report, share = demo
    # the county councillor: named with his stance in the working copy, by role in share.html
    assert "passes through Cllr Derek Whitlow (Hollinford and Wykes division) (sceptical)" in report
    assert "Derek Whitlow" not in share and "sceptical" not in share
    assert "County councillor, Westshire County Council (Hollinford and Wykes division)" in share
    assert "We have only one route into Westshire County Council" in share
    assert "Headteacher, Hollinford Primary Academy" in share and "Lucy Ford" not in share
    # no individual's stance, influence, hours or giving; no burn-out list of names
    assert "Hours a year" not in share and "Their stance" not in share
    assert "Ruth Ellis 6 560" in report.replace(".0", "") and "560" not in share
    assert "34 people carry three or more roles in local groups" in share
    # residents' friendships are not in the shared stale-tie list; the partnership's ties are
    r = influence.review(influence.datasets.load("hollinford"), priorities=["health"])
    concerns = influence.share_review(r).stale_ties["concerns"]
    assert (r.stale_ties["concerns"] == "residents").any()
    assert not concerns.isin(["residents", "a resident and an organisation"]).any()
    assert "Westshire Police (Hollinford neighbourhood team) Hollinford Big Local partnership" \
        in share


def test_ok_to_name_no_is_never_named_in_share(tmp_path):
    m = influence.datasets.load("hollinford")
    actors = m.actors.copy()
    actors["ok_to_name"] = None
    actors.loc[["margaret_hale", "bev_norris"], "ok_to_name"] = "no"
    r = influence.review(InfluenceMap(actors, m.ties, name=m.name), priorities=["health"],
                         as_at="2023-09-01", salt="k")
    r.write(tmp_path / "r")
    share = _text(tmp_path / "r" / "share.html")
    assert "Margaret Hale" not in share and "Bev Norris" not in share
    assert re.search(r"Resident [0-9A-F]{4}", share)
    assert "Margaret Hale" in _text(tmp_path / "r" / "report.html")


def test_plain_english_for_volunteers(demo):
    report, share = demo
    for page in demo:
        for word in GF:
            assert word not in page.lower(), word
        for code in ("(-1)", "(+1)", "(+0)", "(-2)", "(+2)", "hollinford-2019", "hollinford-2023",
                     "community_spaces", "cost_of_living", "gatekeeper →", "→ unconnected",
                     "NHSE_ICS", "GOVUK_COUNCILS", "sources: HSCA2012"):
            assert code not in page, code
    assert ("Bev Norris (Wykes Community Bus) isn't on the partnership but is our link to "
            "Copley Green — consider inviting them.") in report
    assert "What has changed since Hollinford 2019" in report
    assert ("Gaps widened: NHS trust / foundation trust for health and wellbeing (only one route "
            "in → on the map, but we have no way in).") in report
    assert "sources: Understand how your council works)" in report
    assert ("Cllr Derek Whitlow (Hollinford and Wykes division) (influence 4.5 out of 5, "
            "sceptical, interest 2 out of 5, a weak direct tie with us; note: met at the town "
            "council's annual meeting)") in report
    assert "Our link to Nether Wyke: speaks for their sub-area and lets others into it" in report
    assert "Priorities: Health and wellbeing; Children and young people" in report


def test_plain_leaves_other_text_alone():
    assert plain("Links for all (weak → connected)") == "Links for every theme (weak link → " \
        "connected)"
    assert plain("a health visitor for health-checks") == "a health visitor for health-checks"


def test_map_share_pop_ups_carry_no_judgement_of_a_person(tmp_path):
    from influence import cli

    src = tmp_path / "area.xlsx"
    influence.write(influence.datasets.load("hollinford"), src)
    out = tmp_path / "map.html"
    res = CliRunner().invoke(cli.main, ["map", str(src), "-o", str(out), "--share"])
    assert res.exit_code == 0, res.output
    page = out.read_text(encoding="utf-8")
    data = data_of(page)
    kinds = influence.schema.stakeholder_types()
    person_labels = {kinds[k]["label"].split(" (")[0] for k in influence.schema.PERSON_KINDS}
    people = [n for n in data["nodes"] if dict(n["fields"]).get("kind") in person_labels]
    assert len(people) > 200
    for n in people:
        fields = dict(n["fields"])
        assert not {"stance", "influence", "interest", "giving"} & set(fields), fields
    assert "Derek Whitlow" not in page and "Lucy Ford" not in page
    labels = {n["label"] for n in data["nodes"]}
    assert "Headteacher, Hollinford Primary Academy" in labels
    bodies = {n["label"]: dict(n["fields"]) for n in data["nodes"]}
    assert bodies["Castlegate Homes Ltd"]["stance"] == "opposes"  # bodies keep theirs


def test_cli_says_which_report_to_circulate(tmp_path):
    from influence import cli

    res = CliRunner().invoke(cli.main, ["demo", "-o", str(tmp_path / "r")])
    assert res.exit_code == 0, res.output
    assert re.search(
        r"\(\d+ gaps for Health and wellbeing; Children and young people; Environment and green "
        r"space; Community spaces, culture and leisure; Money and cost of living\)\. It is the "
        r"partnership's working copy; circulate share\.html\.$", res.output.strip())


def test_share_keeps_tie_notes_and_member_names_in_the_working_copy():
    r = influence.review(influence.datasets.load("hollinford"), priorities=["health"],
                         previous=influence.datasets.load("hollinford", year=2019))
    s = influence.share_review(r)
    from influence.report import render

    work, share = render(r), render(s)
    note = "ICB asked the partnership to co-host health listening events"
    assert note in work and note not in share
    assert "has not been to a meeting since 2019" not in share
    assert s.engagement["notes"].isna().all() and s.stale_ties["notes"].isna().all()
    assert not s.engagement["evidence"].str.contains("note:").any()
    # bonding: the partnership's figures, not its members' names
    assert s.sentences["bonding"] and set(s.sentences["bonding"]) < set(r.sentences["bonding"])
    assert not any("Our strongest bridges" in x for x in s.sentences["bonding"])
    # the action loop and legacy are in share.html, without the sentences that name people
    assert s.sentences["actions"] == r.sentences["actions_share"]
    assert s.sentences["legacy"][0] == r.sentences["legacy"][0]
    assert "Kim Patel" in " ".join(r.sentences["legacy"])
    assert "Kim Patel" not in " ".join(s.sentences["legacy"])


def test_share_hides_people_marked_no_in_the_previous_map_too():
    old = influence.datasets.load("hollinford", year=2019)
    new = influence.datasets.load("hollinford")
    gone = sorted(set(old.actors.index) - set(new.actors.index))
    who = next(i for i in gone if old.actors.loc[i, "kind"] == "resident")
    name = old.actors.loc[who, "name"]
    actors = old.actors.copy()
    actors["ok_to_name"] = None
    actors.loc[who, "ok_to_name"] = False
    old = InfluenceMap(actors, old.ties, name=old.name, as_at=old.as_at)
    r = influence.review(new, priorities=["health"], previous=old)
    from influence.report import render

    assert name in " ".join(r.sentences["changes"])
    assert name not in render(influence.share_review(r))


def test_a_figure_that_cannot_be_drawn_becomes_a_note_not_a_crash(monkeypatch):
    """report.figures promises a figure never stops the report: the page renders without
    it and says why."""
    import importlib

    import influence

    figures = importlib.import_module("influence.figures")

    def broken(*args, **kwargs):
        raise ValueError("Image size of 90000x90000 pixels is too large")

    monkeypatch.setattr(figures, "plot_spheres", broken)
    r = influence.review(influence.datasets.load("hollinford"))
    from influence.report import render

    page = render(r)
    assert "Sphere-of-influence diagram" not in page
    assert "The spheres figure could not be drawn: Image size of 90000x90000 pixels is too " \
           "large" in page
