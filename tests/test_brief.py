"""The meeting brief: one printable, self-contained page per body."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

import influence
from influence.cli import main
from influence.brief import brief
from influence.errors import InputError, UnknownActorError


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def maps():
    return influence.datasets.load("hollinford"), influence.datasets.load("hollinford", year=2019)


def test_icb_brief(maps):
    new, old = maps
    b = brief(new, "westshire_icb", as_at="2023-09-01", previous=old)
    assert b.duties[["theme", "role"]].values.tolist() == [["Health and wellbeing",
                                                            "commissioner"]]
    assert "Integrated care in your area (NHS England)" in b.duties.loc[0, "sources"]
    assert b.duties.loc[0, "basis"] == "Health and Care Act 2022"
    sam = b.ties[b.ties["theirs"] == "icb_sam_reid"]
    assert set(sam["ours"]) == {"hbl", "amira_hassan"}
    assert "ICB asked the partnership to co-host health listening events" in set(sam["notes"])
    assert b.attendees.index[0] == "amira_hassan"
    assert len(b.actions) == 0  # the 2019 action is done: the map shows it
    assert b.sentences == [
        "NHS Westshire and Vale Integrated Care Board holds 1 duty or power on our priorities "
        "(Health and wellbeing).",
        "We know 1 person there: Sam Reid.",
        "Where they stand on our aims, as we judge it: supportive.",
        "Who should go: Amira Hassan (the strongest ties there)."]


def test_county_council_brief_has_the_open_action(maps):
    new, old = maps
    b = brief(new, "westshire_cc", as_at="2023-09-01", previous=old)
    assert b.actions["about"].tolist() == ["cc_public_health"]
    assert b.actions.loc[0, "state"] == "overdue"
    assert b.attendees.index.tolist() == ["margaret_hale"]
    assert len(b.duties) == 9


def test_police_brief_worker_and_stale_note(maps):
    b = brief(maps[0], "westshire_police")
    assert b.attendees.loc["worker_kim_patel", "why"] == "paid worker: knows PCSO Chris Lee"
    assert "the PCSO has not been to a meeting since 2019" in set(b.ties["notes"].dropna())


def test_no_tie_gives_the_nearest_route(maps):
    b = brief(maps[0], "castlegate_homes")
    assert b.sentences[1] == (
        "Nobody in the partnership knows anyone there yet; the nearest route: Peter Lang → "
        "Holling Valley Development Corporation → Castlegate Homes Ltd.")
    assert b.sentences[2] == "Where they stand on our aims, as we judge it: opposed."


def test_a_person_gives_their_body_and_errors(maps):
    assert brief(maps[0], "icb_sam_reid").body == "westshire_icb"
    with pytest.raises(UnknownActorError, match="Unknown body 'nhs'"):
        brief(maps[0], "nhs")
    assert brief(maps[0], "cllr_derek_whitlow").body in ("westshire_cc", "hollinford_tc")
    with pytest.raises(InputError, match="is a person, not a body"):
        brief(maps[0], "margaret_hale")
    with pytest.raises(InputError, match="is the partnership itself"):
        brief(maps[0], "hbl")


def test_html_is_escaped_offline_and_printable():
    m = influence.build(
        actors=[{"id": "us", "kind": "big_local_partnership"},
                {"id": "ann", "kind": "resident", "name": "<script>alert(1)</script>"},
                {"id": "icb", "kind": "icb", "name": "ICB <b>&</b>", "influence": 4}],
        ties=[{"source": "ann", "target": "us", "kind": "member_of"},
              {"source": "ann", "target": "icb", "notes": "<img src=x onerror=alert(2)>"}])
    page = brief(m, "icb", priorities="health").to_html()
    assert "<script>" not in page and "<img" not in page and "<b>&</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "ICB &lt;b&gt;&amp;&lt;/b&gt;" in page
    assert "Content-Security-Policy" in page and "@media print" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)


def test_cli(tmp_path):
    from influence import datasets

    out = tmp_path / "icb.html"
    r = run("brief", datasets.path("hollinford"), "--body", "westshire_icb", "-o", out)
    assert r.exit_code == 0 and r.stderr == (
        f"Wrote {out}: the meeting brief for NHS Westshire and Vale Integrated Care Board "
        "(print it on one or two pages).\n")
    assert "<h2>Who we know there</h2>" in out.read_text()
    r = run("brief", datasets.path("hollinford"), "--body", "westshire_icb", "-o", out)
    assert r.exit_code == 1 and r.stderr == (
        f"Error: {out} already exists. Fix: choose another name, or pass --force to "
        "overwrite it.\n")
